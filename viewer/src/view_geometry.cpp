#include "consilium/viewer/view_geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace consilium::viewer {
namespace {

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b) {
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

// Column c of the direction matrix (row by row), scaled by the spacing: one voxel step along axis c.
Vec3 step(const Volume& v, int c) {
    return {v.direction[0 * 3 + c] * v.spacing_mm[c], v.direction[1 * 3 + c] * v.spacing_mm[c],
            v.direction[2 * 3 + c] * v.spacing_mm[c]};
}

// The volume axis (0, 1, 2) most nearly along `n`.
int axis_along(const Volume& v, const Vec3& n) {
    int best = 2;
    double best_cos = -1;
    for (int c = 0; c < 3; ++c) {
        Vec3 d{v.direction[c], v.direction[3 + c], v.direction[6 + c]};
        double cosine = std::fabs(dot(d, n));
        if (cosine > best_cos) best_cos = cosine, best = c;
    }
    return best;
}

}  // namespace

const char* to_string(ViewKind view) {
    switch (view) {
        case ViewKind::axial: return "axial";
        case ViewKind::coronal: return "coronal";
        case ViewKind::sagittal: return "sagittal";
        case ViewKind::volume3d: return "3d";
    }
    return "?";
}

std::optional<ViewKind> view_from_string(const std::string& t) {
    for (ViewKind v : {ViewKind::axial, ViewKind::coronal, ViewKind::sagittal, ViewKind::volume3d})
        if (t == to_string(v)) return v;
    return std::nullopt;
}

ViewAxes view_axes(ViewKind view) {
    ViewAxes a;
    switch (view) {
        case ViewKind::axial: a.right = {1, 0, 0}, a.up = {0, -1, 0}; break;
        case ViewKind::coronal: a.right = {1, 0, 0}, a.up = {0, 0, 1}; break;
        case ViewKind::sagittal: a.right = {0, 1, 0}, a.up = {0, 0, 1}; break;
        case ViewKind::volume3d: a.right = {1, 0, 0}, a.up = {0, 0, 1}; break;  // seen from the front
    }
    a.normal = cross(a.right, a.up);
    return a;
}

EdgeLetters edge_letters(ViewKind view) {
    switch (view) {
        case ViewKind::axial: return {"R", "L", "A", "P"};
        case ViewKind::coronal: return {"R", "L", "S", "I"};
        case ViewKind::sagittal: return {"A", "P", "S", "I"};
        case ViewKind::volume3d: return {"R", "L", "S", "I"};
    }
    return {};
}

Vec3 index_to_lps(const Volume& v, const Vec3& index) {
    Vec3 p = v.origin_lps;
    for (int c = 0; c < 3; ++c) {
        Vec3 s = step(v, c);
        for (int r = 0; r < 3; ++r) p[static_cast<std::size_t>(r)] += s[static_cast<std::size_t>(r)] * index[static_cast<std::size_t>(c)];
    }
    return p;
}

Vec3 lps_to_index(const Volume& v, const Vec3& lps) {
    // The direction matrix is orthonormal for DICOM and ITK volumes: its inverse is its transpose.
    Vec3 d{lps[0] - v.origin_lps[0], lps[1] - v.origin_lps[1], lps[2] - v.origin_lps[2]};
    Vec3 out{};
    for (int c = 0; c < 3; ++c) {
        Vec3 axis{v.direction[c], v.direction[3 + c], v.direction[6 + c]};
        out[static_cast<std::size_t>(c)] = dot(axis, d) / v.spacing_mm[static_cast<std::size_t>(c)];
    }
    return out;
}

Vec3 volume_centre_lps(const Volume& v) {
    return index_to_lps(v, {(v.dims[0] - 1) / 2.0, (v.dims[1] - 1) / 2.0, (v.dims[2] - 1) / 2.0});
}

SlicePlane slice_plane(const Volume& v, ViewKind view, const Vec3& point) {
    SlicePlane plane;
    plane.axes = view_axes(view);
    // Extent of the volume's corners along the screen axes.
    double lo_r = std::numeric_limits<double>::max(), hi_r = -lo_r, lo_u = lo_r, hi_u = -lo_r;
    for (int corner = 0; corner < 8; ++corner) {
        Vec3 idx{(corner & 1) ? v.dims[0] - 1.0 : 0.0, (corner & 2) ? v.dims[1] - 1.0 : 0.0, (corner & 4) ? v.dims[2] - 1.0 : 0.0};
        Vec3 p = index_to_lps(v, idx);
        double r = dot(p, plane.axes.right), u = dot(p, plane.axes.up);
        lo_r = std::min(lo_r, r), hi_r = std::max(hi_r, r), lo_u = std::min(lo_u, u), hi_u = std::max(hi_u, u);
    }
    // Square pixels at the finest in-plane spacing of the volume, so nothing is lost.
    const int a = axis_along(v, plane.axes.normal);
    double finest = std::numeric_limits<double>::max();
    for (int c = 0; c < 3; ++c)
        if (c != a) finest = std::min(finest, v.spacing_mm[static_cast<std::size_t>(c)]);
    plane.pixel_mm = finest > 0 ? finest : 1.0;
    plane.columns = std::max(1, static_cast<int>(std::lround((hi_r - lo_r) / plane.pixel_mm)) + 1);
    plane.rows = std::max(1, static_cast<int>(std::lround((hi_u - lo_u) / plane.pixel_mm)) + 1);
    const double depth = dot(point, plane.axes.normal);
    for (int r = 0; r < 3; ++r)
        plane.origin_lps[static_cast<std::size_t>(r)] = plane.axes.right[static_cast<std::size_t>(r)] * lo_r +
                                                        plane.axes.up[static_cast<std::size_t>(r)] * lo_u +
                                                        plane.axes.normal[static_cast<std::size_t>(r)] * depth;
    return plane;
}

int slice_count(const Volume& v, ViewKind view) { return v.dims[static_cast<std::size_t>(axis_along(v, view_axes(view).normal))]; }

Vec3 slice_point(const Volume& v, ViewKind view, int slice) {
    const int a = axis_along(v, view_axes(view).normal);
    if (slice < 0 || slice >= v.dims[static_cast<std::size_t>(a)])
        throw std::out_of_range("slice " + std::to_string(slice) + " is outside 0.." + std::to_string(v.dims[static_cast<std::size_t>(a)] - 1));
    Vec3 idx{(v.dims[0] - 1) / 2.0, (v.dims[1] - 1) / 2.0, (v.dims[2] - 1) / 2.0};
    idx[static_cast<std::size_t>(a)] = slice;
    return index_to_lps(v, idx);
}

}  // namespace consilium::viewer
