// The rules around a decision (issue 12): codes of valid form only (SNOMED CT length, partition and
// Verhoeff check digit; ICD-10 by pattern), reasons that fit the decision, the same finding known
// again by concept and region, a decision against an earlier one only when confirmed (and audited),
// and a decision withdrawn by its author the same day without deleting anything.
#include "store_fixture.h"

#include "consilium/decision/audit.h"
#include "consilium/decision/concept_check.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/finding_match.h"
#include "consilium/decision/review.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using namespace consilium::decision;
using consilium::test::StoreFixture;

namespace {

struct NoduleFixture : StoreFixture {
    std::int64_t patient = 0;
    NoduleFixture() {
        Patient p;
        p.mrn = "MRN-12";
        p.name = "Lung Patient";
        patient = store->patients().insert(p);
    }
    std::int64_t run(const std::string& version, const std::string& inputs = "ct-1") {
        PluginRun r;
        r.plugin_id = "org.example.nodules";
        r.plugin_version = version;
        r.model_version = "baseline-" + version;
        r.patient_id = patient;
        r.user_name = "radiologist";
        r.inputs_hash = inputs;
        return store->suggestions().start_run(r);
    }
    // A nodule with its ROI (LPS mm): centre and size.
    std::int64_t nodule(std::int64_t run_id, double x, double size = 10) {
        Suggestion s;
        s.run_id = run_id;
        s.kind = SuggestionKind::finding;
        s.coding = {kSnomedCt, "786838002", "Nodule of lung"};
        s.confidence = 0.6;
        s.summary = "Lung nodule candidate at x " + std::to_string(static_cast<int>(x));
        s.evidence_json = nlohmann::json::array({{{"type", "roi"}, {"center_lps", {x, 20.0, -100.0}},
                                                  {"size_mm", {size, size, size}}}}).dump();
        if (auto earlier = earlier_decided(store->suggestions().list_for_patient(patient), with_provenance(s)))
            s.earlier_suggestion_id = earlier->id;
        return store->suggestions().add_suggestion(s);
    }
    Suggestion with_provenance(Suggestion s) {
        auto r = store->suggestions().find_run(s.run_id);
        s.patient_id = patient;
        s.plugin_id = r->plugin_id;
        s.plugin_version = r->plugin_version;
        s.model_version = r->model_version;
        s.inputs_hash = r->inputs_hash;
        return s;
    }
};

ReviewDecision decided(ReviewStatus status, std::optional<ReasonCode> code = std::nullopt, std::string text = "") {
    ReviewDecision d;
    d.decision = status;
    d.reason_code = code;
    d.reason_text = std::move(text);
    return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(review_rules)

BOOST_AUTO_TEST_CASE(snomed_ct_identifiers_by_length_partition_and_check_digit) {
    for (const char* good : {"786838002", "22298006", "73211009", "77386006", "1104051000000101", "46621007"})
        BOOST_TEST(snomed_concept_id_problem(good).empty(), good << ": " << snomed_concept_id_problem(good));
    BOOST_TEST(snomed_concept_id_problem("12345").find("6 to 18 digits") != std::string::npos);
    BOOST_TEST(snomed_concept_id_problem("1234567890123456789").find("6 to 18") != std::string::npos);
    BOOST_TEST(snomed_concept_id_problem("7863800A").find("digits only") != std::string::npos);
    BOOST_TEST(snomed_concept_id_problem("786838003").find("check digit") != std::string::npos);  // last digit off by one
    BOOST_TEST(snomed_concept_id_problem("786838012").find("description") != std::string::npos);
    BOOST_TEST(snomed_concept_id_problem("786838022").find("relationship") != std::string::npos);
    BOOST_TEST(snomed_concept_id_problem("786838052").find("partition identifier 05") != std::string::npos);
    BOOST_TEST(snomed_concept_id_problem("086838002").find("start with 0") != std::string::npos);
    BOOST_TEST(verhoeff_valid("2363"));   // Verhoeff's own example: 236 -> check digit 3
    BOOST_TEST(!verhoeff_valid("2364"));
}

BOOST_AUTO_TEST_CASE(icd10_codes_by_pattern_and_concepts_need_a_code) {
    for (const char* good : {"C34", "C34.1", "U07.1", "J18.9", "O09.A1"}) BOOST_TEST(icd10_code_problem(good).empty(), good);
    for (const char* bad : {"c34", "C3", "C34.", "C34.12345", "34.1", "CC4"}) BOOST_TEST(!icd10_code_problem(bad).empty(), bad);
    BOOST_TEST(concept_problem({kSnomedCt, "12345", "Not a concept"}).find("'12345' is not a SNOMED CT") != std::string::npos);
    BOOST_TEST(concept_problem({"http://hl7.org/fhir/sid/icd-10", "34", "x"}).find("not an ICD-10 code") != std::string::npos);
    BOOST_TEST(concept_problem({"", "", "Calcified granuloma"}).find("needs its code") != std::string::npos);
    BOOST_TEST(concept_problem({"", "X1", "local"}).find("code system") != std::string::npos);
    BOOST_TEST(concept_problem({"http://www.radlex.org", "RID3874", "granuloma"}).empty());  // not checkable: accepted
}

BOOST_FIXTURE_TEST_CASE(modify_refuses_an_invalid_code_and_reasons_of_the_other_decision, NoduleFixture) {
    const auto s = nodule(run("1.0"), 50);
    auto bad = decided(ReviewStatus::modified, ReasonCode::different_finding);
    bad.modified_concept = Coding{kSnomedCt, "12345", "Not a concept"};
    try {
        review(*store, radiologist, s, bad);
        BOOST_FAIL("12345 was accepted as SNOMED CT");
    } catch (const InputError& e) {
        BOOST_TEST(std::string(e.what()).find("6 to 18 digits") != std::string::npos, e.what());
    }
    BOOST_CHECK_THROW(review(*store, radiologist, s, decided(ReviewStatus::modified, ReasonCode::clinically_incorrect)),
                      InputError);
    BOOST_CHECK_THROW(review(*store, radiologist, s, decided(ReviewStatus::rejected, ReasonCode::size_corrected)),
                      InputError);
    // A different finding must say which; a corrected size keeps the AI's concept.
    BOOST_CHECK_THROW(review(*store, radiologist, s, decided(ReviewStatus::modified, ReasonCode::different_finding)),
                      InputError);
    BOOST_TEST(raw_count("SELECT count(*) FROM review") == 0);
    auto done = review(*store, radiologist, s, decided(ReviewStatus::modified, ReasonCode::size_corrected, "12 mm, not 10"));
    BOOST_TEST(to_string(done.status) == "modified");
    BOOST_TEST(to_string(*done.reason_code) == "size_corrected");
}

BOOST_FIXTURE_TEST_CASE(the_same_finding_by_concept_and_region, NoduleFixture) {
    const auto r1 = run("1.0"), r2 = run("1.0");
    auto a = with_provenance(*store->suggestions().find(nodule(r1, 50)));
    auto near = with_provenance(*store->suggestions().find(nodule(r2, 53)));   // centre 3 mm away: inside 10 mm boxes
    auto far = with_provenance(*store->suggestions().find(nodule(r2, 80)));    // another nodule
    BOOST_TEST(same_finding(a, near));
    BOOST_TEST(!same_finding(a, far));
    auto other_concept = near;
    other_concept.coding.code = "46621007";
    BOOST_TEST(!same_finding(a, other_concept));
    // What a clinician modified the finding into is the same finding too.
    a.modified_concept = Coding{kSnomedCt, "46621007", "Atelectasis"};
    BOOST_TEST(same_finding(a, other_concept));
    auto same_run = near;
    same_run.run_id = a.run_id;
    BOOST_TEST(!same_finding(a, same_run));  // two findings of one run are two findings
    BOOST_TEST(same_model_and_inputs(a, near));
    near.plugin_version = "2.0";
    BOOST_TEST(!same_model_and_inputs(a, near));
}

BOOST_FIXTURE_TEST_CASE(deciding_against_an_earlier_decision_needs_a_confirmation_and_is_audited, NoduleFixture) {
    const auto first = nodule(run("1.0"), 50);
    auto modify = decided(ReviewStatus::modified, ReasonCode::different_finding, "calcified");
    modify.modified_concept = Coding{kSnomedCt, "22298006", "Calcified granuloma"};
    review(*store, radiologist, first, modify);

    const auto again = nodule(run("2.0"), 51);  // a new model version proposes it again
    auto shown = *store->suggestions().find(again);
    BOOST_REQUIRE(shown.earlier_decision);
    BOOST_TEST(shown.earlier_decision->suggestion_id == first);
    BOOST_TEST(to_string(shown.earlier_decision->status) == "modified");
    BOOST_TEST(shown.earlier_decision->by == "radiologist");
    BOOST_TEST(shown.earlier_decision->modified_concept->display == "Calcified granuloma");

    try {
        review(*store, physician, again, decided(ReviewStatus::accepted));
        BOOST_FAIL("accepted against the earlier modification without a confirmation");
    } catch (const AgainstEarlierDecision& e) {
        const std::string why = e.what();
        BOOST_TEST(why.find("modified by radiologist") != std::string::npos, why);
        BOOST_TEST(why.find("suggestion " + std::to_string(first)) != std::string::npos, why);
        BOOST_TEST(why.find("Calcified granuloma") != std::string::npos, why);
    }
    BOOST_TEST(to_string(store->suggestions().find(again)->status) == "proposed");

    auto confirmed = decided(ReviewStatus::accepted);
    confirmed.confirmed_against_earlier = true;
    review(*store, physician, again, confirmed);
    AuditFilter f;
    f.action_prefix = "suggestion.review";
    const auto entries = store->audit().entries(f);
    BOOST_REQUIRE(!entries.empty());
    const auto details = nlohmann::json::parse(entries.back().record.details);
    BOOST_TEST(details.at("against_earlier").at("suggestion_id").get<std::int64_t>() == first);
    BOOST_TEST(details.at("against_earlier").at("decision") == "modified");
    BOOST_TEST(details.at("against_earlier").at("by") == "radiologist");
}

BOOST_FIXTURE_TEST_CASE(agreeing_with_the_earlier_decision_needs_no_confirmation, NoduleFixture) {
    const auto first = nodule(run("1.0"), 50);
    review(*store, radiologist, first, decided(ReviewStatus::rejected, ReasonCode::clinically_incorrect));
    const auto again = nodule(run("2.0"), 50);
    BOOST_TEST(to_string(review(*store, physician, again, decided(ReviewStatus::rejected, ReasonCode::already_known)).status) ==
               "rejected");
}

BOOST_FIXTURE_TEST_CASE(a_decision_is_withdrawn_by_its_author_the_same_day_and_nothing_is_deleted, NoduleFixture) {
    const auto s = nodule(run("1.0"), 50);
    review(*store, radiologist, s, decided(ReviewStatus::accepted));
    BOOST_CHECK_THROW(withdraw_review(*store, physician, s, "not mine"), NotPermitted);
    BOOST_CHECK_THROW(withdraw_review(*store, radiologist, s, "  "), InputError);
    auto back = withdraw_review(*store, radiologist, s, "wrong patient's images were open");
    BOOST_TEST(to_string(back.status) == "proposed");
    BOOST_TEST(raw_count("SELECT count(*) FROM review") == 1);  // kept, marked withdrawn
    BOOST_TEST(raw_count("SELECT count(*) FROM review WHERE withdrawn_by = 'radiologist'") == 1);
    BOOST_CHECK_THROW(withdraw_review(*store, radiologist, s, "again"), InputError);  // nothing standing

    // Decided anew; the history holds both decisions.
    review(*store, radiologist, s, decided(ReviewStatus::rejected, ReasonCode::clinically_incorrect));
    const auto history = store->suggestions().review_history(s);
    BOOST_REQUIRE(history.size() == 2u);
    BOOST_TEST(history[0].withdraw_reason.value_or("") == "wrong patient's images were open");
    BOOST_TEST(!history[1].withdrawn_at);
    AuditFilter f;
    f.action_prefix = "suggestion.withdraw";
    const auto entries = store->audit().entries(f);
    BOOST_REQUIRE(entries.size() == 1u);
    BOOST_TEST(nlohmann::json::parse(entries[0].record.details).at("withdrawn_decision") == "accepted");
    BOOST_TEST(store->audit().verify().intact);
}

BOOST_AUTO_TEST_CASE(only_on_the_day_it_was_made) {
    BOOST_TEST(may_withdraw("rad", "2026-05-01T10:00:00.000Z", "rad", "2026-05-01T10:30:00.000Z"));
    BOOST_TEST(!may_withdraw("rad", "2026-05-01T10:00:00.000Z", "rad", "2026-05-03T10:00:00.000Z"));
    BOOST_TEST(!may_withdraw("rad", "2026-05-01T10:00:00.000Z", "other", "2026-05-01T10:30:00.000Z"));
    BOOST_TEST(!may_withdraw("rad", "garbage", "rad", "2026-05-01T10:30:00.000Z"));
}

BOOST_AUTO_TEST_SUITE_END()
