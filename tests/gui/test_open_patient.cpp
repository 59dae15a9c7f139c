// Item 4 of issue 12: a click on another worklist row once highlighted that patient while banner,
// images, cards and timeline still showed the previous one. Choosing a row opens it (the
// worklist panel, tested in the real app by test_reading_app), and the highlighted row is always
// the open patient's: Workstation::open_patient_row, which the panel highlights.
#include "mdt_workspace.h"

#include <boost/test/unit_test.hpp>

using namespace consilium;
using namespace consilium::gui;
using consilium::test::MdtWorkspace;

namespace {
std::size_t row_of(Workstation& w, std::int64_t id) {
    const auto& rows = w.patients().visible();
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].id == id) return i;
    BOOST_FAIL("patient " << id << " has no worklist row");
    return 0;
}
}  // namespace

BOOST_AUTO_TEST_CASE(the_highlighted_worklist_row_is_always_the_open_patients) {
    MdtWorkspace m;
    m.login("radiologist");
    auto& w = *m.workstation;
    BOOST_TEST(!w.open_patient_row().has_value(), "no patient is open: no row may be highlighted");

    const auto before = m.audit_count("patient.open");
    BOOST_TEST(w.open_patient(w.patients().visible()[row_of(w, m.jane)].id) == "");
    BOOST_REQUIRE(w.patient());
    BOOST_TEST(w.patient()->id == m.jane);
    BOOST_TEST(w.open_patient_row().value_or(99) == row_of(w, m.jane));

    // Another patient opened (from the worklist, the timeline, the meeting): the highlight follows, audited.
    BOOST_TEST(w.open_patient(m.piet) == "");
    BOOST_TEST(w.patient()->id == m.piet);
    BOOST_TEST(w.open_patient_row().value_or(99) == row_of(w, m.piet));
    BOOST_TEST(m.audit_count("patient.open") == before + 2);

    // A search that hides the open patient leaves no row highlighted - never another patient's.
    w.patients().set_search("Jane");
    BOOST_TEST(w.patients().visible().size() == 1u);
    BOOST_TEST(!w.open_patient_row().has_value());
    BOOST_TEST(w.patient()->id == m.piet);
    w.patients().set_search("");
    BOOST_TEST(w.open_patient_row().value_or(99) == row_of(w, m.piet));

    // A patient who cannot be opened (no such id) leaves the open record and its row as they were.
    BOOST_TEST(w.open_patient(std::int64_t{999}) != "");
    BOOST_TEST(w.patient()->id == m.piet);
    BOOST_TEST(w.open_patient_row().value_or(99) == row_of(w, m.piet));

    // Logged out: the record closes and no row stays highlighted.
    w.logout();
    BOOST_TEST(!w.open_patient_row().has_value());
}
