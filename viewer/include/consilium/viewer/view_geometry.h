#pragma once
// Where the three reformatted views look, in radiological convention, and the arithmetic that
// maps between voxel indexes and patient coordinates (LPS, mm). No VTK here: it is tested alone.
//
//   axial:    screen right = patient left (+x),      screen up = anterior (-y)
//   coronal:  screen right = patient left (+x),      screen up = superior (+z)
//   sagittal: screen right = posterior (+y),         screen up = superior (+z)   (anterior on the left)
#include "consilium/viewer/volume.h"

#include <array>
#include <string>

namespace consilium::viewer {

enum class ViewKind { axial, coronal, sagittal, volume3d };
const char* to_string(ViewKind view);
std::optional<ViewKind> view_from_string(const std::string& text);

struct ViewAxes {
    Vec3 right;   // screen right, a unit vector in LPS
    Vec3 up;      // screen up
    Vec3 normal;  // right x up: points out of the screen towards the viewer
};
ViewAxes view_axes(ViewKind view);

// Letters at the screen's left, right, top and bottom edges ("R", "L", "A", "P").
struct EdgeLetters {
    std::string left, right, top, bottom;
};
EdgeLetters edge_letters(ViewKind view);

// Voxel index (continuous) <-> patient position.
Vec3 index_to_lps(const Volume& v, const Vec3& index);
Vec3 lps_to_index(const Volume& v, const Vec3& lps);
Vec3 volume_centre_lps(const Volume& v);

// The plane a 2D view shows: through `point_lps`, spanned by the view's axes, covering the whole
// volume. Pixel (0,0) is the bottom-left corner (VTK's convention); columns go right, rows go up.
struct SlicePlane {
    ViewAxes axes;
    Vec3 origin_lps;          // centre of output pixel (0,0)
    double pixel_mm = 1.0;    // square pixels
    int columns = 1, rows = 1;
};
SlicePlane slice_plane(const Volume& v, ViewKind view, const Vec3& point_lps);

// The point a view passes through for `--slice N`: the centre of slice N along the volume axis
// closest to the view's normal. Throws std::out_of_range for N outside the volume.
Vec3 slice_point(const Volume& v, ViewKind view, int slice);
int slice_count(const Volume& v, ViewKind view);

}  // namespace consilium::viewer
