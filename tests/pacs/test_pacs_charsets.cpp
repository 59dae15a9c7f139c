// DICOM text in many character sets through a real Orthanc and back: files written by pydicom
// (tests/support/make_charset_dicom.py) are stored, then found through QIDO-RS and C-FIND, by ID and
// by a non-ASCII name, and one study is retrieved by the CLI into a workspace.
//
// What Orthanc 1.10.1 (Debian 12, DICOMweb plugin 1.7) does with such text, found by trying it:
// - Its index holds every name decoded right, except ISO 2022 IR 13\ISO 2022 IR 87 (kanji left as
//   raw JIS bytes); that file is left out of the checks.
// - C-FIND answers, and the QIDO-RS JSON too, are encoded in its "DefaultEncoding" (Latin1 unless
//   configured), whatever the query asked for; what that set cannot hold is dropped. Orthanc's own
//   TODO says so (hg orthanc 41152b638a4a: "For C-Find Orthanc always uses the DefaultEncoding in
//   the response"). So the round trip runs with DefaultEncoding Utf8, and the decoding of what
//   Orthanc transcodes is checked with Latin1, Cyrillic, Greek and Chinese (GB18030) answers.
// - QIDO-RS query values are not percent-decoded ("PatientID=CS-0%30" matches nothing), so a
//   name query with '^' or any non-ASCII letter, which a client must escape, finds nothing.
#include "../cli/cli_harness.h"
#include "series.h"

#include "consilium/pacs/client.h"

#include <curl/curl.h>

#include <cstdlib>
#include <map>
#include <set>

namespace {

namespace fs = std::filesystem;
using namespace consilium;
using namespace consilium::test::clitest;
using namespace consilium::test::pacs;
using consilium::test::ScratchDir;

// Orthanc mis-decodes this form itself (see above): nothing our side could get right.
const std::set<std::string> kOrthancGarbles = {"ISO 2022 IR 13\\ISO 2022 IR 87"};

struct Generated {
    ScratchDir dir{"pacs-charsets"};
    json expected;  // valid cases only, by patient ID
    std::map<std::string, json> by_id;
    std::vector<fs::path> files;
    Generated() {
        const char* generator = std::getenv("CONSILIUM_CHARSET_GENERATOR");
        BOOST_REQUIRE_MESSAGE(generator, "CONSILIUM_CHARSET_GENERATOR is not set");
        auto r = consilium::test::run_program({"/usr/bin/python3", generator, dir.path().string()});
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "pydicom could not write the test files: " + r.err);
        for (const auto& e : json::parse(r.out)) {
            if (!e["valid"].get<bool>() || kOrthancGarbles.count(e["charset"].get<std::string>())) continue;
            by_id[e["patient_id"].get<std::string>()] = e;
            files.push_back(dir.path() / e["file"].get<std::string>());
        }
    }
    std::string name(const std::string& id) const { return by_id.at(id)["patient_name"].get<std::string>(); }
    std::string study(const std::string& id) const { return by_id.at(id)["study_description"].get<std::string>(); }
};

std::size_t ignore_body(char*, std::size_t size, std::size_t n, void*) { return size * n; }

// HTTP status of a request to Orthanc's REST API.
long http(const Orthanc& o, const std::string& method, const std::string& path, const std::string& body = "") {
    CURL* c = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(o.http_port()) + path;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (!body.empty()) curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ignore_body);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    return status;
}

void set_default_encoding(const Orthanc& o, const std::string& encoding) {
    BOOST_REQUIRE_EQUAL(http(o, "PUT", "/tools/default-encoding", encoding), 200);
}

struct Stored {
    Generated g;
    Orthanc orthanc;
    Stored() { BOOST_REQUIRE_EQUAL(orthanc.upload(g.files), static_cast<int>(g.files.size())); }
};

std::map<std::string, pacs::StudyMatch> studies_by_id(const decision::PacsNode& node, const std::string& pattern = "CS-*") {
    pacs::StudyQuery q;
    q.patient_id = pattern;
    std::map<std::string, pacs::StudyMatch> out;
    for (auto& m : pacs::connect(node)->find_studies(q)) out[m.patient_id] = m;
    return out;
}

BOOST_AUTO_TEST_SUITE(pacs_charsets)

BOOST_AUTO_TEST_CASE(every_name_and_description_comes_back_as_written_through_both_protocols) {
    Stored s;
    BOOST_REQUIRE(s.g.by_id.size() >= 20u);
    set_default_encoding(s.orthanc, "Utf8");
    for (const auto& node : {s.orthanc.web_node(), s.orthanc.dimse_node()}) {
        BOOST_TEST_CONTEXT(node.protocol) {
            auto found = studies_by_id(node);
            BOOST_TEST(found.size() == s.g.by_id.size());
            for (const auto& [id, e] : s.g.by_id) {
                BOOST_TEST_CONTEXT(id << " " << e["charset"].get<std::string>()) {
                    BOOST_REQUIRE(found.count(id));
                    BOOST_TEST(found[id].patient_name == s.g.name(id));
                    BOOST_TEST(found[id].description == s.g.study(id));
                }
            }
            // The ISO 2022 IR 87 name: both the alphabetic and the ideographic family are there.
            const auto& yamada = found["CS-12"].patient_name;
            BOOST_TEST(yamada.find("Yamada") != std::string::npos);
            BOOST_TEST(yamada.find("=山田^") != std::string::npos);
            BOOST_TEST(yamada.find("=やまだ^") != std::string::npos);
        }
    }
}

