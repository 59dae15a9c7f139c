// `plugins list/info/enable/disable` through the real consilium-cli, with CONSILIUM_PLUGIN_PATH
// pointing at plugin folders written by the test (one good plugin, one with a broken manifest).
#include "cli_harness.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

namespace {

using namespace consilium::test::clitest;

const char* kGood = R"({"id":"org.example.good","name":"Good plugin","version":"1.0.0","kind":"command",
  "command":["python3","run.py"],"inputs":{"volume":false,"modalities":[],"timeline":true},
  "outputs":["risk"],"limits":{"timeout_s":30},"vendor":"Example Org",
  "model":{"version":"m-1","intended_use":"testing","training_data":"none","performance":"n/a",
           "limitations":"none","references":["ref"]}})";
const char* kBroken = R"({"id":"org.example.broken","name":"Broken","version":"1.0.0","kind":"native",
  "library":"libbroken.so","outputs":["risk"],"model":{"version":"m-1"}})";

struct WithPlugins : Team {
    fs::path plugins = dir / "plugin-path";
    WithPlugins() {
        write("plugin-path/good/plugin.json", kGood);
        write("plugin-path/broken/plugin.json", kBroken);
        approve("org.example.good");
    }
    // As an admin approves a plugin's content before it may run (content_hash.h).
    void approve(const std::string& id) const { REQUIRE_EXIT(as_p("admin", {"plugins", "approve", id}), 0); }
    RunResult as_p(const std::string& user, std::vector<std::string> args) const {
        std::vector<std::string> argv{cli_binary(), "--workspace", cli.workspace.string(), "--user", user};
        argv.insert(argv.end(), args.begin(), args.end());
        auto env = cli.env(user + "-pw");
        env["CONSILIUM_PLUGIN_PATH"] = plugins.string();
        return consilium::test::run_program(argv, env, "", kUnsetEnv);
    }
    json json_p(const std::string& user, std::vector<std::string> args) const {
        args.insert(args.begin(), "--json");
        auto r = as_p(user, args);
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, joined(args) << " as " << user << ": " << shown(r));
        return parse_json(r.out, joined(args));
    }
    json entry(const json& list, const std::string& id) const {
        for (const auto& p : list)
            if (p.at("id") == id) return p;
        BOOST_FAIL("plugin " << id << " not listed: " << list.dump());
        return {};
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_plugins)

BOOST_FIXTURE_TEST_CASE(list_shows_good_and_broken_plugins, WithPlugins) {
    auto list = json_p("doc", {"plugins", "list"});
    auto good = entry(list, "org.example.good");
    BOOST_TEST(good.at("name") == "Good plugin");
    BOOST_TEST(good.at("version") == "1.0.0");
    BOOST_TEST(good.at("kind") == "command");
    BOOST_TEST(good.at("enabled") == true);
    BOOST_TEST(good.at("available") == true);
    BOOST_TEST(good.at("reason").is_null());
    BOOST_TEST(good.at("path").get<std::string>().find("plugin-path/good") != std::string::npos);

    auto broken = entry(list, "org.example.broken");
    BOOST_TEST(broken.at("available") == false);
    const auto reason = broken.at("reason").get<std::string>();
    CHECK_CONTAINS(reason, "'model.intended_use'");

    auto text = as_p("dev", {"plugins", "list"});  // human text too
    CHECK_EXIT(text, 0);
    CHECK_CONTAINS(text.out, "org.example.broken");
}

BOOST_FIXTURE_TEST_CASE(info_shows_the_manifest_with_defaults, WithPlugins) {
    auto info = json_p("doc", {"plugins", "info", "org.example.good"});
    BOOST_TEST(info.at("inputs").at("volume") == false);
    BOOST_TEST(info.at("inputs").at("timeline") == true);
    BOOST_TEST(info.at("limits").at("timeout_s") == 30);
    BOOST_TEST(info.at("limits").at("memory_mb") == 2048);
    BOOST_TEST(info.at("model").at("intended_use") == "testing");
    BOOST_TEST(info.at("vendor") == "Example Org");
    BOOST_TEST(info.at("enabled") == true);
    BOOST_TEST(info.at("available") == true);
    BOOST_TEST(info.contains("path"));

    CHECK_EXIT(as_p("doc", {"plugins", "info", "org.example.nothing"}), 4);
    CHECK_EXIT(as_p("doc", {"plugins", "enable", "org.example.nothing"}), 3);  // a physician may not
    CHECK_EXIT(as_p("dev", {"plugins", "enable", "org.example.nothing"}), 4);
    CHECK_EXIT(as_p("dev", {"plugins", "frobnicate"}), 2);
}

