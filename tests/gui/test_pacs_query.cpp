// The Query PACS dialog's model, headless: the search form's checks (dates, a range the right way
// round, at least one field), the result rows as the table shows them, the dialog's states, and
// the worker calls against a node where nothing answers (a clear failure naming the node, the
// failed retrieve audited as the CLI's is).
#include "mdt_workspace.h"

#include "model/pacs_query.h"

#include "consilium/decision/pacs_nodes.h"
#include "consilium/decision/workspace.h"

#include <boost/test/unit_test.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace consilium;
using namespace consilium::gui;
using consilium::test::MdtWorkspace;

namespace {

int closed_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

pacs::StudyMatch match(const std::string& uid, const std::string& date, const std::string& id) {
    pacs::StudyMatch m;
    m.study_uid = uid;
    m.date = date;
    m.patient_id = id;
    return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pacs_query)

BOOST_AUTO_TEST_CASE(dates_as_typed) {
    BOOST_TEST(*dicom_date("") == "");
    BOOST_TEST(*dicom_date("  ") == "");
    BOOST_TEST(*dicom_date("2024-01-02") == "20240102");
    BOOST_TEST(*dicom_date("20240102") == "20240102");
    BOOST_TEST(*dicom_date(" 2024-02-29 ") == "20240229");  // a leap day
    BOOST_TEST(!dicom_date("2023-02-29"));
    BOOST_TEST(!dicom_date("2024-13-01"));
    BOOST_TEST(!dicom_date("2024-04-31"));
    BOOST_TEST(!dicom_date("02-01-2024"));
    BOOST_TEST(!dicom_date("yesterday"));
    BOOST_TEST(!dicom_date("2024/01/02"));
}

BOOST_AUTO_TEST_CASE(search_form_checks) {
    PacsSearchFields f;
    BOOST_TEST(make_search(f).problem.find("at least one") != std::string::npos);
    f.patient_id = " PACS-0001 ";
    auto ok = make_search(f);
    BOOST_TEST(ok.problem == "");
    BOOST_TEST(ok.query.patient_id == "PACS-0001");
    BOOST_TEST(ok.query.limit == kMaxStudies);

    f.date_from = "2024-01-31";
    f.date_to = "2024-01-01";
    BOOST_TEST(make_search(f).problem.find("after") != std::string::npos);
    f.date_to = "20240201";
    auto range = make_search(f);
    BOOST_TEST(range.problem == "");
    BOOST_TEST(range.query.date_from == "20240131");
    BOOST_TEST(range.query.date_to == "20240201");
    f.date_from = "31-01-2024";
    BOOST_TEST(make_search(f).problem.find("'from' date is not a date") != std::string::npos);
    f.date_from = "";
    f.date_to = "soon";
    BOOST_TEST(make_search(f).problem.find("'to' date is not a date") != std::string::npos);

    PacsSearchFields only_date;
    only_date.date_from = "2024-01-01";  // an open range is enough to search
    BOOST_TEST(make_search(only_date).problem == "");
    PacsSearchFields modality;
    modality.modality = "ct";
    BOOST_TEST(make_search(modality).query.modality == "CT");
}

BOOST_AUTO_TEST_CASE(result_rows_read_as_a_clinician_reads_them) {
    auto a = match("1.1", "20230105", "P2");
    a.patient_name = "DOE^JANE";
    a.modalities = {"CT", "SR"};
    a.description = "CT thorax";
    a.series = 2;
    a.instances = 130;
    auto b = match("1.2", "20240102", "P1");  // newer: first
    auto c = match("1.3", "20230105", "P1");  // same day as a: by patient
    auto rows = study_rows({a, b, c});
    BOOST_REQUIRE_EQUAL(rows.size(), 3u);
    BOOST_TEST(rows[0].study_uid == "1.2");
    BOOST_TEST(rows[1].study_uid == "1.3");
    BOOST_TEST(rows[2].study_uid == "1.1");
    BOOST_TEST(rows[2].patient_name == "Jane Doe");
    BOOST_TEST(rows[2].date == "2023-01-05");
    BOOST_TEST(rows[2].modalities == "CT, SR");
    BOOST_TEST(rows[2].description == "CT thorax");
    BOOST_TEST(rows[2].series == "2");
    BOOST_TEST(rows[2].instances == "130");
    BOOST_TEST(rows[0].series == "");  // the node did not say
    BOOST_TEST(rows[0].instances == "");
    BOOST_TEST(rows[0].patient_name == "");
}

BOOST_AUTO_TEST_CASE(states_idle_searching_retrieving_done_failed_cancelled) {
    PacsQuery q;
    BOOST_TEST((q.state() == PacsQueryState::idle));
    BOOST_TEST(!q.can_retrieve(0));  // nothing found yet
    BOOST_TEST(!q.search_finished({}));
    BOOST_TEST(q.start_search());
    BOOST_TEST((q.state() == PacsQueryState::searching));
    BOOST_TEST(!q.start_search());  // one at a time
    BOOST_TEST(!q.can_cancel());
    SearchOutcome found;
    found.studies = {match("1.2", "20240102", "P1"), match("1.3", "20230105", "P1")};
    BOOST_TEST(q.search_finished(found));
    BOOST_TEST((q.state() == PacsQueryState::idle));
    BOOST_TEST(q.rows().size() == 2u);
    BOOST_TEST(!q.can_retrieve(2));
    BOOST_TEST(!q.can_retrieve(-1));

    BOOST_TEST(q.start_retrieve(1));
    BOOST_TEST((q.state() == PacsQueryState::retrieving));
    BOOST_TEST(q.retrieving_row() == 1);
    BOOST_TEST(q.can_cancel());
    BOOST_TEST(!q.can_search());
    BOOST_TEST(!q.start_retrieve(0));
    RetrieveOutcome cancelled;
    cancelled.cancelled = true;
    BOOST_TEST(q.retrieve_finished(cancelled));
    BOOST_TEST((q.state() == PacsQueryState::cancelled));
    BOOST_TEST(!q.can_cancel());

    BOOST_TEST(q.start_retrieve(0));
    RetrieveOutcome broken;
    broken.error = {PacsFailure::corrupt, "PACS node 'x': received data that is not a readable DICOM file"};
    BOOST_TEST(q.retrieve_finished(broken));
    BOOST_TEST((q.state() == PacsQueryState::failed));
    BOOST_TEST((q.error().failure == PacsFailure::corrupt));
    BOOST_TEST(q.rows().size() == 2u);  // the results stay to try again

    BOOST_TEST(q.start_retrieve(0));
    RetrieveOutcome ok;
    ok.patient_id = 7;
    ok.first_series_uid = "1.2.3";
    BOOST_TEST(q.retrieve_finished(ok));
    BOOST_TEST((q.state() == PacsQueryState::done));
    BOOST_TEST(q.retrieved().patient_id == 7);
    BOOST_TEST(!q.retrieve_finished(ok));  // finished once

    BOOST_TEST(q.start_search());
    SearchOutcome failed;
    failed.error = {PacsFailure::unreachable, "PACS node 'x' cannot connect"};
    BOOST_TEST(q.search_finished(failed));
    BOOST_TEST((q.state() == PacsQueryState::failed));
    BOOST_TEST(q.rows().empty());
}

BOOST_AUTO_TEST_CASE(gauge) {
    pacs::RetrieveProgress p;
    BOOST_TEST(gauge_permille(p) == -1);
    p.instances_expected = 40;
    p.instances_done = 10;
    BOOST_TEST(gauge_permille(p) == 250);
    p.instances_done = 50;
    BOOST_TEST(gauge_permille(p) == 1000);
}

BOOST_AUTO_TEST_CASE(a_node_that_does_not_answer) {
    MdtWorkspace w;
    w.login("radiologist");
    BOOST_TEST(pacs_nodes_of(w.folder, w.workstation->session()).empty());
    {
        auto ws = decision::Workspace::open(w.folder);
        auto admin = decision::login(ws.store(), "admin", "admin");
        decision::PacsNode node;
        node.name = "radiology";
        node.protocol = "dicomweb";
        node.url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/dicom-web";
        decision::add_pacs_node(ws.store(), admin, node);
    }
    const auto& session = w.workstation->session();
    auto nodes = pacs_nodes_of(w.folder, session);
    BOOST_REQUIRE_EQUAL(nodes.size(), 1u);
    BOOST_TEST(nodes[0].name == "radiology");

    pacs::StudyQuery q;
    q.patient_id = "X";
    auto found = run_pacs_search(w.folder, session, "radiology", q);
    BOOST_TEST((found.error.failure == PacsFailure::unreachable), found.error.detail);
    BOOST_TEST(found.error.detail.find("radiology") != std::string::npos);

    const auto before = w.audit_count("pacs.retrieve");
    int progress_calls = 0;
    auto got = run_pacs_retrieve(w.folder, session, "radiology", "1.2.3", [&](const pacs::RetrieveProgress&) { ++progress_calls; },
                                 nullptr);
    BOOST_TEST((got.error.failure == PacsFailure::unreachable), got.error.detail);
    BOOST_TEST(!got.cancelled);
    BOOST_TEST(got.patient_id == 0);
    BOOST_TEST(w.audit_count("pacs.retrieve") == before + 1);  // the failure is audited
    BOOST_TEST(!std::filesystem::exists(w.folder / ".staging"));

    auto missing = run_pacs_search(w.folder, session, "nowhere", q);
    BOOST_TEST((missing.error.failure == PacsFailure::not_found));
}

BOOST_AUTO_TEST_SUITE_END()
