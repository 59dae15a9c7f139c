// Issue 12 through the real consilium-cli: modify validates its concept (SNOMED CT, ICD-10) and
// takes modify reasons; a decision against the earlier decision on the same finding needs
// --confirm-against-earlier and names that decision; its author withdraws a decision the same day.
#include "cli_harness.h"

#include <sqlite3.h>

#include <boost/test/unit_test.hpp>

namespace {

using namespace consilium::test::clitest;

void seed_sql(const fs::path& db, const std::string& sql) {
    sqlite3* h = nullptr;
    BOOST_REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    char* error = nullptr;
    const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(h);
    BOOST_REQUIRE_MESSAGE(rc == SQLITE_OK, "seeding failed: " << message);
}

// A nodule proposed by model 1.0 (suggestion 1), and proposed again by model 2.0 (suggestion 2,
// naming 1 as the earlier suggestion, as the plugin host stores it).
struct TwoVersions : Team {
    std::string patient;
    TwoVersions() {
        REQUIRE_EXIT(as("admin", {"user", "add", "rad", "--role", "radiologist"}, "rad-pw\n"), 0);
        auto file = write("patient.json", R"({"resourceType":"Patient","id":"p1",
            "identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"MRN-1"}],
            "name":[{"family":"Doe","given":["Jane"]}],"gender":"female","birthDate":"1950-01-01"})");
        REQUIRE_EXIT(as("doc", {"import", file.string()}), 0);
        patient = std::to_string(patients().at(0).at("id").get<long long>());
        std::string sql;
        for (int v = 1; v <= 2; ++v) {
            const std::string n = std::to_string(v);
            sql += "INSERT INTO plugin_run(id, plugin_id, plugin_version, model_version, patient_id, user_name, started_at, "
                   "status, inputs_hash) VALUES (" + n + ", 'org.example.nodules', '" + n + ".0', 'm" + n + "', " + patient +
                   ", 'rad', '2024-05-01T10:00:0" + n + ".000Z', 'succeeded', 'ct');"
                   "INSERT INTO suggestion(id, run_id, patient_id, kind, code_system, code, display, confidence, complete, "
                   "summary, evidence_json, plugin_id, plugin_version, model_version, inputs_hash, created_at, "
                   "earlier_suggestion_id) VALUES (" + n + ", " + n + ", " + patient + ", 'finding', 'http://snomed.info/sct', "
                   "'786838002', 'Nodule of lung', 0.6, 1, 'nodule 8 mm right lower zone', "
                   "'[{\"type\":\"roi\",\"center_lps\":[10,20,30],\"size_mm\":[8,8,8]}]', 'org.example.nodules', '" + n +
                   ".0', 'm" + n + "', 'ct', '2024-05-01T10:00:0" + n + ".000Z', " + (v == 1 ? "NULL" : "1") + ");";
        }
        seed_sql(cli.db(), sql);
    }
    RunResult rad(const std::vector<std::string>& args) const { return as("rad", args); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_review_rules)

BOOST_FIXTURE_TEST_CASE(modify_refuses_an_invalid_snomed_ct_identifier_naming_why, TwoVersions) {
    auto bad = as("doc", {"review", "1", "modify", "--reason-code", "different_finding", "--reason", "granuloma",
                          "--concept", "http://snomed.info/sct|12345|Not a concept"});
    BOOST_TEST(bad.exit_code == 2);
    CHECK_CONTAINS(bad.err, "'12345' is not a SNOMED CT concept identifier");
    CHECK_CONTAINS(bad.err, "6 to 18 digits");
    auto check_digit = as("doc", {"review", "1", "modify", "--reason-code", "different_finding", "--concept",
                                  "http://snomed.info/sct|22298007|Calcified granuloma"});
    BOOST_TEST(check_digit.exit_code == 2);
    CHECK_CONTAINS(check_digit.err, "check digit");
    auto wrong_reason = as("doc", {"review", "1", "modify", "--reason-code", "clinically_incorrect"});
    BOOST_TEST(wrong_reason.exit_code == 2);
    CHECK_CONTAINS(wrong_reason.err, "size_corrected, location_corrected, different_finding or other");
    BOOST_TEST(sqlite_value(cli.db(), "SELECT count(*) FROM review") == "0");
    auto ok = json_as("doc", {"review", "1", "modify", "--reason-code", "size_corrected", "--reason", "11 mm"});
    BOOST_TEST(ok.at("reason_code") == "size_corrected");
}

BOOST_FIXTURE_TEST_CASE(deciding_against_the_earlier_decision_needs_a_confirmation_naming_it, TwoVersions) {
    REQUIRE_EXIT(rad({"review", "1", "modify", "--reason-code", "different_finding", "--reason", "calcified",
                      "--concept", "http://snomed.info/sct|22298006|Calcified granuloma"}), 0);
    auto listed = json_as("doc", {"suggestions", "MRN-1"});
    BOOST_REQUIRE(listed.size() == 2u);
    const auto& e = listed[1].at("earlier_decision");
    BOOST_TEST(e.at("suggestion_id") == 1);
    BOOST_TEST(e.at("status") == "modified");
    BOOST_TEST(e.at("by") == "rad");
    BOOST_TEST(e.at("modified_code").at("display") == "Calcified granuloma");
    BOOST_TEST(listed[0].at("earlier_decision").is_null());

    auto refused = as("doc", {"review", "2", "accept"});
    BOOST_TEST(refused.exit_code == 2);
    CHECK_CONTAINS(refused.err, "already modified by rad at ");
    CHECK_CONTAINS(refused.err, "suggestion 1");
    CHECK_CONTAINS(refused.err, "--confirm-against-earlier");
    BOOST_TEST(sqlite_value(cli.db(), "SELECT count(*) FROM review") == "1");

    REQUIRE_EXIT(as("doc", {"review", "2", "accept", "--confirm-against-earlier"}), 0);
    auto log = json_as("admin", {"audit", "log", "--action", "suggestion.review"});
    const auto& details = log.back().at("details");
    BOOST_TEST(details.at("against_earlier").at("suggestion_id") == 1);
    BOOST_TEST(details.at("against_earlier").at("decision") == "modified");
    BOOST_TEST(details.at("against_earlier").at("by") == "rad");
}

BOOST_FIXTURE_TEST_CASE(the_author_withdraws_a_decision_the_same_day, TwoVersions) {
    REQUIRE_EXIT(rad({"review", "1", "accept"}), 0);
    BOOST_TEST(as("doc", {"review", "1", "withdraw", "--reason", "not mine"}).exit_code == 3);
    BOOST_TEST(rad({"review", "1", "withdraw"}).exit_code == 2);  // a reason is needed
    auto back = rad({"--json", "review", "1", "withdraw", "--reason", "accepted on the wrong series"});
    REQUIRE_EXIT(back, 0);
    BOOST_TEST(parse_json(back.out, "withdraw").at("status") == "proposed");
    BOOST_TEST(sqlite_value(cli.db(), "SELECT count(*) FROM review") == "1");  // kept, marked
    BOOST_TEST(sqlite_value(cli.db(), "SELECT withdraw_reason FROM review") == "accepted on the wrong series");
    REQUIRE_EXIT(rad({"review", "1", "reject", "--reason-code", "clinically_incorrect"}), 0);
    auto log = json_as("admin", {"audit", "log", "--action", "suggestion.withdraw"});
    BOOST_REQUIRE(log.size() == 1u);
    BOOST_TEST(log[0].at("details").at("withdrawn_decision") == "accepted");
    REQUIRE_EXIT(cli.run({"audit", "verify"}), 0);
}

BOOST_AUTO_TEST_SUITE_END()
