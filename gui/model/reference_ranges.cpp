// Reference ranges by age (and sex where it matters) at the time of the observation.
#include "model/reference_ranges.h"

#include "model/time_axis.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace consilium::gui {
namespace {

// Adult reference ranges, hard-coded for the LOINC codes found in the demo and Synthea data
// (demo/fhir, shared/data/fhir), in the units Synthea reports. Sources: common laboratory adult
// ranges (sexes merged where they differ, except haemoglobin below); lipids, HbA1c, eGFR and
// NT-proBNP use their guideline thresholds. They are a drawing aid - the band behind a sparkline -
// not a laboratory's own range, which the FHIR resources here do not carry.
// Vital signs use the band that scores 0 in NEWS2 (RCP 2017), the workstation's early-warning score.
struct KnownRange {
    const char* loinc;
    const char* unit;  // untranslated: UCUM units
    std::optional<double> low, high;
};
const KnownRange kRanges[] = {
    // Vital signs (NEWS2 zero-score bands)
    {"8867-4", "/min", 51, 90},       {"9279-1", "/min", 12, 20},      {"8480-6", "mm[Hg]", 111, 219},
    {"59408-5", "%", 96, 100},        {"2708-6", "%", 96, 100},        {"20564-1", "%", 96, 100},
    {"8310-5", "Cel", 36.1, 38.0},    {"8331-1", "Cel", 36.1, 38.0},  // untranslated: UCUM units
    // Basic metabolic panel
    {"2339-0", "mg/dL", 70, 99},      {"6299-2", "mg/dL", 7, 20},      {"38483-4", "mg/dL", 0.6, 1.3},
    {"2160-0", "mg/dL", 0.6, 1.3},    {"49765-1", "mg/dL", 8.5, 10.2}, {"17861-6", "mg/dL", 8.5, 10.2},
    {"2947-0", "mmol/L", 135, 145},   {"2951-2", "mmol/L", 135, 145},  {"6298-4", "mmol/L", 3.5, 5.1},
    {"2823-3", "mmol/L", 3.5, 5.1},   {"2069-3", "mmol/L", 98, 107},   {"2075-0", "mmol/L", 98, 107},
    {"20565-8", "mmol/L", 22, 29},    {"2028-9", "mmol/L", 22, 29},
    {"33914-3", "mL/min/{1.73_m2}", 60, std::nullopt},
    // Diabetes and lipids
    {"4548-4", "%", 4.0, 5.6},        {"2093-3", "mg/dL", std::nullopt, 200},
    {"2571-8", "mg/dL", std::nullopt, 150}, {"18262-6", "mg/dL", std::nullopt, 100},
    {"2085-9", "mg/dL", 40, std::nullopt},
    // Full blood count
    {"6690-2", "10*3/uL", 4.5, 11.0}, {"789-8", "10*6/uL", 4.2, 5.9},  {"718-7", "g/dL", 12.0, 17.5},
    {"4544-3", "%", 36, 52},          {"787-2", "fL", 80, 100},        {"785-6", "pg", 27, 33},
    {"786-4", "g/dL", 32, 36},        {"21000-5", "fL", 39, 46},       {"777-3", "10*3/uL", 150, 400},
    {"32623-1", "fL", 7.5, 11.5},
    // Liver panel (total protein and globulin are left out: Synthea's values do not match their units)
    {"1751-7", "g/dL", 3.5, 5.0},     {"1975-2", "mg/dL", 0.1, 1.2},   {"6768-6", "U/L", 44, 147},
    {"1742-6", "U/L", 7, 56},         {"1920-8", "U/L", 10, 40},
    // Heart
    {"33762-6", "pg/mL", std::nullopt, 125}, {"10230-1", "%", 50, 70},
    // Body mass index
    {"39156-5", "kg/m2", 18.5, 24.9},
};

// Haemoglobin differs by sex: the lower limits are WHO's anaemia thresholds (WHO 2011,
// "Haemoglobin concentrations for the diagnosis of anaemia", non-pregnant adults), the upper
// limits common laboratory ones. Without a recorded sex the merged range above is used.
constexpr const char* kHaemoglobin = "718-7";
const ReferenceRange kHaemoglobinMale{13.0, 17.5}, kHaemoglobinFemale{12.0, 15.5};

// Children's heart and respiratory rates: the APLS (Advanced Paediatric Life Support) ranges as
// tabulated by Fleming S, Thompson M, Stevens R et al., "Normal ranges of heart rate and respiratory
// rate in children from birth to 18 years of age", Lancet 2011;377:1011-18, web appendix, Web Box 1.
// By completed years; from 16 the adult (NEWS2) bands apply, NEWS2 being validated from 16.
// Fleming et al. found APLS limits at times beyond their 1st/99th centiles: these bands flag
// values for a look, they do not diagnose. Other vital signs and the labs have no children's
// range here, so a child's value is shown without one, with a note.
struct ChildRange {
    int from_age, to_age;  // completed years, inclusive
    ReferenceRange heart, respiratory;
};
const ChildRange kApls[] = {
    {0, 0, {110, 160}, {30, 40}},
    {1, 1, {100, 150}, {25, 35}},
    {2, 4, {95, 140}, {25, 30}},
    {5, 11, {80, 120}, {20, 25}},
    {12, 15, {60, 100}, {15, 20}},
};
// Fever in a child under 5: a temperature of 38 °C or more (NICE NG143, "Fever in under 5s",
// 2019, recommendation 1.1). Only the upper limit: NG143 sets no lower one.
const ReferenceRange kUnderFiveTemperature{std::nullopt, 38.0};
constexpr int kFeverGuidelineUntil = 4;  // completed years: under 5
constexpr int kAdultVitalsFrom = 16;  // NEWS2
constexpr int kAdultLabsFrom = 18;
constexpr const char* kHeartRate = "8867-4";
constexpr const char* kRespiratoryRate = "9279-1";
const char* const kVitalCodes[] = {"8867-4", "9279-1", "8480-6", "59408-5", "2708-6", "20564-1", "8310-5", "8331-1"};

bool is_vital(std::string_view loinc) {
    for (const char* c : kVitalCodes)
        if (loinc == c) return true;
    return false;
}

// The earliest and latest day a (possibly partial) FHIR date can mean, as seconds at midnight UTC.
std::string format_ymd(int year, int month, int day) {
    char buf[40];  // room for any int, so the compiler can prove nothing is cut
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::optional<std::pair<double, double>> date_span(const std::string& date) {
    int y = 0, m = 0, d = 0;
    const int parts = std::sscanf(date.c_str(), "%4d-%2d-%2d", &y, &m, &d);
    if (parts < 1 || y < 1800) return std::nullopt;
    auto at = [](int year, int month, int day) { return parse_store_time(format_ymd(year, month, day)); };
    std::optional<double> first, last;
    if (parts == 1) {
        first = at(y, 1, 1);
        last = at(y, 12, 31);
    } else if (parts == 2) {
        first = at(y, m, 1);
        last = at(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);  // the next month's first day...
        if (last) *last -= 86400;                                 // ...less one
    } else {
        first = last = at(y, m, d);
    }
    if (!first || !last) return std::nullopt;
    return std::pair{*first, *last};
}

}  // namespace

std::string RangeForPatient::describe(const std::function<std::string(const std::string&)>& translate) const {
    auto tr = [&translate](const std::string& text) { return translate ? translate(text) : text; };
    if (age_unknown) return tr(N_("no reference range: age unknown"));
    const std::string at_age = age ? " " + std::to_string(*age) : "";
    if (!range) return age ? tr(N_("no reference range for age")) + at_age : "";
    if (source == "APLS") return "APLS, " + tr(N_("age")) + at_age;  // untranslated: a course's name
    return tr(source);
}

std::optional<ReferenceRange> reference_range(std::string_view loinc, std::string_view unit) {
    for (const auto& r : kRanges)
        if (loinc == r.loinc && unit == r.unit) return ReferenceRange{r.low, r.high};
    return std::nullopt;
}

std::optional<std::pair<int, int>> age_at(const std::optional<std::string>& birth_date, double when) {
    if (!birth_date) return std::nullopt;
    const auto span = date_span(*birth_date);
    if (!span) return std::nullopt;
    // Completed years: count birthdays up to `when` (calendar arithmetic on the UTC dates).
    auto years = [when](double born) {
        const std::time_t b = static_cast<std::time_t>(born), w = static_cast<std::time_t>(when);
        std::tm bt{}, wt{};
        gmtime_r(&b, &bt);
        gmtime_r(&w, &wt);
        int age = wt.tm_year - bt.tm_year;
        if (wt.tm_mon < bt.tm_mon || (wt.tm_mon == bt.tm_mon && wt.tm_mday < bt.tm_mday)) --age;
        return age;
    };
    const int oldest = years(span->first), youngest = years(span->second);
    if (oldest < 0) return std::nullopt;  // measured before birth: the record is wrong somewhere
    return std::pair{std::max(youngest, 0), oldest};
}

RangeForPatient reference_range_for(std::string_view loinc, std::string_view unit, const PatientFacts& patient, double when) {
    RangeForPatient out;
    const auto adult = reference_range(loinc, unit);
    if (!adult) return out;  // nothing known at any age: no note needed
    const auto age = age_at(patient.birth_date, when);
    if (!age) {
        out.age_unknown = true;
        return out;
    }
    out.age = age->first;
    const bool vital = is_vital(loinc);
    if (age->first >= (vital ? kAdultVitalsFrom : kAdultLabsFrom)) {
        out.range = adult;
        out.source = vital ? "NEWS2" : N_("adult");  // untranslated: NEWS2 is a score's name
        if (loinc == kHaemoglobin && (patient.sex == "male" || patient.sex == "female")) {
            out.range = patient.sex == "male" ? kHaemoglobinMale : kHaemoglobinFemale;
            out.source = "WHO";  // untranslated: an organisation
        }
        return out;
    }
    const bool temperature = loinc == "8310-5" || loinc == "8331-1";
    if (temperature && age->second <= kFeverGuidelineUntil) {
        out.range = kUnderFiveTemperature;
        out.source = "NICE NG143";  // untranslated: a guideline's name
        return out;
    }
    // A child (or possibly one: a partial birth date straddling a boundary must agree at both ages).
    if (loinc == kHeartRate || loinc == kRespiratoryRate) {
        std::optional<ReferenceRange> found[2];
        const int ages[2] = {age->first, age->second};
        for (int i = 0; i < 2; ++i)
            for (const auto& c : kApls)
                if (ages[i] >= c.from_age && ages[i] <= c.to_age) found[i] = loinc == kHeartRate ? c.heart : c.respiratory;
        if (found[0] && found[1] && *found[0] == *found[1]) {
            out.range = found[0];
            out.source = "APLS";
        }
    }
    return out;
}

}  // namespace consilium::gui
