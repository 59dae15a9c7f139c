// Through the real consilium-cli and the shipped plugins: models kept to their intended use (the
// demo's children get no NEWS2, a 16-year-old does, pregnancy coded is refused, a clinician may
// override and the suggestions say so), a relative --workspace for a command plugin, and a
// failing plugin's own words (stderr, exit code) in the reason, the stored run and the audit log.
#include "cli_harness.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <functional>

namespace {

using namespace consilium::test::clitest;

const std::string kNews2 = "org.consilium.news2";
const std::string kCha = "org.consilium.cha2ds2-vasc";

// Today (UTC) shifted by whole years and days: "YYYY-MM-DD".
std::string date_from_today(int years, int days = 0) {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const std::chrono::year_month_day t{today};
    const std::chrono::sys_days shifted = std::chrono::sys_days{(t.year() + std::chrono::years{years}) / t.month() / t.day()} +
                                          std::chrono::days{days};
    const std::chrono::year_month_day d{shifted};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return text;
}

json coded(const std::string& system, const std::string& code, const std::string& display = "") {
    json c{{"system", system}, {"code", code}};
    if (!display.empty()) c["display"] = display;
    return json{{"coding", json::array({c})}};
}

// A transaction Bundle: one patient (MRN, birth date, sex) with a respiratory rate and a pulse,
// and the given extra resources (each gets the subject).
std::string patient_bundle(const std::string& mrn, const std::string& birth, const std::string& sex,
                           std::vector<json> extra = {}) {
    char tail[16];
    std::snprintf(tail, sizeof tail, "%012llx", static_cast<unsigned long long>(std::hash<std::string>{}(mrn) & 0xffffffffffffULL));
    const std::string uuid = std::string("7e1c2d3e-0000-4000-8000-") + tail;
    std::vector<json> resources{{{"resourceType", "Patient"}, {"id", uuid},
                                 {"identifier", json::array({{{"type", coded("http://terminology.hl7.org/CodeSystem/v2-0203", "MR")},
                                                              {"value", mrn}}})},
                                 {"name", json::array({{{"family", "Test"}, {"given", json::array({mrn})}}})},
                                 {"gender", sex}, {"birthDate", birth}}};
    auto obs = [&](const std::string& id, const std::string& loinc, double v) {
        return json{{"resourceType", "Observation"}, {"id", mrn + "-" + id}, {"status", "final"},
                    {"code", coded("http://loinc.org", loinc)}, {"effectiveDateTime", "2026-11-01T08:00:00Z"},
                    {"valueQuantity", {{"value", v}}}};
    };
    resources.push_back(obs("rr", "9279-1", 24));
    resources.push_back(obs("hr", "8867-4", 112));
    for (auto& r : extra) resources.push_back(std::move(r));
    json entries = json::array();
    for (auto& r : resources) {
        if (r.at("resourceType") != "Patient") r["subject"] = {{"reference", "urn:uuid:" + uuid}};
        entries.push_back({{"fullUrl", "urn:uuid:" + (r.at("resourceType") == "Patient" ? uuid : r.at("id").get<std::string>())},
                           {"resource", r},
                           {"request", {{"method", "POST"}, {"url", r.at("resourceType")}}}});
    }
    return json{{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", entries}}.dump();
}

json pregnancy(const std::string& id) {
    return {{"resourceType", "Condition"}, {"id", id},
            {"clinicalStatus", coded("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")},
            {"code", coded("http://snomed.info/sct", "72892002", "Normal pregnancy")},
            {"onsetDateTime", "2026-09-01"}};
}

// The demo workspace, its users named after their roles (password = name).
struct Demo {
    ScratchDir dir{"cli-intended"};
    Cli cli{dir.path()};
    Demo() { REQUIRE_EXIT(cli.run({"init", "--demo"}), 0); }
    json json_as(const std::string& user, const std::vector<std::string>& args) const { return cli.json_of(args, user, user); }
    RunResult run_as(const std::string& user, std::vector<std::string> args) const {
        args.insert(args.begin(), "--json");
        return cli.run(args, user, user);
    }
};

const json* find_action(const json& log, const std::string& action, const std::string& status) {
    const json* found = nullptr;
    for (const auto& e : log)
        if (e.at("action") == action && e.at("details").value("status", "") == status) found = &e;
    return found;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_intended_use)

BOOST_FIXTURE_TEST_CASE(the_demos_children_get_no_news2_and_its_adults_do, Demo) {
    int children = 0, adults = 0;
    for (const auto& p : json_as("physician", {"patients"})) {
        const auto birth = p.at("birth_date").get<std::string>();
        const auto id = std::to_string(p.at("id").get<long>());
        auto r = run_as("physician", {"plugins", "run", kNews2, "--patient", id});
        auto out = parse_json(r.out, "plugins run");
        BOOST_TEST_INFO(p.at("name") << " born " << birth << ": " << out.dump());
        if (birth > date_from_today(-16)) {  // under 16 today
            ++children;
            CHECK_EXIT(r, 2);
            BOOST_TEST(out.at("status") == "rejected");
            CHECK_CONTAINS(out.at("reason").get<std::string>(), "outside intended use: age ");
            CHECK_CONTAINS(out.at("reason").get<std::string>(), "is below the minimum 16");
            BOOST_TEST(json_as("physician", {"suggestions", id}).empty());
        } else {
            ++adults;
            CHECK_EXIT(r, 0);
            BOOST_TEST(out.at("status") == "succeeded");
        }
    }
    BOOST_TEST(children >= 1);
    BOOST_TEST(adults >= 1);
    // Refusals are recorded and audited, and never quarantine the plugin.
    auto log = json_as("admin", {"audit", "log", "--action", "plugin.run"});
    BOOST_TEST(find_action(log, "plugin.run", "rejected"));
    for (const auto& p : json_as("physician", {"plugins", "list"}))
        if (p.at("id") == kNews2) BOOST_TEST(p.at("available") == true);
}

BOOST_FIXTURE_TEST_CASE(a_16_year_old_gets_news2_from_the_birthday_on, Team) {
    auto file = write("teens.json", patient_bundle("TEEN16", date_from_today(-16), "male"));
    auto younger = write("younger.json", patient_bundle("TEEN15", date_from_today(-16, 1), "male"));
    REQUIRE_EXIT(as("doc", {"import", file.string(), younger.string()}), 0);
    auto run = json_as("doc", {"plugins", "run", kNews2, "--patient", "TEEN16"});
    BOOST_TEST(run.at("status") == "succeeded");
    BOOST_TEST(!run.at("suggestions").empty());
    auto r = as("doc", {"--json", "plugins", "run", kNews2, "--patient", "TEEN15"});
    CHECK_EXIT(r, 2);
    BOOST_TEST(parse_json(r.out, "run").at("reason") == "outside intended use: age 15 years is below the minimum 16");
}

BOOST_FIXTURE_TEST_CASE(pregnancy_coded_refuses_news2_unless_a_clinician_runs_it_anyway, Team) {
    auto file = write("pregnant.json", patient_bundle("PREG1", "1994-02-03", "female", {pregnancy("preg-1")}));
    REQUIRE_EXIT(as("doc", {"import", file.string()}), 0);
    auto refused = as("doc", {"--json", "plugins", "run", kNews2, "--patient", "PREG1"});
    CHECK_EXIT(refused, 2);
    auto out = parse_json(refused.out, "refused run");
    BOOST_TEST(out.at("status") == "rejected");
    CHECK_CONTAINS(out.at("reason").get<std::string>(), "Normal pregnancy (SNOMED CT 72892002");
    CHECK_CONTAINS(out.at("reason").get<std::string>(), "which the model excludes: Pregnancy (SNOMED CT 77386006)");
    BOOST_TEST(json_as("doc", {"suggestions", "PREG1"}).empty());

    CHECK_EXIT(as("dev", {"plugins", "run", kNews2, "--patient", "PREG1", "--outside-intended-use"}), 3);
    auto ran = json_as("doc", {"plugins", "run", kNews2, "--patient", "PREG1", "--outside-intended-use"});
    BOOST_TEST(ran.at("status") == "succeeded");
    BOOST_TEST(ran.at("marked_outside_intended_use") == true);
    auto listed = json_as("doc", {"suggestions", "PREG1"});
    BOOST_REQUIRE(!listed.empty());
    for (const auto& s : listed) BOOST_TEST(s.at("outside_intended_use") == true);
    auto log = audit_log();
    const json* entry = find_action(log, "plugin.run", "succeeded");
    BOOST_REQUIRE(entry);
    BOOST_TEST(entry->at("details").at("run_outside_intended_use") == true);
    CHECK_CONTAINS(entry->at("details").at("outside_intended_use").get<std::string>(), "Pregnancy");
    BOOST_TEST(entry->at("user") == "doc");
}

BOOST_AUTO_TEST_CASE(a_relative_workspace_runs_a_command_plugin_again_and_again) {
    ScratchDir dir("cli-relative");
    Cli cli(dir.path());  // for its environment only: every command below names the workspace "relws"
    // `consilium-cli --workspace relws ...` run from the folder holding relws.
    auto in_dir = [&](std::vector<std::string> args, const std::string& password) {
        std::vector<std::string> argv{"sh", "-c", "cd \"$0\" && exec \"$@\"", dir.path().string(), cli_binary(),
                                      "--workspace", "relws"};
        argv.insert(argv.end(), args.begin(), args.end());
        return consilium::test::run_program(argv, cli.env(password), "", kUnsetEnv);
    };
    REQUIRE_EXIT(in_dir({"init", "--demo"}, ""), 0);
    for (int i = 0; i < 4; ++i) {
        auto r = in_dir({"--user", "physician", "--json", "plugins", "run", kCha, "--patient", "3"}, "physician");
        BOOST_TEST_INFO("run " << i << ": " << shown(r));
        CHECK_EXIT(r, 0);
        BOOST_TEST(parse_json(r.out, "run").at("status") == "succeeded");
    }
    for (const auto& p : parse_json(in_dir({"--user", "physician", "--json", "plugins", "list"}, "physician").out, "list"))
        if (p.at("id") == kCha) BOOST_TEST(p.at("available") == true);  // not quarantined
    // Each run's work folder (inside the workspace) is gone afterwards.
    const auto work = dir / "relws" / "plugin-work";
    BOOST_TEST((!fs::exists(work) || fs::is_empty(work)));
}

BOOST_FIXTURE_TEST_CASE(a_failing_plugins_own_words_reach_the_reason_the_stored_run_and_the_audit_log, Team) {
    write("ws/plugins/broken/plugin.json", R"J({"id": "org.example.broken", "name": "Broken on purpose", "version": "0.0.1",
 "kind": "command", "command": ["python3", "-c", "import sys; sys.stderr.write('loading\\nmodel weights missing: weights-7f3a.pt\\n'); sys.exit(3)"],
 "inputs": {"volume": false, "modalities": [], "timeline": false}, "outputs": ["risk"], "limits": {"timeout_s": 30, "memory_mb": 256},
 "model": {"version": "0", "intended_use": "test", "training_data": "none", "performance": "none", "limitations": "none"}})J");
    REQUIRE_EXIT(as("doc", {"import", write("p.json", patient_bundle("P1", "1960-01-01", "male")).string()}), 0);
    REQUIRE_EXIT(as("admin", {"plugins", "approve", "org.example.broken"}), 0);
    auto r = as("doc", {"--json", "plugins", "run", "org.example.broken", "--patient", "P1"});
    CHECK_EXIT(r, 2);
    auto out = parse_json(r.out, "failed run");
    BOOST_TEST(out.at("status") == "failed");
    BOOST_TEST(out.at("exit_code") == 3);
    BOOST_TEST(out.at("signal").is_null());
    BOOST_TEST(out.at("stderr") == "loading\nmodel weights missing: weights-7f3a.pt");
    CHECK_CONTAINS(out.at("reason").get<std::string>(), "the plugin exited with code 3: model weights missing: weights-7f3a.pt");
    const auto run_id = std::to_string(out.at("run_id").get<long>());
    BOOST_TEST(sqlite_value(cli.db(), "SELECT exit_code || '|' || stderr_tail FROM plugin_run WHERE id = " + run_id) ==
               "3|loading\nmodel weights missing: weights-7f3a.pt");
    const auto log = audit_log();
    const json* entry = find_action(log, "plugin.run", "failed");
    BOOST_REQUIRE(entry);
    BOOST_TEST(entry->at("details").at("exit_code") == 3);
    CHECK_CONTAINS(entry->at("details").at("stderr_tail").get<std::string>(), "weights-7f3a.pt");
    // The human form: the reason on the status line, the stderr below it.
    auto human = as("doc", {"plugins", "run", "org.example.broken", "--patient", "P1"});
    CHECK_CONTAINS(human.out, "failed - the plugin exited with code 3: model weights missing: weights-7f3a.pt");
    CHECK_CONTAINS(human.out, "\n  loading\n");
}

BOOST_FIXTURE_TEST_CASE(a_plugin_the_host_cannot_start_is_never_quarantined, Team) {
    write("ws/plugins/missing/plugin.json", R"({"id": "org.example.missing", "name": "Missing interpreter", "version": "0.0.1",
 "kind": "command", "command": ["no-such-interpreter-7f3a", "run.py"], "outputs": ["risk"],
 "model": {"version": "0", "intended_use": "test"}})");
    REQUIRE_EXIT(as("doc", {"import", write("p.json", patient_bundle("P1", "1960-01-01", "male")).string()}), 0);
    REQUIRE_EXIT(as("admin", {"plugins", "approve", "org.example.missing"}), 0);
    for (int i = 0; i < 4; ++i) {
        auto r = as("doc", {"--json", "plugins", "run", "org.example.missing", "--patient", "P1"});
        CHECK_CONTAINS(parse_json(r.out, "run").at("reason").get<std::string>(), "cannot start the plugin");
    }
    for (const auto& p : json_as("doc", {"plugins", "list"}))
        if (p.at("id") == "org.example.missing") BOOST_TEST(p.at("available") == true);
}

BOOST_FIXTURE_TEST_CASE(plugins_info_states_the_population_and_warns_when_a_manifest_does_not, Team) {
    write("ws/plugins/old/plugin.json", R"({"id": "org.example.old", "name": "Old manifest", "version": "0.0.1",
 "kind": "command", "command": ["python3", "run.py"], "outputs": ["risk"], "model": {"version": "0", "intended_use": "test"}})");
    auto info = json_as("doc", {"plugins", "info", kNews2});
    BOOST_TEST(info.at("population_stated") == true);
    BOOST_TEST(info.at("model").at("population").at("age_min_years") == 16);
    BOOST_TEST(info.at("warnings").empty());
    auto old = as("doc", {"--json", "plugins", "info", "org.example.old"});
    CHECK_EXIT(old, 0);
    BOOST_TEST(parse_json(old.out, "info").at("population_stated") == false);
    CHECK_CONTAINS(old.err, "warning: org.example.old: the manifest does not state model.population");
    auto human = as("doc", {"plugins", "info", kCha});
    CHECK_CONTAINS(human.out, "intended population: ages 18 and over; any sex");
}

BOOST_AUTO_TEST_SUITE_END()
