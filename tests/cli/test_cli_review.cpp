// `suggestions` and `review` through the real consilium-cli. Plugins cannot run yet (the plugin
// host is being built alongside), so each case seeds a plugin run and its suggestions straight
// into the workspace database with the sqlite3 C API, as the host will record them; everything
// after that - listing, deciding, auditing - goes through the CLI only.
#include "cli_harness.h"

#include <sqlite3.h>

#include <boost/test/unit_test.hpp>

namespace {

using namespace consilium::test::clitest;

// Runs static SQL on the workspace database; requires success.
void seed_sql(const fs::path& db, const std::string& sql) {
    sqlite3* h = nullptr;
    BOOST_REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    char* error = nullptr;
    const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(h);
    BOOST_REQUIRE_MESSAGE(rc == SQLITE_OK, "seeding failed: " << message << " in " << sql);
}

// A team (admin, doc = physician, dev = developer, rad = radiologist), one imported patient, and a
// NEWS2 run with two suggestions: 1 a complete finding, 2 an incomplete risk score.
struct Seeded : Team {
    std::string patient;
    Seeded() {
        REQUIRE_EXIT(as("admin", {"user", "add", "rad", "--role", "radiologist"}, "rad-pw\n"), 0);
        auto file = write("patient.json", R"({"resourceType":"Patient","id":"p1",
            "identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"MRN-1"}],
            "name":[{"family":"Doe","given":["Jane"]}],"gender":"female","birthDate":"1950-01-01"})");
        REQUIRE_EXIT(as("doc", {"import", file.string()}), 0);
        patient = std::to_string(patients().at(0).at("id").get<long long>());
        seed_sql(cli.db(),
                 "INSERT INTO plugin_run(id, plugin_id, plugin_version, model_version, patient_id, user_name, "
                 "started_at, duration_ms, status, inputs_hash, outputs_hash) VALUES (1, 'org.example.news2', "
                 "'1.2.0', 'rcp-2017', " + patient + ", 'doc', '2024-05-01T10:00:00.000Z', 12, 'succeeded', "
                 "'in-hash', 'out-hash');"
                 "INSERT INTO suggestion(id, run_id, patient_id, kind, code_system, code, display, confidence, "
                 "complete, summary, rationale, evidence_json, plugin_id, plugin_version, model_version, inputs_hash, "
                 "created_at) VALUES (1, 1, " + patient + ", 'finding', 'http://snomed.info/sct', '427359005', "
                 "'Solitary lung nodule', 0.83, 1, 'nodule 8 mm right upper lobe', 'compact dense blob', "
                 "'[{\"type\":\"roi\",\"center_lps\":[1,2,3],\"size_mm\":[8,8,8]}]', 'org.example.news2', '1.2.0', "
                 "'rcp-2017', 'in-hash', '2024-05-01T10:00:01.000Z');"
                 "INSERT INTO suggestion(id, run_id, patient_id, kind, code_system, code, display, score, band, "
                 "complete, summary, rationale, evidence_json, plugin_id, plugin_version, model_version, inputs_hash, "
                 "created_at) VALUES (2, 1, " + patient + ", 'risk', 'http://snomed.info/sct', '1104051000000101', "
                 "'NEWS2', 3, 'low-medium', 0, 'NEWS2 >= 3; consciousness not recorded', 'lower bound', '[]', "
                 "'org.example.news2', '1.2.0', 'rcp-2017', 'in-hash', '2024-05-01T10:00:02.000Z');");
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_review)

BOOST_FIXTURE_TEST_CASE(suggestions_json_has_the_contract_shape_and_is_audited, Seeded) {
    auto list = json_as("dev", {"suggestions", "MRN-1"});  // any logged-in user may read them
    BOOST_REQUIRE(list.is_array());
    BOOST_REQUIRE(list.size() == 2u);
    const auto& a = list[0];
    BOOST_TEST(a.at("id") == 1);
    BOOST_TEST(a.at("kind") == "finding");
    BOOST_TEST(a.at("code") == json({{"system", "http://snomed.info/sct"}, {"code", "427359005"},
                                     {"display", "Solitary lung nodule"}}));
    BOOST_TEST(a.at("confidence").get<double>() == 0.83);
    BOOST_TEST(a.at("score").is_null());
    BOOST_TEST(a.at("band").is_null());
    BOOST_TEST(a.at("summary") == "nodule 8 mm right upper lobe");
    BOOST_TEST(a.at("rationale") == "compact dense blob");
    BOOST_REQUIRE(a.at("evidence").is_array());
    BOOST_TEST(a.at("evidence")[0].at("type") == "roi");
    BOOST_TEST(a.at("plugin") == json({{"id", "org.example.news2"}, {"version", "1.2.0"}}));
    BOOST_TEST(a.at("model_version") == "rcp-2017");
    BOOST_TEST(a.at("status") == "proposed");
    BOOST_TEST(a.at("reviewed_by").is_null());
    BOOST_TEST(a.at("reason").is_null());
    BOOST_TEST(a.at("complete") == true);
    const auto& b = list[1];
    BOOST_TEST(b.at("confidence").is_null());
    BOOST_TEST(b.at("score").get<double>() == 3.0);
    BOOST_TEST(b.at("band") == "low-medium");
    BOOST_TEST(b.at("complete") == false);

    BOOST_TEST(json_as("doc", {"suggestions", patient, "--status", "accepted"}).empty());
    BOOST_TEST(json_as("doc", {"suggestions", patient, "--status", "proposed"}).size() == 2u);
    CHECK_EXIT(as("doc", {"suggestions", patient, "--status", "maybe"}), 2);
    CHECK_EXIT(as("doc", {"suggestions", "NO-SUCH-MRN"}), 4);
    auto log = audit_log();
    auto listed = std::count_if(log.begin(), log.end(), [&](const json& e) {
        return e.at("action") == "suggestion.list" && e.at("object_id") == patient;
    });
    BOOST_TEST(listed == 3);  // the three successful listings; refused ones read nothing
}

BOOST_FIXTURE_TEST_CASE(review_exit_codes_and_decisions, Seeded) {
    CHECK_EXIT(as("dev", {"review", "1", "accept"}), 3);
    CHECK_EXIT(as("admin", {"review", "1", "accept"}), 3);
    CHECK_EXIT(as("doc", {"review", "1", "reject"}), 2);             // a reason is needed
    CHECK_EXIT(as("doc", {"review", "1", "modify", "--note", "x"}), 2);
    CHECK_EXIT(as("doc", {"review", "1", "maybe"}), 2);
    CHECK_EXIT(as("doc", {"review", "abc", "accept"}), 2);
    CHECK_EXIT(as("doc", {"review", "999", "accept"}), 4);
    CHECK_EXIT(as("doc", {"review", "1", "reject", "--reason-code", "nonsense"}), 2);
    BOOST_TEST(sqlite_value(cli.db(), "SELECT count(*) FROM review") == "0");

    auto accepted = json_as("rad", {"review", "1", "accept"});
    BOOST_TEST(accepted.at("status") == "accepted");
    BOOST_TEST(accepted.at("reviewed_by") == "rad");
    auto again = as("doc", {"review", "1", "reject", "--reason", "changed my mind"});
    CHECK_EXIT(again, 2);
    CHECK_CONTAINS(again.err, "already accepted by rad");

    auto modified = json_as("doc", {"review", "2", "modify", "--reason", "consciousness was alert: score stands",
                                    "--reason-code", "other", "--concept",
                                    "http://snomed.info/sct|1104051000000101|NEWS2 score 3", "--note", "recheck 1 h"});
    BOOST_TEST(modified.at("status") == "modified");
    BOOST_TEST(modified.at("reason") == "consciousness was alert: score stands");
    BOOST_TEST(modified.at("modified_code").at("display") == "NEWS2 score 3");

    auto list = json_as("doc", {"suggestions", patient});
    BOOST_TEST(list[0].at("status") == "accepted");
    BOOST_TEST(list[1].at("status") == "modified");
    BOOST_TEST(list[1].at("reviewed_by") == "doc");

    auto timeline = json_as("doc", {"timeline", patient, "--kind", "review"});
    BOOST_REQUIRE(timeline.size() == 2u);
    BOOST_TEST(timeline[0].at("code").at("display") == "Accepted: nodule 8 mm right upper lobe");
    BOOST_TEST(timeline[0].at("source") == "review/1");

    auto log = audit_log();
    std::vector<json> reviews;
    for (const auto& e : log)
        if (e.at("action") == "suggestion.review") reviews.push_back(e);
    BOOST_REQUIRE(reviews.size() == 2u);
    BOOST_TEST(reviews[0].at("user") == "rad");
    BOOST_TEST(reviews[0].at("object_id") == "1");
    BOOST_TEST(reviews[0].at("details").at("decision") == "accepted");
    BOOST_TEST(reviews[1].at("details").at("reason_code") == "other");
    BOOST_TEST(reviews[1].at("details").at("plugin").at("version") == "1.2.0");
    BOOST_TEST(reviews[1].at("details").at("model_version") == "rcp-2017");
    BOOST_TEST(reviews[1].at("details").at("inputs_hash") == "in-hash");
    CHECK_EXIT(cli.run({"audit", "verify"}), 0);
}

BOOST_AUTO_TEST_SUITE_END()
