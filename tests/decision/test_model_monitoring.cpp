// Model monitoring (model_monitoring.h): per plugin version, runs by status, suggestions by
// decision, reasons by code (text alone counts as "other") and the free-text reasons; who may
// read it, and that the reading is audited.
#include "store_fixture.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/model_monitoring.h"
#include "consilium/decision/review.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using namespace consilium::decision;
using consilium::test::StoreFixture;

namespace {

struct MonitoringFixture : StoreFixture {
    std::int64_t patient = 0;
    MonitoringFixture() {
        Patient p;
        p.mrn = "MRN-9";
        p.name = "Ann Example";
        patient = store->patients().insert(p);
    }
    std::int64_t run(const std::string& version, RunStatus status, const std::string& plugin = "org.example.af") {
        PluginRun r;
        r.plugin_id = plugin;
        r.plugin_version = version;
        r.patient_id = patient;
        r.user_name = "physician";
        auto id = store->suggestions().start_run(r);
        if (status != RunStatus::running) store->suggestions().finish_run(id, status, std::nullopt, 10, std::nullopt);
        return id;
    }
    std::int64_t suggest(std::int64_t run_id) {
        Suggestion s;
        s.run_id = run_id;
        s.kind = SuggestionKind::risk;
        s.summary = "CHA2DS2-VASc 4 (high)";
        return store->suggestions().add_suggestion(s);
    }
    void decide(std::int64_t id, ReviewStatus status, std::string text = "", std::optional<ReasonCode> code = std::nullopt) {
        ReviewDecision d;
        d.decision = status;
        d.reason_text = std::move(text);
        d.reason_code = code;
        review(*store, physician, id, d);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(model_monitoring)

BOOST_FIXTURE_TEST_CASE(counts_runs_decisions_and_reasons_per_version, MonitoringFixture) {
    auto v1 = run("1.0.0", RunStatus::succeeded);
    run("1.0.0", RunStatus::timeout);
    run("1.0.0", RunStatus::crashed);
    run("1.0.0", RunStatus::rejected);
    auto v2 = run("1.1.0", RunStatus::succeeded);
    run("1.1.0", RunStatus::succeeded);
    suggest(run("1.0.0", RunStatus::succeeded, "org.example.other"));  // another plugin: not counted

    std::vector<std::int64_t> a, b;
    for (int i = 0; i < 5; ++i) a.push_back(suggest(v1));
    for (int i = 0; i < 2; ++i) b.push_back(suggest(v2));
    decide(a[0], ReviewStatus::accepted);
    decide(a[1], ReviewStatus::rejected, "", ReasonCode::clinically_incorrect);
    decide(a[2], ReviewStatus::rejected, "AF was a single post-operative episode", ReasonCode::not_applicable);
    decide(a[3], ReviewStatus::modified, "score should be 3: no hypertension");  // text only -> other
    decide(b[0], ReviewStatus::rejected, "", ReasonCode::already_known);

    auto m = plugin_monitoring(*store, developer, "org.example.af");
    BOOST_TEST(m.plugin_id == "org.example.af");
    BOOST_REQUIRE(m.versions.size() == 2u);
    const auto& one = m.versions[0];
    BOOST_TEST(one.plugin_version == "1.0.0");
    BOOST_TEST(one.run_total == 4);
    BOOST_TEST(one.runs.at("succeeded") == 1);
    BOOST_TEST(one.runs.at("timeout") == 1);
    BOOST_TEST(one.runs.at("crashed") == 1);
    BOOST_TEST(one.runs.at("rejected") == 1);
    BOOST_TEST(one.runs.at("failed") == 0);  // every status is listed
    BOOST_TEST(one.runs.at("abandoned") == 0);
    BOOST_TEST(one.runs.size() == 9u);  // abandoned too (schema 13)
    BOOST_TEST(one.suggestion_total() == 5);
    BOOST_TEST(one.proposed == 1);
    BOOST_TEST(one.accepted == 1);
    BOOST_TEST(one.modified == 1);
    BOOST_TEST(one.rejected == 2);
    BOOST_TEST(one.reasons.size() == 8u);  // every reason code, the modify-specific ones included
    BOOST_TEST(one.reasons.at("clinically_incorrect") == 1);
    BOOST_TEST(one.reasons.at("not_applicable") == 1);
    BOOST_TEST(one.reasons.at("other") == 1);
    BOOST_TEST(one.reasons.at("already_known") == 0);
    BOOST_REQUIRE(one.free_text.size() == 2u);  // the coded reason without text is not listed
    BOOST_TEST(one.free_text[0].suggestion_id == a[2]);
    BOOST_TEST(*one.free_text[0].text == "AF was a single post-operative episode");
    BOOST_TEST(to_string(*one.free_text[0].code) == "not_applicable");
    BOOST_TEST(to_string(one.free_text[0].decision) == "rejected");
    BOOST_TEST(one.free_text[0].reviewed_by == "physician");
    BOOST_TEST(!one.free_text[1].code);
    BOOST_TEST(to_string(one.free_text[1].decision) == "modified");

    const auto& two = m.versions[1];
    BOOST_TEST(two.plugin_version == "1.1.0");
    BOOST_TEST(two.run_total == 2);
    BOOST_TEST(two.proposed == 1);
    BOOST_TEST(two.rejected == 1);
    BOOST_TEST(two.reasons.at("already_known") == 1);
    BOOST_TEST(two.free_text.empty());
}

BOOST_FIXTURE_TEST_CASE(a_plugin_never_run_has_no_versions, MonitoringFixture) {
    BOOST_TEST(plugin_monitoring(*store, admin, "org.example.none").versions.empty());
    BOOST_CHECK_THROW(plugin_monitoring(*store, admin, ""), InputError);
}

BOOST_FIXTURE_TEST_CASE(only_developers_and_admins_read_it_and_each_reading_is_audited, MonitoringFixture) {
    decide(suggest(run("1.0.0", RunStatus::succeeded)), ReviewStatus::rejected, "wrong patient group");
    BOOST_CHECK_THROW(plugin_monitoring(*store, physician, "org.example.af"), NotPermitted);
    BOOST_CHECK_THROW(plugin_monitoring(*store, radiologist, "org.example.af"), NotPermitted);
    BOOST_TEST(store->audit().entries({.action = "plugin.stats"}).empty());

    plugin_monitoring(*store, developer, "org.example.af");
    plugin_monitoring(*store, admin, "org.example.af");
    auto audited = store->audit().entries({.action = "plugin.stats"});
    BOOST_REQUIRE(audited.size() == 2u);
    BOOST_TEST(audited[0].record.user == "developer");
    BOOST_TEST(audited[0].record.object_id == "org.example.af");
    auto details = nlohmann::json::parse(audited[0].record.details);
    BOOST_TEST(details.at("versions") == 1);
    BOOST_TEST(details.at("free_text_reasons") == 1);
    BOOST_TEST(store->audit().verify().intact);
}

BOOST_AUTO_TEST_SUITE_END()
