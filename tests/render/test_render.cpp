// Renders through the same View the workstation uses, offscreen under Xvfb, and reads the PNGs
// back. The images are kept in the build tree (test-artifacts/render) to be looked at.
#include "phantom.h"
#include "test_support.h"

#include "consilium/viewer/scene.h"

#include <boost/test/unit_test.hpp>

#include <vtkImageData.h>
#include <vtkPNGReader.h>
#include <vtkSmartPointer.h>

#include <cstdlib>

using namespace consilium::viewer;

namespace {

std::filesystem::path artifacts() {
    const char* bin = std::getenv("CONSILIUM_BIN");
    auto dir = (bin ? std::filesystem::path(bin).parent_path() : std::filesystem::temp_directory_path()) / "test-artifacts" / "render";
    std::filesystem::create_directories(dir);
    return dir;
}

struct Image {
    int width = 0, height = 0;
    vtkSmartPointer<vtkImageData> data;
    // Row 0 is the bottom of the screen (VTK's convention).
    std::array<int, 3> rgb(int x, int y) const {
        auto* p = static_cast<unsigned char*>(data->GetScalarPointer(x, y, 0));
        return {p[0], p[1], p[2]};
    }
};

Image read_png(const std::filesystem::path& file) {
    auto reader = vtkSmartPointer<vtkPNGReader>::New();
    reader->SetFileName(file.c_str());
    reader->Update();
    Image img;
    img.data = reader->GetOutput();
    int dims[3];
    img.data->GetDimensions(dims);
    img.width = dims[0], img.height = dims[1];
    return img;
}

// Centre of the pixels whose grey value lies in [lo, hi] (r = g = b for grey).
std::optional<std::array<double, 2>> centroid(const Image& img, int lo, int hi) {
    double sx = 0, sy = 0, n = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            auto c = img.rgb(x, y);
            if (c[0] >= lo && c[0] <= hi && std::abs(c[0] - c[1]) < 8 && std::abs(c[1] - c[2]) < 8) sx += x, sy += y, ++n;
        }
    if (n < 20) return std::nullopt;
    return std::array<double, 2>{sx / n, sy / n};
}

Image render(std::shared_ptr<Volume> v, ViewKind view, ViewState s, const std::string& name) {
    s.show_crosshair = false;
    s.show_letters = false;
    s.show_annotations = false;
    auto file = artifacts() / (name + ".png");
    render_png(v, view, s, 300, 300, file);
    return read_png(file);
}

// Window 1000/500: marker values 1000 -> 255, 600 -> ~153, 300 -> ~76, body 100 -> ~25.
ViewState plain(const Volume& v) {
    ViewState s = initial_state(v);
    s.crosshair_lps = {0, 0, 0};
    s.window = {1000, 500};
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rendering)

BOOST_AUTO_TEST_CASE(axial_shows_patient_left_on_the_right_and_anterior_at_the_top) {
    auto v = consilium::test::marker_phantom();
    auto img = render(v, ViewKind::axial, plain(*v), "axial-orientation");
    BOOST_REQUIRE(img.width == 300);
    auto left_marker = centroid(img, 240, 255);
    auto anterior_marker = centroid(img, 135, 170);
    BOOST_REQUIRE(left_marker && anterior_marker);
    BOOST_TEST((*left_marker)[0] > img.width * 0.6);        // right of the screen
    BOOST_TEST((*anterior_marker)[1] > img.height * 0.6);   // top of the screen
    BOOST_TEST(std::abs((*anterior_marker)[0] - img.width / 2.0) < 15);
}

BOOST_AUTO_TEST_CASE(coronal_shows_patient_left_on_the_right_and_superior_at_the_top) {
    auto v = consilium::test::marker_phantom();
    auto img = render(v, ViewKind::coronal, plain(*v), "coronal-orientation");
    auto left_marker = centroid(img, 240, 255);
    auto superior_marker = centroid(img, 65, 90);
    BOOST_REQUIRE(left_marker && superior_marker);
    BOOST_TEST((*left_marker)[0] > img.width * 0.6);
    BOOST_TEST((*superior_marker)[1] > img.height * 0.6);
}

BOOST_AUTO_TEST_CASE(sagittal_shows_anterior_on_the_left_and_superior_at_the_top) {
    auto v = consilium::test::marker_phantom();
    auto img = render(v, ViewKind::sagittal, plain(*v), "sagittal-orientation");
    auto anterior_marker = centroid(img, 135, 170);
    auto superior_marker = centroid(img, 65, 90);
    BOOST_REQUIRE(anterior_marker && superior_marker);
    BOOST_TEST((*anterior_marker)[0] < img.width * 0.4);
    BOOST_TEST((*superior_marker)[1] > img.height * 0.6);
}

