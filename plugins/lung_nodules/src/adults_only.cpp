#include "adults_only.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

namespace consilium::lung {
namespace {

using nlohmann::json;

bool clinicians_override(const json& bundle) {
    if (!bundle.contains("meta") || !bundle["meta"].is_object() || !bundle["meta"].contains("tag")) return false;
    for (const auto& t : bundle["meta"]["tag"])
        if (t.is_object() && t.value("system", "") == "urn:consilium:plugin-run" && t.value("code", "") == "outside-intended-use")
            return true;
    return false;
}

}  // namespace

std::string why_not_applicable(const std::string& context_json) {
    const json bundle = json::parse(context_json, nullptr, false);
    if (!bundle.is_object()) return "the patient context is not a FHIR Bundle: the age cannot be checked";
    if (clinicians_override(bundle)) return "";
    std::string birth;
    for (const auto& e : bundle.value("entry", json::array()))
        if (e.is_object() && e.contains("resource") && e["resource"].is_object() &&
            e["resource"].value("resourceType", "") == "Patient") {
            birth = e["resource"].value("birthDate", "");
            break;
        }
    const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const std::chrono::year_month_day t{days};
    const int ty = static_cast<int>(t.year()), tm = static_cast<int>(static_cast<unsigned>(t.month())),
              td = static_cast<int>(static_cast<unsigned>(t.day()));
    int by = 0, bm = 0, bd = 0;
    const int n = std::sscanf(birth.c_str(), "%4d-%2d-%2d", &by, &bm, &bd);
    const std::string minimum = std::to_string(kMinimumAge);
    if (n < 1 || (n == 1 && birth.size() != 4) || (n == 2 && birth.size() != 7))
        return "outside intended use: age unknown (" +
               (birth.empty() ? std::string("no birth date recorded") : "birth date '" + birth + "' unreadable") +
               "); the detector is for adults aged " + minimum + " and over";
    // A partial birth date: the youngest the patient can be (born on the last day it leaves open).
    if (n < 3) bd = 31;
    if (n < 2) bm = 12;
    const int youngest = ty - by - ((tm < bm || (tm == bm && td < bd)) ? 1 : 0);
    if (youngest < kMinimumAge)
        return "outside intended use: age " + std::string(n < 3 ? "at least " : "") + std::to_string(youngest < 0 ? 0 : youngest) +
               " years (birth date " + birth + ") is below the minimum " + minimum + " (the detector is for adults)";
    return "";
}

}  // namespace consilium::lung
