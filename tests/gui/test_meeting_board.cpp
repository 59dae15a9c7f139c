// MDT meeting mode's model: creating and opening meetings, the case list in order with names,
// moving through the cases, and recording the board's decision into the open record only.
#include "mdt_workspace.h"

#include "model/meeting_board.h"
#include "model/presentation_layout.h"
#include "model/user_words.h"

#include <boost/test/unit_test.hpp>

using namespace consilium;
using namespace consilium::gui;
using consilium::test::MdtWorkspace;

BOOST_AUTO_TEST_SUITE(meeting_board)

BOOST_AUTO_TEST_CASE(attendees_are_one_name_a_line_each_once) {
    BOOST_TEST(attendees_from_lines("physician\n\n  Dr. A. Surgeon \r\nphysician\n\t\nDr. B. Oncologist") ==
                   (std::vector<std::string>{"physician", "Dr. A. Surgeon", "Dr. B. Oncologist"}),
               boost::test_tools::per_element());
    BOOST_TEST(attendees_from_lines(" \n\n").empty());
}

BOOST_AUTO_TEST_CASE(a_clinician_builds_the_case_list_in_order) {
    MdtWorkspace w;
    w.login("physician");
    MeetingBoard board(*w.workstation);
    int changes = 0;
    board.changed.connect([&] { ++changes; });
    BOOST_TEST(board.may_hold());
    BOOST_TEST(board.create("  ", "2024-05-02").find("needs a name") != std::string::npos);
    BOOST_TEST(!board.meeting().has_value());
    BOOST_TEST(board.create("Thoracic oncology MDT", "2024-05-02") == "");
    BOOST_REQUIRE(board.meeting().has_value());
    BOOST_TEST(meeting_label(*board.meeting()) == "2024-05-02  Thoracic oncology MDT");

    BOOST_TEST(board.add_open_patient("") == "open the patient first");
    BOOST_TEST(w.workstation->open_patient(w.piet) == "");
    BOOST_TEST(board.add_open_patient("Resectable?") == "");
    BOOST_TEST(w.workstation->open_patient(w.jane) == "");
    BOOST_TEST(board.add_open_patient("") == "");
    BOOST_TEST(board.add_open_patient("again").find("already on the case list") != std::string::npos);
    BOOST_REQUIRE(board.cases().size() == 2u);
    BOOST_TEST(board.cases()[0].patient_name == "Piet de Boer");
    BOOST_TEST(board.cases()[0].entry.question == "Resectable?");
    BOOST_TEST(board.cases()[1].mrn == "MRN-1");
    BOOST_TEST(changes >= 3);

    // Another workstation sees the meeting in the list and opens it with its cases.
    MeetingBoard other(*w.workstation);
    auto meetings = other.meetings();
    BOOST_REQUIRE(meetings.size() == 1u);
    BOOST_TEST(other.open(meetings[0].id) == "");
    BOOST_TEST(other.cases().size() == 2u);
    BOOST_TEST(other.open(9999).find("no such MDT meeting") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(moving_through_the_cases_stops_at_the_ends) {
    MdtWorkspace w;
    w.login("radiologist");
    MeetingBoard board(*w.workstation);
    BOOST_TEST(board.create("Breast MDT", "2024-05-03") == "");
    for (auto id : {w.jane, w.piet}) {
        w.workstation->open_patient(id);
        BOOST_TEST(board.add_open_patient("") == "");
    }
    BOOST_TEST(!board.current().has_value());
    BOOST_TEST(!board.previous());
    BOOST_TEST(board.next());
    BOOST_TEST(*board.current() == 0u);
    BOOST_TEST(board.next());
    BOOST_TEST(*board.current() == 1u);
    BOOST_TEST(!board.next());
    BOOST_TEST(*board.current() == 1u);
    BOOST_TEST(board.previous());
    BOOST_TEST(board.current_case()->patient_name == "Jane Doe");
    BOOST_TEST(!board.select(2));
    BOOST_TEST(board.first_undecided() == 0u);
}

BOOST_AUTO_TEST_CASE(a_decision_goes_into_the_open_record_only_and_reaches_the_timeline) {
    MdtWorkspace w;
    w.login("physician");
    MeetingBoard board(*w.workstation);
    BOOST_TEST(board.create("Thoracic", "2024-05-02") == "");
    for (auto id : {w.jane, w.piet}) {
        w.workstation->open_patient(id);
        BOOST_TEST(board.add_open_patient("") == "");
    }
    BOOST_TEST(board.record_decision("Surgery", "physician") == "choose a case of the meeting first");
    board.select(0);  // Jane's case, while Piet's record is open
    BOOST_TEST(board.record_decision("Surgery", "physician").find("not this case's patient") != std::string::npos);
    BOOST_TEST(w.audit_count("mdt.decision") == 0);

    w.workstation->open_patient(w.jane);
    int timeline_redraws = 0;
    w.workstation->suggestions_changed.connect([&] { ++timeline_redraws; });
    // Refusals name the patient on screen, not decision/'s ids ("meeting 1, patient 3: ...").
    const auto empty = board.record_decision("  ", "physician");
    BOOST_TEST(empty.rfind("Jane Doe: ", 0) == 0, empty);
    BOOST_TEST(empty.find("empty") != std::string::npos, empty);
    BOOST_TEST(board.record_decision("Lobectomy", "\n").find("attendee") != std::string::npos);
    BOOST_TEST(board.record_decision("Lobectomy right upper lobe", "physician\nDr. A. Surgeon") == "");
    BOOST_TEST(timeline_redraws == 1);
    BOOST_TEST(board.cases()[0].decided());
    BOOST_TEST(*board.cases()[0].entry.decided_by == "physician");
    // The case list shows the board's words, not only "decided" (issue 12, item 9); the other case has none.
    BOOST_TEST(board.cases()[0].decision_text == "Lobectomy right upper lobe");
    BOOST_TEST(board.cases()[1].decision_text.empty());
    BOOST_TEST(board.first_undecided() == 1u);
    BOOST_TEST(w.audit_count("mdt.decision") == 1);

    decision::TimelineFilter only_mdt;
    only_mdt.kinds = {decision::EventKind::mdt};
    auto events = w.workstation->store().timeline().events(w.jane, only_mdt);
    BOOST_REQUIRE(events.size() == 1u);
    BOOST_TEST(*events[0].value_text == "Lobectomy right upper lobe");
    BOOST_TEST(board.record_decision("Again", "physician").find("already decided") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(developers_and_administrators_look_but_do_not_decide) {
    MdtWorkspace w;
    w.login("physician");
    MeetingBoard board(*w.workstation);
    BOOST_TEST(board.create("Thoracic", "2024-05-02") == "");
    w.workstation->open_patient(w.jane);
    BOOST_TEST(board.add_open_patient("") == "");
    const auto id = board.meeting()->id;
    for (const char* user : {"developer", "admin"}) {
        w.login(user);
        MeetingBoard looking(*w.workstation);
        BOOST_TEST(!looking.may_hold());
        BOOST_TEST(looking.open(id) == "");
        BOOST_TEST(looking.cases().size() == 1u);
        BOOST_TEST(looking.create("Mine", "2024-05-02").find("may not hold MDT meetings") != std::string::npos);
        w.workstation->open_patient(w.piet);
        BOOST_TEST(looking.add_open_patient("").find("may not") != std::string::npos);
        w.workstation->open_patient(w.jane);
        looking.select(0);
        BOOST_TEST(looking.record_decision("Surgery", user).find("may not") != std::string::npos);
    }
    BOOST_TEST(w.audit_count("mdt.decision") == 0);
}

BOOST_AUTO_TEST_CASE(the_presentation_sets_dock_sizes_in_the_perspective) {
    const std::string saved = "layout2|name=timeline;dir=3;layer=0;row=0|dock_size(1,2,0)=50|dock_size(3,0,0)=242|dock_size(4,1,0)=520|";
    BOOST_TEST(with_dock_size(saved, DockSide::bottom, 0, 0, 400) ==
               "layout2|name=timeline;dir=3;layer=0;row=0|dock_size(1,2,0)=50|dock_size(3,0,0)=400|dock_size(4,1,0)=520|");
    BOOST_TEST(with_dock_size(saved, DockSide::left, 1, 0, 600).find("dock_size(4,1,0)=600|") != std::string::npos);
    BOOST_TEST(with_dock_size(saved, DockSide::right, 0, 0, 300) == saved);  // no such dock: unchanged
    BOOST_TEST(with_dock_size("x|dock_size(3,0,0)=7", DockSide::bottom, 0, 0, 90) == "x|dock_size(3,0,0)=90");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(at_the_board_the_timeline_shows_decisions_and_ai_lanes_first) {
    std::vector<TimelineLane> lanes;
    for (auto kind : {LaneKind::encounters, LaneKind::conditions, LaneKind::vital, LaneKind::vital, LaneKind::ai, LaneKind::mdt}) {
        TimelineLane l;
        l.kind = kind;
        l.label = std::to_string(lanes.size());
        lanes.push_back(l);
    }
    meeting_lanes_first(lanes);
    std::vector<std::string> order;
    for (const auto& l : lanes) order.push_back(l.label);
    // MDT, AI, then the clinical order unchanged (the two vital-sign rows stay together, in order).
    BOOST_TEST(order == (std::vector<std::string>{"5", "4", "0", "1", "2", "3"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(messages_name_what_the_clinician_sees_not_record_ids) {
    BOOST_TEST(in_users_words("suggestion 3: already decided", "Pulmonary nodule") == "Pulmonary nodule: already decided");
    BOOST_TEST(in_users_words("meeting 1, patient 3: the board decision is empty", "Jane Doe") ==
               "Jane Doe: the board decision is empty");
    // Nothing to replace, or nothing to say instead: as it was.
    BOOST_TEST(in_users_words("the series is still loading", "Jane Doe") == "the series is still loading");
    BOOST_TEST(in_users_words("suggestion 3: already decided", "") == "suggestion 3: already decided");
    BOOST_TEST(in_users_words("see suggestion 3: later", "X") == "see suggestion 3: later");
}
