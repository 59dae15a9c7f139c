// run_plugin keeps a model to its intended use: a patient outside model.population is refused
// before the plugin starts (rejected, the rule and the patient's value in the reason, audited, not
// counted toward quarantine); a clinician may run it anyway, and the run and every suggestion are
// marked; a plugin declining a patient itself is a refusal, not a failure.
#include "approval_fixture.h"
#include "run_fixture.h"

#include "consilium/decision/errors.h"
#include "consilium/plugins/intended_use.h"

#include <cstdio>

namespace {

using namespace consilium::test::runtest;

const json kAdultsNotPregnant = json::parse(R"({"age_min_years": 16,
    "exclude_conditions": [{"system": "http://snomed.info/sct", "code": "77386006", "display": "Pregnancy"}]})");

// The date `years` years before today (UTC), e.g. a 16th birthday that is today.
std::string years_ago(int years, int plus_days = 0) {
    const auto today = cp::today_utc();
    int y = 0, m = 0, d = 0;
    std::sscanf(today.c_str(), "%d-%d-%d", &y, &m, &d);
    const std::chrono::sys_days day =
        std::chrono::sys_days{std::chrono::year{y - years} / std::chrono::month{static_cast<unsigned>(m)} /
                              std::chrono::day{static_cast<unsigned>(d)}} +
        std::chrono::days{plus_days};
    const std::chrono::year_month_day ymd{day};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return text;
}

struct PopulationFixture : RunFixture {
    // A pregnancy as FHIR import records it: SNOMED CT 72892002 with its clinical status.
    std::int64_t record_pregnancy(const std::string& clinical_status) {
        TimelineEvent e;
        e.patient_id = patient;
        e.kind = EventKind::condition;
        e.code = {"http://snomed.info/sct", "72892002", "Normal pregnancy"};
        e.start = "2026-09-01";
        e.status = clinical_status;
        e.resource_type = "Condition";
        e.source_ref = "Condition/preg-" + clinical_status;
        e.resource_json = json{{"resourceType", "Condition"},
                               {"id", "preg-" + clinical_status},
                               {"clinicalStatus", {{"coding", {{{"code", clinical_status}}}}}},
                               {"code", {{"coding", {{{"system", "http://snomed.info/sct"}, {"code", "72892002"},
                                                      {"display", "Normal pregnancy"}}}}}}}
                              .dump();
        auto tx = store->begin();
        auto id = store->timeline().insert(e);
        tx->commit();
        return id;
    }
};

BOOST_FIXTURE_TEST_SUITE(run_intended_use, PopulationFixture)

BOOST_AUTO_TEST_CASE(a_child_is_refused_before_the_plugin_starts_and_never_quarantines_it) {
    set_birth_date(years_ago(9, -10));
    auto p = plugin("good", 30, 512, kAdultsNotPregnant);
    for (int i = 0; i < 4; ++i) {
        auto r = run(p);
        BOOST_TEST(r.status == RunStatus::rejected);
        BOOST_TEST(r.reason == "outside intended use: age 9 years is below the minimum 16");
        BOOST_TEST(r.outside_intended_use == r.reason);
        BOOST_TEST(!r.exit_code.has_value());  // nothing was started
        BOOST_TEST(r.suggestions.empty());
    }
    BOOST_TEST(!quarantined(p.id));
    BOOST_TEST(failures_in_a_row(p.id) == 0);
    auto audited = runs_audited();
    BOOST_REQUIRE(audited.size() == 4u);
    auto d = json::parse(audited.back().record.details);
    BOOST_TEST(d["status"] == "rejected");
    BOOST_TEST(d["outside_intended_use"] == "outside intended use: age 9 years is below the minimum 16");
    BOOST_TEST(d["run_outside_intended_use"] == false);
    auto stored = store->suggestions().find_run(d["run_id"].get<std::int64_t>());
    BOOST_REQUIRE(stored);
    BOOST_TEST(stored->status == RunStatus::rejected);
}

BOOST_AUTO_TEST_CASE(a_16_year_old_is_inside_from_the_birthday_on) {
    auto p = plugin("good", 30, 512, kAdultsNotPregnant);
    set_birth_date(years_ago(16, 1));  // 16 tomorrow
    auto before = run(p);
    BOOST_TEST(before.status == RunStatus::rejected);
    BOOST_TEST(before.reason == "outside intended use: age 15 years is below the minimum 16");
    set_birth_date(years_ago(16));  // 16 today
    auto on = run(p);
    BOOST_TEST_INFO("reason: " << on.reason);
    BOOST_TEST(on.status == RunStatus::succeeded);
    BOOST_TEST(on.outside_intended_use.empty());
    BOOST_TEST(!store->suggestions().list_for_patient(patient).at(0).outside_intended_use);
}

