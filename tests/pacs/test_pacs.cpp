// The PACS client library against a real Orthanc: DICOMweb and DIMSE, search, retrieve, store,
// and the ways it goes wrong (nothing listening, wrong credentials, server killed mid-transfer).
#include "series.h"

#include "consilium/decision/errors.h"
#include "consilium/pacs/client.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <set>

namespace {

namespace fs = std::filesystem;
using namespace consilium;
using namespace consilium::test::pacs;
using consilium::test::ScratchDir;
using pacs::PacsError;

std::vector<decision::PacsNode> both(const Orthanc& o) { return {o.web_node(), o.dimse_node()}; }

void check_search_and_retrieve(const decision::PacsNode& node, const Series& series, const fs::path& staging) {
    BOOST_TEST_CONTEXT(node.protocol) {
        auto client = pacs::connect(node);
        client->echo();
        pacs::StudyQuery q;
        q.patient_id = series.spec.patient_id;
        auto studies = client->find_studies(q);
        BOOST_REQUIRE_EQUAL(studies.size(), 1u);
        BOOST_TEST(studies[0].study_uid == series.spec.study_uid);
        BOOST_TEST(studies[0].patient_id == series.spec.patient_id);
        BOOST_TEST(studies[0].date == "20240102");
        BOOST_TEST(studies[0].instances == series.spec.slices);
        BOOST_TEST(studies[0].series == 1);
        BOOST_TEST((studies[0].modalities == std::vector<std::string>{"CT"}));
        auto found = client->find_series(series.spec.study_uid);
        BOOST_REQUIRE_EQUAL(found.size(), 1u);
        BOOST_TEST(found[0].series_uid == series.spec.series_uid);
        BOOST_TEST(found[0].modality == "CT");

        auto got = client->retrieve(series.spec.study_uid, "", staging, {});
        BOOST_TEST(got.stored.size() == static_cast<std::size_t>(series.spec.slices));
        BOOST_TEST(got.skipped == 0);
        BOOST_TEST(files_in(staging, ".dcm") == static_cast<std::size_t>(series.spec.slices));
        BOOST_TEST(files_in(staging, ".part") == 0u);
        for (const auto& i : got.stored) {
            BOOST_TEST(i.study_uid == series.spec.study_uid);
            BOOST_TEST(i.series_uid == series.spec.series_uid);
            BOOST_TEST(fs::exists(i.file));
        }
        check_same_volume(series.folder, staging);

        // Resumable per instance: what is held is not fetched again.
        std::set<std::string> held;
        for (std::size_t k = 0; k < got.stored.size(); k += 2) held.insert(got.stored[k].sop_instance_uid);
        pacs::RetrieveOptions options;
        options.have = [&](const std::string&, const std::string& sop) { return held.count(sop) > 0; };
        auto again = client->retrieve(series.spec.study_uid, "", staging / "again", options);
        BOOST_TEST(again.skipped == static_cast<int>(held.size()));
        BOOST_TEST(again.stored.size() == got.stored.size() - held.size());
        for (const auto& i : again.stored) BOOST_TEST(held.count(i.sop_instance_uid) == 0u);
        options.have = [](const std::string&, const std::string&) { return true; };
        auto none = client->retrieve(series.spec.study_uid, "", staging / "none", options);
        BOOST_TEST(none.stored.empty());
        BOOST_TEST(none.skipped == series.spec.slices);
    }
}

BOOST_AUTO_TEST_CASE(dicomweb_echo_query_retrieve) {
    ScratchDir dir("pacs");
    Orthanc orthanc;
    auto series = uploaded_series(orthanc, dir / "local");
    check_search_and_retrieve(orthanc.web_node(), series, dir / "staged-web");
}

BOOST_AUTO_TEST_CASE(dimse_echo_query_retrieve) {
    ScratchDir dir("pacs");
    Orthanc orthanc;
    auto series = uploaded_series(orthanc, dir / "local");
    check_search_and_retrieve(orthanc.dimse_node(), series, dir / "staged-dimse");
}

BOOST_AUTO_TEST_CASE(query_filters_by_modality_and_date) {
    ScratchDir dir("pacs");
    Orthanc orthanc;
    auto series = uploaded_series(orthanc, dir / "local", 3, 8, 8);
    for (const auto& node : both(orthanc)) {
        BOOST_TEST_CONTEXT(node.protocol) {
            auto client = pacs::connect(node);
            pacs::StudyQuery q;
            q.modality = "MR";
            BOOST_TEST(client->find_studies(q).empty());
            q.modality = "CT";
            BOOST_TEST(client->find_studies(q).size() == 1u);
            q.date_from = "20240101";
            q.date_to = "20240131";
            BOOST_TEST(client->find_studies(q).size() == 1u);
            q.date_from = "20250101";
            q.date_to = "";
            BOOST_TEST(client->find_studies(q).empty());
            pacs::StudyQuery by_id;
            by_id.patient_id = "NOBODY";
            BOOST_TEST(client->find_studies(by_id).empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(unknown_study_is_not_found) {
    ScratchDir dir("pacs");
    Orthanc orthanc;
    uploaded_series(orthanc, dir / "local", 2, 8, 8);
    for (const auto& node : both(orthanc)) {
        BOOST_TEST_CONTEXT(node.protocol) {
            BOOST_CHECK_THROW(pacs::connect(node)->retrieve("1.2.3.4.5.6.7.8.9", "", dir / "x", {}), decision::NotFound);
            BOOST_TEST(files_in(dir / "x", ".dcm") == 0u);
        }
    }
}

BOOST_AUTO_TEST_CASE(unreachable_node_fails_within_15_seconds) {
    const int port = free_port();  // nothing listens there
    decision::PacsNode web{0, "dead-web", "dicomweb", "http://127.0.0.1:" + std::to_string(port) + "/dicom-web"};
    decision::PacsNode dimse;
    dimse.name = "dead-dimse";
    dimse.protocol = "dimse";
    dimse.called_aet = "ORTHANC";
    dimse.host = "127.0.0.1";
    dimse.port = port;
    dimse.calling_aet = "CONSILIUM";
    for (const auto& node : {web, dimse}) {
        BOOST_TEST_CONTEXT(node.protocol) {
            auto start = std::chrono::steady_clock::now();
            try {
                pacs::connect(node)->find_studies({});
                BOOST_ERROR("a query of a dead node succeeded");
            } catch (const PacsError& e) {
                BOOST_TEST((e.kind() == PacsError::Kind::unreachable), e.what());
                BOOST_TEST(std::string(e.what()).find(node.name) != std::string::npos);
            }
            BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(15)));
        }
    }
}

BOOST_AUTO_TEST_CASE(wrong_credentials_are_an_authentication_failure) {
    ScratchDir dir("pacs");
    OrthancOptions options;
    options.users = {{"alice", "correct horse"}};
    Orthanc orthanc(options);
    auto series = uploaded_series(orthanc, dir / "local", 2, 8, 8);
    auto node = orthanc.web_node();
    pacs::connect(node)->echo();  // the right password works
    BOOST_TEST(pacs::connect(node)->find_studies({}).size() == 1u);
    node.password = "wrong";
    try {
        pacs::connect(node)->echo();
        BOOST_ERROR("a wrong password was accepted");
    } catch (const PacsError& e) {
        BOOST_TEST((e.kind() == PacsError::Kind::auth), e.what());
        BOOST_TEST(std::string(e.what()).find("authentication failed") != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("wrong") == std::string::npos);  // the password is never shown
    }
    node.username.clear();
    node.password.clear();
    BOOST_CHECK_THROW(pacs::connect(node)->retrieve(series.spec.study_uid, "", dir / "x", {}), PacsError);
    BOOST_TEST(files_in(dir / "x", ".dcm") == 0u);
}

// The server dies while instances are arriving: an error, and no half-written file.
BOOST_AUTO_TEST_CASE(server_killed_mid_transfer) {
    ScratchDir dir("pacs");
    for (const bool web : {true, false}) {
        BOOST_TEST_CONTEXT((web ? "dicomweb" : "dimse")) {
            Orthanc orthanc;
            auto series = uploaded_series(orthanc, dir / (web ? "local-web" : "local-dimse"), 60, 512, 512);
            auto node = web ? orthanc.web_node() : orthanc.dimse_node();
            const fs::path staging = dir / (web ? "staged-web" : "staged-dimse");
            pacs::RetrieveOptions options;
            options.progress = [&](const pacs::RetrieveProgress& p) {
                if (orthanc.running() && p.instances_done >= 5) orthanc.kill_now();
            };
            auto start = std::chrono::steady_clock::now();
            try {
                pacs::connect(node)->retrieve(series.spec.study_uid, "", staging, options);
                BOOST_ERROR("the retrieve succeeded although the server was killed");
            } catch (const PacsError& e) {
                BOOST_TEST_MESSAGE("message: " << e.what());
                BOOST_TEST(std::string(e.what()).size() > 20u);
            }
            BOOST_TEST(!orthanc.running());
            BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(15)));
            BOOST_TEST(files_in(staging, ".part") == 0u);
            BOOST_TEST(files_in(staging, ".dcm") < 60u);
        }
    }
}

BOOST_AUTO_TEST_CASE(store_through_both_protocols) {
    ScratchDir dir("pacs");
    Orthanc orthanc;
    test::dicom::SeriesSpec a, b;
    a.patient_id = "STOW-1";
    b.patient_id = "CSTORE-1";
    a.slices = b.slices = 3;
    auto fa = test::dicom::write_series(dir / "a", a);
    auto fb = test::dicom::write_series(dir / "b", b);
    auto ra = pacs::connect(orthanc.web_node())->store(fa);
    BOOST_TEST(ra.sent == 3);
    BOOST_TEST(ra.failures.empty());
    auto rb = pacs::connect(orthanc.dimse_node())->store(fb);
    BOOST_TEST(rb.sent == 3);
    BOOST_TEST(rb.failures.empty());
    for (const auto& id : {a.patient_id, b.patient_id}) {
        pacs::StudyQuery q;
        q.patient_id = id;
        auto found = pacs::connect(orthanc.web_node())->find_studies(q);
        BOOST_REQUIRE_EQUAL(found.size(), 1u);
        BOOST_TEST(found[0].instances == 3);
    }
}

BOOST_AUTO_TEST_CASE(shared_ct_series_through_both_protocols, CONSILIUM_SHARED_DATA) {
    auto local = *consilium::test::shared_data() / "dicom/philips-ingenuity-ct-head-phantom/S2010-std-brain-5mm";
    BOOST_REQUIRE(fs::is_directory(local));
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(local))
        if (e.is_regular_file()) files.push_back(e.path());
    ScratchDir dir("pacs");
    Orthanc orthanc;
    BOOST_REQUIRE_EQUAL(orthanc.upload(files), static_cast<int>(files.size()));
    auto studies = pacs::connect(orthanc.web_node())->find_studies({});
    BOOST_REQUIRE_EQUAL(studies.size(), 1u);
    for (const auto& node : both(orthanc)) {
        BOOST_TEST_CONTEXT(node.protocol) {
            auto staging = dir / node.protocol;
            auto got = pacs::connect(node)->retrieve(studies[0].study_uid, "", staging, {});
            BOOST_TEST(got.stored.size() == files.size());
            check_same_volume(local, staging);
        }
    }
}

}  // namespace
