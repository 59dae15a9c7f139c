// The imaging index and DICOM import in the library, with plain study records (the CLI builds
// them from the viewer's scan; here the "files" are plain bytes - decision/ never parses DICOM).
#include "store_fixture.h"

#include "consilium/decision/dicom_import.h"
#include "consilium/decision/errors.h"

#include <boost/test/unit_test.hpp>

using namespace consilium::decision;
using consilium::test::StoreFixture;
namespace fs = std::filesystem;

namespace {

DicomStudyInput study(const fs::path& dir, const std::string& patient_id, const std::string& study_uid,
                      const std::string& series_uid, int files) {
    DicomStudyInput in{study_uid, "20240102", "CT HEAD", "ACC-1", {patient_id, "DOE^JANE", "19700315", "F"}, {}};
    DicomSeriesInput series{series_uid, "CT", "Axial", {}, R"({"dims":[8,6,4]})"};
    for (int i = 0; i < files; ++i) {
        auto file = dir / ("source-" + series_uid + "-" + std::to_string(i));
        consilium::test::write_file(file, "instance " + std::to_string(i));
        series.files.push_back({file, series_uid + "." + std::to_string(i)});
    }
    in.series.push_back(series);
    return in;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dicom_import)

BOOST_AUTO_TEST_CASE(patient_from_dicom_demographics) {
    auto p = patient_from_dicom({"ID-1 ", "DOE^JANE^MARIE", "19700315", "F"});
    BOOST_TEST(p.mrn == "ID-1");
    BOOST_TEST(p.family == "Doe");
    BOOST_TEST(p.given == "Jane Marie");
    BOOST_TEST(p.name == "Jane Marie Doe");
    BOOST_TEST(*p.birth_date == "1970-03-15");
    BOOST_TEST(*p.sex == "female");
    BOOST_TEST(patient_from_dicom({"x", "O'BRIEN-SMITH^SEAN", "", "M"}).name == "Sean O'Brien-Smith");
    BOOST_TEST(patient_from_dicom({"x", "McDonald^Ann", "", "O"}).name == "Ann McDonald");  // mixed case kept
    BOOST_TEST(patient_from_dicom({"x", "ANONYMOUS", "", ""}).name == "Anonymous");
    BOOST_TEST(patient_from_dicom({"x", "YAMADA^TARO=山田^太郎", "", ""}).name == "Taro Yamada");
    BOOST_TEST(*patient_from_dicom({"x", "", "", "O"}).sex == "other");
    BOOST_TEST(!patient_from_dicom({"x", "", "19701315", "U"}).birth_date.has_value());
    BOOST_TEST(!patient_from_dicom({"x", "", "1970", "U"}).sex.has_value());
}

BOOST_AUTO_TEST_CASE(imaging_repository_round_trip) {
    StoreFixture f;
    auto& store = *f.store;
    auto tx = store.begin();
    auto pid = store.patients().insert(patient_from_dicom({"P1", "DOE^JANE", "", "F"}));
    auto sid = store.imaging().insert_study({0, pid, "1.2.3", "2024-01-02", "CT HEAD", std::nullopt});
    auto seid = store.imaging().insert_series({0, sid, "1.2.3.4", "CT", std::nullopt, 3, "images/1.2.3/1.2.3.4", "{}"});
    tx->commit();
    auto st = store.imaging().find_study("1.2.3");
    BOOST_REQUIRE(st);
    BOOST_TEST(st->id == sid);
    BOOST_TEST(*st->date == "2024-01-02");
    BOOST_TEST(!st->accession.has_value());
    BOOST_TEST(store.imaging().studies_of(pid).size() == 1u);
    BOOST_TEST(store.imaging().find_study_by_id(sid)->study_uid == "1.2.3");
    auto se = store.imaging().find_series("1.2.3.4");
    BOOST_REQUIRE(se);
    BOOST_TEST(se->id == seid);
    BOOST_TEST(se->instances == 3);
    se->instances = 5;
    auto tx2 = store.begin();
    store.imaging().update_series(*se);
    tx2->commit();
    BOOST_TEST(store.imaging().series_of(sid).at(0).instances == 5);
    BOOST_TEST(store.patients().find(pid)->study_count == 1);
    BOOST_TEST(!store.imaging().find_series("9.9").has_value());
}

BOOST_AUTO_TEST_CASE(import_copies_indexes_and_is_idempotent) {
    StoreFixture f;
    auto ws = f.dir / "ws";
    auto in = study(f.dir.path(), "P1", "1.2.3", "1.2.3.4", 3);
    auto s = import_dicom(*f.store, ws, f.radiologist, {in});
    BOOST_TEST(s.patients_added == 1);
    BOOST_TEST(s.studies_added == 1);
    BOOST_TEST(s.instances_added == 3);
    BOOST_TEST(consilium::test::read_file(ws / "images/1.2.3/1.2.3.4/1.2.3.4.1.dcm") == "instance 1");
    BOOST_TEST(fs::exists(in.series[0].files[0].source));  // copied, not moved
    auto again = import_dicom(*f.store, ws, f.radiologist, {in});
    BOOST_TEST(again.instances == 3);
    BOOST_TEST(again.patients_added + again.studies_added + again.series_added + again.instances_added + again.events_added == 0);
    BOOST_TEST(f.raw_count("SELECT count(*) FROM imaging_study") == 1);
    BOOST_TEST(f.raw_count("SELECT count(*) FROM timeline_event WHERE kind = 'imaging'") == 1);
    BOOST_TEST(f.raw_count("SELECT count(*) FROM audit_entry WHERE action = 'import.dicom'") == 2);

    // A different file under an instance UID already held is not overwritten; it is reported.
    consilium::test::write_file(in.series[0].files[0].source, "changed");
    auto changed = import_dicom(*f.store, ws, f.radiologist, {in});
    BOOST_REQUIRE(changed.skipped.size() == 1u);
    BOOST_TEST(changed.skipped[0].reason.find("different") != std::string::npos);
    BOOST_TEST(consilium::test::read_file(ws / "images/1.2.3/1.2.3.4/1.2.3.4.0.dcm") == "instance 0");
}

BOOST_AUTO_TEST_CASE(hostile_uids_stay_inside_the_workspace) {
    StoreFixture f;
    auto ws = f.dir / "ws";
    auto in = study(f.dir.path(), "P1", "../../escape", "1.2", 1);
    in.series[0].files[0].sop_instance_uid = "../../../../evil";
    import_dicom(*f.store, ws, f.radiologist, {in});
    BOOST_TEST(!fs::exists(f.dir / "escape"));
    BOOST_TEST(!fs::exists(f.dir / "evil.dcm"));
    auto folder = f.store->imaging().find_series("1.2")->folder;
    BOOST_TEST(folder.find("..") == std::string::npos);
    BOOST_TEST(folder.rfind("images/uid-", 0) == 0u);
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(ws / "images"))
        if (e.is_regular_file()) {
            ++n;
            BOOST_TEST(e.path().filename().string().rfind("uid-", 0) == 0u);
        }
    BOOST_TEST(n == 1u);
}

