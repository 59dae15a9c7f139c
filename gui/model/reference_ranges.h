#pragma once
// The reference range a value is judged against on the timeline, for the patient as they were
// when it was measured: a 2-year-old's heart rate of 97 is normal, an adult's is not. Where no
// range is known for that age (or the age is unknown) there is none, and a note says so - an
// adult range is never applied to a child or to someone of unknown age.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#ifndef N_
#define N_(text) text
#endif

namespace consilium::gui {

struct ReferenceRange {
    std::optional<double> low, high;  // either may be open ("< 200", ">= 60")
    bool operator==(const ReferenceRange&) const = default;
};

// Who was measured: as the record has it (FHIR birthDate, possibly partial: "2022", "2022-05").
struct PatientFacts {
    std::optional<std::string> birth_date;
    std::optional<std::string> sex;  // "male", "female", other or none
};

struct RangeForPatient {
    std::optional<ReferenceRange> range;
    std::string source;          // where the range comes from: "APLS", "NEWS2", "WHO", "adult" (N_)
    std::optional<int> age;      // completed years at the observation, when known
    bool age_unknown = false;    // no range because the birth date is not recorded
    // For the tooltip: "APLS, age 2", "no reference range for age 2", "no reference range: age unknown".
    std::string describe(const std::function<std::string(const std::string&)>& translate = {}) const;
};

// The adult range of a LOINC code in the unit Synthea reports it in; nullopt when none is known
// or the unit differs (a range is never drawn against a value in another unit).
std::optional<ReferenceRange> reference_range(std::string_view loinc, std::string_view unit);

// Completed years between the birth date and `when` (seconds, time_axis.h): the youngest and the
// oldest the patient can have been (they differ only for a partial birth date); nullopt without one.
std::optional<std::pair<int, int>> age_at(const std::optional<std::string>& birth_date, double when);

// The range for this patient at the time of the observation (`when`, seconds).
RangeForPatient reference_range_for(std::string_view loinc, std::string_view unit, const PatientFacts& patient, double when);

}  // namespace consilium::gui
