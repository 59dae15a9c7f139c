// DICOM import into the workspace through the real consilium-cli: patients found or created from
// PatientID, files copied under images/<study>/<series>/, studies and series indexed, an imaging
// event per study, audited, idempotent; and `volume --series UID` of a workspace series.
#include "cli_harness.h"
#include "dicom_series.h"

#include <boost/test/unit_test.hpp>

#include <set>

namespace {

using namespace consilium::test::clitest;
namespace dicom = consilium::test::dicom;

// Every file under `folder`, by name, with its bytes.
std::map<std::string, std::string> files_in(const fs::path& folder) {
    std::map<std::string, std::string> out;
    if (!fs::exists(folder)) return out;
    for (const auto& f : fs::recursive_directory_iterator(folder))
        if (f.is_regular_file()) out[fs::relative(f.path(), folder).string()] = consilium::test::read_file(f.path());
    return out;
}

std::multiset<std::string> contents(const std::vector<fs::path>& files) {
    std::multiset<std::string> out;
    for (const auto& f : files) out.insert(consilium::test::read_file(f));
    return out;
}

std::vector<json> with_action(const json& log, const std::string& action) {
    std::vector<json> out;
    for (const auto& e : log)
        if (e.at("action") == action) out.push_back(e);
    return out;
}

// A FHIR bundle with one patient whose MR-typed identifier is `mrn` (and an SSN-like second one).
std::string fhir_patient(const std::string& uuid, const std::string& mrn) {
    json patient{{"resourceType", "Patient"},
                 {"id", uuid},
                 {"identifier",
                  json::array({{{"system", "http://hl7.org/fhir/sid/us-ssn"}, {"value", "999-" + mrn}},
                               {{"type", {{"coding", json::array({{{"system", "http://terminology.hl7.org/CodeSystem/v2-0203"},
                                                                    {"code", "MR"}}})}}},
                                {"system", "http://hospital.example.org"},
                                {"value", mrn}}})},
                 {"name", json::array({{{"family", "Lovelace"}, {"given", json::array({"Ada"})}}})},
                 {"gender", "female"},
                 {"birthDate", "1961-04-12"}};
    json encounter{{"resourceType", "Encounter"}, {"id", uuid + "-enc"}, {"status", "finished"},
                   {"subject", {{"reference", "urn:uuid:" + uuid}}}, {"class", {{"code", "AMB"}}},
                   {"period", {{"start", "2021-05-01T08:00:00Z"}}}};
    json bundle{{"resourceType", "Bundle"},
                {"type", "collection"},
                {"entry", json::array({{{"fullUrl", "urn:uuid:" + uuid}, {"resource", patient}},
                                       {{"fullUrl", "urn:uuid:" + uuid + "-enc"}, {"resource", encounter}}})}};
    return bundle.dump(1);
}

json only(const json& list, const std::string& what) {
    BOOST_REQUIRE_MESSAGE(list.size() == 1, "expected one " << what << ", got " << list.dump().substr(0, 400));
    return list[0];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_dicom)

BOOST_AUTO_TEST_CASE(dicom_series_imports_a_new_patient_copies_files_and_is_idempotent) {
    Team t;
    dicom::SeriesSpec spec;
    auto sources = dicom::write_series(t.dir / "incoming" / "ct", spec);
    auto notes = t.write("incoming/notes.txt", "not an image\n");
    const auto before = files_in(t.dir / "incoming");

    auto s = t.json_as("doc", {"import", (t.dir / "incoming").string()});
    BOOST_CHECK_EQUAL(s.at("studies"), 1);
    BOOST_CHECK_EQUAL(s.at("series"), 1);
    BOOST_CHECK_EQUAL(s.at("instances"), 4);
    BOOST_CHECK_EQUAL(s.at("patients"), 1);
    BOOST_CHECK_EQUAL(s["added"].at("patients"), 1);
    BOOST_CHECK_EQUAL(s["added"].at("studies"), 1);
    BOOST_CHECK_EQUAL(s["added"].at("series"), 1);
    BOOST_CHECK_EQUAL(s["added"].at("instances"), 4);
    const auto skip = only(s.at("skipped"), "skipped file");
    BOOST_CHECK_EQUAL(skip.at("path"), notes.string());
    BOOST_CHECK(!skip.at("reason").get<std::string>().empty());

    // The patient, made from the DICOM demographics.
    const auto p = only(t.patients(), "patient");
    BOOST_CHECK_EQUAL(p.at("mrn"), "DCM-0001");
    BOOST_CHECK_EQUAL(p.at("name"), "Jane Doe");
    BOOST_CHECK_EQUAL(p.at("birth_date"), "1970-03-15");
    BOOST_CHECK_EQUAL(p.at("sex"), "female");
    BOOST_CHECK_EQUAL(p.at("studies"), 1);
    BOOST_CHECK_EQUAL(p.at("events"), 1);
    const auto e = only(t.json_as("doc", {"timeline", "DCM-0001"}), "timeline event");
    BOOST_CHECK_EQUAL(e.at("kind"), "imaging");
    BOOST_CHECK_EQUAL(e.at("code").at("code"), "CT");
    BOOST_CHECK_EQUAL(e.at("code").at("display"), "CT HEAD");
    BOOST_CHECK_EQUAL(e.at("start"), "2024-01-02");
    BOOST_CHECK_EQUAL(e.at("source"), "dicom-study/" + spec.study_uid);

    // Copied (the sources are untouched) under images/<study>/<series>/<SOPInstanceUID>.dcm.
    BOOST_CHECK(files_in(t.dir / "incoming") == before);
    const auto folder = t.cli.workspace / "images" / spec.study_uid / spec.series_uid;
    auto stored = files_in(folder);
    BOOST_REQUIRE_EQUAL(stored.size(), 4u);
    std::multiset<std::string> stored_bytes;
    for (const auto& [name, bytes] : stored) {
        BOOST_CHECK_MESSAGE(name.size() > 4 && name.substr(name.size() - 4) == ".dcm", name);
        BOOST_CHECK_MESSAGE(bytes.find(name.substr(0, name.size() - 4)) != std::string::npos,
                            name << " is not named by the SOPInstanceUID it holds");
        stored_bytes.insert(bytes);
    }
    BOOST_CHECK(stored_bytes == contents(sources));
    BOOST_CHECK_EQUAL(sqlite_value(t.cli.db(), "SELECT folder || '|' || instances || '|' || modality FROM imaging_series"),
                      "images/" + spec.study_uid + "/" + spec.series_uid + "|4|CT");
    auto geometry = parse_json(sqlite_value(t.cli.db(), "SELECT geometry FROM imaging_series"), "geometry");
    BOOST_CHECK_EQUAL(geometry.at("dims").dump(), "[8,6,4]");
    BOOST_CHECK(geometry.contains("spacing") && geometry.contains("origin") && geometry.contains("direction") &&
                geometry.contains("warnings"));
    BOOST_CHECK_EQUAL(sqlite_value(t.cli.db(), "SELECT study_date || '|' || description || '|' || accession FROM imaging_study"),
                      "2024-01-02|CT HEAD|ACC-1");

    // Audited, with what was imported and from where.
    const auto audit = only(with_action(t.audit_log(), "import.dicom"), "import.dicom entry");
    BOOST_CHECK_EQUAL(audit.at("user"), "doc");
    BOOST_CHECK_EQUAL(audit.at("object_id"), spec.study_uid);
    const auto& d = audit.at("details");
    BOOST_CHECK_EQUAL(d.at("study_uid"), spec.study_uid);
    BOOST_CHECK_EQUAL(d.at("series_uids").dump(), json::array({spec.series_uid}).dump());
    BOOST_CHECK_EQUAL(d.at("instances"), 4);
    BOOST_CHECK_EQUAL(d.at("patient_id"), p.at("id"));
    BOOST_CHECK_EQUAL(d.at("source_folder"), fs::absolute(t.dir / "incoming" / "ct").string());

    // Again: nothing added - no rows, no files, the same patient list and timeline.
    const auto patients = t.patients().dump();
    const auto timeline = t.json_as("doc", {"timeline", "DCM-0001"}).dump();
    auto again = t.json_as("doc", {"import", (t.dir / "incoming").string()});
    BOOST_CHECK_EQUAL(again.at("studies"), 1);
    BOOST_CHECK_EQUAL(again.at("instances"), 4);
    for (const char* k : {"patients", "events", "studies", "series", "instances"}) BOOST_CHECK_EQUAL(again["added"].at(k), 0);
    BOOST_CHECK_EQUAL(t.patients().dump(), patients);
    BOOST_CHECK_EQUAL(t.json_as("doc", {"timeline", "DCM-0001"}).dump(), timeline);
    BOOST_CHECK(files_in(folder) == stored);
    BOOST_CHECK_EQUAL(sqlite_value(t.cli.db(), "SELECT (SELECT count(*) FROM imaging_study) || '|' || "
                                               "(SELECT count(*) FROM imaging_series) || '|' || (SELECT count(*) FROM patient)"),
                      "1|1|1");
    // A single file of the series, named on its own, is found there too.
    auto one = t.json_as("doc", {"import", sources[0].string()});
    BOOST_CHECK_EQUAL(one.at("instances"), 1);
    BOOST_CHECK_EQUAL(one["added"].at("instances"), 0);
    CHECK_EXIT(t.cli.run({"audit", "verify"}), 0);
}

BOOST_AUTO_TEST_CASE(volume_of_a_workspace_series_needs_a_user_and_is_audited) {
    Team t;
    dicom::SeriesSpec spec;
    dicom::write_series(t.dir / "ct", spec);
    REQUIRE_EXIT(t.as("dev", {"import", (t.dir / "ct").string()}), 0);
    fs::remove_all(t.dir / "ct");  // the workspace holds its own copy

    auto v = t.json_as("dev", {"volume", "--series", spec.series_uid});
    BOOST_CHECK_EQUAL(v.at("series_uid"), spec.series_uid);
    BOOST_CHECK_EQUAL(v.at("dims").dump(), "[8,6,4]");
    BOOST_CHECK_EQUAL(v.at("spacing").dump(), "[0.5,0.5,1.0]");
    BOOST_CHECK_EQUAL(v.at("origin").dump(), "[-4.0,-3.0,0.0]");
    BOOST_CHECK_EQUAL(v.at("min").get<double>(), 1000.0 - 1024.0);
    const auto view = only(with_action(t.audit_log(), "series.view"), "series.view entry");
    BOOST_CHECK_EQUAL(view.at("user"), "dev");
    BOOST_CHECK_EQUAL(view.at("object_id"), spec.series_uid);
    BOOST_CHECK_EQUAL(view.at("details").at("series_uid"), spec.series_uid);

    auto unknown = t.as("doc", {"volume", "--series", "1.2.3.4.999"});
    CHECK_EXIT(unknown, 4);
    CHECK_CONTAINS(unknown.err, "1.2.3.4.999");
    CHECK_EXIT(t.cli.run({"volume", "--series", spec.series_uid}), 3);  // no user
    CHECK_EXIT(t.as("doc", {"volume"}), 2);
}

BOOST_AUTO_TEST_CASE(dicom_links_to_the_fhir_patient_with_that_mrn_or_identifier) {
    Team t;
    const std::string mrn = "MRN-7777";
    REQUIRE_EXIT(t.as("doc", {"import", t.write("ada.json", fhir_patient("a0a0a0a0-1111-4222-8333-444455556666", mrn)).string()}), 0);
    const auto ada = only(t.patients(), "patient");

    dicom::SeriesSpec by_mrn;
    by_mrn.patient_id = mrn;
    by_mrn.patient_name = "SOMEONE^ELSE";  // the stored record wins; the images are only linked
    dicom::write_series(t.dir / "by-mrn", by_mrn);
    auto s = t.json_as("doc", {"import", (t.dir / "by-mrn").string()});
    BOOST_CHECK_EQUAL(s["added"].at("patients"), 0);
    BOOST_CHECK_EQUAL(s["added"].at("studies"), 1);

    // Another identifier of hers (not the MRN) as PatientID links to her too.
    dicom::SeriesSpec by_other;
    by_other.patient_id = "999-" + mrn;
    by_other.modality = "MR";
    by_other.study_description = "MR KNEE";
    dicom::write_series(t.dir / "by-other", by_other);
    REQUIRE_EXIT(t.as("doc", {"import", (t.dir / "by-other").string()}), 0);

    const auto p = only(t.patients(), "patient");
    BOOST_CHECK_EQUAL(p.at("id"), ada.at("id"));
    BOOST_CHECK_EQUAL(p.at("name"), "Ada Lovelace");
    BOOST_CHECK_EQUAL(p.at("studies"), 2);
    BOOST_CHECK_EQUAL(p.at("events"), 3);
    auto imaging = t.json_as("doc", {"timeline", mrn, "--kind", "imaging"});
    BOOST_REQUIRE_EQUAL(imaging.size(), 2u);
    std::set<std::string> codes{imaging[0].at("code").at("code").get<std::string>(), imaging[1].at("code").at("code").get<std::string>()};
    BOOST_CHECK((codes == std::set<std::string>{"CT", "MR"}));
}

BOOST_AUTO_TEST_CASE(fhir_and_dicom_of_one_patient_import_together) {
    Team t;
    t.write("mixed/record.json", fhir_patient("b0b0b0b0-1111-4222-8333-444455556666", "MRN-MIX"));
    dicom::SeriesSpec spec;
    spec.patient_id = "MRN-MIX";
    dicom::write_series(t.dir / "mixed" / "images", spec);
    auto s = t.json_as("doc", {"import", (t.dir / "mixed").string()});
    BOOST_CHECK_EQUAL(s.at("files"), 1);
    BOOST_CHECK_EQUAL(s.at("studies"), 1);
    BOOST_CHECK_EQUAL(s.at("skipped").size(), 0u);
    const auto p = only(t.patients(), "patient");
    BOOST_CHECK_EQUAL(p.at("mrn"), "MRN-MIX");
    BOOST_CHECK_EQUAL(p.at("name"), "Ada Lovelace");
    BOOST_CHECK_EQUAL(p.at("studies"), 1);
    BOOST_CHECK_EQUAL(p.at("events"), 2);
}

BOOST_AUTO_TEST_CASE(dicom_without_patient_id_is_refused_naming_the_file) {
    Team t;
    dicom::SeriesSpec good, nameless;
    dicom::write_series(t.dir / "in" / "a-good", good);
    nameless.patient_id = "";
    auto bad = dicom::write_series(t.dir / "in" / "b-no-id", nameless);
    auto r = t.as("doc", {"import", (t.dir / "in").string()});
    CHECK_EXIT(r, 2);
    CHECK_CONTAINS(r.err, bad[0].string());
    CHECK_CONTAINS(r.err, "PatientID");
    // Nothing of the good series either: the import is checked whole before anything is written.
    BOOST_CHECK_EQUAL(t.patients().size(), 0u);
    BOOST_CHECK(!fs::exists(t.cli.workspace / "images"));
}

BOOST_AUTO_TEST_CASE(a_path_with_neither_fhir_nor_dicom_is_refused) {
    Team t;
    t.write("junk/a.txt", "hello\n");
    t.write("junk/b.dcm", "DICM but not really");
    auto r = t.as("doc", {"import", (t.dir / "junk").string()});
    CHECK_EXIT(r, 2);
    CHECK_CONTAINS(r.err, (t.dir / "junk").string());
    auto file = t.as("doc", {"import", (t.dir / "junk" / "a.txt").string()});
    CHECK_EXIT(file, 2);
    CHECK_CONTAINS(file.err, "a.txt");
    BOOST_CHECK_EQUAL(t.patients().size(), 0u);
}

BOOST_AUTO_TEST_CASE(shared_ct_head_phantom_imports_once_and_loads_from_the_workspace, CONSILIUM_SHARED_DATA) {
    Team t;
    const auto folder = *consilium::test::shared_data() / "dicom" / "philips-ingenuity-ct-head-phantom";
    auto scan = t.json_as("doc", {"scan", folder.string()});
    std::set<std::string> series_uids;
    std::size_t studies = scan.at("studies").size();
    for (const auto& st : scan["studies"])
        for (const auto& se : st.at("series")) series_uids.insert(se.at("series_uid").get<std::string>());

    auto first = t.json_as("doc", {"import", folder.string()});
    BOOST_CHECK_EQUAL(first.at("studies").get<std::size_t>(), studies);
    BOOST_CHECK_EQUAL(first.at("series").get<std::size_t>(), series_uids.size());
    BOOST_CHECK_GT(first.at("instances").get<int>(), 0);
    BOOST_CHECK_EQUAL(first["added"].at("instances"), first.at("instances"));
    auto patients = t.patients();
    BOOST_REQUIRE_EQUAL(patients.size(), 1u);
    BOOST_CHECK_EQUAL(patients[0].at("studies").get<std::size_t>(), studies);

    auto second = t.json_as("doc", {"import", folder.string()});
    for (const char* k : {"patients", "events", "studies", "series", "instances"}) BOOST_CHECK_EQUAL(second["added"].at(k), 0);
    BOOST_CHECK_EQUAL(t.patients().dump(), patients.dump());

    // The workspace's copy loads to the same volume as the original files.
    const auto original = t.json_as("doc", {"volume", (folder / "S2010-std-brain-5mm").string()});
    const auto stored = t.json_as("doc", {"volume", "--series", original.at("series_uid").get<std::string>()});
    for (const char* k : {"dims", "spacing", "origin", "direction", "min", "max", "mean"})
        BOOST_CHECK_MESSAGE(stored.at(k) == original.at(k), k << ": " << stored.at(k).dump() << " vs " << original.at(k).dump());
    CHECK_EXIT(t.cli.run({"audit", "verify"}), 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(demo_workspace_holds_a_ct_for_the_patient_with_imaging) {
    ScratchDir dir("cli");
    Cli cli(dir.path());
    REQUIRE_EXIT(cli.run({"init", "--demo"}), 0);
    auto patients = cli.json_of({"patients"}, "radiologist", "radiologist");
    int with_study = 0;
    for (const auto& p : patients)
        if (p.at("studies").get<int>() == 1) {
            ++with_study;
            BOOST_CHECK_EQUAL(p.at("name"), "Louis Erdman");
        }
    BOOST_CHECK_EQUAL(with_study, 1);
    // The series is found in the workspace's own copy and loads as a chest CT.
    auto scan = cli.json_of({"scan", (cli.workspace / "images").string()}, "", "");
    const auto uid = scan.at("studies").at(0).at("series").at(0).at("series_uid").get<std::string>();
    auto v = cli.json_of({"volume", "--series", uid}, "radiologist", "radiologist");
    BOOST_CHECK_EQUAL(v.at("dims").dump(), "[256,256,120]");
    BOOST_CHECK_EQUAL(v.at("modality"), "CT");
    BOOST_CHECK(v.at("min").get<double>() < -900);   // air
    BOOST_CHECK(v.at("max").get<double>() > 900);    // spine
    CHECK_EXIT(cli.run({"audit", "verify"}), 0);
}
