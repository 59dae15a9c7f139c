// `pacs store`: reviewed findings sent to a real Orthanc over STOW-RS and C-STORE, then found there
// by series-level QIDO-RS and C-FIND under the CT's study; a node that does not answer fails the
// command and is audited as failed, never as sent.
#include "../pacs/orthanc.h"
#include "demo_findings.h"

#include "consilium/pacs/client.h"

#include <algorithm>

namespace {

using namespace consilium::test;
using namespace consilium::test::clitest;
using consilium::test::exporting::demo;
namespace client = consilium::pacs;
using consilium::test::pacs::Orthanc;
using consilium::test::pacs::free_port;

const client::SeriesMatch* series_in(const std::vector<client::SeriesMatch>& found, const std::string& uid) {
    auto it = std::find_if(found.begin(), found.end(), [&](const client::SeriesMatch& m) { return m.series_uid == uid; });
    return it == found.end() ? nullptr : &*it;
}

std::vector<json> store_entries(const std::string& node) {
    std::vector<json> out;
    for (const auto& e : demo().json_as("admin", {"audit", "log", "--action", "pacs.store"}))
        if (e["details"]["node"] == node) out.push_back(e);
    return out;
}

BOOST_AUTO_TEST_CASE(sent_over_both_protocols_and_found_under_the_study) {
    auto& d = demo();
    Orthanc orthanc;
    REQUIRE_EXIT(d.as("admin", {"pacs", "add", "orthanc-web", "--dicomweb", orthanc.dicomweb_url()}), 0);
    REQUIRE_EXIT(d.as("admin", {"pacs", "add", "orthanc-dimse", "--dimse",
                                "ORTHANC@127.0.0.1:" + std::to_string(orthanc.dicom_port()), "--calling-aet", "CONSILIUM"}),
                 0);
    const auto accepted = std::to_string(d.accepted["id"].get<std::int64_t>());
    const auto modified = std::to_string(d.modified["id"].get<std::int64_t>());
    auto web = d.json_as("radiologist", {"pacs", "store", "orthanc-web", accepted});
    auto dimse = d.json_as("physician", {"pacs", "store", "orthanc-dimse", modified, "--json"});
    BOOST_TEST(web["sent"] == 2);
    BOOST_TEST(dimse["sent"] == 2);
    BOOST_TEST(!std::filesystem::exists(d.cli.workspace / ".staging"));

    // Both protocols find all four series, with their modalities, under the CT's study.
    for (const auto& node : {orthanc.web_node(), orthanc.dimse_node()}) {
        BOOST_TEST_CONTEXT(node.protocol) {
            auto found = client::connect(node)->find_series(d.study_uid);
            BOOST_TEST(found.size() == 4u);
            for (const auto* sent : {&web, &dimse}) {
                const auto* sr = series_in(found, (*sent)["sr"]["series_uid"]);
                const auto* seg = series_in(found, (*sent)["seg"]["series_uid"]);
                BOOST_REQUIRE(sr);
                BOOST_REQUIRE(seg);
                BOOST_TEST(sr->modality == "SR");
                BOOST_TEST(seg->modality == "SEG");
                BOOST_TEST(sr->instances == 1);
                BOOST_TEST(seg->instances == 1);
            }
        }
    }
    auto studies = client::connect(orthanc.web_node())->find_studies({});
    BOOST_REQUIRE_EQUAL(studies.size(), 1u);
    BOOST_TEST(studies[0].study_uid == d.study_uid);
    BOOST_TEST(studies[0].patient_id == web["patient_id"].get<std::string>());

    auto entries = store_entries("orthanc-web");
    BOOST_REQUIRE_EQUAL(entries.size(), 1u);
    BOOST_TEST(entries[0]["details"]["status"] == "succeeded");
    BOOST_TEST(entries[0]["details"]["sent"] == 2);
    BOOST_TEST(entries[0]["details"]["sr_uid"] == web["sr"]["sop_instance_uid"]);
    BOOST_TEST(entries[0]["user"] == "radiologist");
    BOOST_TEST(store_entries("orthanc-dimse").size() == 1u);

    // Refusals come before any connection: a proposed finding is not sent, and not audited as sent.
    auto r = d.as("radiologist", {"pacs", "store", "orthanc-web", std::to_string(d.proposed["id"].get<std::int64_t>())});
    CHECK_EXIT(r, 2);
    CHECK_CONTAINS(r.err, "proposed");
    BOOST_TEST(client::connect(orthanc.web_node())->find_series(d.study_uid).size() == 4u);
    CHECK_EXIT(d.as("developer", {"pacs", "store", "orthanc-web", accepted}), 3);
    CHECK_EXIT(d.cli.run({"audit", "verify"}), 0);
}

BOOST_AUTO_TEST_CASE(a_node_that_does_not_answer_is_audited_as_failed) {
    auto& d = demo();
    const auto port = std::to_string(free_port());
    REQUIRE_EXIT(d.as("admin", {"pacs", "add", "gone-web", "--dicomweb", "http://127.0.0.1:" + port + "/dicom-web"}), 0);
    REQUIRE_EXIT(d.as("admin", {"pacs", "add", "gone-dimse", "--dimse", "ORTHANC@127.0.0.1:" + port}), 0);
    const auto accepted = std::to_string(d.accepted["id"].get<std::int64_t>());
    for (const std::string node : {"gone-web", "gone-dimse"}) {
        BOOST_TEST_CONTEXT(node) {
            auto r = d.as("radiologist", {"pacs", "store", node, accepted});
            BOOST_TEST(r.exit_code != 0, shown(r));
            CHECK_CONTAINS(r.err, "connect");
            auto entries = store_entries(node);
            BOOST_REQUIRE_EQUAL(entries.size(), 1u);
            BOOST_TEST(entries[0]["details"]["status"] == "failed");
            BOOST_TEST(!entries[0]["details"].contains("sent"));
        }
    }
    BOOST_TEST(!std::filesystem::exists(d.cli.workspace / ".staging"));
}

}  // namespace
