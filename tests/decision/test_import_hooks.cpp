// Progress and cancel of imports run off a workstation's UI thread: files and instances are
// reported, a cancel before writing changes nothing, a cancel between DICOM studies keeps the
// studies already imported whole.
#include "fhir_samples.h"
#include "store_fixture.h"

#include "consilium/decision/dicom_import.h"
#include "consilium/decision/fhir_import.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <mutex>

using namespace consilium::decision;
using namespace consilium::test::fhir;
using consilium::test::StoreFixture;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> fhir_inputs(const fs::path& dir, int n) {
    std::vector<fs::path> files;
    for (int i = 0; i < n; ++i) {
        const std::string id = "p" + std::to_string(i);
        auto doc = bundle("collection", Json::array({entry(patient(id, "MRN-" + id, "Ann", "Test" + id)),
                                                     entry(observation("o" + id, "Patient/" + id, "2024-01-02T10:00:00Z", 70))}));
        files.push_back(dir / (id + ".json"));
        consilium::test::write_file(files.back(), doc.dump());
    }
    return files;
}

DicomStudyInput dicom_study(const fs::path& dir, const std::string& patient_id, const std::string& uid, int files) {
    DicomStudyInput in{uid, "20240102", "CT CHEST", "", {patient_id, "DOE^JANE", "19700315", "F"}, {}};
    DicomSeriesInput series{uid + ".1", "CT", "Axial", {}, "{}"};
    for (int i = 0; i < files; ++i) {
        auto file = dir / ("src-" + uid + "-" + std::to_string(i));
        consilium::test::write_file(file, "instance " + std::to_string(i));
        series.files.push_back({file, uid + ".1." + std::to_string(i)});
    }
    in.series.push_back(series);
    return in;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(import_hooks)

BOOST_AUTO_TEST_CASE(fhir_reports_files_read_and_written) {
    StoreFixture f;
    auto files = fhir_inputs(f.dir.path(), 5);
    std::mutex m;
    std::vector<std::pair<std::size_t, std::size_t>> seen;
    ImportHooks hooks;
    hooks.progress = [&](std::size_t done, std::size_t total) {
        std::lock_guard lock(m);
        seen.emplace_back(done, total);
    };
    FhirImport import(*f.store);
    import.read_files(files, hooks);
    BOOST_TEST(seen.size() == 5u);
    BOOST_TEST(seen.back().second == 5u);
    seen.clear();
    auto summary = import.commit(f.physician, hooks);
    BOOST_TEST(summary.patients_added == 5);
    BOOST_REQUIRE(seen.size() == 5u);
    BOOST_TEST(seen.back().first == 5u);
}

BOOST_AUTO_TEST_CASE(fhir_cancelled_before_writing_changes_nothing) {
    StoreFixture f;
    auto files = fhir_inputs(f.dir.path(), 3);
    const auto before = f.content_digest();
    std::atomic<bool> cancel{true};
    ImportHooks hooks;
    hooks.cancel = &cancel;
    {
        FhirImport import(*f.store);
        BOOST_CHECK_THROW(import.read_files(files, hooks), ImportCancelled);
    }
    {
        FhirImport import(*f.store);
        import.read_files(files);
        BOOST_CHECK_THROW(import.commit(f.physician, hooks), ImportCancelled);
    }
    BOOST_TEST(f.content_digest() == before);
}

BOOST_AUTO_TEST_CASE(dicom_reports_instances_and_stops_between_studies) {
    StoreFixture f;
    const auto ws = f.dir / "ws";
    std::vector<DicomStudyInput> studies{dicom_study(f.dir.path(), "P1", "1.2.1", 3), dicom_study(f.dir.path(), "P2", "1.2.2", 2)};
    std::atomic<bool> cancel{false};
    std::size_t last_total = 0;
    ImportHooks hooks;
    hooks.cancel = &cancel;
    hooks.progress = [&](std::size_t done, std::size_t total) {
        last_total = total;
        if (done == 2) cancel = true;  // asked during the first study: it completes, the second is not begun
    };
    auto summary = import_dicom(*f.store, ws, f.radiologist, studies, hooks);
    BOOST_TEST(summary.cancelled);
    BOOST_TEST(summary.studies == 1);
    BOOST_TEST(summary.studies_added == 1);
    BOOST_TEST(last_total == 5u);
    BOOST_TEST(f.store->imaging().find_study("1.2.1").has_value());
    BOOST_TEST(f.store->imaging().series_of(f.store->imaging().find_study("1.2.1")->id).at(0).instances == 3);
    BOOST_TEST(!f.store->imaging().find_study("1.2.2").has_value());
    BOOST_TEST(!fs::exists(ws / "images" / "1.2.2"));

    cancel = false;  // the rest later: the first study is already there, the second is added
    auto rest = import_dicom(*f.store, ws, f.radiologist, studies);
    BOOST_TEST(!rest.cancelled);
    BOOST_TEST(rest.studies_added == 1);
}

BOOST_AUTO_TEST_SUITE_END()