BOOST_FIXTURE_TEST_CASE(developer_disables_and_enables_audited, WithPlugins) {
    auto r = as_p("dev", {"plugins", "disable", "org.example.good", "--reason", "drift seen in monitoring"});
    REQUIRE_EXIT(r, 0);
    auto good = entry(json_p("doc", {"plugins", "list"}), "org.example.good");
    BOOST_TEST(good.at("enabled") == false);
    BOOST_TEST(json_p("doc", {"plugins", "info", "org.example.good"}).at("enabled") == false);

    REQUIRE_EXIT(as_p("admin", {"plugins", "enable", "org.example.good"}), 0);
    BOOST_TEST(entry(json_p("doc", {"plugins", "list"}), "org.example.good").at("enabled") == true);

    auto log = audit_log();
    auto actions = actions_of(log);
    BOOST_TEST(has(actions, "plugin.disable"));
    BOOST_TEST(has(actions, "plugin.enable"));
    for (const auto& e : log)
        if (e.at("action") == "plugin.disable") {
            BOOST_TEST(e.at("user") == "dev");
            BOOST_TEST(e.at("object_id") == "org.example.good");
            CHECK_CONTAINS(e.at("details").dump(), "drift seen in monitoring");
        }
    CHECK_EXIT(cli.run({"audit", "verify"}), 0);
}

BOOST_FIXTURE_TEST_CASE(enabling_lifts_a_quarantine, WithPlugins) {
    sqlite(cli.db(), "UPDATE plugin_state SET enabled = 0, quarantined = 1, failures_in_a_row = 3, "
                     "reason = 'failed 3 times in a row' WHERE plugin_id = 'org.example.good'");
    auto good = entry(json_p("doc", {"plugins", "list"}), "org.example.good");
    BOOST_TEST(good.at("available") == false);
    CHECK_CONTAINS(good.at("reason").get<std::string>(), "quarantined");
    REQUIRE_EXIT(as_p("dev", {"plugins", "enable", "org.example.good"}), 0);
    good = entry(json_p("doc", {"plugins", "list"}), "org.example.good");
    BOOST_TEST(good.at("available") == true);
    BOOST_TEST(good.at("enabled") == true);
    BOOST_TEST(sqlite_value(cli.db(), "SELECT quarantined || failures_in_a_row FROM plugin_state") == "00");
}

BOOST_FIXTURE_TEST_CASE(physician_may_not_enable_or_disable, WithPlugins) {
    CHECK_EXIT(as_p("doc", {"plugins", "disable", "org.example.good"}), 3);
    CHECK_EXIT(as_p("doc", {"plugins", "enable", "org.example.good"}), 3);
    BOOST_TEST(entry(json_p("doc", {"plugins", "list"}), "org.example.good").at("enabled") == true);
    BOOST_TEST(!has(actions_of(audit_log()), "plugin.disable"));
}

// `plugins run` of a native plugin (tests/plugins' "good" and "segv" libraries): the JSON of CLI.md,
// exit 0 only for succeeded, the suggestion listed by `suggestions`, a disabled plugin rejected (exit 2).
BOOST_FIXTURE_TEST_CASE(run_native_plugin_through_the_cli, WithPlugins) {
    const char* libs = std::getenv("CONSILIUM_TEST_PLUGINS");
    BOOST_REQUIRE(libs);
    for (const std::string b : {"good", "segv"}) {
        write("plugin-path/" + b + "/plugin.json",
              R"({"id":"org.test.)" + b + R"(","name":"t","version":"1.0.0","kind":"native","library":")" + b +
                  R"(.so","outputs":["risk"],"model":{"version":"m-1","intended_use":"testing"}})");
        fs::copy_file(fs::path(libs) / (b + ".so"), plugins / b / (b + ".so"));
        approve("org.test." + b);
    }
    auto file = write("patient.json", R"({"resourceType":"Patient","id":"p1",
      "identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"RUN-1"}],"name":[{"family":"Doe","given":["Ann"]}]})");
    REQUIRE_EXIT(as("doc", {"import", file.string()}), 0);

    auto ok = json_p("doc", {"plugins", "run", "org.test.good", "--patient", "RUN-1"});
    BOOST_TEST(ok.at("status") == "succeeded");
    BOOST_TEST(ok.at("reason").is_null());
    BOOST_TEST(ok.at("duration_ms").is_number());
    BOOST_REQUIRE(ok.at("suggestions").size() == 1u);
    auto listed = json_p("doc", {"suggestions", "RUN-1"});
    BOOST_REQUIRE(listed.size() == 1u);
    BOOST_TEST(listed[0].at("id") == ok.at("suggestions")[0]);
    BOOST_TEST(listed[0].at("plugin").at("id") == "org.test.good");

    auto crash = as_p("doc", {"--json", "plugins", "run", "org.test.segv", "--patient", "RUN-1"});
    BOOST_TEST(crash.exit_code == 2);
    auto c = parse_json(crash.out, "plugins run segv");
    BOOST_TEST(c.at("status") == "crashed");
    BOOST_TEST(c.at("reason").get<std::string>().find("SIGSEGV") != std::string::npos);

    BOOST_TEST(as_p("dev", {"plugins", "disable", "org.test.good"}).exit_code == 0);
    auto refused = as_p("doc", {"--json", "plugins", "run", "org.test.good", "--patient", "RUN-1"});
    BOOST_TEST(refused.exit_code == 2);
    auto r = parse_json(refused.out, "plugins run disabled");
    BOOST_TEST(r.at("status") == "rejected");
    BOOST_TEST(r.at("reason").get<std::string>().find("disabled") != std::string::npos);
    BOOST_TEST(json_p("doc", {"suggestions", "RUN-1"}).size() == 1u);
    int runs = 0;
    for (const auto& e : audit_log())
        if (e.at("action") == "plugin.run") ++runs;
    BOOST_TEST(runs == 3);
}

