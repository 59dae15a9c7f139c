// What an AI suggestion card says: evidence, score and band, lower bounds and what is missing,
// the model, the decision and its reason, who may decide, and the order of the cards.
#include "model/review_form.h"
#include "model/suggestion_card.h"

#include <boost/test/unit_test.hpp>

#include <map>

using namespace consilium;
using namespace consilium::gui;
using decision::ReviewStatus;

namespace {

decision::Suggestion news2_lower_bound() {
    decision::Suggestion s;
    s.id = 7;
    s.run_id = 3;
    s.kind = decision::SuggestionKind::risk;
    s.coding = {"http://snomed.info/sct", "1104051000000101", "NEWS2 total score"};
    s.score = 5;
    s.band = "medium";
    s.complete = false;
    s.summary = "NEWS2 \u2265 5; SpO2, temperature not recorded";
    s.rationale = "RCP NEWS2 (2017). Latest value of each parameter:\n- Respiratory rate: 24 /min at 10:00 -> 2 points\n"
                  "- SpO2: not recorded; counted as 0\n- Temperature: not recorded within 24 h (last 38.1 at 01:00); counted as 0\n"
                  "Total 5, band medium.";
    s.evidence_json = R"([{"type":"observation","ref":"obs-rr"},{"type":"reference","text":"RCP 2017","url":"https://www.rcp.ac.uk/news2"}])";
    s.plugin_id = "org.consilium.news2";
    s.plugin_version = "1.0.0";
    s.model_version = "RCP-NEWS2-2017";
    s.created_at = "2026-05-01T10:00:00.000Z";
    return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(evidence_items_of_every_type_are_read_and_bad_ones_said_so) {
    const auto e = parse_evidence(R"([
        {"type":"observation","ref":"abc"},
        {"type":"observation","ref":42},
        {"type":"roi","center_lps":[-60.5,10,-120],"size_mm":[8,8.5,9]},
        {"type":"roi","size_mm":[1,1,1]},
        {"type":"mask","file":"evidence/run-12/mask.nrrd"},
        {"type":"reference","text":"Fleischner 2017","url":"https://doi.org/10.1148/radiol.2017161659"},
        {"type":"hologram"}])");
    BOOST_REQUIRE(e.size() == 7u);
    BOOST_TEST((e[0].type == Evidence::Type::observation));
    BOOST_TEST(e[0].ref == "abc");
    BOOST_TEST(e[1].ref == "42");
    BOOST_TEST((e[2].type == Evidence::Type::roi));
    BOOST_TEST((*e[2].centre_lps)[0] == -60.5);
    BOOST_TEST((*e[2].size_mm)[1] == 8.5);
    BOOST_TEST(e[2].text == "Region 8.0 \u00d7 8.5 \u00d7 9.0 mm at LPS (-60.5, 10.0, -120.0) mm");
    BOOST_TEST((e[3].type == Evidence::Type::other));  // a region without a position cannot be shown
    BOOST_TEST((e[4].type == Evidence::Type::mask));
    BOOST_TEST(e[4].file == "evidence/run-12/mask.nrrd");
    BOOST_TEST((e[5].type == Evidence::Type::reference));
    BOOST_TEST(e[5].url == "https://doi.org/10.1148/radiol.2017161659");
    BOOST_TEST(e[6].text == "evidence of type \"hologram\"");

    BOOST_TEST(parse_evidence("[]").empty());
    const auto bad = parse_evidence("{not json");
    BOOST_REQUIRE(bad.size() == 1u);
    BOOST_TEST(bad[0].text == "evidence could not be read");
}

BOOST_AUTO_TEST_CASE(a_lower_bound_risk_score_says_so_and_names_what_is_missing) {
    const auto c = make_card(news2_lower_bound(), decision::Role::radiologist, "NEWS2 early warning score");
    BOOST_TEST(c.risk);
    BOOST_TEST(c.kind == "Risk score");
    BOOST_TEST(c.score_text == "\u2265 5");
    BOOST_TEST(c.band == "medium");
    BOOST_TEST(!c.complete);
    BOOST_TEST(c.missing_text == "Lower bound: SpO2, Temperature not recorded");
    BOOST_TEST(c.concept_display == "NEWS2 total score");
    BOOST_TEST(c.concept_code == "SNOMED CT 1104051000000101");
    BOOST_TEST(!c.confidence.has_value());
    BOOST_TEST(c.model_text == "NEWS2 early warning score 1.0.0, model RCP-NEWS2-2017");
    BOOST_TEST(!c.shows_on_image);
    BOOST_TEST(c.proposed);
    BOOST_TEST(c.status == "Proposed");
    BOOST_TEST(c.why_cannot_decide.empty());

    auto complete = news2_lower_bound();
    complete.complete = true;
    complete.score = 2.5;
    const auto cc = make_card(complete, decision::Role::physician);
    BOOST_TEST(cc.score_text == "2.5");
    BOOST_TEST(cc.missing_text.empty());
    BOOST_TEST(cc.model_text == "org.consilium.news2 1.0.0, model RCP-NEWS2-2017");  // not installed: the id
}

BOOST_AUTO_TEST_CASE(missing_inputs_come_from_the_summary_when_the_rationale_names_none) {
    auto s = news2_lower_bound();
    s.rationale = "Some inputs were missing.";
    BOOST_TEST(missing_inputs(s) == (std::vector<std::string>{"SpO2", "temperature"}), boost::test_tools::per_element());
    s.summary = "Score 3 from what was recorded";
    BOOST_TEST(missing_inputs(s).empty());
    BOOST_TEST(make_card(s, decision::Role::radiologist).missing_text == "Lower bound: computed from only some of its inputs");
    s.complete = true;
    BOOST_TEST(missing_inputs(news2_lower_bound()).size() == 2u);
    BOOST_TEST(missing_inputs(s).empty());
}

BOOST_AUTO_TEST_CASE(band_colours_go_from_green_to_red) {
    BOOST_TEST(band_colour(std::string("low"))[1] > band_colour(std::string("low"))[0]);
    BOOST_TEST(band_colour(std::string("High"))[0] == 200);
    BOOST_TEST((band_colour(std::string("medium")) != band_colour(std::string("low-medium"))));
    BOOST_TEST(band_colour(std::nullopt)[0] == 120);
}

BOOST_AUTO_TEST_CASE(a_finding_with_a_region_and_mask_can_be_shown_on_the_image) {
    decision::Suggestion s;
    s.id = 9;
    s.kind = decision::SuggestionKind::finding;
    s.coding = {"http://snomed.info/sct", "786838002", "Nodule of lung"};
    s.confidence = 0.834;
    s.summary = "Lung nodule candidate, 8 mm";
    s.evidence_json = R"([{"type":"roi","center_lps":[1,2,3],"size_mm":[8,8,8]},{"type":"mask","file":"evidence/run-4/mask.nrrd"}])";
    s.plugin_id = "org.consilium.lung-nodules";
    s.plugin_version = "1.0.0";
    const auto c = make_card(s, decision::Role::radiologist);
    BOOST_TEST(c.shows_on_image);
    BOOST_TEST(*c.confidence == 0.834);
    BOOST_TEST(c.confidence_text == "83 %");
    BOOST_TEST(c.score_text.empty());
    BOOST_TEST(c.model_text == "org.consilium.lung-nodules 1.0.0");
    s.confidence = 1.7;  // never stored (the host validates), but the bar stays in its box
    BOOST_TEST(*make_card(s, decision::Role::radiologist).confidence == 1.0);
}

BOOST_AUTO_TEST_CASE(mask_files_stay_inside_the_workspace) {
    BOOST_TEST(evidence_file("/ws", "evidence/run-4/mask.nrrd")->string() == "/ws/evidence/run-4/mask.nrrd");
    BOOST_TEST(!evidence_file("/ws", "/etc/passwd").has_value());
    BOOST_TEST(!evidence_file("/ws", "evidence/../../secret.nrrd").has_value());
    BOOST_TEST(!evidence_file("/ws", "").has_value());
}

BOOST_AUTO_TEST_CASE(a_decided_card_says_who_when_why_and_what_instead) {
    auto s = news2_lower_bound();
    s.status = ReviewStatus::modified;
    s.reviewed_by = "radiologist";
    s.reviewed_at = "2026-05-01T10:22:33.123Z";
    s.reason_code = decision::ReasonCode::insufficient_evidence;
    s.reason_text = "  SpO2 is on the ward chart  ";
    s.modified_concept = decision::Coding{"http://snomed.info/sct", "46621007", "Atelectasis"};
    const auto c = make_card(s, decision::Role::radiologist);
    BOOST_TEST(!c.proposed);
    BOOST_TEST(c.decision_text == "Modified by radiologist, 2026-05-01 10:22 UTC");
    BOOST_TEST(c.reason_text == "Reason: insufficient evidence - SpO2 is on the ward chart");
    BOOST_TEST(c.held_instead == "Held instead: Atelectasis (SNOMED CT 46621007)");
    BOOST_TEST(c.why_cannot_decide == "already modified by radiologist");

    s.status = ReviewStatus::rejected;
    s.reason_code = std::nullopt;  // a reason given in words only
    s.modified_concept.reset();
    const auto r = make_card(s, decision::Role::physician);
    BOOST_TEST(r.reason_text == "Reason: SpO2 is on the ward chart");
    BOOST_TEST(r.held_instead.empty());
    s.status = ReviewStatus::accepted;
    s.reason_text.reset();
    BOOST_TEST(make_card(s, decision::Role::physician).reason_text.empty());
}

BOOST_AUTO_TEST_CASE(developers_and_admins_see_why_they_cannot_decide) {
    const auto s = news2_lower_bound();
    for (auto role : {decision::Role::developer, decision::Role::admin}) {
        const auto c = make_card(s, role);
        BOOST_TEST(c.why_cannot_decide.find("only radiologists and physicians decide") != std::string::npos);
        BOOST_TEST(c.why_cannot_decide.find(std::string(decision::to_string(role))) != std::string::npos);
    }
    BOOST_TEST(make_card(s, decision::Role::physician).why_cannot_decide.empty());
}

BOOST_AUTO_TEST_CASE(proposed_cards_come_first_newest_run_first_in_the_plugins_order_then_the_most_recently_decided) {
    auto make = [](std::int64_t id, ReviewStatus st, std::string created, std::string reviewed = "", std::int64_t run = 1) {
        decision::Suggestion s;
        s.id = id;
        s.run_id = run;
        s.status = st;
        s.created_at = std::move(created);
        if (!reviewed.empty()) s.reviewed_at = std::move(reviewed);
        return s;
    };
    const auto ordered = card_order({make(1, ReviewStatus::accepted, "2026-01-01", "2026-01-02"),
                                     make(2, ReviewStatus::proposed, "2026-01-01"),
                                     make(3, ReviewStatus::rejected, "2026-01-01", "2026-01-05"),
                                     make(4, ReviewStatus::proposed, "2026-02-01", "", 2),
                                     make(6, ReviewStatus::proposed, "2026-02-01", "", 2),
                                     make(5, ReviewStatus::proposed, "2026-01-01")});
    std::vector<std::int64_t> ids;
    for (const auto& s : ordered) ids.push_back(s.id);
    BOOST_TEST(ids == (std::vector<std::int64_t>{4, 6, 2, 5, 3, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(observations_are_described_from_the_timeline) {
    decision::TimelineEvent rr;
    rr.id = 11;
    rr.code = {"http://loinc.org", "9279-1", "Respiratory rate"};
    rr.value_num = 24;
    rr.unit = "/min";
    rr.start = "2026-05-01T10:00:00Z";
    rr.source_ref = "Observation/obs-rr";
    decision::TimelineEvent bp;
    bp.id = 12;
    bp.code = {"http://loinc.org", "85354-9", "Blood pressure"};
    bp.components = {{{"http://loinc.org", "8480-6", "Systolic"}, 120.0, std::nullopt, std::string("mm[Hg]")},
                     {{"http://loinc.org", "8462-4", "Diastolic"}, 80.0, std::nullopt, std::string("mm[Hg]")}};
    bp.source_ref = "Observation/obs-bp";
    const std::vector<decision::TimelineEvent> events{rr, bp};
    BOOST_TEST(describe_observation("obs-rr", events) == "Respiratory rate 24 /min, 2026-05-01 10:00 UTC");
    BOOST_TEST(describe_observation("Observation/obs-rr", events) == "Respiratory rate 24 /min, 2026-05-01 10:00 UTC");
    BOOST_TEST(describe_observation("12", events) == "Blood pressure 120/80 mm[Hg]");
    BOOST_TEST(describe_observation("rr", events).empty());  // a suffix of an id is not that id
    BOOST_TEST(describe_observation("", events).empty());
}

BOOST_AUTO_TEST_CASE(the_reason_list_is_the_five_coded_reasons_in_words) {
    const auto& codes = reason_codes();
    BOOST_REQUIRE(codes.size() == 5u);
    BOOST_TEST(reason_label(codes[0]) == "clinically incorrect");
    BOOST_TEST(reason_label(codes[1]) == "not applicable to this patient");
    BOOST_TEST(reason_label(codes[2]) == "insufficient evidence");
    BOOST_TEST(reason_label(codes[3]) == "already known");
    BOOST_TEST(reason_label(codes[4]) == "other");
    BOOST_TEST(code_system_name("http://loinc.org") == "LOINC");
    BOOST_TEST(code_system_name("urn:example") == "urn:example");
    BOOST_TEST(readable_time("2026-05-01") == "2026-05-01");
    BOOST_TEST(short_url("https://www.rcp.ac.uk/news2/") == "rcp.ac.uk/news2");
    BOOST_TEST(short_url("https://www.rcp.ac.uk/improving-care/resources/national-early-warning-score-news-2/") ==
               "rcp.ac.uk/\u2026/national-early-warning-score-news-2");
    BOOST_TEST(short_url("https://example.org/" + std::string(80, 'x'), 20) == "example.org/xxxxxxx\u2026");
}

BOOST_AUTO_TEST_CASE(a_modification_naming_a_code_without_words_is_not_enough) {
    ReviewForm form;
    form.set_decision(ReviewStatus::modified);
    form.set_reason_code(decision::ReasonCode::different_finding);
    form.set_modified_concept(decision::Coding{"http://snomed.info/sct", "46621007", ""});
    BOOST_TEST(form.problem() == "name the concept you hold instead (a code alone is not enough)");
    form.set_modified_concept(decision::Coding{"http://snomed.info/sct", "46621007", "Atelectasis"});
    BOOST_TEST(form.problem().empty());
    form.set_modified_concept(std::nullopt);
    BOOST_TEST(form.problem() == "a different finding needs the concept you hold instead");
    form.set_reason_code(decision::ReasonCode::other);
    BOOST_TEST(form.problem() == "describe the reason (\"other\" needs words)");
    form.set_reason_text("scarring, seen on the 2019 CT");
    BOOST_TEST(form.problem().empty());
}

// The form and decision::review agree (issue 12, item 7): a concept is recorded with a code, and
// codes that cannot be SNOMED CT or ICD-10 are refused with the reason, before anything is sent.
BOOST_AUTO_TEST_CASE(the_review_form_checks_the_code_as_the_record_does) {
    ReviewForm form;
    form.set_decision(ReviewStatus::modified);
    form.set_reason_code(decision::ReasonCode::different_finding);
    form.set_modified_concept(decision::Coding{"", "", "Calcified granuloma"});
    BOOST_TEST(form.problem().find("needs its code") != std::string::npos, form.problem());
    form.set_modified_concept(decision::Coding{"http://snomed.info/sct", "12345", "Not a concept"});
    BOOST_TEST(form.problem().find("6 to 18 digits") != std::string::npos, form.problem());
    form.set_modified_concept(decision::Coding{"http://snomed.info/sct", "46621008", "Atelectasis"});
    BOOST_TEST(form.problem().find("check digit") != std::string::npos, form.problem());
    form.set_modified_concept(decision::Coding{"http://hl7.org/fhir/sid/icd-10", "j98.1", "Collapsed lung"});
    BOOST_TEST(form.problem().find("ICD-10") != std::string::npos, form.problem());
    form.set_modified_concept(decision::Coding{"http://hl7.org/fhir/sid/icd-10", "J98.1", "Collapsed lung"});
    BOOST_TEST(form.problem().empty());
    // A corrected size keeps the AI's concept: no concept, no words needed beyond the reason.
    form.set_modified_concept(std::nullopt);
    form.set_reason_code(decision::ReasonCode::size_corrected);
    BOOST_TEST(form.problem().empty());
    // A reject reason does not fit a modification.
    form.set_reason_code(decision::ReasonCode::clinically_incorrect);
    BOOST_TEST(form.problem() == "choose a reason from the list");
    form.set_confirmed_against_earlier(true);
    form.set_reason_code(decision::ReasonCode::location_corrected);
    BOOST_TEST(form.to_decision().confirmed_against_earlier);
}

BOOST_AUTO_TEST_CASE(modify_offers_its_own_reasons) {
    const auto& codes = reason_codes(ReviewStatus::modified);
    BOOST_REQUIRE(codes.size() == 4u);
    BOOST_TEST(reason_label(codes[0]) == "size or extent corrected");
    BOOST_TEST(reason_label(codes[1]) == "location corrected");
    BOOST_TEST(reason_label(codes[2]) == "a different finding");
    BOOST_TEST(reason_label(codes[3]) == "other");
    BOOST_TEST(reason_codes(ReviewStatus::rejected).size() == 5u);
}

BOOST_AUTO_TEST_CASE(a_modified_card_leads_with_the_clinicians_conclusion) {
    decision::Suggestion s;
    s.id = 9;
    s.kind = decision::SuggestionKind::finding;
    s.coding = {"http://snomed.info/sct", "786838002", "Nodule of lung"};
    s.summary = "Lung nodule candidate, 8 mm";
    s.status = ReviewStatus::modified;
    s.reviewed_by = "radiologist";
    s.reviewed_at = "2026-05-01T10:22:33Z";
    s.reason_code = decision::ReasonCode::different_finding;
    s.modified_concept = decision::Coding{"http://snomed.info/sct", "22298006", "Calcified granuloma"};
    auto c = make_card(s, decision::Role::physician);
    BOOST_TEST(c.conclusion == "Calcified granuloma");
    BOOST_TEST(c.concept_display == "Nodule of lung");  // the AI's proposal, shown beneath
    s.modified_concept.reset();
    s.reason_code = decision::ReasonCode::size_corrected;
    s.reason_text = "12 mm, not 8";
    BOOST_TEST(make_card(s, decision::Role::physician).conclusion == "12 mm, not 8");
    s.status = ReviewStatus::accepted;
    BOOST_TEST(make_card(s, decision::Role::physician).conclusion.empty());
}

BOOST_AUTO_TEST_CASE(a_card_shows_the_earlier_decision_on_the_same_finding_and_who_may_withdraw) {
    decision::Suggestion s;
    s.id = 12;
    s.kind = decision::SuggestionKind::finding;
    s.summary = "Lung nodule candidate, 8 mm";
    s.earlier_suggestion_id = 3;
    s.earlier_decision = decision::EarlierDecision{3, ReviewStatus::modified, "radiologist", "2026-05-01T10:22:33Z",
                                                   "Lung nodule candidate, 8 mm",
                                                   decision::Coding{"http://snomed.info/sct", "22298006", "Calcified granuloma"}};
    auto c = make_card(s, decision::Role::physician);
    BOOST_TEST(c.earlier_status == "modified");
    BOOST_TEST(c.earlier_by == "radiologist");
    BOOST_TEST(c.earlier_at == "2026-05-01 10:22 UTC");
    BOOST_TEST(c.earlier_held == "Calcified granuloma");
    BOOST_TEST(c.earlier_suggestion == 3);

    BOOST_TEST(!can_withdraw(s, "radiologist", "2026-05-01T12:00:00Z"));  // proposed: nothing to withdraw
    s.status = ReviewStatus::accepted;
    s.reviewed_by = "radiologist";
    s.reviewed_at = "2026-05-01T10:22:33Z";
    BOOST_TEST(can_withdraw(s, "radiologist", "2026-05-01T12:00:00Z"));
    BOOST_TEST(!can_withdraw(s, "physician", "2026-05-01T12:00:00Z"));
    BOOST_TEST(!can_withdraw(s, "radiologist", "2026-05-04T12:00:00Z"));
}

// Issue 12 item 11: the card's composed lines are translated as formats, the parts filled in after;
// what the plugin and the clinician wrote stays as written.
BOOST_AUTO_TEST_CASE(a_translated_card_says_its_own_words_in_the_readers_language) {
    const std::map<std::string, std::string> nl{{"%s by %s", "%s door %s"},
                                                {"Modified", "Aangepast"},
                                                {"Reason: %s", "Reden: %s"},
                                                {"insufficient evidence", "onvoldoende onderbouwing"},
                                                {"Held instead: %s", "In plaats daarvan: %s"},
                                                {"Region %s × %s × %s mm at LPS (%s, %s, %s) mm", "Gebied %s × %s × %s mm op LPS (%s, %s, %s) mm"},
                                                {"Lower bound: %s not recorded", "Ondergrens: %s niet vastgelegd"}};
    const Translate translate = [&](const std::string& s) {
        const auto it = nl.find(s);
        return it == nl.end() ? s : it->second;
    };
    auto s = news2_lower_bound();
    s.status = ReviewStatus::modified;
    s.reviewed_by = "radiologist";
    s.reviewed_at = "2026-05-01T10:22:33Z";
    s.reason_code = decision::ReasonCode::insufficient_evidence;
    s.reason_text = "SpO2 is on the ward chart";
    s.modified_concept = decision::Coding{"http://snomed.info/sct", "46621007", "Atelectasis"};
    s.evidence_json = R"([{"type":"roi","center_lps":[-60.5,10,-120],"size_mm":[8,8.5,9]}])";
    const auto c = make_card(s, decision::Role::radiologist, "", translate);
    BOOST_TEST(c.decision_text == "Aangepast door radiologist, 2026-05-01 10:22 UTC");
    BOOST_TEST(c.reason_text == "Reden: onvoldoende onderbouwing - SpO2 is on the ward chart");
    BOOST_TEST(c.held_instead == "In plaats daarvan: Atelectasis (SNOMED CT 46621007)");
    BOOST_TEST(c.evidence.at(0).text == "Gebied 8.0 × 8.5 × 9.0 mm op LPS (-60.5, 10.0, -120.0) mm");
    BOOST_TEST(c.missing_text.rfind("Ondergrens: ", 0) == 0u);
    BOOST_TEST(c.status == "Modified");  // the view translates the status word itself
    // Untranslated (no catalogue): the same English as before.
    BOOST_TEST(make_card(s, decision::Role::radiologist).evidence.at(0).text == "Region 8.0 × 8.5 × 9.0 mm at LPS (-60.5, 10.0, -120.0) mm");
}

BOOST_AUTO_TEST_CASE(fill_puts_the_parts_in_the_formats_places) {
    BOOST_TEST(fill("%s by %s", {"Modified", "rad"}) == "Modified by rad");
    BOOST_TEST(fill("%2$s: %1$s", {"a", "b"}) == "b: a");
    BOOST_TEST(fill("80 %% of %s", {"x"}) == "80 % of x");
    BOOST_TEST(fill("%s and %s", {"only one"}) == "only one and ");
}
