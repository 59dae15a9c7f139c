// The shipped NEWS2 plugin keeps to its intended use on its own (adults 16 and over, not in
// pregnancy), for hosts that do not enforce the manifest: its check on context Bundles, and the
// real plugin declining a child through the host when its manifest states no population.
#include "approval_fixture.h"
#include "run_fixture.h"

#include "intended_use.h"  // plugins/news2/src

#include "consilium/plugins/intended_use.h"

#include <cstdlib>

namespace {

using namespace consilium::test::runtest;
namespace n2 = consilium::news2;

json bundle(const std::string& birth, const std::vector<json>& more = {}) {
    json patient = {{"resourceType", "Patient"}, {"id", "p"}};
    if (!birth.empty()) patient["birthDate"] = birth;
    json entries = json::array({{{"resource", patient}}});
    for (const auto& r : more) entries.push_back({{"resource", r}});
    return {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", entries}};
}

json condition(const std::string& system, const std::string& code, const std::string& status = "active") {
    return {{"resourceType", "Condition"},
            {"clinicalStatus", {{"coding", {{{"code", status}}}}}},
            {"code", {{"coding", {{{"system", system}, {"code", code}, {"display", "Pregnancy"}}}}}}};
}

fs::path shipped_folder() {
    const char* bin = std::getenv("CONSILIUM_BIN");
    BOOST_REQUIRE(bin);
    return fs::path(bin).parent_path() / "lib" / "consilium" / "plugins" / "org.consilium.news2";
}

// The shipped NEWS2 plugin as the build tree lays it out, or a copy of it whose manifest states no
// population (only the plugin's own check then stands between it and a child).
cp::DiscoveredPlugin news2(const fs::path& scratch, bool with_population) {
    const auto copy = scratch / "news2-copy" / "news2";
    fs::create_directories(copy);
    fs::copy(shipped_folder(), copy, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    auto m = json::parse(consilium::test::read_file(copy / "plugin.json"));
    BOOST_REQUIRE(m["model"].contains("population"));
    if (!with_population) {
        m["id"] = "org.test.news2-unchecked";
        m["model"].erase("population");
    }
    consilium::test::write_file(copy / "plugin.json", m.dump());
    auto found = cp::discover_plugins(cp::SearchPath{{scratch / "news2-copy"}});
    BOOST_REQUIRE(found.size() == 1u);
    BOOST_REQUIRE_MESSAGE(found[0].available, found[0].reason);
    return found[0];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(news2_intended_use)

BOOST_AUTO_TEST_CASE(children_unknown_ages_and_pregnancy_are_declined) {
    const std::string today = "2026-12-06";
    BOOST_TEST(n2::why_not_applicable(bundle("2017-05-13"), today) ==
               "outside intended use: age 9 years is below the minimum 16 (NEWS2 is for adults)");
    BOOST_TEST(n2::why_not_applicable(bundle("2010-12-07"), today) ==
               "outside intended use: age 15 years is below the minimum 16 (NEWS2 is for adults)");
    BOOST_TEST(n2::why_not_applicable(bundle("2010-12-06"), today).empty());  // 16 today
    BOOST_TEST(n2::why_not_applicable(bundle(""), today).find("age unknown (no birth date recorded)") != std::string::npos);
    BOOST_TEST(n2::why_not_applicable(bundle("2010"), today).find("age uncertain (15 or 16 years") != std::string::npos);
    BOOST_TEST(n2::why_not_applicable(bundle("1990-01-01", {condition("http://snomed.info/sct", "72892002")}), today) ==
               "outside intended use: pregnancy is recorded (Pregnancy (72892002)); NEWS2 is not for use in pregnancy");
    BOOST_TEST(!n2::why_not_applicable(bundle("1990-01-01", {condition("http://hl7.org/fhir/sid/icd-10", "O80")}), today).empty());
    BOOST_TEST(n2::why_not_applicable(bundle("1990-01-01", {condition("http://snomed.info/sct", "72892002", "resolved")}), today)
                   .empty());
}

BOOST_AUTO_TEST_CASE(the_hosts_tag_says_a_clinician_asked_for_the_run) {
    auto b = bundle("2017-05-13");
    BOOST_TEST(n2::clinicians_override(b).empty());
    b["meta"] = {{"tag", {{{"system", cp::kRunTagSystem}, {"code", cp::kOutsideIntendedUseTag}, {"display", "age 9"}}}}};
    BOOST_TEST(n2::clinicians_override(b) == "age 9");
}

BOOST_FIXTURE_TEST_CASE(the_real_plugin_declines_a_child_on_its_own, RunFixture) {
    set_birth_date(std::to_string(std::stoi(cp::today_utc().substr(0, 4)) - 9) + "-01-01");
    auto p = news2(dir.path(), false);
    for (int i = 0; i < 4; ++i) {
        auto r = run(p);
        BOOST_TEST_INFO("reason: " << r.reason);
        BOOST_TEST(r.status == RunStatus::rejected);
        BOOST_TEST(r.reason.find("the plugin declined: outside intended use: age 9 years is below the minimum 16") == 0u);
    }
    BOOST_TEST(!quarantined(p.id));  // declining is not failing
    BOOST_TEST(store->suggestions().list_for_patient(patient).empty());
}

BOOST_FIXTURE_TEST_CASE(a_clinicians_override_reaches_the_real_plugin, RunFixture) {
    set_birth_date(std::to_string(std::stoi(cp::today_utc().substr(0, 4)) - 9) + "-01-01");
    auto p = news2(dir.path(), true);
    BOOST_TEST(run(p).status == RunStatus::rejected);  // the host refuses first
    cp::RunOptions o;
    o.outside_intended_use = true;
    auto r = consilium::test::run_approved(*store, *session, p, patient, std::nullopt, o);
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_REQUIRE(r.status == RunStatus::succeeded);
    const auto list = store->suggestions().list_for_patient(patient);
    BOOST_REQUIRE(!list.empty());
    for (const auto& s : list) BOOST_TEST(s.outside_intended_use);
}

BOOST_AUTO_TEST_SUITE_END()
