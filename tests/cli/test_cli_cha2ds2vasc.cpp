// The shipped CHA2DS2-VASc command plugin through the real consilium-cli, the real plugin host and
// a real python3 worker (found in <build>/lib/consilium/plugins like an installed product), and
// `plugins stats` over the reviews of its suggestions.
#include "cli_harness.h"

#include <boost/test/unit_test.hpp>

#include <array>

namespace {

using namespace consilium::test::clitest;

const std::string kPlugin = "org.consilium.cha2ds2-vasc";
const std::string kEsc = "https://doi.org/10.1093/eurheartj/ehaa612";

json coded(const std::string& system, const std::string& code, const std::string& display = "") {
    json c{{"system", system}, {"code", code}};
    if (!display.empty()) c["display"] = display;
    return json{{"coding", json::array({c})}};
}

// A transaction Bundle: a woman born 1946-01-01 whose newest entry is 2024-05-03 (age 78), with
// the given Conditions (id, SNOMED CT code, display, onset).
std::string patient_bundle(const std::string& uuid, const std::string& mrn,
                           const std::vector<std::array<std::string, 4>>& conditions) {
    std::vector<json> resources{
        {{"resourceType", "Patient"}, {"id", uuid},
         {"identifier", json::array({{{"type", coded("http://terminology.hl7.org/CodeSystem/v2-0203", "MR")}, {"value", mrn}}})},
         {"name", json::array({{{"family", "Fib"}, {"given", json::array({"Ada"})}}})}, {"gender", "female"},
         {"birthDate", "1946-01-01"}},
        {{"resourceType", "Encounter"}, {"id", uuid + "-enc"}, {"status", "finished"},
         {"class", {{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"}, {"code", "AMB"}}},
         {"subject", {{"reference", "urn:uuid:" + uuid}}},
         {"period", {{"start", "2024-05-03T09:00:00Z"}, {"end", "2024-05-03T09:30:00Z"}}}}};
    for (const auto& [id, code, display, onset] : conditions)
        resources.push_back({{"resourceType", "Condition"}, {"id", id},
                             {"clinicalStatus", coded("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")},
                             {"code", coded("http://snomed.info/sct", code, display)},
                             {"subject", {{"reference", "urn:uuid:" + uuid}}}, {"onsetDateTime", onset}});
    json entries = json::array();
    for (const auto& r : resources)
        entries.push_back({{"fullUrl", "urn:uuid:" + r.at("id").get<std::string>()}, {"resource", r},
                           {"request", {{"method", "POST"}, {"url", r.at("resourceType")}}}});
    return json{{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", entries}}.dump();
}

struct WithPatients : Team {
    WithPatients() {
        auto af = write("af.json", patient_bundle("6f1c2d3e-0000-4000-8000-000000000001", "AF-1",
                                                  {{"cond-af", "49436004", "Atrial fibrillation", "2023-03-01"},
                                                   {"cond-htn", "38341003", "Hypertension", "2010-05-01"}}));
        auto no_af = write("no-af.json", patient_bundle("6f1c2d3e-0000-4000-8000-000000000002", "NOAF-1",
                                                        {{"cond-htn2", "38341003", "Hypertension", "2010-05-01"}}));
        REQUIRE_EXIT(as("doc", {"import", af.string(), no_af.string()}), 0);
    }
    json run_plugin(const std::string& mrn) const {
        auto run = json_as("doc", {"plugins", "run", kPlugin, "--patient", mrn});
        BOOST_REQUIRE_MESSAGE(run.at("status") == "succeeded", run.dump());
        return run;
    }
    static const json* of_kind(const json& list, const std::string& kind) {
        for (const auto& s : list)
            if (s.at("kind") == kind) return &s;
        return nullptr;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_cha2ds2vasc)

BOOST_FIXTURE_TEST_CASE(af_hypertension_78_female_scores_4_and_recommends_oac, WithPatients) {
    auto run = run_plugin("AF-1");
    BOOST_TEST(run.at("suggestions").size() == 2u);
    auto listed = json_as("doc", {"suggestions", "AF-1"});
    const json* risk = of_kind(listed, "risk");
    const json* treatment = of_kind(listed, "treatment");
    BOOST_REQUIRE(risk);
    BOOST_REQUIRE(treatment);
    // H 1 + A2 2 (78 on 2024-05-03) + Sc 1; atrial fibrillation itself scores nothing.
    BOOST_TEST(risk->at("score") == 4);
    BOOST_TEST(risk->at("band") == "high");
    BOOST_TEST(risk->at("complete") == true);
    BOOST_TEST(risk->at("confidence").is_null());
    BOOST_TEST(risk->at("plugin").at("id") == kPlugin);
    BOOST_TEST(risk->at("model_version") == "ESC-AF-2020");
    CHECK_CONTAINS(risk->at("summary").get<std::string>(), "CHA2DS2-VASc 4 (high)");
    CHECK_CONTAINS(risk->at("rationale").get<std::string>(), "78 years on 2024-05-03");
    CHECK_CONTAINS(risk->at("rationale").get<std::string>(), "Hypertension (SNOMED CT 38341003), onset 2010-05-01");
    CHECK_CONTAINS(treatment->at("summary").get<std::string>(), "Oral anticoagulation recommended");
    CHECK_CONTAINS(treatment->at("rationale").get<std::string>(), "NOAC");
    for (const json* s : {risk, treatment}) {
        std::vector<std::string> refs;
        bool reference = false;
        for (const auto& e : s->at("evidence")) {
            if (e.at("type") == "observation") refs.push_back(e.at("ref").get<std::string>());
            if (e.at("type") == "reference") reference = e.at("url") == kEsc;
        }
        BOOST_TEST(refs == (std::vector<std::string>{"cond-af", "cond-htn"}), boost::test_tools::per_element());
        BOOST_TEST(reference);
    }
}

BOOST_FIXTURE_TEST_CASE(without_af_the_run_succeeds_with_no_suggestion, WithPatients) {
    auto run = run_plugin("NOAF-1");
    BOOST_TEST(run.at("suggestions").empty());
    BOOST_TEST(json_as("doc", {"suggestions", "NOAF-1"}).empty());
}

BOOST_FIXTURE_TEST_CASE(stats_show_runs_decisions_and_reasons_to_developers_and_admins, WithPatients) {
    auto ids = run_plugin("AF-1").at("suggestions");
    run_plugin("NOAF-1");
    const auto risk = std::to_string(ids[0].get<long long>());
    const auto treatment = std::to_string(ids[1].get<long long>());
    REQUIRE_EXIT(as("doc", {"review", risk, "reject", "--reason-code", "clinically_incorrect", "--reason",
                            "hypertension was white-coat only"}), 0);
    REQUIRE_EXIT(as("doc", {"review", treatment, "modify", "--reason", "apixaban chosen, dose reduced"}), 0);

    auto stats = json_as("dev", {"plugins", "stats", kPlugin});
    BOOST_TEST(stats.at("plugin_id") == kPlugin);
    BOOST_REQUIRE(stats.at("versions").size() == 1u);
    const auto& v = stats.at("versions")[0];
    BOOST_TEST(v.at("version") == "1.0.0");
    BOOST_TEST(v.at("runs").at("total") == 2);
    BOOST_TEST(v.at("runs").at("succeeded") == 2);
    BOOST_TEST(v.at("runs").at("failed") == 0);
    BOOST_TEST(v.at("suggestions").at("total") == 2);
    BOOST_TEST(v.at("suggestions").at("rejected") == 1);
    BOOST_TEST(v.at("suggestions").at("modified") == 1);
    BOOST_TEST(v.at("suggestions").at("proposed") == 0);
    BOOST_TEST(v.at("reasons").at("clinically_incorrect") == 1);
    BOOST_TEST(v.at("reasons").at("other") == 1);  // text alone counts as other
    BOOST_TEST(v.at("reasons").at("not_applicable") == 0);
    const auto& texts = v.at("free_text_reasons");
    BOOST_REQUIRE(texts.size() == 2u);
    BOOST_TEST(texts[0].at("text") == "hypertension was white-coat only");
    BOOST_TEST(texts[0].at("code") == "clinically_incorrect");
    BOOST_TEST(texts[0].at("reviewed_by") == "doc");
    BOOST_TEST(texts[1].at("decision") == "modified");
    BOOST_TEST(texts[1].at("code").is_null());

    auto table = as("admin", {"plugins", "stats", kPlugin});
    CHECK_EXIT(table, 0);
    CHECK_CONTAINS(table.out, "succeeded");
    CHECK_CONTAINS(table.out, "clinically_incorrect 1");
    CHECK_CONTAINS(table.out, "apixaban chosen, dose reduced");
    BOOST_TEST(has(actions_of(audit_log()), "plugin.stats"));

    CHECK_EXIT(as("doc", {"plugins", "stats", kPlugin}), 3);
    CHECK_EXIT(as("dev", {"plugins", "stats", "org.example.nowhere"}), 4);
    auto never_run = json_as("dev", {"plugins", "stats", "org.consilium.news2"});  // installed, never run
    BOOST_TEST(never_run.at("versions").empty());
}

BOOST_AUTO_TEST_SUITE_END()
