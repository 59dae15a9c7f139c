// An incomplete NEWS2 on the worklist (issue 12, item 3): shown as a lower bound with the date of
// its newest input, sorted apart from complete scores, never ranked by a band it cannot know, and
// marked stale when its newest vital sign is older than the configured age.
#include "model/patient_list.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

using namespace consilium::gui;

namespace {
PatientRow scored(std::int64_t id, std::optional<std::string> band, std::optional<double> score, bool complete) {
    PatientRow r;
    r.id = id;
    r.name = "Patient " + std::to_string(id);
    r.news2_band = std::move(band);
    r.news2_score = score;
    r.news2_complete = complete;
    return r;
}
std::vector<std::int64_t> ids(const PatientList& l) {
    std::vector<std::int64_t> out;
    for (const auto& r : l.visible()) out.push_back(r.id);
    return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(news2_worklist)

BOOST_AUTO_TEST_CASE(incomplete_scores_sort_apart_from_complete_ones) {
    PatientList l;
    l.set_rows({scored(1, "low", 0, true), scored(2, std::nullopt, 0, false), scored(3, "medium", 5, true),
                scored(4, std::nullopt, 3, false), scored(5, "high", 8, false),  // incomplete but certainly high
                scored(6, std::nullopt, std::nullopt, true)});
    // Certain bands (high, medium, low), then undetermined by lower bound (3, 0), then no score.
    BOOST_TEST(ids(l) == (std::vector<std::int64_t>{5, 3, 1, 4, 2, 6}), boost::test_tools::per_element());
    BOOST_TEST(risk_group(l.visible()[3]) == 1);
    BOOST_TEST(risk_rank(std::optional<std::string>("undetermined")) == 0);
}

BOOST_AUTO_TEST_CASE(stale_after_a_configurable_age) {
    ::unsetenv("CONSILIUM_NEWS2_STALE_HOURS");
    BOOST_TEST(news2_stale_hours() == 24.0);
    ::setenv("CONSILIUM_NEWS2_STALE_HOURS", "6", 1);
    BOOST_TEST(news2_stale_hours() == 6.0);
    ::setenv("CONSILIUM_NEWS2_STALE_HOURS", "soon", 1);  // not a number: the default
    BOOST_TEST(news2_stale_hours() == 24.0);
    ::unsetenv("CONSILIUM_NEWS2_STALE_HOURS");
    BOOST_TEST(older_than("2021-03-04T08:00:00Z", "2026-05-01T10:00:00Z", 24));
    BOOST_TEST(!older_than("2026-05-01T08:00:00Z", "2026-05-01T10:00:00Z", 24));
    BOOST_TEST(older_than("2026-05-01T08:00:00Z", "2026-05-01T10:00:00Z", 1));
    BOOST_TEST(older_than("2026-04-29", "2026-05-01T10:00:00Z", 24));  // a date counts from its midnight
    BOOST_TEST(!older_than("", "2026-05-01T10:00:00Z", 24));
}

BOOST_AUTO_TEST_SUITE_END()
