#include "consilium/decision/clinical_time.h"

#include <boost/test/unit_test.hpp>

using namespace consilium::decision;

BOOST_AUTO_TEST_SUITE(clinical_time)

BOOST_AUTO_TEST_CASE(dates_stay_as_given) {
    BOOST_TEST(normalize_fhir_time("2020").value() == "2020");
    BOOST_TEST(normalize_fhir_time("2020-03").value() == "2020-03");
    BOOST_TEST(normalize_fhir_time("2020-02-29").value() == "2020-02-29");
}

BOOST_AUTO_TEST_CASE(times_of_day_become_utc) {
    BOOST_TEST(normalize_fhir_time("2020-03-01T10:00:00Z").value() == "2020-03-01T10:00:00Z");
    BOOST_TEST(normalize_fhir_time("2020-03-01T01:30:00+02:00").value() == "2020-02-29T23:30:00Z");
    BOOST_TEST(normalize_fhir_time("2019-12-31T22:00:00-05:00").value() == "2020-01-01T03:00:00Z");
    BOOST_TEST(normalize_fhir_time("2020-03-01T10:00:00.123456Z").value() == "2020-03-01T10:00:00.123Z");
}

BOOST_AUTO_TEST_CASE(invalid_times_are_refused) {
    for (const char* bad : {"", "20", "2020-13", "2019-02-29", "2020-01-32", "2020-01-01T10:00:00", "2020-01-01T25:00:00Z",
                            "2020-01-01 10:00:00Z", "yesterday", "2020-01-01T10:00Z", "12"})
        BOOST_TEST(!normalize_fhir_time(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(store_times_sort_in_time_order) {
    auto a = normalize_fhir_time("2020-03-01").value();
    auto b = normalize_fhir_time("2020-03-01T00:00:00Z").value();
    auto c = normalize_fhir_time("2020-03-01T09:00:00+01:00").value();
    auto d = normalize_fhir_time("2020-03-02").value();
    BOOST_TEST((a < b && b < c && c < d));
}

BOOST_AUTO_TEST_CASE(now_is_utc_with_milliseconds) {
    auto now = utc_now();
    BOOST_TEST(now.size() == 24u);
    BOOST_TEST(now.back() == 'Z');
    BOOST_TEST(normalize_fhir_time(now).value() == now);
}

BOOST_AUTO_TEST_SUITE_END()
