#pragma once
// Intended use, enforced: whether a patient lies inside a model's stated population (manifest
// model.population). The host asks before it starts a plugin; the worklist asks before it ranks
// a patient by a stored score.
//
// Ages are computed at today's date in UTC (today_utc()), the day the clinician runs the model
// (not the date of the newest entry in the record): a model for adults must not be applied to a
// child today because an old record says nothing newer. UTC rather than the local zone so that
// the host and a plugin checking on its own in its sandbox agree on the day.
#include "consilium/decision/store.h"
#include "consilium/decision/timeline.h"
#include "consilium/plugins/manifest.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace consilium::plugins {

// What the rules look at, read from the record.
struct PatientFacts {
    std::optional<std::string> birth_date;  // FHIR date: YYYY-MM-DD, or partial (YYYY-MM, YYYY)
    std::optional<std::string> sex;         // FHIR gender; none or "unknown" when not recorded
    struct Condition {
        decision::Coding code;
        std::optional<std::string> since;   // onset, store time form
    };
    std::vector<Condition> conditions;      // current ones: not resolved, inactive, refuted or ended before today
};

// Today, UTC, as YYYY-MM-DD.
std::string today_utc();

// The patient's birth date, sex and current coded conditions (timeline events of kind condition).
PatientFacts patient_facts(decision::Store& store, std::int64_t patient_id, const std::string& today);

// The youngest and oldest the patient can be on `today` (equal for a full birth date; a partial
// one spans the days it leaves open); nullopt when the birth date is missing or unreadable.
struct AgeRange {
    int youngest = 0, oldest = 0;
};
std::optional<AgeRange> age_on(const std::string& birth_date, const std::string& today);

// "" when the patient is inside the population, else the first rule broken, naming the rule and
// the patient's value: "outside intended use: age 9 years is below the minimum 16". An unknown
// age or sex is outside an age or sex restriction.
std::string outside_intended_use(const Population& population, const PatientFacts& patient, const std::string& today);

// Whether a recorded code falls under an excluded condition: the same code, an ICD-10 code within
// the excluded category or range, or a code the host lists as a descendant or equivalent of it
// (pregnancy, SNOMED CT 77386006: its usual SNOMED CT descendants and ICD-10 O00-O9A, Z33).
bool falls_under(const ExcludedCondition& excluded, const decision::Coding& recorded);

// One line for `plugins info` and the model card: "ages 16 and over; any sex; excludes Pregnancy
// (SNOMED CT 77386006)"; for a manifest without one: "not stated (no restriction is enforced)".
std::string describe_population(const std::optional<Population>& population);

}  // namespace consilium::plugins
