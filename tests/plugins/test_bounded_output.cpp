// What a plugin writes is parsed with bounds (bounded_json.h): nesting deeper than 64 is refused
// while parsing (200,000 levels once crashed the host), keys outside PLUGINS.md's schema are
// refused, numbers beyond double are invalid output (not an exception), and PROGRESS values that
// are not finite never reach the caller.
#include "approval_fixture.h"
#include "run_fixture.h"

#include "consilium/plugins/run.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>

namespace {

namespace cp = consilium::plugins;
using consilium::decision::RunStatus;

const std::vector<std::string> kRisk = {"risk"};

std::string nested_in_a_suggestion(std::size_t depth, const std::string& key = "rationale") {
    return R"({"suggestions":[{"kind":"risk","summary":"x",")" + key + R"(":)" + std::string(depth, '[') +
           std::string(depth, ']') + "}]}";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bounded_output)

BOOST_AUTO_TEST_CASE(nesting_deeper_than_64_is_refused_while_parsing) {
    // The output object, the suggestions array and the suggestion are 3 levels: 61 arrays inside
    // make 64, parsed (then refused for the rationale's type); 62 make 65, refused as too deep.
    BOOST_TEST(cp::validate_output(nested_in_a_suggestion(60), kRisk, std::nullopt) == "suggestion 0: rationale must be a string");
    BOOST_TEST(cp::validate_output(nested_in_a_suggestion(61), kRisk, std::nullopt) == "suggestion 0: rationale must be a string");
    BOOST_TEST(cp::validate_output(nested_in_a_suggestion(62), kRisk, std::nullopt) == "the output is nested deeper than 64 levels");
    BOOST_TEST(cp::validate_output(nested_in_a_suggestion(200000, "x"), kRisk, std::nullopt) ==
               "the output is nested deeper than 64 levels");
}

BOOST_AUTO_TEST_CASE(keys_outside_the_schema_are_refused) {
    auto why = [](const std::string& text) { return cp::validate_output(text, {"risk", "finding"}, std::nullopt); };
    BOOST_TEST(why(R"({"suggestions":[{"kind":"risk","summary":"x","rationale":"r","score":3,"band":"low","complete":true,
                 "confidence":null,"code":{"system":"s","code":"c","display":"d"},"evidence":[{"type":"reference","text":"t","url":"u"}]}]})")
                   .empty());
    BOOST_TEST(why(R"({"suggestions":[{"kind":"risk","summary":"x","notes":"hidden"}]})") ==
               "suggestion 0: the suggestion has an unknown key 'notes' (known: kind, code, confidence, score, band, "
               "complete, summary, rationale, evidence)");
    BOOST_TEST(why(R"({"suggestions":[],"telemetry":{}})").find("the output has an unknown key 'telemetry'") == 0u);
    BOOST_TEST(why(R"({"suggestions":[{"kind":"risk","summary":"x","code":{"code":"c","version":"1"}}]})")
                   .find("code has an unknown key 'version'") != std::string::npos);
    BOOST_TEST(why(R"({"suggestions":[{"kind":"finding","summary":"x","evidence":[{"type":"roi","center_lps":[0,0,0],"size_mm":[1,1,1],"label":"a"}]}]})")
                   .find("roi evidence has an unknown key 'label'") != std::string::npos);
    BOOST_TEST(why(R"({"suggestions":[{"kind":"finding","summary":"x","evidence":[{"type":"mask","file":"m.nrrd","path":"/etc"}]}]})")
                   .find("mask evidence has an unknown key 'path'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_number_beyond_double_is_invalid_output_not_an_exception) {
    // Found by fuzz_output: nlohmann throws out_of_range (not parse_error) for 1e999.
    BOOST_TEST(cp::validate_output(R"({"suggestions":[{"kind":"risk","summary":"x","score":1e999}]})", kRisk, std::nullopt) ==
               "the output is not valid JSON: a number out of range");
}

BOOST_FIXTURE_TEST_CASE(progress_that_is_not_a_finite_number_is_ignored, consilium::test::runtest::RunFixture) {
    auto p = command_plugin("progress", R"(
for v in nan inf -inf 0.25 7 -1; do echo "PROGRESS $v"; done
printf '%s' '{"suggestions":[]}' > "$out/suggestions.json"
)");
    std::vector<double> seen;
    cp::RunOptions o;
    o.progress = [&](double f) { seen.push_back(f); };
    auto r = consilium::test::run_approved(*store, *session, p, patient, std::nullopt, o);
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_TEST(r.status == RunStatus::succeeded);
    BOOST_TEST(seen == (std::vector<double>{0.25, 1.0, 0.0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