// Orthanc answers C-FIND in its DefaultEncoding and says which in (0008,0005): whatever set that
// is, the names come back as written (each ID holds a name that set can represent).
BOOST_AUTO_TEST_CASE(c_find_answers_transcoded_by_orthanc_are_decoded_by_their_character_set) {
    Stored s;
    const std::vector<std::pair<std::string, std::vector<std::string>>> sets = {
        {"Latin1", {"CS-00", "CS-01"}},    // ISO_IR 100: Buc^Jérôme, Hoëvenaars^Ingrid
        {"Cyrillic", {"CS-05"}},           // ISO_IR 144
        {"Greek", {"CS-07"}},              // ISO_IR 126
        {"Chinese", {"CS-18", "CS-12"}},   // GB18030 holds the Japanese kanji and kana too
    };
    for (const auto& [encoding, ids] : sets) {
        set_default_encoding(s.orthanc, encoding);
        auto found = studies_by_id(s.orthanc.dimse_node());
        for (const auto& id : ids) {
            BOOST_TEST_CONTEXT(encoding << " " << id) {
                BOOST_REQUIRE(found.count(id));
                BOOST_TEST(found[id].patient_name == s.g.name(id));
                BOOST_TEST(found[id].description == s.g.study(id));
            }
        }
    }
}

// True when Orthanc's QIDO-RS decodes percent-escapes in query values, as RFC 3986 requires.
bool qido_decodes_escapes(const Orthanc& o, const std::string& study_uid) {
    // A raw request: our client would escape the '%' itself.
    CURL* c = curl_easy_init();
    std::string body;
    const std::string url = o.dicomweb_url() + "/studies?PatientID=CS-0%30";
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, +[](char* p, std::size_t size, std::size_t n, void* out) {
        static_cast<std::string*>(out)->append(p, size * n);
        return size * n;
    });
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    return body.find(study_uid) != std::string::npos;
}

BOOST_AUTO_TEST_CASE(a_non_ascii_patient_name_finds_its_study) {
    Stored s;
    set_default_encoding(s.orthanc, "Utf8");
    const auto all = studies_by_id(s.orthanc.dimse_node());
    BOOST_REQUIRE(all.count("CS-00") && all.count("CS-05"));
    const std::vector<std::pair<std::string, std::string>> queries = {
        {"Buc^Jérôme", "CS-00"}, {"Иванов*", "CS-05"}, {"Παπαδόπουλος*", "CS-07"}};
    const bool qido_ok = qido_decodes_escapes(s.orthanc, all.at("CS-00").study_uid);
    for (const auto& node : {s.orthanc.dimse_node(), s.orthanc.web_node()}) {
        if (node.protocol == "dicomweb" && !qido_ok) {
            // Orthanc's limitation, not ours (see the top of this file): the escaped name reaches its
            // matcher undecoded. The same names are found by C-FIND just above.
            BOOST_TEST_MESSAGE("Orthanc's QIDO-RS does not percent-decode query values: name queries skipped");
            continue;
        }
        for (const auto& [name, id] : queries) {
            BOOST_TEST_CONTEXT(node.protocol << " " << name) {
                pacs::StudyQuery q;
                q.patient_name = name;
                auto found = pacs::connect(node)->find_studies(q);
                BOOST_REQUIRE_EQUAL(found.size(), 1u);
                BOOST_TEST(found[0].study_uid == all.at(id).study_uid);
                BOOST_TEST(found[0].patient_name == s.g.name(id));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(retrieved_studies_keep_their_decoded_names_in_the_workspace) {
    Stored s;
    set_default_encoding(s.orthanc, "Utf8");
    const auto all = studies_by_id(s.orthanc.dimse_node());
    BOOST_REQUIRE(all.count("CS-00") && all.count("CS-12"));
    Team t;
    REQUIRE_EXIT(t.as("admin", {"pacs", "add", "web", "--dicomweb", s.orthanc.dicomweb_url()}), 0);
    REQUIRE_EXIT(t.as("admin", {"pacs", "add", "dimse", "--dimse",
                                "ORTHANC@127.0.0.1:" + std::to_string(s.orthanc.dicom_port()), "--calling-aet", "CONSILIUM"}),
                 0);
    auto listed = t.json_as("doc", {"pacs", "query", "dimse", "--patient-id", "CS-05"});
    BOOST_REQUIRE_EQUAL(listed.size(), 1u);
    BOOST_TEST(listed[0]["patient_name"] == s.g.name("CS-05"));
    BOOST_TEST(listed[0]["description"] == s.g.study("CS-05"));

    auto web = t.json_as("doc", {"pacs", "retrieve", "web", all.at("CS-00").study_uid});
    BOOST_TEST(web["instances_received"] == 1);
    auto dimse = t.json_as("doc", {"pacs", "retrieve", "dimse", all.at("CS-12").study_uid});
    BOOST_TEST(dimse["instances_received"] == 1);
    std::map<std::string, json> patients;
    for (const auto& p : t.patients()) patients[p["mrn"].get<std::string>()] = p;
    BOOST_REQUIRE(patients.count("CS-00") && patients.count("CS-12"));
    BOOST_TEST(patients["CS-00"]["name"] == "Jérôme Buc");
    BOOST_TEST(patients["CS-12"]["name"] == "Tarou Yamada");
    BOOST_TEST(patients["CS-12"]["name_ideographic"] == "山田 太郎");
    BOOST_TEST(patients["CS-12"]["name_phonetic"] == "やまだ たろう");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
