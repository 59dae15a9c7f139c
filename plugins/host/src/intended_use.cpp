// Whether a patient lies inside a model's stated population: the facts read from the record,
// ages on today's date, and the reason in words naming the rule and the patient's value.
#include "consilium/plugins/intended_use.h"

#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace consilium::plugins {
namespace {

using nlohmann::json;

struct Ymd {
    int y = 0, m = 0, d = 0;  // m, d 0 when not given
};

// A FHIR date (YYYY-MM-DD, YYYY-MM or YYYY; a dateTime's date part); month and day 0 when not given.
std::optional<Ymd> read_date(const std::string& text) {
    Ymd v;
    int n = 0;
    if (text.size() >= 10) n = std::sscanf(text.c_str(), "%4d-%2d-%2d", &v.y, &v.m, &v.d) == 3 ? 3 : 0;
    else if (text.size() == 7) n = std::sscanf(text.c_str(), "%4d-%2d", &v.y, &v.m) == 2 ? 2 : 0;
    else if (text.size() == 4) n = std::sscanf(text.c_str(), "%4d", &v.y) == 1 ? 1 : 0;
    if (n == 0) return std::nullopt;
    if ((n >= 2 && (v.m < 1 || v.m > 12)) || (n == 3 && (v.d < 1 || v.d > 31))) return std::nullopt;
    return v;
}

int years_between(int by, int bm, int bd, const Ymd& t) {
    int age = t.y - by;
    if (t.m < bm || (t.m == bm && t.d < bd)) --age;
    return age;
}

std::string sexes_text(const std::vector<std::string>& sexes) {
    std::string out;
    for (std::size_t i = 0; i < sexes.size(); ++i) out += (i == 0 ? "" : i + 1 == sexes.size() ? " or " : ", ") + sexes[i];
    return out;
}

std::string system_name(const std::string& system) {
    if (system == "http://snomed.info/sct") return "SNOMED CT";
    if (system.find("icd-10") != std::string::npos) return "ICD-10";
    return system;
}

std::string condition_text(const ExcludedCondition& c) {
    return (c.display.empty() ? c.code : c.display) + " (" + system_name(c.system) + " " + c.code + ")";
}

bool current(const decision::TimelineEvent& e, const json& resource, const std::string& today) {
    const auto status = e.status.value_or("active");
    if (status == "resolved" || status == "inactive" || status == "remission") return false;
    if (resource.is_object() && resource.contains("verificationStatus") && resource["verificationStatus"].is_object()) {
        for (const auto& c : resource["verificationStatus"].value("coding", json::array()))
            if (c.is_object()) {
                const auto v = c.value("code", "");
                if (v == "refuted" || v == "entered-in-error") return false;
            }
    }
    // Ended: an abatement before today (a date compares by its day).
    return !e.end || e.end->substr(0, 10) >= today;
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

std::optional<AgeRange> age_on(const std::string& birth_date, const std::string& today) {
    const auto b = read_date(birth_date);
    const auto t = read_date(today);
    if (!b || !t || t->m == 0 || t->d == 0) return std::nullopt;
    AgeRange r;
    if (b->d != 0) {
        r.youngest = r.oldest = years_between(b->y, b->m, b->d, *t);
    } else if (b->m != 0) {  // born some day of that month
        r.youngest = years_between(b->y, b->m, 31, *t);
        r.oldest = years_between(b->y, b->m, 1, *t);
    } else {  // born some day of that year
        r.youngest = years_between(b->y, 12, 31, *t);
        r.oldest = years_between(b->y, 1, 1, *t);
    }
    if (r.oldest < 0) return std::nullopt;  // born after today: not a usable birth date
    r.youngest = std::max(r.youngest, 0);
    return r;
}

PatientFacts patient_facts(decision::Store& store, std::int64_t patient_id, const std::string& today) {
    auto patient = store.patients().find(patient_id);
    if (!patient) throw decision::NotFound("patient " + std::to_string(patient_id) + " not found");
    PatientFacts f;
    f.birth_date = patient->birth_date;
    f.sex = patient->sex;
    decision::TimelineFilter filter;
    filter.kinds = {decision::EventKind::condition};
    filter.with_resource_json = true;
    for (const auto& e : store.timeline().events(patient_id, filter)) {
        const json resource = e.resource_json ? json::parse(*e.resource_json, nullptr, false) : json();
        if (!current(e, resource, today)) continue;
        // Every coding of the source, not only the one the timeline shows: a condition coded in
        // SNOMED CT and ICD-10 is matched by either.
        std::vector<decision::Coding> codes;
        if (resource.is_object() && resource.contains("code") && resource["code"].is_object())
            for (const auto& c : resource["code"].value("coding", json::array()))
                if (c.is_object() && c.contains("code") && c["code"].is_string())
                    codes.push_back({c.value("system", ""), c["code"].get<std::string>(), c.value("display", "")});
        if (codes.empty() && !e.code.code.empty()) codes.push_back(e.code);
        for (auto& c : codes) f.conditions.push_back({std::move(c), e.start});
    }
    return f;
}

std::string outside_intended_use(const Population& pop, const PatientFacts& patient, const std::string& today) {
    const std::string why = "outside intended use: ";
    if (pop.age_min_years || pop.age_max_years) {
        std::string wanted = pop.age_min_years && pop.age_max_years
                                 ? "ages " + std::to_string(*pop.age_min_years) + " to " + std::to_string(*pop.age_max_years)
                             : pop.age_min_years ? "ages " + std::to_string(*pop.age_min_years) + " and over"
                                                 : "ages up to " + std::to_string(*pop.age_max_years);
        const auto age = patient.birth_date ? age_on(*patient.birth_date, today) : std::nullopt;
        if (!age)
            return why + "age unknown (" + (patient.birth_date ? "birth date '" + *patient.birth_date + "' unreadable"
                                                               : std::string("no birth date recorded")) +
                   "); the model is for " + wanted;
        const std::string shown = age->youngest == age->oldest
                                      ? std::to_string(age->youngest)
                                      : std::to_string(age->youngest) + " or " + std::to_string(age->oldest);
        if (pop.age_min_years && age->youngest < *pop.age_min_years) {
            if (age->oldest < *pop.age_min_years)
                return why + "age " + shown + " years is below the minimum " + std::to_string(*pop.age_min_years);
            return why + "age uncertain (" + shown + " years from the partial birth date " + *patient.birth_date +
                   "); the model is for " + wanted;
        }
        if (pop.age_max_years && age->oldest > *pop.age_max_years) {
            if (age->youngest > *pop.age_max_years)
                return why + "age " + shown + " years is above the maximum " + std::to_string(*pop.age_max_years);
            return why + "age uncertain (" + shown + " years from the partial birth date " + *patient.birth_date +
                   "); the model is for " + wanted;
        }
    }
    if (!pop.sexes.empty()) {
        const std::string sex = patient.sex && !patient.sex->empty() ? *patient.sex : "unknown";
        if (std::find(pop.sexes.begin(), pop.sexes.end(), sex) == pop.sexes.end())
            return why + "sex " + (sex == "unknown" ? std::string("unknown (not recorded)") : sex) +
                   " is not one the model is for (" + sexes_text(pop.sexes) + ")";
    }
    for (const auto& excluded : pop.exclude_conditions)
        for (const auto& c : patient.conditions)
            if (falls_under(excluded, c.code))
                return why + "the record holds " + (c.code.display.empty() ? c.code.code : c.code.display) + " (" +
                       system_name(c.code.system) + " " + c.code.code + (c.since ? ", since " + c.since->substr(0, 10) : "") +
                       "), which the model excludes: " + condition_text(excluded);
    return "";
}

std::string describe_population(const std::optional<Population>& pop) {
    if (!pop) return "not stated (no restriction is enforced)";
    std::string text;
    if (pop->age_min_years && pop->age_max_years)
        text = "ages " + std::to_string(*pop->age_min_years) + " to " + std::to_string(*pop->age_max_years);
    else if (pop->age_min_years) text = "ages " + std::to_string(*pop->age_min_years) + " and over";
    else if (pop->age_max_years) text = "ages up to " + std::to_string(*pop->age_max_years);
    else text = "any age";
    text += pop->sexes.empty() ? "; any sex" : "; " + sexes_text(pop->sexes);
    for (std::size_t i = 0; i < pop->exclude_conditions.size(); ++i)
        text += (i == 0 ? "; excludes " : ", ") + condition_text(pop->exclude_conditions[i]);
    return text;
}

}  // namespace consilium::plugins
