// Black-box integration suite for consilium-cli (the contract is ../shared/CLI.md): runs the real
// binary ($CONSILIUM_CLI) on real workspaces in scratch folders, with an explicit environment.
#include "cli_harness.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace consilium::test::clitest;

// ---------------------------------------------------------------- FHIR written by the tests

json coded(const std::string& system, const std::string& code, const std::string& display) {
    return {{"coding", json::array({{{"system", system}, {"code", code}, {"display", display}}})}, {"text", display}};
}

json entry(const json& resource) {
    std::string url = "urn:uuid:" + resource.at("id").get<std::string>();
    return {{"fullUrl", url}, {"resource", resource}, {"request", {{"method", "POST"}, {"url", resource.at("resourceType")}}}};
}

json bundle(const std::vector<json>& resources) {
    json entries = json::array();
    for (const auto& r : resources) entries.push_back(entry(r));
    return {{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", entries}};
}

json patient_resource(const std::string& uuid, const std::string& mrn, const std::string& given, const std::string& family,
                      const std::string& birth, const std::string& sex) {
    // The MR identifier is deliberately not the first one: mrn must be the MR-typed value.
    return {{"resourceType", "Patient"},
            {"id", uuid},
            {"identifier",
             json::array({{{"system", "http://hl7.org/fhir/sid/us-ssn"}, {"value", "999-" + mrn}},
                          {{"type", coded("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical Record Number")},
                           {"system", "http://hospital.example.org"},
                           {"value", mrn}}})},
            {"name", json::array({{{"use", "official"}, {"family", family}, {"given", json::array({given})}}})},
            {"gender", sex},
            {"birthDate", birth}};
}

json subject(const std::string& uuid) { return {{"reference", "urn:uuid:" + uuid}}; }

const std::string kAda = "5b3cf1e2-6d0a-4c1e-9a55-0a1b2c3d4e5f";
const std::string kAdaMrn = "MRN-0042";

// Ada's record: one patient, eight timeline events (listed out of time order) and a Claim to skip.
// The blood pressure's time has a +01:00 offset: 09:45Z, between the condition and the glucose.
std::vector<json> ada_resources(double glucose = 5.8, const std::string& family = "Lovelace") {
    const std::string p = kAda;
    const std::string loinc = "http://loinc.org", snomed = "http://snomed.info/sct";
    return {
        patient_resource(p, kAdaMrn, "Ada", family, "1961-04-12", "female"),
        {{"resourceType", "DiagnosticReport"}, {"id", "ada-report"}, {"status", "final"}, {"subject", subject(p)},
         {"code", coded(loinc, "24627-2", "Chest CT")}, {"effectiveDateTime", "2020-03-02T15:00:00Z"},
         {"conclusion", "No acute findings."}},
        {{"resourceType", "Observation"}, {"id", "ada-glucose"}, {"status", "final"}, {"subject", subject(p)},
         {"code", coded(loinc, "15074-8", "Glucose")}, {"effectiveDateTime", "2020-01-05T10:00:00Z"},
         {"valueQuantity", {{"value", glucose}, {"unit", "mmol/L"}, {"system", "http://unitsofmeasure.org"}, {"code", "mmol/L"}}}},
        {{"resourceType", "Encounter"}, {"id", "ada-encounter"}, {"status", "finished"}, {"subject", subject(p)},
         {"class", {{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"}, {"code", "AMB"}}},
         {"type", json::array({coded(snomed, "185349003", "Encounter for check up")})},
         {"period", {{"start", "2020-01-05T09:00:00Z"}, {"end", "2020-01-05T10:30:00Z"}}}},
        {{"resourceType", "Claim"}, {"id", "ada-claim"}, {"status", "active"}, {"patient", subject(p)},
         {"created", "2020-01-05T11:00:00Z"}},
        {{"resourceType", "ImagingStudy"}, {"id", "ada-imaging"}, {"status", "available"}, {"subject", subject(p)},
         {"started", "2020-03-01T12:00:00Z"}, {"numberOfInstances", 120},
         {"modality", json::array({{{"system", "http://dicom.nema.org/resources/ontology/DCM"}, {"code", "CT"}}})}},
        {{"resourceType", "Procedure"}, {"id", "ada-procedure"}, {"status", "completed"}, {"subject", subject(p)},
         {"code", coded(snomed, "73761001", "Colonoscopy")}, {"performedDateTime", "2020-02-10T08:00:00Z"}},
        {{"resourceType", "Observation"}, {"id", "ada-bp"}, {"status", "final"}, {"subject", subject(p)},
         {"code", coded(loinc, "85354-9", "Blood pressure panel")}, {"effectiveDateTime", "2020-01-05T10:45:00+01:00"},
         {"component",
          json::array({{{"code", coded(loinc, "8480-6", "Systolic blood pressure")},
                        {"valueQuantity", {{"value", 128}, {"unit", "mm[Hg]"}}}},
                       {{"code", coded(loinc, "8462-4", "Diastolic blood pressure")},
                        {"valueQuantity", {{"value", 84}, {"unit", "mm[Hg]"}}}}})}},
        {{"resourceType", "MedicationRequest"}, {"id", "ada-med"}, {"status", "active"}, {"intent", "order"},
         {"subject", subject(p)}, {"medicationCodeableConcept", coded("http://www.nlm.nih.gov/research/umls/rxnorm", "314076", "lisinopril 10 MG")},
         {"authoredOn", "2020-01-06"}},
        {{"resourceType", "Condition"}, {"id", "ada-condition"}, {"subject", subject(p)},
         {"code", coded(snomed, "38341003", "Hypertension")}, {"onsetDateTime", "2020-01-05T09:30:00Z"}},
    };
}

const std::vector<std::string> kAdaKindsInTimeOrder = {"encounter", "condition", "observation", "observation",
                                                       "medication", "procedure", "imaging", "report"};

// Another patient with a single encounter.
std::vector<json> other_resources(const std::string& uuid, const std::string& mrn, const std::string& given,
                                  const std::string& family) {
    return {patient_resource(uuid, mrn, given, family, "1950-07-01", "male"),
            {{"resourceType", "Encounter"}, {"id", uuid + "-enc"}, {"status", "finished"}, {"subject", subject(uuid)},
             {"class", {{"code", "AMB"}}}, {"period", {{"start", "2021-05-01T08:00:00Z"}}}}};
}

// Team with Ada imported by the physician; returns Ada's patients --json row.
json import_ada(const Team& t) {
    auto file = t.write("ada.json", bundle(ada_resources()).dump(1));
    REQUIRE_EXIT(t.as("doc", {"import", file.string()}), 0);
    auto patients = t.patients();
    BOOST_REQUIRE_EQUAL(patients.size(), 1u);
    return patients[0];
}

// Counts Patient resources (distinct by id, else fullUrl) in Bundle, single-resource and NDJSON files.
std::size_t count_fhir_patients(const fs::path& folder) {
    std::set<std::string> ids;
    auto take = [&](const json& r, const std::string& full_url) {
        if (r.value("resourceType", "") == "Patient") ids.insert(r.contains("id") ? "Patient/" + r["id"].get<std::string>() : full_url);
    };
    auto take_doc = [&](const json& doc) {
        if (doc.value("resourceType", "") != "Bundle") return take(doc, "");
        for (const auto& e : doc.value("entry", json::array()))
            if (e.contains("resource")) take(e["resource"], e.value("fullUrl", ""));
    };
    for (const auto& f : fs::recursive_directory_iterator(folder)) {
        auto ext = f.path().extension();
        if (!f.is_regular_file() || (ext != ".json" && ext != ".ndjson")) continue;
        auto text = consilium::test::read_file(f.path());
        json doc = json::parse(text, nullptr, false);
        if (!doc.is_discarded()) {
            take_doc(doc);
            continue;
        }
        for (const auto& line : lines_of(text)) take_doc(json::parse(line));
    }
    return ids.size();
}

}  // namespace

// ================================================================ usage

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(version_prints_program_name_and_version) {
    ScratchDir dir("cli");
    auto r = run_bare({"--version"}, dir / "xdg");
    REQUIRE_EXIT(r, 0);
    BOOST_CHECK_MESSAGE(std::regex_match(r.out, std::regex(R"(consilium-cli \d+\.\d+\.\d+\n?)")), "stdout: " << r.out);
}

BOOST_AUTO_TEST_CASE(bad_usage_exits_2_with_usage_on_stderr) {
    ScratchDir dir("cli");
    Cli cli(dir.path());
    REQUIRE_EXIT(cli.run({"init"}), 0);
    struct Case {
        std::vector<std::string> args;
        std::string named;  // the word the message must name ("" for none)
    };
    const std::vector<Case> cases = {
        {{}, ""},
        {{"frobnicate"}, "frobnicate"},
        {{"--frobnicate", "patients"}, "--frobnicate"},
        {{"patients", "--frobnicate"}, "--frobnicate"},
        {{"init", "--bogus"}, "--bogus"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("consilium-cli " << joined(c.args)) {
            auto r = cli.run(c.args);
            CHECK_EXIT(r, 2);
            CHECK_CONTAINS(r.err, "usage:");
            CHECK_CONTAINS(r.err, "COMMAND");
            if (!c.named.empty()) CHECK_CONTAINS(r.err, c.named);
            BOOST_CHECK_MESSAGE(r.out.empty(), "stdout should be empty: " << r.out);
        }
    }
    // Also without --workspace at all.
    auto bare = run_bare({}, dir / "xdg");
    CHECK_EXIT(bare, 2);
    CHECK_CONTAINS(bare.err, "usage:");
}

// ================================================================ workspace

BOOST_AUTO_TEST_CASE(command_without_workspace_exits_4_naming_folder_and_init) {
    ScratchDir dir("cli");
    Cli cli(dir.path(), "nothing-here");
    fs::create_directories(cli.workspace);
    for (const auto& args : std::vector<std::vector<std::string>>{{"patients"}, {"audit", "verify"}, {"user", "list"}}) {
        BOOST_TEST_CONTEXT(joined(args)) {
            auto r = cli.run(args, "doc", "doc-pw");
            CHECK_EXIT(r, 4);
            CHECK_CONTAINS(r.err, cli.workspace.string());
            CHECK_CONTAINS(r.err, "init");
        }
    }
    BOOST_CHECK(!fs::exists(cli.db()));
    // The default workspace is $XDG_DATA_HOME/consilium/workspace.
    auto r = run_bare({"audit", "verify"}, dir / "xdg");
    CHECK_EXIT(r, 4);
    CHECK_CONTAINS(r.err, (dir / "xdg" / "consilium" / "workspace").string());
    CHECK_CONTAINS(r.err, "init");
}

BOOST_AUTO_TEST_CASE(init_creates_database_and_again_keeps_users) {
    ScratchDir dir("cli");
    Cli cli(dir.path());
    REQUIRE_EXIT(cli.run({"init"}), 0);
    BOOST_REQUIRE(fs::is_regular_file(cli.db()));
    REQUIRE_EXIT(cli.run({"user", "add", "root", "--role", "admin"}, "", "", "root-pw\n"), 0);
    auto again = cli.run({"init"});
    CHECK_EXIT(again, 0);
    auto users = cli.json_of({"user", "list"}, "root", "root-pw");
    BOOST_REQUIRE_EQUAL(users.size(), 1u);
    BOOST_CHECK_EQUAL(users[0]["name"], "root");
    BOOST_CHECK_EQUAL(users[0]["role"], "admin");
    BOOST_CHECK_EQUAL(users[0]["demo"], false);
    CHECK_EXIT(cli.run({"audit", "verify"}), 0);
    // The default workspace (no --workspace) is created under XDG_DATA_HOME.
    REQUIRE_EXIT(run_bare({"init"}, dir / "xdg"), 0);
    BOOST_CHECK(fs::is_regular_file(dir / "xdg" / "consilium" / "workspace" / "consilium.db"));
}

BOOST_AUTO_TEST_CASE(init_demo_adds_four_demo_users_and_three_patients) {
    ScratchDir dir("cli");
    Cli cli(dir.path());
    auto r = cli.run({"init", "--demo"});
    REQUIRE_EXIT(r, 0);
    auto users = cli.json_of({"user", "list"}, "admin", "admin");
    std::set<std::string> names;
    for (const auto& u : users) {
        names.insert(u.at("name").get<std::string>());
        BOOST_CHECK_MESSAGE(u.at("demo") == true, "not flagged demo: " << u.dump());
        BOOST_CHECK_EQUAL(u.at("role"), u.at("name"));  // each demo user is named after its role
    }
    BOOST_CHECK((names == std::set<std::string>{"admin", "radiologist", "physician", "developer"}));
    BOOST_CHECK_EQUAL(users.size(), 4u);
    auto patients = cli.json_of({"patients"}, "physician", "physician");
    BOOST_CHECK_EQUAL(patients.size(), 3u);
    for (const auto& p : patients) BOOST_CHECK_MESSAGE(p.at("events").get<int>() > 0, "no events: " << p.dump());
    // Every demo user logs in with its name as password.
    for (const auto& name : names) CHECK_EXIT(cli.run({"patients"}, name, name), 0);
}

BOOST_AUTO_TEST_CASE(init_demo_refused_on_workspace_with_real_users) {
    ScratchDir dir("cli");
    Cli cli(dir.path());
    REQUIRE_EXIT(cli.run({"init"}), 0);
    REQUIRE_EXIT(cli.run({"user", "add", "root", "--role", "admin"}, "", "", "root-pw\n"), 0);
    auto r = cli.run({"init", "--demo"});
    CHECK_EXIT(r, 2);
    CHECK_CONTAINS(r.err, "root");
    auto users = cli.json_of({"user", "list"}, "root", "root-pw");
    BOOST_REQUIRE_EQUAL(users.size(), 1u);
    BOOST_CHECK_EQUAL(users[0]["name"], "root");
    BOOST_CHECK_EQUAL(cli.json_of({"patients"}, "root", "root-pw").size(), 0u);
    CHECK_EXIT(cli.run({"patients"}, "admin", "admin"), 3);  // no demo admin appeared
}

// ================================================================ users

BOOST_AUTO_TEST_CASE(first_user_needs_no_login_later_users_need_an_admin) {
    ScratchDir dir("cli");
    Cli cli(dir.path());
    REQUIRE_EXIT(cli.run({"init"}), 0);
    CHECK_EXIT(cli.run({"user", "add", "boss", "--role", "admin"}, "", "", "boss-pw\n"), 0);
    // No login now that the workspace has a user.
    auto anonymous = cli.run({"user", "add", "mallory", "--role", "admin"}, "", "", "m-pw\n");
    CHECK_EXIT(anonymous, 3);
    CHECK_EXIT(cli.run({"user", "add", "doc", "--role", "physician"}, "boss", "boss-pw", "doc-pw\n"), 0);
    // A physician may not add users.
    CHECK_EXIT(cli.run({"user", "add", "mallory", "--role", "admin"}, "doc", "doc-pw", "m-pw\n"), 3);
    CHECK_EXIT(cli.run({"user", "add", "rad", "--role", "radiologist"}, "boss", "boss-pw", "rad-pw\n"), 0);
    auto users = cli.json_of({"user", "list"}, "boss", "boss-pw");
    std::map<std::string, std::string> roles;
    for (const auto& u : users) {
        roles[u.at("name").get<std::string>()] = u.at("role").get<std::string>();
        BOOST_CHECK_EQUAL(u.at("demo"), false);
    }
    BOOST_CHECK((roles == std::map<std::string, std::string>{{"boss", "admin"}, {"doc", "physician"}, {"rad", "radiologist"}}));
    // The password given on stdin is the one that logs in.
    CHECK_EXIT(cli.run({"patients"}, "rad", "rad-pw"), 0);
    CHECK_EXIT(cli.run({"patients"}, "rad", "rad-pw\n"), 3);
}

BOOST_AUTO_TEST_CASE(user_add_rejects_duplicate_name_bad_role_and_empty_password) {
    Team t;
    const auto before = t.json_as("admin", {"user", "list"});
    auto dup = t.as("admin", {"user", "add", "doc", "--role", "radiologist"}, "other-pw\n");
    CHECK_EXIT(dup, 2);
    CHECK_CONTAINS(dup.err, "doc");
    auto role = t.as("admin", {"user", "add", "surgeon1", "--role", "surgeon"}, "s-pw\n");
    CHECK_EXIT(role, 2);
    CHECK_CONTAINS(role.err, "surgeon");
    auto empty = t.as("admin", {"user", "add", "nopw", "--role", "physician"}, "\n");
    CHECK_EXIT(empty, 2);
    CHECK_CONTAINS(empty.err, "nopw");
    CHECK_EXIT(t.as("admin", {"user", "add", "nostdin", "--role", "physician"}), 2);
    BOOST_CHECK_EQUAL(t.json_as("admin", {"user", "list"}).dump(), before.dump());
    CHECK_EXIT(t.cli.run({"patients"}, "doc", "doc-pw"), 0);  // the duplicate did not change doc's password
}

// ================================================================ logins

BOOST_AUTO_TEST_CASE(wrong_password_and_unknown_user_refused_alike) {
    Team t;
    auto wrong = t.cli.run({"patients"}, "doc", "not-the-password");
    auto unknown = t.cli.run({"patients"}, "nobody", "not-the-password");
    CHECK_EXIT(wrong, 3);
    CHECK_EXIT(unknown, 3);
    BOOST_CHECK(wrong.out.empty() && unknown.out.empty());
    // Same message apart from the name given: no way to tell which users exist.
    auto masked = [](std::string text, const std::string& name) {
        for (auto p = text.find(name); p != std::string::npos; p = text.find(name, p + 1)) text.replace(p, name.size(), "<U>");
        return text;
    };
    BOOST_CHECK(!wrong.err.empty());
    BOOST_CHECK_EQUAL(masked(wrong.err, "doc"), masked(unknown.err, "nobody"));
}

BOOST_AUTO_TEST_CASE(login_without_password_and_terminal_is_refused) {
    Team t;
    auto r = t.cli.run({"patients"}, "doc", "");
    CHECK_EXIT(r, 3);
    CHECK_CONTAINS(r.err, "CONSILIUM_PASSWORD");
    BOOST_CHECK(r.out.empty());
    auto no_user = t.cli.run({"patients"}, "", "doc-pw");
    CHECK_EXIT(no_user, 3);
    CHECK_CONTAINS(no_user.err, "--user");
}

BOOST_AUTO_TEST_CASE(failed_logins_are_in_the_audit_log) {
    Team t;
    CHECK_EXIT(t.cli.run({"patients"}, "doc", "wrong"), 3);
    CHECK_EXIT(t.cli.run({"patients"}, "ghost", "wrong"), 3);
    auto log = t.audit_log();
    std::set<std::string> failed_users;
    for (const auto& e : log)
        if (e.at("action") == "login.failed") failed_users.insert(e.at("user").get<std::string>());
    BOOST_CHECK_MESSAGE(failed_users.count("doc"), "no login.failed for doc");
    BOOST_CHECK_MESSAGE(failed_users.count("ghost"), "no login.failed for ghost");
    CHECK_EXIT(t.cli.run({"audit", "verify"}), 0);
}

// ================================================================ roles and the audit log

BOOST_AUTO_TEST_CASE(only_admins_read_and_export_the_audit_log) {
    Team t;
    auto log = t.as("doc", {"audit", "log"});
    CHECK_EXIT(log, 3);
    BOOST_CHECK(log.out.empty());
    auto out = t.dir / "export.ndjson";
    auto exp = t.as("dev", {"audit", "export", "--format", "fhir", "--out", out.string()});
    CHECK_EXIT(exp, 3);
    BOOST_CHECK(!fs::exists(out));
    CHECK_EXIT(t.as("dev", {"--json", "audit", "log"}), 3);
    CHECK_EXIT(t.as("doc", {"user", "list"}), 3);
    CHECK_EXIT(t.as("admin", {"audit", "log"}), 0);
}

BOOST_AUTO_TEST_CASE(audit_log_has_logins_and_patient_opens_with_every_field) {
    Team t;
    auto ada = import_ada(t);
    REQUIRE_EXIT(t.as("doc", {"timeline", kAdaMrn}), 0);
    auto log = t.audit_log();
    BOOST_REQUIRE(log.is_array() && !log.empty());
    const std::vector<std::string> fields = {"seq", "time", "user", "role", "action", "object_type",
                                             "object_id", "details", "prev_hash", "hash"};
    std::int64_t seq = 0;
    std::string prev_hash;
    for (const auto& e : log) {
        for (const auto& f : fields) BOOST_CHECK_MESSAGE(e.contains(f), "entry lacks " << f << ": " << e.dump());
        BOOST_CHECK(e.at("seq").is_number_integer());
        BOOST_CHECK_GT(e.at("seq").get<std::int64_t>(), seq);  // oldest first
        seq = e.at("seq").get<std::int64_t>();
        for (const auto& f : {"time", "user", "role", "action", "object_type", "object_id", "prev_hash", "hash"})
            BOOST_CHECK_MESSAGE(e.at(f).is_string(), f << " is not a string: " << e.dump());
        BOOST_CHECK_MESSAGE(std::regex_match(e.at("time").get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")),
                            "time is not ISO-8601 UTC: " << e.at("time"));
        if (!prev_hash.empty()) BOOST_CHECK_EQUAL(e.at("prev_hash").get<std::string>(), prev_hash);
        prev_hash = e.at("hash").get<std::string>();
    }
    auto actions = actions_of(log);
    BOOST_CHECK(has(actions, "login"));
    BOOST_CHECK(has(actions, "patient.open"));
    bool opened = false;
    for (const auto& e : log)
        if (e.at("action") == "patient.open")
            opened = opened || (e.at("user") == "doc" && e.at("role") == "physician" &&
                                e.at("object_id") == std::to_string(ada.at("id").get<std::int64_t>()));
    BOOST_CHECK_MESSAGE(opened, "no patient.open by doc of patient " << ada.at("id"));
    // Filters.
    auto only_logins = t.json_as("admin", {"audit", "log", "--action", "login", "--user", "doc"});
    BOOST_CHECK(!only_logins.empty());
    for (const auto& e : only_logins) {
        BOOST_CHECK_EQUAL(e.at("action"), "login");
        BOOST_CHECK_EQUAL(e.at("user"), "doc");
    }
}

// ================================================================ FHIR import

BOOST_AUTO_TEST_CASE(fhir_bundle_import_reports_counts_and_patient_fields) {
    Team t;
    auto file = t.write("ada.json", bundle(ada_resources()).dump(1));
    auto summary = t.json_as("doc", {"import", file.string()});
    BOOST_CHECK_EQUAL(summary.at("patients"), 1);
    BOOST_CHECK_EQUAL(summary.at("events"), 8);
    BOOST_CHECK_EQUAL(summary.at("studies"), 0);
    BOOST_CHECK_EQUAL(summary.at("series"), 0);
    BOOST_CHECK_EQUAL(summary.at("instances"), 0);
    BOOST_REQUIRE_EQUAL(summary.at("skipped").size(), 1u);
    BOOST_CHECK_EQUAL(summary["skipped"][0].at("path"), file.string());
    CHECK_CONTAINS(summary["skipped"][0].at("reason").get<std::string>(), "Claim");

    auto patients = t.patients();
    BOOST_REQUIRE_EQUAL(patients.size(), 1u);
    const auto& p = patients[0];
    BOOST_CHECK(p.at("id").is_number_integer());
    BOOST_CHECK_EQUAL(p.at("mrn"), kAdaMrn);
    BOOST_CHECK_EQUAL(p.at("name"), "Ada Lovelace");
    BOOST_CHECK_EQUAL(p.at("birth_date"), "1961-04-12");
    BOOST_CHECK_EQUAL(p.at("sex"), "female");
    BOOST_CHECK_EQUAL(p.at("events"), 8);
    BOOST_CHECK_EQUAL(p.at("studies"), 0);
    // The import is audited.
    BOOST_CHECK(has(actions_of(t.audit_log()), "import.fhir"));
}

BOOST_AUTO_TEST_CASE(timeline_lists_events_in_time_order_with_blood_pressure_components) {
    Team t;
    import_ada(t);
    auto timeline = t.json_as("doc", {"timeline", kAdaMrn});
    BOOST_CHECK(kinds_of(timeline) == kAdaKindsInTimeOrder);
    BOOST_TEST_MESSAGE("kinds: " << json(kinds_of(timeline)).dump());
    BOOST_REQUIRE_EQUAL(timeline.size(), 8u);
    for (std::size_t i = 1; i < timeline.size(); ++i)
        BOOST_CHECK_LE(timeline[i - 1].at("start").get<std::string>(), timeline[i].at("start").get<std::string>());
    // Offsets are normalised: the +01:00 blood pressure comes before the glucose at 10:00Z.
    const auto& bp = timeline[2];
    const auto& glucose = timeline[3];
    BOOST_CHECK_EQUAL(bp.at("code").at("code"), "85354-9");
    BOOST_CHECK_EQUAL(bp.at("code").at("system"), "http://loinc.org");
    CHECK_CONTAINS(bp.at("start").get<std::string>(), "2020-01-05T09:45:00");
    BOOST_REQUIRE_MESSAGE(bp.contains("components") && bp["components"].size() == 2, "BP: " << bp.dump());
    BOOST_CHECK_EQUAL(bp["components"][0].at("code").at("code"), "8480-6");
    BOOST_CHECK_EQUAL(bp["components"][0].at("value").get<double>(), 128.0);
    BOOST_CHECK_EQUAL(bp["components"][0].at("unit"), "mm[Hg]");
    BOOST_CHECK_EQUAL(bp["components"][1].at("code").at("code"), "8462-4");
    BOOST_CHECK_EQUAL(bp["components"][1].at("value").get<double>(), 84.0);
    BOOST_CHECK_EQUAL(glucose.at("code").at("code"), "15074-8");
    BOOST_CHECK_CLOSE(glucose.at("value").get<double>(), 5.8, 1e-9);
    BOOST_CHECK_EQUAL(glucose.at("unit"), "mmol/L");
    BOOST_CHECK(!glucose.contains("components") || glucose["components"].empty());
    BOOST_CHECK_EQUAL(timeline[0].at("end").get<std::string>().substr(0, 19), "2020-01-05T10:30:00");
    BOOST_CHECK_EQUAL(timeline[1].at("code").at("display"), "Hypertension");
    BOOST_CHECK_EQUAL(timeline[4].at("start").get<std::string>().substr(0, 10), "2020-01-06");
}

BOOST_AUTO_TEST_CASE(timeline_filters_by_kind_and_dates) {
    Team t;
    import_ada(t);
    auto kinds = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> args{"timeline", kAdaMrn};
        args.insert(args.end(), extra.begin(), extra.end());
        return kinds_of(t.json_as("doc", args));
    };
    using K = std::vector<std::string>;
    BOOST_CHECK((kinds({"--kind", "observation"}) == K{"observation", "observation"}));
    BOOST_CHECK((kinds({"--kind", "imaging", "--kind", "procedure"}) == K{"procedure", "imaging"}));
    BOOST_CHECK((kinds({"--from", "2020-02-01"}) == K{"procedure", "imaging", "report"}));
    BOOST_CHECK((kinds({"--to", "2020-01-05"}) == K{"encounter", "condition", "observation", "observation"}));
    BOOST_CHECK((kinds({"--from", "2020-01-06", "--to", "2020-02-10"}) == K{"medication", "procedure"}));
    BOOST_CHECK((kinds({"--kind", "observation", "--from", "2020-01-05T09:50:00Z"}) == K{"observation"}));
    BOOST_CHECK((kinds({"--kind", "report", "--to", "2020-01-31"}) == K{}));
    CHECK_EXIT(t.as("doc", {"timeline", kAdaMrn, "--kind", "gossip"}), 2);
    CHECK_EXIT(t.as("doc", {"timeline", kAdaMrn, "--from", "last tuesday"}), 2);
}

BOOST_AUTO_TEST_CASE(timeline_addresses_patient_by_id_or_mrn) {
    Team t;
    auto ada = import_ada(t);
    const auto id = std::to_string(ada.at("id").get<std::int64_t>());
    auto by_id = t.json_as("doc", {"timeline", id});
    auto by_mrn = t.json_as("doc", {"timeline", kAdaMrn});
    BOOST_CHECK_EQUAL(by_id.size(), 8u);
    BOOST_CHECK_EQUAL(by_id.dump(), by_mrn.dump());
    for (const auto& who : {std::string("999"), std::string("MRN-NOPE")}) {
        auto r = t.as("doc", {"timeline", who});
        CHECK_EXIT(r, 4);
        CHECK_CONTAINS(r.err, who);
    }
}

BOOST_AUTO_TEST_CASE(patient_id_equal_to_another_mrn_is_ambiguous) {
    Team t;
    auto ada = import_ada(t);
    const auto ada_id = std::to_string(ada.at("id").get<std::int64_t>());
    // Bob's MRN is Ada's store id.
    auto file = t.write("bob.json", bundle(other_resources("0b0b0b0b-1111-2222-3333-444455556666", ada_id, "Bob", "Builder")).dump());
    REQUIRE_EXIT(t.as("doc", {"import", file.string()}), 0);
    BOOST_REQUIRE_EQUAL(t.patients().size(), 2u);
    auto r = t.as("doc", {"timeline", ada_id});
    CHECK_EXIT(r, 2);
    CHECK_CONTAINS(r.err, "ambiguous");
    CHECK_CONTAINS(r.err, "id:" + ada_id);
    CHECK_CONTAINS(r.err, "mrn:" + ada_id);
    auto as_id = t.json_as("doc", {"timeline", "id:" + ada_id});
    BOOST_CHECK(kinds_of(as_id) == kAdaKindsInTimeOrder);
    auto as_mrn = t.json_as("doc", {"timeline", "mrn:" + ada_id});
    BOOST_REQUIRE_EQUAL(as_mrn.size(), 1u);
    BOOST_CHECK_EQUAL(as_mrn[0].at("kind"), "encounter");
    BOOST_CHECK_EQUAL(as_mrn[0].at("start").get<std::string>().substr(0, 10), "2021-05-01");
    CHECK_EXIT(t.as("doc", {"timeline", "id:424242"}), 4);
    CHECK_EXIT(t.as("doc", {"timeline", "mrn:" + kAda}), 4);
}

BOOST_AUTO_TEST_CASE(ndjson_and_bare_resource_files_import) {
    Team t;
    const std::string uuid = "d00dfeed-0000-4000-8000-00000000beef";
    auto resources = other_resources(uuid, "MRN-ND-1", "Nadia", "Jsonova");
    resources.push_back({{"resourceType", "Observation"}, {"id", "nd-weight"}, {"status", "final"},
                         {"subject", {{"reference", "Patient/" + uuid}}},
                         {"code", coded("http://loinc.org", "29463-7", "Body weight")},
                         {"effectiveDateTime", "2021-05-02T08:00:00Z"},
                         {"valueQuantity", {{"value", 71.5}, {"unit", "kg"}}}});
    std::string ndjson;
    for (const auto& r : resources) ndjson += r.dump() + "\n";
    auto nd = t.write("nadia.ndjson", ndjson);
    auto s1 = t.json_as("doc", {"import", nd.string()});
    BOOST_CHECK_EQUAL(s1.at("patients"), 1);
    BOOST_CHECK_EQUAL(s1.at("events"), 2);
    auto patients = t.patients();
    BOOST_REQUIRE_EQUAL(patients.size(), 1u);
    BOOST_CHECK_EQUAL(patients[0].at("mrn"), "MRN-ND-1");
    BOOST_CHECK_EQUAL(patients[0].at("name"), "Nadia Jsonova");
    BOOST_CHECK_EQUAL(patients[0].at("events"), 2);

    // A bare Condition for the stored patient, referenced as Patient/<id>.
    json condition{{"resourceType", "Condition"}, {"id", "nd-asthma"}, {"subject", {{"reference", "Patient/" + uuid}}},
                   {"code", coded("http://snomed.info/sct", "195967001", "Asthma")}, {"onsetDateTime", "2021-06-01"}};
    auto bare = t.write("condition.json", condition.dump(2));
    auto s2 = t.json_as("doc", {"import", bare.string()});
    BOOST_CHECK_EQUAL(s2.at("patients"), 0);
    BOOST_CHECK_EQUAL(s2.at("events"), 1);
    patients = t.patients();
    BOOST_REQUIRE_EQUAL(patients.size(), 1u);
    BOOST_CHECK_EQUAL(patients[0].at("events"), 3);
    auto timeline = t.json_as("doc", {"timeline", "MRN-ND-1"});
    BOOST_CHECK((kinds_of(timeline) == std::vector<std::string>{"encounter", "observation", "condition"}));
    BOOST_REQUIRE_EQUAL(timeline.size(), 3u);
    BOOST_CHECK_CLOSE(timeline[1].at("value").get<double>(), 71.5, 1e-9);
    BOOST_CHECK_EQUAL(timeline[2].at("code").at("display"), "Asthma");
}

BOOST_AUTO_TEST_CASE(malformed_input_exits_2_and_imports_nothing) {
    Team t;
    import_ada(t);
    const auto baseline = t.patients().dump();
    const std::string carl = "ca71ca71-aaaa-4bbb-8ccc-dddddddddddd";
    const auto good = bundle(other_resources(carl, "MRN-CARL", "Carl", "Goodfile")).dump(1);

    auto whole = bundle(ada_resources()).dump(1);
    auto truncated = t.write("truncated.json", whole.substr(0, whole.size() / 2));

    auto wrong = bundle(ada_resources());
    for (auto& e : wrong["entry"])
        if (e["resource"]["id"] == "ada-glucose") e["resource"]["valueQuantity"]["value"] = "5.8";
    auto wrongtype = t.write("wrongtype.json", wrong.dump(1));

    json dangling_obs{{"resourceType", "Observation"}, {"id", "ghost-obs"}, {"status", "final"},
                      {"subject", {{"reference", "Patient/ghost-patient"}}},
                      {"code", coded("http://loinc.org", "15074-8", "Glucose")},
                      {"effectiveDateTime", "2020-01-05T10:00:00Z"}, {"valueQuantity", {{"value", 5.0}, {"unit", "mmol/L"}}}};
    auto dangling = t.write("dangling.json", bundle({dangling_obs}).dump(1));
    auto empty = t.write("empty.json", "");
    auto notjson = t.write("notjson.json", "Patient: Ada Lovelace\nborn 1961\n");
    auto bad_ndjson = t.write("bad.ndjson", other_resources(carl, "MRN-CARL", "Carl", "Goodfile")[0].dump() +
                                                "\n{\"resourceType\": \"Encounter\", \"id\": \n");
    t.write("mixed-syntax/a-good.json", good);
    t.write("mixed-syntax/b-bad.json", whole.substr(0, 200));
    t.write("mixed-ref/a-good.json", good);
    t.write("mixed-ref/b-bad.json", bundle({dangling_obs}).dump(1));

    struct Case {
        fs::path path;
        std::vector<std::string> named;  // what the message must name
    };
    const std::vector<Case> cases = {
        {truncated, {"truncated.json", "line ", "column "}},
        {wrongtype, {"wrongtype.json", "valueQuantity.value"}},
        {dangling, {"dangling.json", "ghost-patient"}},
        {empty, {"empty.json"}},
        {notjson, {"notjson.json"}},
        {bad_ndjson, {"bad.ndjson", "line 2"}},
        {t.dir / "mixed-syntax", {"b-bad.json"}},
        {t.dir / "mixed-ref", {"b-bad.json", "ghost-patient"}},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("import " << c.path.filename().string()) {
            auto r = t.as("doc", {"import", c.path.string()});
            CHECK_EXIT(r, 2);
            for (const auto& part : c.named) CHECK_CONTAINS(r.err, part);
            BOOST_CHECK_EQUAL(t.patients().dump(), baseline);
        }
    }
    // Several paths on the command line: the bad one stops the good one too.
    t.write("carl.json", good);
    CHECK_EXIT(t.as("doc", {"import", (t.dir / "carl.json").string(), empty.string()}), 2);
    BOOST_CHECK_EQUAL(t.patients().dump(), baseline);
    CHECK_EXIT(t.as("doc", {"import", (t.dir / "no-such-file.json").string()}), 2);
    BOOST_CHECK_EQUAL(t.patients().dump(), baseline);

    auto verify = t.cli.run({"audit", "verify"});
    CHECK_EXIT(verify, 0);
    // The good file alone still imports (the failures left nothing half-done behind).
    CHECK_EXIT(t.as("doc", {"import", (t.dir / "carl.json").string()}), 0);
    BOOST_CHECK_EQUAL(t.patients().size(), 2u);
}

BOOST_AUTO_TEST_CASE(reimport_is_idempotent_and_updates_changed_resources) {
    Team t;
    auto file = t.write("ada.json", bundle(ada_resources()).dump(1));
    REQUIRE_EXIT(t.as("doc", {"import", file.string()}), 0);
    const auto patients1 = t.patients();
    const auto timeline1 = t.json_as("doc", {"timeline", kAdaMrn});

    auto again = t.json_as("doc", {"import", file.string()});
    BOOST_REQUIRE_MESSAGE(again.contains("added"), "import --json reports no 'added': " << again.dump());
    BOOST_CHECK_EQUAL(again["added"].at("patients"), 0);
    BOOST_CHECK_EQUAL(again["added"].at("events"), 0);
    BOOST_CHECK_EQUAL(t.patients().dump(), patients1.dump());
    BOOST_CHECK_EQUAL(t.json_as("doc", {"timeline", kAdaMrn}).dump(), timeline1.dump());

    // Same resource ids, a new glucose value and a new family name: updated in place.
    auto changed = t.write("ada-changed.json", bundle(ada_resources(7.25, "King")).dump(1));
    auto s = t.json_as("doc", {"import", changed.string()});
    BOOST_CHECK_EQUAL(s["added"].at("patients"), 0);
    BOOST_CHECK_EQUAL(s["added"].at("events"), 0);
    auto patients2 = t.patients();
    BOOST_REQUIRE_EQUAL(patients2.size(), 1u);
    BOOST_CHECK_EQUAL(patients2[0].at("id"), patients1[0].at("id"));
    BOOST_CHECK_EQUAL(patients2[0].at("name"), "Ada King");
    BOOST_CHECK_EQUAL(patients2[0].at("events"), 8);
    auto timeline2 = t.json_as("doc", {"timeline", kAdaMrn});
    BOOST_REQUIRE_EQUAL(timeline2.size(), 8u);
    std::vector<double> glucose;
    for (const auto& e : timeline2)
        if (e.at("code").at("code") == "15074-8") glucose.push_back(e.at("value").get<double>());
    BOOST_REQUIRE_EQUAL(glucose.size(), 1u);
    BOOST_CHECK_CLOSE(glucose[0], 7.25, 1e-9);
    CHECK_EXIT(t.cli.run({"audit", "verify"}), 0);
}

// ================================================================ audit chain

BOOST_AUTO_TEST_CASE(audit_verify_needs_no_login_and_finds_an_altered_entry) {
    Team t;
    import_ada(t);
    auto verify = t.cli.run({"audit", "verify"});
    REQUIRE_EXIT(verify, 0);
    // The count printed is the number of rows in the audit table, read independently.
    BOOST_CHECK_EQUAL(entry_count(verify), std::stol(sqlite_value(t.cli.db(), "SELECT count(*) FROM audit_entry")));

    auto copy = t.dir / "tampered";
    fs::copy(t.cli.workspace, copy, fs::copy_options::recursive);
    auto db = copy / "consilium.db";
    sqlite(db, "DROP TRIGGER audit_entry_no_update; UPDATE audit_entry SET details='{\"forged\":true}' WHERE seq=3;");
    BOOST_REQUIRE_EQUAL(sqlite_value(db, "SELECT details FROM audit_entry WHERE seq=3"), "{\"forged\":true}");
    auto broken = consilium::test::run_program({cli_binary(), "--workspace", copy.string(), "audit", "verify"},
                                               t.cli.env(), "", kUnsetEnv);
    CHECK_EXIT(broken, 1);
    BOOST_CHECK_MESSAGE(std::regex_search(broken.out + broken.err, std::regex(R"(\b3\b)")),
                        "does not name entry 3: " << broken.out << broken.err);
    CHECK_CONTAINS(broken.out + broken.err, "entry 3");
    auto as_json = consilium::test::run_program({cli_binary(), "--workspace", copy.string(), "--json", "audit", "verify"},
                                                t.cli.env(), "", kUnsetEnv);
    CHECK_EXIT(as_json, 1);
    // The original is untouched.
    CHECK_EXIT(t.cli.run({"audit", "verify"}), 0);
}

BOOST_AUTO_TEST_CASE(audit_verify_finds_entries_cut_from_the_end) {
    Team t;
    import_ada(t);
    REQUIRE_EXIT(t.cli.run({"audit", "verify"}), 0);
    BOOST_REQUIRE(fs::is_regular_file(t.cli.workspace / "consilium.db.audit-head"));
    auto copy = t.dir / "truncated";
    fs::copy(t.cli.workspace, copy, fs::copy_options::recursive);
    auto db = copy / "consilium.db";
    const auto last = std::stol(sqlite_value(db, "SELECT max(seq) FROM audit_entry"));
    BOOST_REQUIRE_GT(last, 4);
    auto triggers = lines_of(sqlite_value(
        db, "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name IN ('audit_entry','audit_head')"));
    BOOST_REQUIRE(!triggers.empty());
    std::string sql;
    for (const auto& trig : triggers) sql += "DROP TRIGGER \"" + trig + "\";";
    sql += "DELETE FROM audit_entry WHERE seq > " + std::to_string(last - 2) + ";";
    sql += "UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_entry), "
           "hash = (SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1);";
    sqlite(db, sql);
    BOOST_REQUIRE_EQUAL(sqlite_value(db, "SELECT seq FROM audit_head"), std::to_string(last - 2));
    auto r = consilium::test::run_program({cli_binary(), "--workspace", copy.string(), "audit", "verify"}, t.cli.env(), "",
                                          kUnsetEnv);
    CHECK_EXIT(r, 1);
    // The first entry missing is the first broken one.
    CHECK_CONTAINS(r.out + r.err, "entry " + std::to_string(last - 1));
}

BOOST_AUTO_TEST_CASE(audit_export_writes_fhir_and_syslog_and_is_audited) {
    Team t;
    import_ada(t);
    REQUIRE_EXIT(t.as("doc", {"timeline", kAdaMrn}), 0);
    auto fhir_file = t.dir / "audit.ndjson";
    REQUIRE_EXIT(t.as("admin", {"audit", "export", "--format", "fhir", "--out", fhir_file.string()}), 0);
    auto syslog_file = t.dir / "audit.log";
    REQUIRE_EXIT(t.as("admin", {"audit", "export", "--format", "syslog", "--out", syslog_file.string()}), 0);

    auto log = t.audit_log();
    std::vector<json> exports;
    for (const auto& e : log)
        if (e.at("action") == "audit.export") exports.push_back(e);
    BOOST_REQUIRE_EQUAL(exports.size(), 2u);
    BOOST_CHECK_EQUAL(exports[0].at("user"), "admin");

    auto fhir_lines = lines_of(consilium::test::read_file(fhir_file));
    // Everything before the export's own entry (including that admin's login) is exported.
    BOOST_CHECK_EQUAL(static_cast<std::int64_t>(fhir_lines.size()), exports[0].at("seq").get<std::int64_t>() - 1);
    BOOST_CHECK_GT(fhir_lines.size(), 8u);
    for (std::size_t i = 0; i < fhir_lines.size(); ++i) {
        json event = json::parse(fhir_lines[i], nullptr, false);
        BOOST_REQUIRE_MESSAGE(!event.is_discarded() && event.is_object(), "line " << i + 1 << " is not JSON: " << fhir_lines[i]);
        BOOST_CHECK_EQUAL(event.value("resourceType", ""), "AuditEvent");
        BOOST_CHECK_MESSAGE(event.contains("type") && event.contains("recorded") && event.contains("agent") &&
                                event.contains("source"),
                            "AuditEvent lacks type/recorded/agent/source: " << fhir_lines[i].substr(0, 300));
    }

    auto syslog_lines = lines_of(consilium::test::read_file(syslog_file));
    BOOST_CHECK_EQUAL(static_cast<std::int64_t>(syslog_lines.size()), exports[1].at("seq").get<std::int64_t>() - 1);
    for (const auto& line : syslog_lines) {
        BOOST_CHECK_MESSAGE(!line.empty() && line[0] == '<', "not an RFC 5424 line: " << line);
        CHECK_CONTAINS(line, "consilium");
    }
    // The first export's entry is in the second export.
    bool seen = false;
    for (const auto& line : syslog_lines) seen = seen || line.find("audit.export") != std::string::npos;
    BOOST_CHECK(seen);

    auto bad_out = t.dir / "bad.out";
    auto bad = t.as("admin", {"audit", "export", "--format", "csv", "--out", bad_out.string()});
    CHECK_EXIT(bad, 2);
    CHECK_CONTAINS(bad.err, "--format");
    BOOST_CHECK(!fs::exists(bad_out));
    CHECK_EXIT(t.cli.run({"audit", "verify"}), 0);
}

// ================================================================ the shared Synthea data

BOOST_AUTO_TEST_CASE(shared_fhir_folder_imports_every_patient_once, CONSILIUM_SHARED_DATA) {
    Team t;
    const auto folder = *consilium::test::shared_data() / "fhir";
    const auto expected = count_fhir_patients(folder);
    BOOST_REQUIRE_GT(expected, 0u);
    auto first = t.json_as("doc", {"import", folder.string()});
    BOOST_CHECK_EQUAL(first.at("patients").get<std::size_t>(), expected);
    auto patients = t.patients();
    BOOST_CHECK_EQUAL(patients.size(), expected);
    for (const auto& p : patients) {
        BOOST_CHECK_MESSAGE(!p.at("name").get<std::string>().empty(), "no name: " << p.dump());
        BOOST_CHECK_MESSAGE(!p.at("mrn").get<std::string>().empty(), "no mrn: " << p.dump());
    }
    auto second = t.json_as("doc", {"import", folder.string()});
    BOOST_REQUIRE_MESSAGE(second.contains("added"), "import --json reports no 'added': " << second.dump());
    BOOST_CHECK_EQUAL(second["added"].at("patients"), 0);
    BOOST_CHECK_EQUAL(second["added"].at("events"), 0);
    BOOST_CHECK_EQUAL(t.patients().dump(), patients.dump());
    CHECK_EXIT(t.cli.run({"audit", "verify"}), 0);
}

BOOST_AUTO_TEST_SUITE_END()
