#include "phantom.h"

#include "consilium/viewer/measure.h"
#include "consilium/viewer/presets.h"
#include "consilium/viewer/view_geometry.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace consilium::viewer;

BOOST_AUTO_TEST_SUITE(view_geometry)

BOOST_AUTO_TEST_CASE(views_follow_radiological_convention) {
    auto a = view_axes(ViewKind::axial);
    BOOST_TEST(a.right[0] == 1.0);   // patient left on screen right
    BOOST_TEST(a.up[1] == -1.0);     // anterior up
    auto c = view_axes(ViewKind::coronal);
    BOOST_TEST(c.right[0] == 1.0);
    BOOST_TEST(c.up[2] == 1.0);      // superior up
    auto s = view_axes(ViewKind::sagittal);
    BOOST_TEST(s.right[1] == 1.0);   // posterior on the right: anterior on the left
    BOOST_TEST(s.up[2] == 1.0);
    BOOST_TEST(edge_letters(ViewKind::axial).right == "L");
    BOOST_TEST(edge_letters(ViewKind::sagittal).left == "A");
}

BOOST_AUTO_TEST_CASE(index_and_patient_coordinates_round_trip) {
    // An oblique, flipped volume.
    const double c = std::cos(0.3), s = std::sin(0.3);
    auto v = consilium::test::marker_phantom({c, 0, s, 0, -1, 0, -s, 0, c}, {20, 30, 10});
    for (Vec3 idx : {Vec3{0, 0, 0}, Vec3{19, 29, 9}, Vec3{3.5, 7.25, 2}}) {
        auto back = lps_to_index(*v, index_to_lps(*v, idx));
        for (int d = 0; d < 3; ++d) BOOST_TEST(back[static_cast<std::size_t>(d)] == idx[static_cast<std::size_t>(d)], boost::test_tools::tolerance(1e-9));
    }
    auto centre = volume_centre_lps(*v);
    for (double x : centre) BOOST_TEST(x == 0.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(slice_planes_cover_the_volume) {
    auto v = consilium::test::marker_phantom();
    auto p = slice_plane(*v, ViewKind::coronal, {0, 10, 0});
    BOOST_TEST(p.columns == 64);
    BOOST_TEST(p.rows == 64);
    BOOST_TEST(p.pixel_mm == 2.0);
    BOOST_TEST(p.origin_lps[1] == 10.0);   // on the requested plane
    BOOST_TEST(p.origin_lps[0] == -63.0);  // bottom-left: patient right...
    BOOST_TEST(p.origin_lps[2] == -63.0);  // ...and inferior
    BOOST_CHECK_THROW(slice_point(*v, ViewKind::axial, 64), std::out_of_range);
    BOOST_TEST(slice_point(*v, ViewKind::axial, 0)[2] == -63.0);
    BOOST_TEST(slice_count(*v, ViewKind::sagittal) == 64);
}

BOOST_AUTO_TEST_CASE(measurements) {
    auto v = consilium::test::marker_phantom();
    BOOST_TEST(distance_mm({0, 0, 0}, {3, 4, 12}) == 13.0);
    BOOST_TEST(probe(*v, {35, 0, 0}).value() == 1000.0);
    BOOST_TEST(probe(*v, {0, -35, 0}).value() == 600.0);
    BOOST_TEST(probe(*v, {0, 0, 0}).value() == 100.0);
    BOOST_TEST(!probe(*v, {500, 0, 0}).has_value());
    // A 10 mm cube in the body: all 100.
    auto s = box_statistics(*v, {0, 20, 0}, {10, 10, 10});
    BOOST_TEST(s.voxels > 0u);
    BOOST_TEST(s.mean == 100.0);
    BOOST_TEST(s.sd == 0.0);
    BOOST_TEST(s.volume_mm3 == s.voxels * 8.0);
    // A box across the left marker's edge: both values, mean between.
    auto mixed = box_statistics(*v, {25, 0, 0}, {12, 4, 4});
    BOOST_TEST(mixed.min == 100.0);
    BOOST_TEST(mixed.max == 1000.0);
    BOOST_TEST((mixed.mean > 100.0 && mixed.mean < 1000.0));
    auto e = ellipse_statistics(*v, {35, 0, 0}, {1, 0, 0}, {0, -1, 0}, 6, 6);
    BOOST_TEST(e.mean == 1000.0);
    BOOST_TEST(e.area_mm2 == 3.14159265358979323846 * 36, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(window_presets) {
    BOOST_TEST(window_preset("lung")->window == 1500.0);
    BOOST_TEST(window_preset("lung")->level == -600.0);
    BOOST_TEST(window_preset("brain")->window == 80.0);
    BOOST_TEST(window_preset("subdural")->level == 80.0);
    BOOST_TEST(window_preset("mediastinum")->window == 350.0);
    BOOST_TEST(window_preset("bone")->level == 500.0);
    BOOST_TEST(window_preset("abdomen")->window == 400.0);
    BOOST_TEST(!window_preset("nonsense").has_value());
    auto v = consilium::test::marker_phantom();
    v->modality = "MR";
    auto wl = default_window(*v);  // percentiles of the MR values
    BOOST_TEST((wl.level - wl.window / 2 >= 0.0 && wl.level + wl.window / 2 <= 1000.0));
}

BOOST_AUTO_TEST_SUITE_END()
