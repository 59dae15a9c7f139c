// MDT meetings in the library: who may hold them, the case list and its order, and the board's
// decision - an `mdt` timeline event, the case marked decided and the audit entry, all or nothing.
#include "store_fixture.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/mdt.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

using namespace consilium::decision;
using consilium::test::StoreFixture;

namespace {

struct MdtFixture : StoreFixture {
    std::int64_t jane = 0, piet = 0;
    MdtFixture() {
        jane = add_patient("MRN-1", "Jane Doe");
        piet = add_patient("MRN-2", "Piet de Boer");
    }
    std::int64_t add_patient(const std::string& mrn, const std::string& name) {
        Patient p;
        p.mrn = mrn;
        p.name = name;
        auto tx = store->begin();
        auto id = store->patients().insert(p);
        tx->commit();
        return id;
    }
    long long audited(const std::string& action) const {
        return raw_count("SELECT count(*) FROM audit_entry WHERE action = '" + action + "'");
    }
    std::vector<TimelineEvent> mdt_events(std::int64_t patient) {
        TimelineFilter f;
        f.kinds = {EventKind::mdt};
        f.with_resource_json = true;
        return store->timeline().events(patient, f);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(mdt)

BOOST_FIXTURE_TEST_CASE(clinicians_create_meetings_and_others_may_not, MdtFixture) {
    auto m = create_meeting(*store, radiologist, "  Thoracic oncology MDT ", "2024-05-02");
    BOOST_TEST(m.id > 0);
    BOOST_TEST(m.name == "Thoracic oncology MDT");
    BOOST_TEST(m.created_by == "radiologist");
    BOOST_TEST(create_meeting(*store, physician, "Breast MDT", "2024-04-30").id > m.id);
    auto listed = store->meetings().list();
    BOOST_REQUIRE(listed.size() == 2u);
    BOOST_TEST(listed[0].name == "Breast MDT");  // by date
    BOOST_TEST(audited("mdt.create") == 2);

    const auto before = content_digest();
    BOOST_CHECK_THROW(create_meeting(*store, developer, "x", "2024-05-02"), NotPermitted);
    BOOST_CHECK_THROW(create_meeting(*store, admin, "x", "2024-05-02"), NotPermitted);
    BOOST_CHECK_THROW(create_meeting(*store, physician, "   ", "2024-05-02"), InputError);
    BOOST_CHECK_THROW(create_meeting(*store, physician, "x", "2024-13-02"), InputError);
    BOOST_CHECK_THROW(create_meeting(*store, physician, "x", "2024-05"), InputError);
    BOOST_CHECK_THROW(create_meeting(*store, physician, std::string(201, 'n'), "2024-05-02"), InputError);
    BOOST_TEST(content_digest() == before);
}

BOOST_FIXTURE_TEST_CASE(cases_keep_their_order_and_a_patient_is_listed_once, MdtFixture) {
    auto m = create_meeting(*store, physician, "Thoracic", "2024-05-02");
    auto a = add_meeting_case(*store, physician, m.id, piet, "Resectable?");
    auto b = add_meeting_case(*store, radiologist, m.id, jane);
    BOOST_TEST(a.position == 1);
    BOOST_TEST(b.position == 2);
    auto cases = store->meetings().cases(m.id);
    BOOST_REQUIRE(cases.size() == 2u);
    BOOST_TEST(cases[0].patient_id == piet);
    BOOST_TEST(cases[0].question == "Resectable?");
    BOOST_TEST(cases[1].patient_id == jane);
    BOOST_TEST(cases[1].added_by == "radiologist");
    BOOST_TEST(!cases[1].decision_event_id.has_value());
    BOOST_TEST(audited("mdt.case.add") == 2);

    const auto before = content_digest();
    try {
        add_meeting_case(*store, physician, m.id, piet);
        BOOST_FAIL("a patient was listed twice");
    } catch (const InputError& e) {
        BOOST_TEST(std::string(e.what()).find("Piet de Boer (MRN-2) is already on the case list") != std::string::npos);
    }
    BOOST_CHECK_THROW(add_meeting_case(*store, physician, m.id, 9999), NotFound);
    BOOST_CHECK_THROW(add_meeting_case(*store, physician, 9999, jane), NotFound);
    BOOST_CHECK_THROW(add_meeting_case(*store, admin, m.id, jane), NotPermitted);
    BOOST_CHECK_THROW(add_meeting_case(*store, developer, m.id, jane), NotPermitted);
    BOOST_CHECK_THROW(add_meeting_case(*store, physician, m.id, jane, std::string(4001, 'q')), InputError);
    BOOST_TEST(content_digest() == before);
}

BOOST_FIXTURE_TEST_CASE(a_board_decision_is_an_mdt_event_with_attendees_and_an_audit_entry, MdtFixture) {
    auto m = create_meeting(*store, physician, "Thoracic oncology MDT", "2024-05-02");
    add_meeting_case(*store, physician, m.id, jane, "Lobectomy or SBRT?");
    auto event = record_board_decision(*store, radiologist, m.id, jane,
                                       "  Lobectomy right upper lobe.\nRestage after surgery.  ",
                                       {"radiologist", " Dr. A. Surgeon ", "", "radiologist", "Dr. B. Oncologist"});
    BOOST_TEST(event.id > 0);
    auto events = mdt_events(jane);
    BOOST_REQUIRE(events.size() == 1u);
    const auto& e = events[0];
    BOOST_TEST(e.id == event.id);
    BOOST_TEST(*e.value_text == "Lobectomy right upper lobe.\nRestage after surgery.");
    BOOST_TEST(e.code.display == "MDT Thoracic oncology MDT (2024-05-02): Lobectomy right upper lobe.");
    BOOST_TEST(*e.source_ref == "mdt/" + std::to_string(m.id) + "/" + std::to_string(jane));
    auto resource = nlohmann::json::parse(*e.resource_json);
    BOOST_TEST(resource["attendees"] == (nlohmann::json{"radiologist", "Dr. A. Surgeon", "Dr. B. Oncologist"}));
    BOOST_TEST(resource["meeting"]["name"] == "Thoracic oncology MDT");
    BOOST_TEST(resource["question"] == "Lobectomy or SBRT?");
    BOOST_TEST(resource["recorded_by"]["user"] == "radiologist");
    BOOST_TEST(mdt_events(piet).empty());

    auto c = store->meetings().cases(m.id).at(0);
    BOOST_TEST(*c.decision_event_id == event.id);
    BOOST_TEST(*c.decided_by == "radiologist");

    AuditFilter only_decisions;
    only_decisions.action = "mdt.decision";
    auto audit = store->audit().entries(only_decisions);
    BOOST_REQUIRE(audit.size() == 1u);
    BOOST_TEST(audit[0].record.object_id == std::to_string(jane));
    auto details = nlohmann::json::parse(audit[0].record.details);
    BOOST_TEST(details["event_id"] == event.id);
    BOOST_TEST(details["attendees"].size() == 3u);
    BOOST_TEST(details["meeting"]["id"] == m.id);
}

BOOST_FIXTURE_TEST_CASE(refused_decisions_change_nothing, MdtFixture) {
    auto m = create_meeting(*store, physician, "Thoracic", "2024-05-02");
    add_meeting_case(*store, physician, m.id, jane);
    const auto before = content_digest();
    BOOST_CHECK_THROW(record_board_decision(*store, developer, m.id, jane, "Surgery", {"dev"}), NotPermitted);
    BOOST_CHECK_THROW(record_board_decision(*store, admin, m.id, jane, "Surgery", {"admin"}), NotPermitted);
    BOOST_CHECK_THROW(record_board_decision(*store, physician, m.id, jane, " \n ", {"physician"}), InputError);
    BOOST_CHECK_THROW(record_board_decision(*store, physician, m.id, jane, "Surgery", {" ", ""}), InputError);
    BOOST_CHECK_THROW(record_board_decision(*store, physician, m.id, jane, "Surgery", {std::string(201, 'a')}), InputError);
    BOOST_CHECK_THROW(record_board_decision(*store, physician, m.id, piet, "Surgery", {"physician"}), InputError);
    BOOST_CHECK_THROW(record_board_decision(*store, physician, 9999, jane, "Surgery", {"physician"}), NotFound);
    BOOST_TEST(content_digest() == before);
}

BOOST_FIXTURE_TEST_CASE(a_decided_case_is_not_decided_again, MdtFixture) {
    auto m = create_meeting(*store, physician, "Thoracic", "2024-05-02");
    add_meeting_case(*store, physician, m.id, jane);
    record_board_decision(*store, physician, m.id, jane, "Surgery", {"physician"});
    const auto before = content_digest();
    try {
        record_board_decision(*store, radiologist, m.id, jane, "Radiotherapy", {"radiologist"});
        BOOST_FAIL("a case was decided twice");
    } catch (const InputError& e) {
        BOOST_TEST(std::string(e.what()).find("already decided (recorded by physician") != std::string::npos);
    }
    BOOST_TEST(content_digest() == before);
    // The same patient may come back to a later meeting.
    auto later = create_meeting(*store, physician, "Thoracic", "2024-06-06");
    add_meeting_case(*store, physician, later.id, jane);
    record_board_decision(*store, physician, later.id, jane, "Restage in 3 months", {"physician"});
    BOOST_TEST(mdt_events(jane).size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(event_case_and_audit_entry_commit_together, MdtFixture) {
    auto m = create_meeting(*store, physician, "Thoracic", "2024-05-02");
    add_meeting_case(*store, physician, m.id, jane);
    // The audit append fails after the event and the case were written: all of it must roll back.
    raw_sql("CREATE TRIGGER refuse_mdt BEFORE INSERT ON audit_entry WHEN NEW.action = 'mdt.decision' "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    const auto before = content_digest();
    BOOST_CHECK_THROW(record_board_decision(*store, physician, m.id, jane, "Surgery", {"physician"}), std::exception);
    BOOST_TEST(content_digest() == before);
    BOOST_TEST(mdt_events(jane).empty());
    BOOST_TEST(!store->meetings().cases(m.id).at(0).decision_event_id.has_value());
    raw_sql("DROP TRIGGER refuse_mdt");
    record_board_decision(*store, physician, m.id, jane, "Surgery", {"physician"});
    BOOST_TEST(mdt_events(jane).size() == 1u);
    BOOST_TEST(store->audit().verify().intact);
}

BOOST_AUTO_TEST_CASE(only_clinicians_hold_meetings) {
    for (Role r : {Role::radiologist, Role::physician}) BOOST_TEST(allowed(r, Permission::hold_meetings));
    for (Role r : {Role::developer, Role::admin}) BOOST_TEST(!allowed(r, Permission::hold_meetings));
}

BOOST_AUTO_TEST_SUITE_END()
