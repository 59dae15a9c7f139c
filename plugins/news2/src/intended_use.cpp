#include "intended_use.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <optional>

namespace consilium::news2 {
namespace {

using nlohmann::json;

// Pregnancy: SNOMED CT 77386006 and its usual descendants; ICD-10 O00-O9A and Z33 (pregnant state).
constexpr std::array<const char*, 7> kPregnancySnomed = {"77386006", "72892002", "47200007", "16356006",
                                                         "237240001", "65727000", "34801009"};

bool pregnancy_code(const std::string& system, const std::string& code) {
    if (system.find("snomed") != std::string::npos) {
        for (const char* c : kPregnancySnomed)
            if (code == c) return true;
        return false;
    }
    if (system.find("icd-10") != std::string::npos || system.find("icd10") != std::string::npos)
        return (code.size() >= 3 && (code[0] == 'O' || code[0] == 'o') && code[1] >= '0' && code[1] <= '9') ||
               code.rfind("Z33", 0) == 0;
    return false;
}

bool any_code(const json& concept_, const std::string& wanted) {
    if (!concept_.is_object() || !concept_.contains("coding") || !concept_["coding"].is_array()) return false;
    for (const auto& c : concept_["coding"])
        if (c.is_object() && c.value("code", "") == wanted) return true;
    return false;
}

// A Condition the record still holds: not resolved, inactive or in remission, not refuted or
// entered in error, and not ended before today.
bool current(const json& r, const std::string& today) {
    for (const char* gone : {"resolved", "inactive", "remission"})
        if (r.contains("clinicalStatus") && any_code(r["clinicalStatus"], gone)) return false;
    for (const char* wrong : {"refuted", "entered-in-error"})
        if (r.contains("verificationStatus") && any_code(r["verificationStatus"], wrong)) return false;
    if (r.contains("abatementDateTime") && r["abatementDateTime"].is_string() &&
        r["abatementDateTime"].get<std::string>().substr(0, 10) < today)
        return false;
    return true;
}

// Youngest and oldest age on `today` for a FHIR birthDate (a partial date spans its days).
std::optional<std::pair<int, int>> age_range(const std::string& birth, const std::string& today) {
    int ty = 0, tm = 0, td = 0, by = 0, bm = 0, bd = 0;
    if (std::sscanf(today.c_str(), "%4d-%2d-%2d", &ty, &tm, &td) != 3) return std::nullopt;
    const int n = std::sscanf(birth.c_str(), "%4d-%2d-%2d", &by, &bm, &bd);
    if (n < 1 || (n == 1 && birth.size() != 4) || (n == 2 && birth.size() != 7)) return std::nullopt;
    auto years = [&](int m, int d) { return ty - by - ((tm < m || (tm == m && td < d)) ? 1 : 0); };
    const int youngest = n == 3 ? years(bm, bd) : n == 2 ? years(bm, 31) : years(12, 31);
    const int oldest = n == 3 ? youngest : n == 2 ? years(bm, 1) : years(1, 1);
    if (oldest < 0) return std::nullopt;
    return std::make_pair(youngest < 0 ? 0 : youngest, oldest);
}

}  // namespace

std::string today_utc() {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const std::chrono::year_month_day ymd{today};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return text;
}

std::string clinicians_override(const json& bundle) {
    if (!bundle.contains("meta") || !bundle["meta"].is_object() || !bundle["meta"].contains("tag")) return "";
    for (const auto& t : bundle["meta"]["tag"])
        if (t.is_object() && t.value("system", "") == "urn:consilium:plugin-run" && t.value("code", "") == "outside-intended-use")
            return t.value("display", "outside intended use");
    return "";
}

std::string why_not_applicable(const json& bundle, const std::string& today) {
    const std::string why = "outside intended use: ";
    const json* patient = nullptr;
    std::string pregnancy;
    if (bundle.contains("entry") && bundle["entry"].is_array())
        for (const auto& e : bundle["entry"]) {
            if (!e.is_object() || !e.contains("resource") || !e["resource"].is_object()) continue;
            const auto& r = e["resource"];
            const auto type = r.value("resourceType", "");
            if (type == "Patient" && !patient) patient = &r;
            if (type != "Condition" || !pregnancy.empty() || !r.contains("code") || !current(r, today)) continue;
            for (const auto& c : r["code"].value("coding", json::array()))
                if (c.is_object() && pregnancy_code(c.value("system", ""), c.value("code", "")))
                    pregnancy = c.value("display", c.value("code", "")) + " (" + c.value("code", "") + ")";
        }
    const std::string birth = patient && patient->contains("birthDate") && (*patient)["birthDate"].is_string()
                                  ? (*patient)["birthDate"].get<std::string>()
                                  : "";
    const auto age = birth.empty() ? std::nullopt : age_range(birth, today);
    const std::string minimum = std::to_string(kMinimumAge);
    if (!age)
        return why + "age unknown (" + (birth.empty() ? "no birth date recorded" : "birth date '" + birth + "' unreadable") +
               "); NEWS2 is for adults aged " + minimum + " and over";
    if (age->second < kMinimumAge)
        return why + "age " + std::to_string(age->second) + " years is below the minimum " + minimum + " (NEWS2 is for adults)";
    if (age->first < kMinimumAge)
        return why + "age uncertain (" + std::to_string(age->first) + " or " + std::to_string(age->second) +
               " years from the partial birth date " + birth + "); NEWS2 is for adults aged " + minimum + " and over";
    if (!pregnancy.empty()) return why + "pregnancy is recorded (" + pregnancy + "); NEWS2 is not for use in pregnancy";
    return "";
}

}  // namespace consilium::news2
