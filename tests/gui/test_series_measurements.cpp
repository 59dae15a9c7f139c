// Item 6 of issue 12: measurements vanished when the patient was switched. They are part of the
// reading: kept per series and reader, back when the series is opened again, deleted (audited)
// only when the reader deletes them.
#include "mdt_workspace.h"

#include "model/series_measurements.h"
#include "model/viewer_model.h"

#include <boost/test/unit_test.hpp>

using namespace consilium;
using namespace consilium::gui;
using consilium::test::MdtWorkspace;

namespace {

void add_series(decision::Store& store, std::int64_t patient, const std::string& uid) {
    auto tx = store.begin();
    auto sid = store.imaging().insert_study({0, patient, "study-" + uid, "2024-01-02", "CT CHEST", std::nullopt});
    store.imaging().insert_series({0, sid, uid, "CT", std::nullopt, 40, "images/x/" + uid, "{}"});
    tx->commit();
}

// A 20x30x40 CT of zeros (0 HU), 0.5 x 0.5 x 2 mm, for the series `uid`.
std::shared_ptr<const viewer::Volume> ct(const std::string& uid) {
    auto v = std::make_shared<viewer::Volume>();
    v->dims = {20, 30, 40};
    v->spacing_mm = {0.5, 0.5, 2.0};
    v->origin_lps = {-5, -7.5, 100};
    v->modality = "CT";
    v->series_uid = uid;
    v->voxels = viewer::make_shared_buffer(v->voxel_count() * 2, "test");
    return v;
}

void measure(ViewerModel& m, ViewerTool tool, viewer::Vec3 from, viewer::Vec3 to) {
    m.set_tool(tool);
    m.begin_measurement(from);
    m.drag_measurement(to);
    m.end_measurement();
}

}  // namespace

BOOST_AUTO_TEST_CASE(measurements_come_back_after_switching_patients_and_deleting_is_audited) {
    MdtWorkspace ws;
    add_series(ws.workstation->store(), ws.jane, "1.2.840.1.1");
    add_series(ws.workstation->store(), ws.piet, "1.2.840.2.1");
    ws.login("radiologist");
    ViewerModel viewer;
    SeriesMeasurements keeper(viewer, *ws.workstation);

    BOOST_TEST(ws.workstation->open_patient(ws.jane) == "");
    viewer.set_volume(ct("1.2.840.1.1"));
    measure(viewer, ViewerTool::distance, {0, 0, 120}, {3, 4, 120});
    measure(viewer, ViewerTool::region, {-2, -2, 120}, {2, 2, 120});
    BOOST_REQUIRE(viewer.measurements().size() == 2u);
    BOOST_TEST(viewer.kept(0));
    BOOST_TEST(viewer.kept(1));
    BOOST_TEST(ws.audit_count("measurement.add") == 2);

    // Another patient: their series shows none of Jane's measurements.
    BOOST_TEST(ws.workstation->open_patient(ws.piet) == "");
    viewer.clear();
    viewer.set_volume(ct("1.2.840.2.1"));
    BOOST_TEST(viewer.measurements().empty());

    // Back to Jane's series: both are there, where they were, with their values.
    BOOST_TEST(ws.workstation->open_patient(ws.jane) == "");
    viewer.clear();
    viewer.set_volume(ct("1.2.840.1.1"));
    BOOST_REQUIRE(viewer.measurements().size() == 2u);
    BOOST_TEST(viewer.measurements()[0].label == "5.0 mm");
    BOOST_TEST(viewer.measurements()[0].to_lps[1] == 4);
    BOOST_TEST(!viewer.measurements()[0].box);
    BOOST_TEST(viewer.measurements()[1].box);
    BOOST_TEST(viewer.measurements()[1].label.find("mean 0 HU") == 0u);

    // Another reader sees only their own.
    ws.login("physician");
    viewer.set_volume(ct("1.2.840.1.1"));
    BOOST_TEST(viewer.measurements().empty());

    // Deleting one is audited, and it stays deleted.
    ws.login("radiologist");
    viewer.set_volume(ct("1.2.840.1.1"));
    BOOST_REQUIRE(viewer.delete_measurement(0));
    BOOST_TEST(ws.audit_count("measurement.delete") == 1);
    viewer.set_volume(ct("1.2.840.1.1"));
    BOOST_REQUIRE(viewer.measurements().size() == 1u);
    BOOST_TEST(viewer.measurements()[0].box);

    // Clearing deletes the rest from the record.
    viewer.clear_measurements();
    BOOST_TEST(ws.audit_count("measurement.delete") == 2);
    viewer.set_volume(ct("1.2.840.1.1"));
    BOOST_TEST(viewer.measurements().empty());
}

BOOST_AUTO_TEST_CASE(a_measurement_on_a_volume_outside_the_workspace_says_it_was_not_saved) {
    MdtWorkspace ws;
    ws.login("radiologist");
    ViewerModel viewer;
    SeriesMeasurements keeper(viewer, *ws.workstation);
    viewer.set_volume(ct("9.9.9"));
    measure(viewer, ViewerTool::distance, {0, 0, 120}, {3, 4, 120});
    BOOST_REQUIRE(viewer.measurements().size() == 1u);
    BOOST_TEST(!viewer.kept(0));
    BOOST_TEST(viewer.measurements()[0].label == "5.0 mm (not saved)");
    BOOST_TEST(keeper.problem().find("9.9.9") != std::string::npos);
    BOOST_TEST(ws.audit_count("measurement.add") == 0);
    // Not kept: deleting it touches no record.
    BOOST_TEST(viewer.delete_measurement(0));
    BOOST_TEST(ws.audit_count("measurement.delete") == 0);
}