BOOST_AUTO_TEST_CASE(no_birth_date_is_outside_an_age_restriction) {
    auto r = run(plugin("good", 30, 512, kAdultsNotPregnant));
    BOOST_TEST(r.status == RunStatus::rejected);
    BOOST_TEST(r.reason == "outside intended use: age unknown (no birth date recorded); the model is for ages 16 and over");
}

BOOST_AUTO_TEST_CASE(pregnancy_coded_is_refused_and_a_resolved_one_is_not) {
    set_birth_date("1990-03-01");
    auto p = plugin("good", 30, 512, kAdultsNotPregnant);
    const auto event = record_pregnancy("active");
    auto r = run(p);
    BOOST_TEST(r.status == RunStatus::rejected);
    BOOST_TEST(r.reason == "outside intended use: the record holds Normal pregnancy (SNOMED CT 72892002, since 2026-09-01), "
                           "which the model excludes: Pregnancy (SNOMED CT 77386006)");
    auto resolved = store->timeline().events(patient, {.kinds = {EventKind::condition}, .with_resource_json = true}).at(0);
    resolved.status = "resolved";
    {
        auto tx = store->begin();
        store->timeline().replace(event, resolved);
        tx->commit();
    }
    BOOST_TEST(run(p).status == RunStatus::succeeded);
}

BOOST_AUTO_TEST_CASE(a_clinician_may_run_it_anyway_and_every_suggestion_is_marked) {
    set_birth_date(years_ago(9));
    // The plugin sees why: the context Bundle carries the host's tag with the reason.
    auto p = command_plugin("tagged", R"SH(grep -q '"code":"outside-intended-use"' "$in/context.json" || exit 7
grep -q 'age 9 years is below the minimum 16' "$in/context.json" || exit 8
printf '%s' '{"suggestions":[{"kind":"risk","summary":"NEWS2 1","rationale":"r"},{"kind":"treatment","summary":"monitor","rationale":"r"}]}' > "$out/suggestions.json"
)SH", 30, kAdultsNotPregnant);
    cp::RunOptions o;
    o.outside_intended_use = true;
    auto r = consilium::test::run_approved(*store, *session, p, patient, std::nullopt, o);
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_REQUIRE(r.status == RunStatus::succeeded);
    BOOST_TEST(r.outside_intended_use == "outside intended use: age 9 years is below the minimum 16");
    auto list = store->suggestions().list_for_patient(patient);
    BOOST_REQUIRE(list.size() == 2u);
    for (const auto& s : list) BOOST_TEST(s.outside_intended_use);
    BOOST_TEST(store->suggestions().find_run(r.run_id)->outside_intended_use);
    auto d = json::parse(runs_audited().back().record.details);
    BOOST_TEST(d["run_outside_intended_use"] == true);
    BOOST_TEST(d["outside_intended_use"] == "outside intended use: age 9 years is below the minimum 16");
    // Inside the population the flag changes nothing: no mark, no tag.
    set_birth_date("1960-01-01");
    auto inside = consilium::test::run_approved(*store, *session, plugin("good", 30, 512, kAdultsNotPregnant), patient, std::nullopt, o);
    BOOST_TEST(inside.status == RunStatus::succeeded);
    BOOST_TEST(!store->suggestions().list_for_patient(patient).back().outside_intended_use);
}

BOOST_AUTO_TEST_CASE(only_clinicians_may_run_a_model_outside_its_intended_use) {
    set_birth_date(years_ago(9));
    auto admin = login(*store, "admin", "admin");
    add_user(*store, &admin, "dev", Role::developer, "dev-password");
    auto dev = login(*store, "dev", "dev-password");
    cp::RunOptions o;
    o.outside_intended_use = true;
    BOOST_CHECK_THROW(consilium::test::run_approved(*store, dev, plugin("good", 30, 512, kAdultsNotPregnant), patient, std::nullopt, o),
                      NotPermitted);
    BOOST_TEST(runs_audited().empty());
}

BOOST_AUTO_TEST_CASE(a_plugin_declining_the_patient_is_a_refusal_not_a_failure) {
    auto p = command_plugin("declines", R"SH(printf '%s' '{"suggestions":[],"declined":"outside intended use: age 9 years is below the minimum 16 (NEWS2 is for adults)"}' > "$out/suggestions.json"
)SH");
    for (int i = 0; i < 4; ++i) {
        auto r = run(p);
        BOOST_TEST(r.status == RunStatus::rejected);
        BOOST_TEST(r.reason == "the plugin declined: outside intended use: age 9 years is below the minimum 16 (NEWS2 is for adults)");
    }
    BOOST_TEST(!quarantined(p.id));
    BOOST_TEST(store->suggestions().list_for_patient(patient).empty());
    expect_failure(run(command_plugin("declines-but-suggests", R"SH(printf '%s' '{"suggestions":[{"kind":"risk","summary":"x"}],"declined":"child"}' > "$out/suggestions.json"
)SH")),
                   RunStatus::invalid_output, "declines the patient but holds suggestions");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
