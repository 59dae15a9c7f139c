// news2_score: every band boundary of every parameter (both sides), totals and bands (including
// low-medium by a single 3), SpO2 Scale 2, and missing parameters as a lower bound.
#include "news2_score.h"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <vector>

namespace {

namespace n2 = consilium::news2;

struct Row {
    double value;
    int points;
};

void check_rows(const std::string& name, const std::function<int(double)>& f, const std::vector<Row>& rows) {
    for (const auto& r : rows)
        BOOST_TEST_CONTEXT(name << " " << r.value) { BOOST_TEST(f(r.value) == r.points); }
}

// A complete set scoring 0 (alert, on air).
n2::Inputs normal() {
    n2::Inputs in;
    in.respiratory_rate = 16;
    in.spo2 = 97;
    in.on_oxygen = false;
    in.systolic_bp = 120;
    in.pulse = 70;
    in.consciousness = n2::Consciousness::alert;
    in.temperature = 37.0;
    return in;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(news2)

BOOST_AUTO_TEST_CASE(respiratory_rate_boundaries) {
    check_rows("rr", n2::respiratory_rate_points,
               {{0, 3}, {8, 3}, {9, 1}, {11, 1}, {12, 0}, {20, 0}, {21, 2}, {24, 2}, {25, 3}, {60, 3}});
}

BOOST_AUTO_TEST_CASE(spo2_scale1_boundaries) {
    check_rows("spo2", n2::spo2_scale1_points, {{70, 3}, {91, 3}, {92, 2}, {93, 2}, {94, 1}, {95, 1}, {96, 0}, {100, 0}});
}

BOOST_AUTO_TEST_CASE(spo2_scale2_boundaries) {
    auto air = [](double v) { return n2::spo2_scale2_points(v, false); };
    auto o2 = [](double v) { return n2::spo2_scale2_points(v, true); };
    auto unknown = [](double v) { return n2::spo2_scale2_points(v, std::nullopt); };
    check_rows("scale2 air", air,
               {{80, 3}, {83, 3}, {84, 2}, {85, 2}, {86, 1}, {87, 1}, {88, 0}, {92, 0}, {93, 0}, {100, 0}});
    check_rows("scale2 oxygen", o2,
               {{83, 3}, {84, 2}, {87, 1}, {88, 0}, {92, 0}, {93, 1}, {94, 1}, {95, 2}, {96, 2}, {97, 3}, {100, 3}});
    check_rows("scale2 oxygen unknown (lower bound)", unknown, {{93, 0}, {97, 0}, {87, 1}});
}

BOOST_AUTO_TEST_CASE(oxygen_and_consciousness) {
    BOOST_TEST(n2::oxygen_points(false) == 0);
    BOOST_TEST(n2::oxygen_points(true) == 2);
    BOOST_TEST(n2::consciousness_points(n2::Consciousness::alert) == 0);
    for (auto c : {n2::Consciousness::new_confusion, n2::Consciousness::voice, n2::Consciousness::pain,
                   n2::Consciousness::unresponsive})
        BOOST_TEST(n2::consciousness_points(c) == 3);
}

BOOST_AUTO_TEST_CASE(systolic_boundaries) {
    check_rows("sbp", n2::systolic_bp_points,
               {{60, 3}, {90, 3}, {91, 2}, {100, 2}, {101, 1}, {110, 1}, {111, 0}, {219, 0}, {220, 3}, {260, 3}});
}

BOOST_AUTO_TEST_CASE(pulse_boundaries) {
    check_rows("pulse", n2::pulse_points,
               {{30, 3}, {40, 3}, {41, 1}, {50, 1}, {51, 0}, {90, 0}, {91, 1}, {110, 1}, {111, 2}, {130, 2}, {131, 3},
                {180, 3}});
}

BOOST_AUTO_TEST_CASE(temperature_boundaries) {
    check_rows("temp", n2::temperature_points,
               {{33.0, 3}, {35.0, 3}, {35.1, 1}, {36.0, 1}, {36.1, 0}, {38.0, 0}, {38.1, 1}, {39.0, 1}, {39.1, 2},
                {41.0, 2}, {36.04, 1}, {36.06, 0}});  // one decimal: 36.04 -> 36.0, 36.06 -> 36.1
}

BOOST_AUTO_TEST_CASE(values_between_rows_take_the_row_they_do_not_exceed) {
    BOOST_TEST(n2::respiratory_rate_points(8.5) == 1);
    BOOST_TEST(n2::pulse_points(90.5) == 1);
}

BOOST_AUTO_TEST_CASE(totals_and_bands) {
    auto r = n2::score(normal());
    BOOST_TEST(r.total == 0);
    BOOST_TEST(r.complete);
    BOOST_TEST(r.missing.empty());
    BOOST_TEST(n2::to_string(r.band) == "low");
    BOOST_TEST(n2::summary(r) == "NEWS2 0 (low)");
    BOOST_TEST(n2::clinical_response(r.total, r.band).find("12 hours") != std::string::npos);

    auto in = normal();
    in.respiratory_rate = 22;  // 2
    in.pulse = 95;             // 1
    r = n2::score(in);
    BOOST_TEST(r.total == 3);
    BOOST_TEST(n2::to_string(r.band) == "low");
    BOOST_TEST(n2::clinical_response(r.total, r.band).find("4-6 hours") != std::string::npos);

    in = normal();
    in.consciousness = n2::Consciousness::new_confusion;  // a single 3
    r = n2::score(in);
    BOOST_TEST(r.total == 3);
    BOOST_TEST(n2::to_string(r.band) == "low-medium");
    BOOST_TEST(n2::summary(r) == "NEWS2 3 (low-medium)");

    in = normal();
    in.spo2 = 92;      // 2
    in.on_oxygen = true;  // 2
    in.pulse = 95;     // 1
    r = n2::score(in);
    BOOST_TEST(r.total == 5);
    BOOST_TEST(n2::to_string(r.band) == "medium");
    BOOST_TEST(n2::summary(r) == "NEWS2 5 (medium)");
    BOOST_TEST(n2::clinical_response(r.total, r.band).find("urgent assessment") != std::string::npos);

    in.temperature = 38.5;  // +1 -> 6
    r = n2::score(in);
    BOOST_TEST(r.total == 6);
    BOOST_TEST(n2::to_string(r.band) == "medium");

    in.respiratory_rate = 21;  // +2 -> 8
    r = n2::score(in);
    BOOST_TEST(r.total == 8);
    BOOST_TEST(n2::to_string(r.band) == "high");

    in = normal();
    in.systolic_bp = 85;  // 3
    in.pulse = 135;       // 3
    in.temperature = 39.5;  // 2  -> 8 (medium/high wins over low-medium)
    r = n2::score(in);
    BOOST_TEST(r.total == 8);
    BOOST_TEST(n2::to_string(r.band) == "high");

    // Band edges by total.
    BOOST_TEST(n2::to_string(n2::band_of(4, false)) == "low");
    BOOST_TEST(n2::to_string(n2::band_of(4, true)) == "low-medium");
    BOOST_TEST(n2::to_string(n2::band_of(5, true)) == "medium");
    BOOST_TEST(n2::to_string(n2::band_of(6, false)) == "medium");
    BOOST_TEST(n2::to_string(n2::band_of(7, false)) == "high");
    // Maximum: 3+3+2+3+3+3+2.
    in.respiratory_rate = 30;
    in.spo2 = 85;
    in.on_oxygen = true;
    in.consciousness = n2::Consciousness::unresponsive;
    r = n2::score(in);
    BOOST_TEST(r.total == 19);
}

BOOST_AUTO_TEST_CASE(scale2_when_target_documented) {
    auto in = normal();
    in.spo2 = 89;
    BOOST_TEST(n2::score(in).total == 3);  // Scale 1: <= 91
    in.spo2_scale2 = true;
    auto r = n2::score(in);
    BOOST_TEST(r.total == 0);
    BOOST_TEST(r.scale2);
    in.on_oxygen = true;
    in.spo2 = 97;
    BOOST_TEST(n2::score(in).total == 2 + 3);  // oxygen 2 + SpO2 >= 97 on oxygen 3
}

BOOST_AUTO_TEST_CASE(missing_parameters_give_a_lower_bound) {
    auto in = normal();
    in.consciousness.reset();
    in.on_oxygen.reset();
    in.respiratory_rate = 22;  // 2
    in.pulse = 95;             // 1
    auto r = n2::score(in);
    BOOST_TEST(!r.complete);
    BOOST_TEST(r.total == 3);
    BOOST_REQUIRE(r.missing.size() == 2u);
    BOOST_TEST((r.missing[0] == n2::Parameter::oxygen));
    BOOST_TEST((r.missing[1] == n2::Parameter::consciousness));
    BOOST_TEST(!r.points[static_cast<std::size_t>(n2::Parameter::oxygen)].has_value());
    BOOST_TEST(n2::summary(r) == "NEWS2 \u2265 3 (band undetermined); consciousness and oxygen not recorded");

    n2::Inputs none;
    none.temperature = 35.0;
    r = n2::score(none);
    BOOST_TEST(r.total == 3);
    BOOST_TEST(r.missing.size() == 6u);
    BOOST_TEST(n2::to_string(r.band) == "low-medium");
    BOOST_TEST(!n2::determined_band(r));  // the band of the lower bound, not the patient's
    BOOST_TEST(n2::missing_list(r) ==
               "consciousness, oxygen, pulse, respiratory rate, SpO2 and systolic blood pressure");
}

// A band is stated only when no value of the missing parameters could change it (issue 12, item 3),
// as the CHA2DS2-VASc plugin does; likewise the clinical response.
BOOST_AUTO_TEST_CASE(a_band_only_when_the_missing_parameters_cannot_change_it) {
    n2::Inputs one;  // 1 of 7, scoring 0: a lower bound of 0 is not "low"
    one.pulse = 70;
    auto r = n2::score(one);
    BOOST_TEST(r.total == 0);
    BOOST_TEST(!n2::determined_band(r));
    BOOST_TEST(!n2::determined_response(r));
    BOOST_TEST(r.upper_total >= 7);
    BOOST_TEST(n2::summary(r).find("band undetermined") != std::string::npos);

    auto high = normal();  // already 7 or more: missing values only add points
    high.respiratory_rate = 26;  // 3
    high.pulse = 135;            // 3 (131 and above)
    high.systolic_bp = 95;       // 2
    high.temperature.reset();
    r = n2::score(high);
    BOOST_TEST(!r.complete);
    BOOST_TEST(r.total == 8);
    BOOST_REQUIRE(n2::determined_band(r));
    BOOST_TEST(n2::to_string(*n2::determined_band(r)) == "high");
    BOOST_TEST(n2::determined_response(r).has_value());
    BOOST_TEST(n2::summary(r) == "NEWS2 \u2265 8 (high); temperature not recorded");

    auto medium = normal();  // 5 with only oxygen missing (at most +2 on Scale 1): 5-7 is medium or high
    medium.respiratory_rate = 22;  // 2
    medium.pulse = 115;            // 2
    medium.temperature = 38.5;     // 1
    medium.on_oxygen.reset();
    r = n2::score(medium);
    BOOST_TEST(r.total == 5);
    BOOST_TEST(r.upper_total == 7);
    BOOST_TEST(!n2::determined_band(r));

    auto low = normal();  // 1 with only oxygen missing: 1-3, no single 3 -> low, ward-based either way
    low.pulse = 95;       // 1
    low.on_oxygen.reset();
    r = n2::score(low);
    BOOST_REQUIRE(n2::determined_band(r));
    BOOST_TEST(n2::to_string(*n2::determined_band(r)) == "low");
    BOOST_TEST(n2::determined_response(r).has_value());

    auto zero = normal();  // 0 with only oxygen missing: routine (0) or ward-based (2): no response
    zero.on_oxygen.reset();
    r = n2::score(zero);
    BOOST_TEST(n2::determined_band(r).has_value());
    BOOST_TEST(!n2::determined_response(r));

    auto complete = normal();
    r = n2::score(complete);
    BOOST_TEST(n2::determined_band(r).has_value());
    BOOST_TEST(r.upper_total == r.total);
}

BOOST_AUTO_TEST_SUITE_END()