BOOST_AUTO_TEST_CASE(refused_inputs_change_nothing) {
    StoreFixture f;
    auto ws = f.dir / "ws";
    import_dicom(*f.store, ws, f.radiologist, {study(f.dir.path(), "P1", "1.2.3", "1.2.3.4", 1)});
    // Two patients hold the identifier value "SHARED" (different systems): ambiguous.
    auto tx = f.store->begin();
    for (const char* mrn : {"A", "B"}) {
        Patient p = patient_from_dicom({mrn, "X^Y", "", ""});
        p.identifiers = {{"http://one.example/" + std::string(mrn), "SHARED", ""}, {"", mrn, "MR"}};
        f.store->patients().insert(p);
    }
    tx->commit();
    const auto digest = f.content_digest();
    struct Case {
        DicomStudyInput in;
        std::string named;
    };
    std::vector<Case> cases = {
        {study(f.dir.path(), "", "2.1", "2.1.1", 1), "PatientID"},
        {study(f.dir.path(), "SHARED", "2.2", "2.2.1", 1), "several patients"},
        {study(f.dir.path(), "OTHER", "1.2.3", "2.3.1", 1), "already in the workspace"},  // study held for P1
        {study(f.dir.path(), "P1", "2.4", "1.2.3.4", 1), "already in the workspace"},     // series under 1.2.3
    };
    for (const auto& c : cases) {
        // A good study first: it must not be written either.
        std::vector<DicomStudyInput> batch{study(f.dir.path(), "GOOD", "3.1", "3.1.1", 1), c.in};
        try {
            import_dicom(*f.store, ws, f.radiologist, batch);
            BOOST_ERROR("accepted: " << c.named);
        } catch (const InputError& e) {
            BOOST_TEST(std::string(e.what()).find(c.named) != std::string::npos, e.what());
            BOOST_TEST(std::string(e.what()).find(c.in.series[0].files[0].source.string()) != std::string::npos, e.what());
        }
        BOOST_TEST(f.content_digest() == digest);
        BOOST_TEST(!fs::exists(ws / "images/3.1"));
    }
}

BOOST_AUTO_TEST_SUITE_END()
