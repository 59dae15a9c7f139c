#include "consilium/decision/patient_lookup.h"

#include "consilium/decision/errors.h"

#include <charconv>

namespace consilium::decision {
namespace {

std::optional<std::int64_t> as_id(std::string_view text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
    return v;
}

}  // namespace

Patient find_patient(Store& store, std::string_view text) {
    const std::string shown(text);
    if (text.rfind("id:", 0) == 0) {
        auto id = as_id(text.substr(3));
        if (auto p = id ? store.patients().find(*id) : std::nullopt) return *p;
        throw NotFound("no patient with id " + std::string(text.substr(3)));
    }
    if (text.rfind("mrn:", 0) == 0) {
        if (auto p = store.patients().find_by_mrn(text.substr(4))) return *p;
        throw NotFound("no patient with medical record number '" + std::string(text.substr(4)) + "'");
    }
    auto id = as_id(text);
    auto by_id = id ? store.patients().find(*id) : std::nullopt;
    auto by_mrn = store.patients().find_by_mrn(text);
    if (by_id && by_mrn && by_id->id != by_mrn->id)
        throw InputError("patient '" + shown + "'",
                         "ambiguous: it is the id of " + by_id->name + " and the MRN of " + by_mrn->name +
                             "; say id:" + shown + " or mrn:" + shown);
    if (by_id) return *by_id;
    if (by_mrn) return *by_mrn;
    throw NotFound("no patient with id or medical record number '" + shown + "'");
}

}  // namespace consilium::decision