BOOST_AUTO_TEST_CASE(orientation_holds_for_a_volume_stored_flipped_and_oblique) {
    // Stored with rows running posterior-to-anterior and slices from head to feet: the views
    // must look exactly as before, since they follow the patient, not the storage order.
    auto v = consilium::test::marker_phantom({-1, 0, 0, 0, -1, 0, 0, 0, -1});
    auto img = render(v, ViewKind::axial, plain(*v), "axial-flipped");
    auto left_marker = centroid(img, 240, 255);
    auto anterior_marker = centroid(img, 135, 170);
    BOOST_REQUIRE(left_marker && anterior_marker);
    BOOST_TEST((*left_marker)[0] > img.width * 0.6);
    BOOST_TEST((*anterior_marker)[1] > img.height * 0.6);
}

BOOST_AUTO_TEST_CASE(three_d_from_the_front_has_the_patients_left_on_the_right) {
    auto v = consilium::test::marker_phantom();
    ViewState s = plain(*v);
    s.preset = VolumePreset::ct_bone;
    auto img = render(v, ViewKind::volume3d, s, "3d-front");
    double sx = 0, n = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            auto c = img.rgb(x, y);
            if (c[0] + c[1] + c[2] > 120) sx += x, ++n;
        }
    BOOST_REQUIRE(n > 100);                     // something rendered
    BOOST_TEST(sx / n > img.width * 0.52);      // the left marker pulls the mass to the right
}

BOOST_AUTO_TEST_CASE(masks_of_another_geometry_and_roi_boxes_are_drawn) {
    auto v = consilium::test::marker_phantom();
    // A coarser mask (4 mm voxels, 32^3) labelling the left marker.
    auto mask = std::make_shared<Volume>();
    mask->dims = {32, 32, 32};
    mask->spacing_mm = {4, 4, 4};
    mask->origin_lps = {-62, -62, -62};
    mask->pixel_type = PixelType::int16;
    mask->voxels = make_shared_buffer(mask->voxel_count() * 2);
    auto* m = static_cast<std::int16_t*>(mask->voxels->data());
    for (int k = 0; k < 32; ++k)
        for (int j = 0; j < 32; ++j)
            for (int i = 0; i < 32; ++i) {
                double x = -62 + 4 * i, y = -62 + 4 * j, z = -62 + 4 * k;
                m[(k * 32 + j) * 32 + i] = (x - 35) * (x - 35) + y * y + z * z < 100 ? 1 : 0;
            }
    ViewState s = plain(*v);
    s.masks.push_back({mask, {1, 0, 0}, 0.6});
    s.rois.push_back({{0, -35, 0}, {24, 24, 24}, {1, 1, 0}, "anterior"});
    auto img = render(v, ViewKind::axial, s, "axial-overlays");
    int red = 0, yellow = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            auto c = img.rgb(x, y);
            if (c[0] > 200 && c[1] < 150 && c[2] < 150 && x > img.width * 0.6) ++red;
            if (c[0] > 200 && c[1] > 200 && c[2] < 80) ++yellow;
        }
    BOOST_TEST(red > 50);     // the mask over the left marker, on the screen's right
    BOOST_TEST(yellow > 40);  // the ROI box outline
}

BOOST_AUTO_TEST_CASE(letters_and_crosshair_are_drawn_when_asked) {
    auto v = consilium::test::marker_phantom();
    ViewState s = plain(*v);
    auto file = artifacts() / "axial-annotated.png";
    render_png(v, ViewKind::axial, s, 300, 300, file);  // crosshair, letters and annotations on
    auto img = read_png(file);
    int teal = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            auto c = img.rgb(x, y);
            if (c[2] > 180 && c[1] > 150 && c[0] < 120) ++teal;
        }
    BOOST_TEST(teal > 100);  // the crosshair's lines
}

BOOST_AUTO_TEST_CASE(without_a_display_rendering_is_refused_with_a_reason) {
    const char* display = std::getenv("DISPLAY");
    std::string saved = display ? display : "";
    unsetenv("DISPLAY");
    auto v = consilium::test::marker_phantom();
    try {
        render_png(v, ViewKind::axial, plain(*v), 100, 100, artifacts() / "never.png");
        BOOST_FAIL("rendered without a display");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()).find("display") != std::string::npos);
    }
    if (!saved.empty()) setenv("DISPLAY", saved.c_str(), 1);
}

BOOST_AUTO_TEST_SUITE_END()
