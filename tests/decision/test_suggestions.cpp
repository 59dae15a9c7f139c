// Plugin runs, suggestions and their review in the library: provenance, who may decide, reasons,
// finality, one transaction per decision, and the per-version statistics of model monitoring.
#include "store_fixture.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/review.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using namespace consilium::decision;
using consilium::test::StoreFixture;

namespace {

struct SuggestionFixture : StoreFixture {
    std::int64_t patient = 0;
    SuggestionFixture() {
        Patient p;
        p.mrn = "MRN-7";
        p.family = "Doe";
        p.given = "Jane";
        p.name = "Jane Doe";
        patient = store->patients().insert(p);
    }
    std::int64_t run(const std::string& version = "1.0.0", const std::string& plugin = "org.example.news2") {
        PluginRun r;
        r.plugin_id = plugin;
        r.plugin_version = version;
        r.model_version = "rcp-2017";
        r.patient_id = patient;
        r.user_name = "physician";
        r.inputs_hash = "inputs-" + version;
        return store->suggestions().start_run(r);
    }
    std::int64_t suggest(std::int64_t run_id, const std::string& summary, std::optional<double> confidence = 0.8) {
        Suggestion s;
        s.run_id = run_id;
        s.kind = SuggestionKind::risk;
        s.coding = {"http://snomed.info/sct", "1104051000000101", "NEWS2 score"};
        s.confidence = confidence;
        s.score = 5;
        s.band = "medium";
        s.summary = summary;
        s.rationale = "respiratory rate 24/min scores 2";
        s.evidence_json = R"([{"type":"observation","ref":"1"}])";
        return store->suggestions().add_suggestion(s);
    }
    long long reviews() const { return raw_count("SELECT count(*) FROM review"); }
};

ReviewDecision decision(ReviewStatus status, std::string reason = "", std::optional<ReasonCode> code = std::nullopt) {
    ReviewDecision d;
    d.decision = status;
    d.reason_text = std::move(reason);
    d.reason_code = code;
    return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(suggestions)

BOOST_FIXTURE_TEST_CASE(runs_and_suggestions_are_stored_with_provenance_oldest_first, SuggestionFixture) {
    auto r = run();
    auto a = suggest(r, "NEWS2 5 (medium)");
    auto b = suggest(r, "urgent review", std::nullopt);
    store->suggestions().finish_run(r, RunStatus::succeeded, std::nullopt, 42, "outputs-hash");

    auto stored_run = store->suggestions().find_run(r);
    BOOST_REQUIRE(stored_run);
    BOOST_TEST(to_string(stored_run->status) == "succeeded");
    BOOST_TEST(*stored_run->duration_ms == 42);
    BOOST_TEST(*stored_run->outputs_hash == "outputs-hash");
    BOOST_TEST(!stored_run->started_at.empty());

    auto list = store->suggestions().list_for_patient(patient);
    BOOST_REQUIRE(list.size() == 2u);
    BOOST_TEST(list[0].id == a);
    BOOST_TEST(list[1].id == b);
    BOOST_TEST(list[0].plugin_id == "org.example.news2");
    BOOST_TEST(*list[0].model_version == "rcp-2017");
    BOOST_TEST(*list[0].inputs_hash == "inputs-1.0.0");
    BOOST_TEST(list[0].patient_id == patient);  // taken from the run
    BOOST_TEST(*list[0].confidence == 0.8);
    BOOST_TEST(!list[1].confidence);
    BOOST_TEST(list[0].coding.code == "1104051000000101");
    BOOST_TEST(list[0].evidence_json == R"([{"type":"observation","ref":"1"}])");
    BOOST_TEST(to_string(list[0].status) == "proposed");
    BOOST_TEST(store->suggestions().list_for_patient(patient, ReviewStatus::accepted).empty());
    BOOST_TEST(store->suggestions().list_for_patient(patient, ReviewStatus::proposed).size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(a_suggestion_needs_a_recorded_run_of_its_patient, SuggestionFixture) {
    Suggestion orphan;
    orphan.run_id = 999;
    orphan.summary = "from nowhere";
    BOOST_CHECK_THROW(store->suggestions().add_suggestion(orphan), NotFound);
    Suggestion other;
    other.run_id = run();
    other.patient_id = patient + 100;
    other.summary = "someone else";
    BOOST_CHECK_THROW(store->suggestions().add_suggestion(other), InputError);
    BOOST_TEST(raw_count("SELECT count(*) FROM suggestion") == 0);
}

BOOST_FIXTURE_TEST_CASE(confidence_outside_0_1_is_refused_by_the_schema, SuggestionFixture) {
    auto r = run();
    BOOST_CHECK_THROW(suggest(r, "too sure", 1.5), StoreError);
    BOOST_CHECK_THROW(suggest(r, "negative", -0.1), StoreError);
    suggest(r, "fine", 1.0);
    BOOST_TEST(raw_count("SELECT count(*) FROM suggestion") == 1);
}

BOOST_FIXTURE_TEST_CASE(only_radiologists_and_physicians_review, SuggestionFixture) {
    auto r = run();
    auto a = suggest(r, "one");
    auto b = suggest(r, "two");
    BOOST_CHECK_THROW(review(*store, developer, a, decision(ReviewStatus::accepted)), NotPermitted);
    BOOST_CHECK_THROW(review(*store, admin, a, decision(ReviewStatus::accepted)), NotPermitted);
    BOOST_TEST(reviews() == 0);
    auto by_radiologist = review(*store, radiologist, a, decision(ReviewStatus::accepted));
    BOOST_TEST(to_string(by_radiologist.status) == "accepted");
    BOOST_TEST(*by_radiologist.reviewed_by == "radiologist");
    BOOST_TEST(by_radiologist.reviewed_at.has_value());
    auto by_physician = review(*store, physician, b, decision(ReviewStatus::rejected, "", ReasonCode::already_known));
    BOOST_TEST(to_string(by_physician.status) == "rejected");
    BOOST_TEST(to_string(*by_physician.reason_code) == "already_known");
    BOOST_TEST(raw_count("SELECT count(*) FROM review WHERE role = 'physician'") == 1);
}

BOOST_FIXTURE_TEST_CASE(modify_and_reject_need_a_reason, SuggestionFixture) {
    auto s = suggest(run(), "one");
    BOOST_CHECK_THROW(review(*store, physician, s, decision(ReviewStatus::rejected)), InputError);
    BOOST_CHECK_THROW(review(*store, physician, s, decision(ReviewStatus::rejected, "  \n")), InputError);
    BOOST_CHECK_THROW(review(*store, physician, s, decision(ReviewStatus::modified)), InputError);
    BOOST_CHECK_THROW(review(*store, physician, s, decision(ReviewStatus::proposed)), InputError);
    auto with_concept_on_accept = decision(ReviewStatus::accepted);
    with_concept_on_accept.modified_concept = Coding{"http://snomed.info/sct", "1", "x"};
    BOOST_CHECK_THROW(review(*store, physician, s, with_concept_on_accept), InputError);
    BOOST_TEST(reviews() == 0);

    auto modify = decision(ReviewStatus::modified, "score is 6: SpO2 93% on air scores 1");
    modify.modified_concept = Coding{"http://snomed.info/sct", "1104051000000101", "NEWS2 score 6"};
    modify.note = "repeat obs in 1 h";
    auto done = review(*store, physician, s, modify);
    BOOST_TEST(to_string(done.status) == "modified");
    BOOST_TEST(*done.reason_text == "score is 6: SpO2 93% on air scores 1");
    BOOST_REQUIRE(done.modified_concept);
    BOOST_TEST(done.modified_concept->display == "NEWS2 score 6");
    BOOST_TEST(*done.note == "repeat obs in 1 h");
}

BOOST_FIXTURE_TEST_CASE(a_decided_suggestion_cannot_be_decided_again, SuggestionFixture) {
    auto s = suggest(run(), "one");
    review(*store, radiologist, s, decision(ReviewStatus::accepted));
    const auto before = content_digest();
    try {
        review(*store, physician, s, decision(ReviewStatus::rejected, "no"));
        BOOST_FAIL("second decision accepted");
    } catch (const InputError& e) {
        BOOST_TEST(std::string(e.what()).find("already accepted by radiologist at") != std::string::npos, e.what());
    }
    BOOST_TEST(content_digest() == before);
    BOOST_CHECK_THROW(review(*store, physician, 4242, decision(ReviewStatus::accepted)), NotFound);
}

BOOST_FIXTURE_TEST_CASE(a_review_adds_a_timeline_event_and_an_audit_entry, SuggestionFixture) {
    auto s = suggest(run(), "NEWS2 5 (medium)");
    review(*store, physician, s, decision(ReviewStatus::rejected, "not septic", ReasonCode::clinically_incorrect));
    auto events = store->timeline().events(patient, {.kinds = {EventKind::review}});
    BOOST_REQUIRE(events.size() == 1u);
    BOOST_TEST(events[0].code.display == "Rejected: NEWS2 5 (medium)");
    BOOST_TEST(*events[0].source_ref == "review/" + std::to_string(s));
    auto entries = store->audit().entries({.action = "suggestion.review"});
    BOOST_REQUIRE(entries.size() == 1u);
    BOOST_TEST(entries[0].record.user == "physician");
    BOOST_TEST(entries[0].record.object_id == std::to_string(s));
    auto details = nlohmann::json::parse(entries[0].record.details);
    BOOST_TEST(details["decision"] == "rejected");
    BOOST_TEST(details["reason_code"] == "clinically_incorrect");
    BOOST_TEST(details["reason_text"] == "not septic");
    BOOST_TEST(details["plugin"]["id"] == "org.example.news2");
    BOOST_TEST(details["plugin"]["version"] == "1.0.0");
    BOOST_TEST(details["model_version"] == "rcp-2017");
    BOOST_TEST(details["inputs_hash"] == "inputs-1.0.0");
    BOOST_TEST(store->audit().verify().intact);
}

BOOST_FIXTURE_TEST_CASE(decision_event_and_audit_entry_are_one_transaction, SuggestionFixture) {
    auto s = suggest(run(), "one");
    // A timeline event already holding the review's source_ref makes the event insert fail after
    // the review row is written: the whole decision must roll back with it.
    TimelineEvent squatter;
    squatter.patient_id = patient;
    squatter.kind = EventKind::report;
    squatter.resource_type = "DiagnosticReport";
    squatter.source_ref = "review/" + std::to_string(s);
    store->timeline().insert(squatter);
    const auto before = content_digest();
    BOOST_CHECK_THROW(review(*store, physician, s, decision(ReviewStatus::accepted)), StoreError);
    BOOST_TEST(content_digest() == before);
    BOOST_TEST(reviews() == 0);
    BOOST_TEST(store->audit().entries({.action = "suggestion.review"}).empty());
    BOOST_TEST(to_string(store->suggestions().find(s)->status) == "proposed");
    BOOST_TEST(store->audit().verify().intact);
}

BOOST_FIXTURE_TEST_CASE(stats_count_decisions_and_reasons_per_version, SuggestionFixture) {
    auto v1 = run("1.0.0");
    auto v2 = run("2.0.0");
    std::vector<std::int64_t> a, b;
    for (int i = 0; i < 4; ++i) a.push_back(suggest(v1, "v1"));
    for (int i = 0; i < 3; ++i) b.push_back(suggest(v2, "v2"));
    suggest(run("9.9.9", "org.example.other"), "other plugin");
    review(*store, physician, a[0], decision(ReviewStatus::accepted));
    review(*store, physician, a[1], decision(ReviewStatus::rejected, "", ReasonCode::not_applicable));
    review(*store, radiologist, a[2], decision(ReviewStatus::rejected, "wrong", ReasonCode::not_applicable));
    review(*store, physician, b[0], decision(ReviewStatus::modified, "free text only"));
    review(*store, physician, b[1], decision(ReviewStatus::accepted));

    auto stats = store->suggestions().stats("org.example.news2");
    BOOST_REQUIRE(stats.size() == 2u);
    BOOST_TEST(stats[0].plugin_version == "1.0.0");
    BOOST_TEST(stats[0].proposed == 1);
    BOOST_TEST(stats[0].accepted == 1);
    BOOST_TEST(stats[0].rejected == 2);
    BOOST_TEST(stats[0].modified == 0);
    BOOST_TEST(stats[0].reasons.at("not_applicable") == 2);
    BOOST_TEST(stats[0].reasons.size() == 1u);
    BOOST_TEST(stats[1].plugin_version == "2.0.0");
    BOOST_TEST(stats[1].proposed == 1);
    BOOST_TEST(stats[1].accepted == 1);
    BOOST_TEST(stats[1].modified == 1);
    BOOST_TEST(stats[1].reasons.at("uncoded") == 1);
    BOOST_TEST(store->suggestions().stats("org.example.none").empty());
}

BOOST_AUTO_TEST_SUITE_END()
