// Item 5 of issue 12: a 2-year-old's heart rate of 97 was drawn red against the adult "51-90".
// Ranges depend on the age (and sex where it matters) on the day of the observation; where none
// is known for that age - or the age is unknown - there is none, and the tooltip says so.
#include "model/reference_ranges.h"
#include "model/timeline_layout.h"

#include <boost/test/unit_test.hpp>

using namespace consilium;
using namespace consilium::gui;

namespace {

decision::TimelineEvent vital(std::int64_t id, const std::string& loinc, const std::string& display, double value,
                              const std::string& unit, const std::string& when) {
    decision::TimelineEvent e;
    e.id = id;
    e.kind = decision::EventKind::observation;
    e.code = {"http://loinc.org", loinc, display};
    e.value_num = value;
    e.unit = unit;
    e.start = when;
    return e;
}

// Heart rate 97 and 130, respiratory rate 28, SpO2 97 and a haemoglobin of 16, all in June 2024.
TimelineContent timeline_of(std::optional<std::string> birth_date, std::optional<std::string> sex = std::nullopt) {
    TimelineSource s;
    s.patient = {std::move(birth_date), std::move(sex)};
    s.events = {vital(1, "8867-4", "Heart rate", 97, "/min", "2024-06-01T10:00:00Z"),
                vital(2, "8867-4", "Heart rate", 130, "/min", "2024-06-02T10:00:00Z"),
                vital(3, "9279-1", "Respiratory rate", 28, "/min", "2024-06-01T10:00:00Z"),
                vital(4, "59408-5", "Oxygen saturation", 97, "%", "2024-06-01T10:00:00Z"),
                vital(5, "718-7", "Hemoglobin [Mass/volume] in Blood", 16, "g/dL", "2024-06-01T10:00:00Z")};
    return build_timeline(s);
}

const TimelineLane& lane(const TimelineContent& c, const std::string& label) {
    for (const auto& l : c.lanes)
        if (l.label == label) return l;
    BOOST_FAIL("no lane " << label);
    return c.lanes.front();
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

bool has_line(const TimelineLane& l, std::size_t item, const std::string& text) {
    return joined(tooltip_lines(l, l.items[item])).find(text) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reference_ranges_by_age)

BOOST_AUTO_TEST_CASE(a_two_year_old_is_judged_by_the_apls_range_for_age_2) {
    const auto c = timeline_of("2022-03-15");  // 2 years old in June 2024
    const auto& hr = lane(c, "Heart rate");
    BOOST_TEST((hr.items[0].tone == ItemTone::normal));  // 97: normal at 2 (APLS 95-140), red for an adult
    BOOST_TEST((hr.items[1].tone == ItemTone::normal));  // 130 too
    BOOST_REQUIRE(hr.range.has_value());
    BOOST_TEST(*hr.range->low == 95);
    BOOST_TEST(*hr.range->high == 140);
    BOOST_TEST(has_line(hr, 0, "reference 95-140 - APLS, age 2"), joined(tooltip_lines(hr, hr.items[0])));
    const auto& rr = lane(c, "Respiratory rate");
    BOOST_TEST((rr.items[0].tone == ItemTone::normal));  // 28: APLS 25-30 at 2, high (> 20) for an adult
    // No children's range for SpO2 or haemoglobin here: none drawn, and the tooltip says why.
    const auto& spo2 = lane(c, "SpO2");
    BOOST_TEST(!spo2.range.has_value());
    BOOST_TEST((spo2.items[0].tone == ItemTone::normal));
    BOOST_TEST(has_line(spo2, 0, "no reference range for age 2"));
    const auto& hb = lane(c, "Hemoglobin");
    BOOST_TEST(!hb.range.has_value());
    BOOST_TEST(has_line(hb, 0, "no reference range for age 2"));
    // Fever under 5 (NICE NG143): 38 °C or more, no lower limit.
    const auto when = *parse_store_time("2024-06-01T10:00:00Z");
    const auto fever = reference_range_for("8310-5", "Cel", {std::string("2022-03-15"), {}}, when);
    BOOST_REQUIRE(fever.range.has_value());
    BOOST_TEST(*fever.range->high == 38.0);
    BOOST_TEST(!fever.range->low.has_value());
    BOOST_TEST(fever.describe() == "NICE NG143");
    BOOST_TEST(!reference_range_for("8310-5", "Cel", {std::string("2014-01-20"), {}}, when).range.has_value());  // 10
}

BOOST_AUTO_TEST_CASE(a_ten_year_old_has_the_school_age_range) {
    const auto c = timeline_of("2014-01-20");
    const auto& hr = lane(c, "Heart rate");
    BOOST_TEST((hr.items[0].tone == ItemTone::normal));  // 97 within 80-120
    BOOST_TEST((hr.items[1].tone == ItemTone::high));    // 130 above it
    BOOST_TEST(*hr.range->low == 80);
    BOOST_TEST(*hr.range->high == 120);
    BOOST_TEST(has_line(hr, 1, "reference 80-120 (high) - APLS, age 10"));
    BOOST_TEST((lane(c, "Respiratory rate").items[0].tone == ItemTone::high));  // 28 above 20-25
}

BOOST_AUTO_TEST_CASE(an_adult_keeps_the_news2_bands_and_haemoglobin_by_sex) {
    const auto c = timeline_of("1960-07-01", "female");
    const auto& hr = lane(c, "Heart rate");
    BOOST_TEST((hr.items[0].tone == ItemTone::high));  // 97 above NEWS2's 51-90
    BOOST_TEST(*hr.range->high == 90);
    BOOST_TEST(has_line(hr, 0, "reference 51-90 (high) - NEWS2"));
    const auto& hb = lane(c, "Hemoglobin");
    BOOST_TEST((hb.items[0].tone == ItemTone::high));  // 16 above a woman's 15.5
    BOOST_TEST(has_line(hb, 0, "- WHO"));
    const auto male = timeline_of("1960-07-01", "male");
    BOOST_TEST((lane(male, "Hemoglobin").items[0].tone == ItemTone::normal));  // within 13.0-17.5
    const auto unrecorded = timeline_of("1960-07-01");
    BOOST_TEST(*lane(unrecorded, "Hemoglobin").range->low == 12.0);  // sexes merged
}

BOOST_AUTO_TEST_CASE(unknown_age_gets_no_range_and_says_so) {
    const auto c = timeline_of(std::nullopt);
    const auto& hr = lane(c, "Heart rate");
    BOOST_TEST(!hr.range.has_value());
    BOOST_TEST((hr.items[0].tone == ItemTone::normal));
    BOOST_TEST((hr.items[1].tone == ItemTone::normal));
    BOOST_TEST(has_line(hr, 0, "no reference range: age unknown"));
}

BOOST_AUTO_TEST_CASE(age_is_taken_on_the_day_of_the_observation) {
    // Born 2022-06-02: the day before the second birthday is still age 1 (APLS 100-150).
    const auto c = timeline_of("2022-06-02");
    const auto& hr = lane(c, "Heart rate");
    BOOST_TEST(hr.items[0].reference.age.value() == 1);
    BOOST_TEST(hr.items[1].reference.age.value() == 2);
    BOOST_TEST((hr.items[0].tone == ItemTone::low));     // 97 below 100 at age 1
    BOOST_TEST((hr.items[1].tone == ItemTone::normal));  // 130 within 95-140 at age 2
    BOOST_TEST(*hr.range->low == 95);                    // the band: the range at the newest value
    // A partial birth date straddling a birthday gives both ages; a range is used only if they agree.
    const auto when = *parse_store_time("2024-06-01T10:00:00Z");
    BOOST_TEST((age_at(std::string("2022"), when) == std::pair{1, 2}));
    BOOST_TEST((age_at(std::string("2022-03"), when) == std::pair{2, 2}));
    BOOST_TEST(!reference_range_for("8867-4", "/min", {std::string("2022"), {}}, when).range.has_value());
    BOOST_TEST(reference_range_for("8867-4", "/min", {std::string("2020"), {}}, when).range.has_value());  // 3 or 4: same band
    BOOST_TEST(!age_at(std::string("2030-01-01"), when).has_value());  // measured before birth
    // A 16-year-old's vital signs are adult (NEWS2 from 16), their labs not yet (18).
    const auto teen = reference_range_for("8867-4", "/min", {std::string("2008-01-01"), {}}, when);
    BOOST_TEST(teen.source == "NEWS2");
    BOOST_TEST(!reference_range_for("718-7", "g/dL", {std::string("2008-01-01"), {}}, when).range.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
