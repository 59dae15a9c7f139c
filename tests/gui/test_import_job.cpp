// Import from the workstation: FHIR files and a DICOM folder through the same path as the CLI,
// progress by phase, cancel before writing, and a malformed file refused with its name while
// nothing stored changes.
#include "mdt_workspace.h"

#include "model/import_job.h"

#include "consilium/viewer/ct_phantom.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <mutex>
#include <set>

using namespace consilium;
using namespace consilium::gui;
using consilium::test::MdtWorkspace;
namespace fs = std::filesystem;

namespace {

// A collection Bundle: one patient (MRN typed MR), a heart rate, and a Claim (not timeline data).
std::string fhir_bundle(const std::string& id, const std::string& mrn) {
    auto text = std::string(R"({"resourceType":"Bundle","type":"collection","entry":[
      {"resource":{"resourceType":"Patient","id":"ID","birthDate":"1950-02-03",
        "identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"MRN"}],"name":[{"family":"Test","given":["Ann"]}]}},
      {"resource":{"resourceType":"Observation","id":"hr-ID","status":"final","subject":{"reference":"Patient/ID"},
        "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},
        "effectiveDateTime":"2024-01-02T10:00:00Z","valueQuantity":{"value":72,"unit":"/min"}}},
      {"resource":{"resourceType":"Claim","id":"c-ID"}}]})");
    for (auto [key, value] : {std::pair<std::string, std::string>{"\"ID\"", "\"" + id + "\""}, {"-ID\"", "-" + id + "\""},
                              {"/ID\"", "/" + id + "\""}, {"\"MRN\"", "\"" + mrn + "\""}})
        for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
            text.replace(at, key.size(), value);
    return text;
}

struct Counts {
    std::size_t patients, audit;
    bool operator==(const Counts&) const = default;
};
Counts counts(MdtWorkspace& w) {
    return {w.workstation->store().patients().list().size(), w.workstation->store().audit().entries({}).size()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(import_job)

BOOST_AUTO_TEST_CASE(fhir_files_are_imported_with_progress_and_skips_listed) {
    MdtWorkspace w;
    w.login("physician");
    std::vector<fs::path> files{w.dir / "a.json", w.dir / "b.json"};
    consilium::test::write_file(files[0], fhir_bundle("a", "MRN-A"));
    consilium::test::write_file(files[1], fhir_bundle("b", "MRN-B"));
    std::mutex m;
    std::set<ImportPhase> phases;
    ImportCallbacks callbacks;
    callbacks.progress = [&](ImportPhase phase, std::size_t, std::size_t) {
        std::lock_guard lock(m);
        phases.insert(phase);
    };
    auto report = run_import(w.folder, w.workstation->session(), ImportKind::fhir, files, callbacks);
    BOOST_TEST(report.error == "");
    BOOST_TEST(report.ok());
    BOOST_TEST(report.wrote_anything);
    BOOST_TEST(report.fhir_files == 2);
    BOOST_TEST(report.patients_added == 2);
    BOOST_TEST(report.events_added == 2);
    BOOST_REQUIRE(report.skipped.size() == 2u);
    BOOST_TEST(report.skipped[0].reason.find("Claim") != std::string::npos);
    BOOST_TEST(phases.count(ImportPhase::reading) == 1u);
    BOOST_TEST(phases.count(ImportPhase::writing) == 1u);
    w.workstation->refresh_patients();
    BOOST_TEST(w.workstation->patients().all().size() == 4u);

    auto again = run_import(w.folder, w.workstation->session(), ImportKind::fhir, files);  // idempotent
    BOOST_TEST(again.ok());
    BOOST_TEST(again.patients_added == 0);
    BOOST_TEST(again.events_added == 0);
}

// Issue 12, item 10: the FHIR chooser takes whole folders as well as several files.
BOOST_AUTO_TEST_CASE(a_fhir_folder_gives_its_json_and_ndjson_files_and_lists_the_rest) {
    MdtWorkspace w;
    w.login("physician");
    const auto folder = w.dir / "export";
    fs::create_directories(folder / "sub");
    consilium::test::write_file(folder / "b.json", fhir_bundle("b", "MRN-B"));
    consilium::test::write_file(folder / "sub" / "a.JSON", fhir_bundle("a", "MRN-A"));
    consilium::test::write_file(folder / "README.txt", "exported by Synthea");
    const auto single = w.dir / "c.json";
    consilium::test::write_file(single, fhir_bundle("c", "MRN-C"));

    std::vector<decision::ImportSkip> skipped;
    const auto files = fhir_files_in({folder, single}, skipped);
    BOOST_REQUIRE(files.size() == 3u);
    BOOST_TEST(files[0] == folder / "b.json");  // name order within the folder
    BOOST_TEST(files[1] == folder / "sub" / "a.JSON");
    BOOST_TEST(files[2] == single);
    BOOST_REQUIRE(skipped.size() == 1u);
    BOOST_TEST(skipped[0].path == (folder / "README.txt").string());

    auto report = run_import(w.folder, w.workstation->session(), ImportKind::fhir, {folder, single});
    BOOST_TEST(report.error == "");
    BOOST_TEST(report.fhir_files == 3);
    BOOST_TEST(report.patients_added == 3);
    bool readme_listed = false;
    for (const auto& k : report.skipped) readme_listed = readme_listed || k.path == (folder / "README.txt").string();
    BOOST_TEST(readme_listed);
}

BOOST_AUTO_TEST_CASE(a_malformed_file_is_named_and_changes_nothing) {
    MdtWorkspace w;
    w.login("physician");
    std::vector<fs::path> files{w.dir / "good.json", w.dir / "broken.json"};
    consilium::test::write_file(files[0], fhir_bundle("a", "MRN-A"));
    consilium::test::write_file(files[1], "{\"resourceType\": \"Bundle\", \"entry\": [\n  {\"resource\": }\n]}");
    const auto before = counts(w);
    auto report = run_import(w.folder, w.workstation->session(), ImportKind::fhir, files);
    BOOST_TEST(!report.ok());
    BOOST_TEST(!report.wrote_anything);
    BOOST_TEST(report.error.find("broken.json") != std::string::npos, report.error);
    BOOST_TEST(report.error.find("line 2") != std::string::npos, report.error);
    BOOST_TEST((counts(w) == before));

    auto missing = run_import(w.folder, w.workstation->session(), ImportKind::dicom, {w.dir / "nowhere"});
    BOOST_TEST(missing.error.find("no such file or folder") != std::string::npos, missing.error);
    BOOST_TEST((counts(w) == before));
}

BOOST_AUTO_TEST_CASE(a_cancel_before_writing_imports_nothing) {
    MdtWorkspace w;
    w.login("radiologist");
    const fs::path file = w.dir / "a.json";
    consilium::test::write_file(file, fhir_bundle("a", "MRN-A"));
    std::atomic<bool> cancel{true};
    ImportCallbacks callbacks;
    callbacks.cancel = &cancel;
    const auto before = counts(w);
    auto report = run_import(w.folder, w.workstation->session(), ImportKind::fhir, {file}, callbacks);
    BOOST_TEST(report.cancelled);
    BOOST_TEST(!report.wrote_anything);
    BOOST_TEST(report.error == "");
    BOOST_TEST((counts(w) == before));
}

BOOST_AUTO_TEST_CASE(a_dicom_folder_becomes_a_patient_with_a_study) {
    MdtWorkspace w;
    w.login("radiologist");
    viewer::PhantomOptions phantom;
    phantom.size = 32;
    phantom.slices = 6;
    phantom.patient_id = "CT-PATIENT-9";
    phantom.patient_name = "ROOS^EVA";
    viewer::write_ct_phantom(w.dir / "dicom", phantom);
    consilium::test::write_file(w.dir / "dicom" / "README.txt", "not an image");
    consilium::test::write_file(w.dir / "dicom" / "sidecar.json", "{\"converter\": \"not FHIR\"}");  // not taken for FHIR
    std::mutex m;
    std::set<ImportPhase> phases;
    ImportCallbacks callbacks;
    callbacks.progress = [&](ImportPhase phase, std::size_t, std::size_t) {
        std::lock_guard lock(m);
        phases.insert(phase);
    };
    auto report = run_import(w.folder, w.workstation->session(), ImportKind::dicom, {w.dir / "dicom"}, callbacks);
    BOOST_TEST(report.ok(), report.error);
    BOOST_TEST(report.studies == 1);
    BOOST_TEST(report.series == 1);
    BOOST_TEST(report.instances == 6);
    BOOST_TEST(report.patients_added == 1);
    BOOST_REQUIRE(report.skipped.size() == 2u);
    std::map<std::string, std::string> skipped;
    for (const auto& k : report.skipped) skipped[fs::path(k.path).filename().string()] = k.reason;
    BOOST_TEST(skipped.count("README.txt") == 1u);
    BOOST_TEST(skipped["sidecar.json"].find("not DICOM") != std::string::npos);
    BOOST_TEST(phases.count(ImportPhase::scanning) == 1u);
    BOOST_TEST(phases.count(ImportPhase::copying_images) == 1u);
    auto patient = w.workstation->store().patients().find_by_mrn("CT-PATIENT-9");
    BOOST_REQUIRE(patient.has_value());
    BOOST_TEST(patient->name == "Eva Roos");
    BOOST_TEST(w.workstation->store().imaging().studies_of(patient->id).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