// The shipped NEWS2 plugin, found in the build tree's lib/consilium/plugins (laid out like the
// product), on a generated bundle with a full vital set (BP as a panel component, an older
// respiratory rate that must not count).
BOOST_FIXTURE_TEST_CASE(news2_scores_a_full_vital_set, WithPlugins) {
    const std::string p = "0d6c1a52-3b1e-4a0e-8f7e-1f2a3b4c5d6e";
    auto coded = [](const std::string& system, const std::string& code) {
        return json{{"coding", json::array({{{"system", system}, {"code", code}}})}};
    };
    auto obs = [&](const std::string& id, const std::string& loinc, const std::string& when, json value) {
        json r{{"resourceType", "Observation"}, {"id", id}, {"status", "final"},
               {"category", json::array({coded("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")})},
               {"code", coded("http://loinc.org", loinc)}, {"subject", {{"reference", "urn:uuid:" + p}}},
               {"effectiveDateTime", when}};
        for (auto& [k, v] : value.items()) r[k] = v;
        return r;
    };
    auto qty = [](double v, const std::string& unit) { return json{{"valueQuantity", {{"value", v}, {"unit", unit}}}}; };
    std::vector<json> resources{
        {{"resourceType", "Patient"}, {"id", p},
         {"identifier", json::array({{{"type", coded("http://terminology.hl7.org/CodeSystem/v2-0203", "MR")}, {"value", "NEWS-1"}}})},
         {"name", json::array({{{"family", "Vitals"}, {"given", json::array({"Nia"})}}})}, {"gender", "female"},
         {"birthDate", "1950-01-01"}},
        obs("rr-old", "9279-1", "2024-05-01T08:00:00Z", qty(30, "/min")),
        obs("rr", "9279-1", "2024-05-03T08:00:00Z", qty(22, "/min")),                  // 2
        obs("spo2", "59408-5", "2024-05-03T08:00:00Z", qty(95, "%")),                  // 1
        obs("o2", "3151-8", "2024-05-03T08:00:00Z", qty(0, "L/min")),                  // air: 0
        obs("bp", "85354-9", "2024-05-03T08:05:00Z",
            {{"component", json::array({{{"code", coded("http://loinc.org", "8480-6")}, {"valueQuantity", {{"value", 105}}}},
                                        {{"code", coded("http://loinc.org", "8462-4")}, {"valueQuantity", {{"value", 70}}}}})}}),  // 1
        obs("hr", "8867-4", "2024-05-03T08:00:00Z", qty(95, "/min")),                  // 1
        obs("acvpu", "80288-4", "2024-05-03T08:00:00Z",
            {{"valueCodeableConcept", coded("http://snomed.info/sct", "248234008")}}),  // alert: 0
        obs("temp", "8310-5", "2024-05-03T07:50:00+00:00", qty(37.0, "Cel")),          // 0
    };
    json entries = json::array();
    for (const auto& r : resources)
        entries.push_back({{"fullUrl", "urn:uuid:" + r.at("id").get<std::string>()}, {"resource", r},
                           {"request", {{"method", "POST"}, {"url", r.at("resourceType")}}}});
    auto file = write("news2.json", json{{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", entries}}.dump());
    REQUIRE_EXIT(as("doc", {"import", file.string()}), 0);

    auto run = json_p("doc", {"plugins", "run", "org.consilium.news2", "--patient", "NEWS-1"});
    BOOST_TEST(run.at("status") == "succeeded");
    BOOST_REQUIRE(run.at("suggestions").size() == 2u);
    auto listed = json_p("doc", {"suggestions", "NEWS-1"});
    const json* risk = nullptr;
    const json* treatment = nullptr;
    for (const auto& s : listed) {
        if (s.at("kind") == "risk") risk = &s;
        if (s.at("kind") == "treatment") treatment = &s;
    }
    BOOST_REQUIRE(risk);
    BOOST_REQUIRE(treatment);
    BOOST_TEST(risk->at("score") == 5);
    BOOST_TEST(risk->at("band") == "medium");
    BOOST_TEST(risk->at("complete") == true);
    BOOST_TEST(risk->at("summary") == "NEWS2 5 (medium)");
    BOOST_TEST(risk->at("plugin").at("id") == "org.consilium.news2");
    BOOST_TEST(risk->at("plugin").at("version") == "1.0.0");
    BOOST_TEST(risk->at("model_version") == "RCP-NEWS2-2017");
    CHECK_CONTAINS(risk->at("rationale").get<std::string>(), "systolic blood pressure: 105 mmHg");
    BOOST_TEST(risk->at("rationale").get<std::string>().find("30 /min") == std::string::npos);
    CHECK_CONTAINS(treatment->at("summary").get<std::string>(), "urgent assessment");

    // No vital signs: one risk suggestion without a score, marked incomplete, saying why.
    auto bare = write("bare.json", R"({"resourceType":"Patient","id":"p2",
      "identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"NEWS-2"}],"name":[{"family":"Bare","given":["Bo"]}],
      "birthDate":"1970-01-01"})");  // an adult: NEWS2 is for ages 16 and over
    REQUIRE_EXIT(as("doc", {"import", bare.string()}), 0);
    auto none = json_p("doc", {"plugins", "run", "org.consilium.news2", "--patient", "NEWS-2"});
    BOOST_TEST(none.at("status") == "succeeded");
    auto only = json_p("doc", {"suggestions", "NEWS-2"});
    BOOST_REQUIRE(only.size() == 1u);
    BOOST_TEST(only[0].at("kind") == "risk");
    BOOST_TEST(only[0].at("score").is_null());
    BOOST_TEST(only[0].at("complete") == false);
    CHECK_CONTAINS(only[0].at("summary").get<std::string>(), "not computable");
}

BOOST_AUTO_TEST_SUITE_END()

// Issue 12, item 2: what a clinician has decided does not come back from a re-run of the same
// model on the same inputs; the run says it was already decided, by whom and when.
BOOST_AUTO_TEST_SUITE(cli_already_decided)

BOOST_FIXTURE_TEST_CASE(a_rerun_stores_nothing_already_decided_and_says_so, WithPlugins) {
    auto bare = write("bare.json", R"({"resourceType":"Patient","id":"p3",
      "identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"NEWS-3"}],"name":[{"family":"Bare","given":["Bo"]}],
      "birthDate":"1970-01-01"})");
    REQUIRE_EXIT(as("doc", {"import", bare.string()}), 0);
    auto first = json_p("doc", {"plugins", "run", "org.consilium.news2", "--patient", "NEWS-3"});
    BOOST_REQUIRE(first.at("suggestions").size() == 1u);
    BOOST_TEST(first.at("already_decided").empty());
    const auto id = std::to_string(first.at("suggestions")[0].get<long long>());
    REQUIRE_EXIT(as_p("doc", {"review", id, "reject", "--reason-code", "already_known"}), 0);

    auto again = json_p("doc", {"plugins", "run", "org.consilium.news2", "--patient", "NEWS-3"});
    BOOST_TEST(again.at("status") == "succeeded");
    BOOST_TEST(again.at("suggestions").empty());
    BOOST_REQUIRE(again.at("already_decided").size() == 1u);
    const auto& d = again.at("already_decided")[0];
    BOOST_TEST(std::to_string(d.at("suggestion_id").get<long long>()) == id);
    BOOST_TEST(d.at("status") == "rejected");
    BOOST_TEST(d.at("by") == "doc");
    BOOST_TEST(!d.at("at").get<std::string>().empty());
    BOOST_TEST(json_p("doc", {"suggestions", "NEWS-3"}).size() == 1u);  // nothing new stored

    auto human = as_p("doc", {"plugins", "run", "org.consilium.news2", "--patient", "NEWS-3"});
    BOOST_TEST(human.exit_code == 0);
    CHECK_CONTAINS(human.out, "already decided, not proposed again: suggestion " + id);
    CHECK_CONTAINS(human.out, "rejected by doc");
}

BOOST_AUTO_TEST_SUITE_END()
