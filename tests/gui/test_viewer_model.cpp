// The reading state behind the 2x2 viewer: scrolling, window/level, presets, crosshair, zoom.
#include "model/viewer_model.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace consilium;
using consilium::gui::ViewerModel;

namespace {
// A 20x30x40 int16 CT-like volume, 0.5 x 0.5 x 2 mm, axial, no voxel data needed for the geometry.
std::shared_ptr<const viewer::Volume> ct() {
    auto v = std::make_shared<viewer::Volume>();
    v->dims = {20, 30, 40};
    v->spacing_mm = {0.5, 0.5, 2.0};
    v->origin_lps = {-5, -7.5, 100};
    v->modality = "CT";
    v->voxels = viewer::make_shared_buffer(v->voxel_count() * 2, "test");
    return v;
}
double z_of(const ViewerModel& m) { return m.state().crosshair_lps[2]; }
}  // namespace

BOOST_AUTO_TEST_CASE(scroll_moves_one_slice_per_step_and_stops_at_the_ends) {
    ViewerModel m;
    int changes = 0;
    m.changed.connect([&] { ++changes; });
    m.set_volume(ct());
    m.scroll(viewer::ViewKind::axial, 1);  // the centre lies between two slices: lands on one
    const double start = z_of(m);
    BOOST_TEST(std::abs(std::fmod(start - 100, 2.0)) < 1e-6);
    m.scroll(viewer::ViewKind::axial, 1);
    BOOST_TEST(std::abs(std::abs(z_of(m) - start) - 2.0) < 1e-6);
    m.scroll(viewer::ViewKind::axial, -1);
    BOOST_TEST(std::abs(z_of(m) - start) < 1e-6);
    m.scroll(viewer::ViewKind::axial, 1000);
    const double end = z_of(m);
    BOOST_TEST((std::abs(end - 100) < 1e-6 || std::abs(end - 178) < 1e-6));
    auto [slice, count] = m.slice_of(viewer::ViewKind::axial);
    BOOST_TEST(count == 40);
    BOOST_TEST((slice == 1 || slice == 40));
    BOOST_TEST(changes >= 4);
}

BOOST_AUTO_TEST_CASE(window_level_drag_presets_and_reset) {
    ViewerModel m;
    m.set_volume(ct());
    const auto initial = m.state().window;
    m.drag_window_level(50, -20);
    BOOST_TEST(m.state().window.window > initial.window);
    BOOST_TEST(m.state().window.level < initial.level);
    BOOST_TEST(m.window_label().find("W ") == 0u);
    BOOST_TEST(m.apply_preset(3));  // lung
    BOOST_TEST(m.state().window.window == 1500);
    BOOST_TEST(m.state().window.level == -600);
    BOOST_TEST(!m.apply_preset(0));
    BOOST_TEST(!m.apply_preset(99));
    m.zoom(viewer::ViewKind::axial, 2.0);
    m.toggle_maximised(viewer::ViewKind::coronal);
    m.reset();
    BOOST_TEST(m.state().window.window == initial.window);
    BOOST_TEST(m.zoom_of(viewer::ViewKind::axial) == 1.0);
    BOOST_TEST(!m.maximised().has_value());
}

BOOST_AUTO_TEST_CASE(crosshair_is_kept_inside_the_volume) {
    ViewerModel m;
    m.set_volume(ct());
    m.set_crosshair({1000, -1000, 50});
    const auto& c = m.state().crosshair_lps;
    BOOST_TEST(c[0] <= 4.5 + 1e-9);
    BOOST_TEST(c[1] >= -7.5 - 1e-9);
    BOOST_TEST(c[2] >= 100 - 1e-9);
}

BOOST_AUTO_TEST_CASE(overlay_toggle_hides_and_restores_the_evidence) {
    ViewerModel m;
    m.set_volume(ct());
    viewer::RoiBox box;
    box.centre_lps = {0, 0, 120};
    box.size_mm = {5, 5, 5};
    m.set_evidence({box}, {});
    BOOST_TEST(m.state().rois.size() == 1u);
    m.set_overlays_visible(false);
    BOOST_TEST(m.state().rois.empty());
    m.set_overlays_visible(true);
    BOOST_TEST(m.state().rois.size() == 1u);
}

BOOST_AUTO_TEST_CASE(no_volume_means_no_change) {
    ViewerModel m;
    int changes = 0;
    m.changed.connect([&] { ++changes; });
    m.scroll(viewer::ViewKind::axial, 3);
    m.drag_window_level(10, 10);
    BOOST_TEST(!m.apply_preset(1));
    BOOST_TEST(changes == 0);
}

BOOST_AUTO_TEST_CASE(distance_and_region_measurements_are_labelled_in_mm_and_hu) {
    auto v = std::const_pointer_cast<viewer::Volume>(ct());
    auto* voxels = static_cast<std::int16_t*>(v->voxels->data());
    for (std::size_t i = 0; i < v->voxel_count(); ++i) voxels[i] = 40;  // soft tissue everywhere
    ViewerModel m;
    m.set_volume(v);
    m.begin_measurement({0, 0, 120});
    BOOST_TEST(m.measurements().empty());  // the navigate tool measures nothing
    m.set_tool(gui::ViewerTool::distance);
    m.begin_measurement({0, 0, 120});
    m.drag_measurement({3, 4, 120});
    m.end_measurement();
    BOOST_REQUIRE(m.measurements().size() == 1u);
    BOOST_TEST(m.measurements()[0].label == "5.0 mm");
    m.set_tool(gui::ViewerTool::region);
    m.begin_measurement({-2, -2, 120});
    m.drag_measurement({2, 2, 120});
    m.end_measurement();
    BOOST_REQUIRE(m.measurements().size() == 2u);
    BOOST_TEST(m.measurements()[1].box);
    BOOST_TEST(m.measurements()[1].label.find("mean 40 HU") == 0u, m.measurements()[1].label);
    m.begin_measurement({1, 1, 120});  // a click without a drag
    m.end_measurement();
    BOOST_TEST(m.measurements().size() == 2u);
    m.reset();
    BOOST_TEST(m.measurements().size() == 2u);  // reset is about the view, not the measurements
    m.clear_measurements();
    BOOST_TEST(m.measurements().empty());
}
