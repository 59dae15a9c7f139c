#include "consilium/viewer/measure.h"

#include "consilium/viewer/view_geometry.h"

#include <algorithm>
#include <cmath>

namespace consilium::viewer {
namespace {

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

template <class Inside>
RegionStatistics collect(const Volume& v, const Vec3& lo_lps, const Vec3& hi_lps, Inside inside) {
    // Index bounds of the region's bounding box (any orientation of the volume).
    Vec3 lo{1e30, 1e30, 1e30}, hi{-1e30, -1e30, -1e30};
    for (int c = 0; c < 8; ++c) {
        Vec3 p{(c & 1) ? hi_lps[0] : lo_lps[0], (c & 2) ? hi_lps[1] : lo_lps[1], (c & 4) ? hi_lps[2] : lo_lps[2]};
        Vec3 idx = lps_to_index(v, p);
        for (std::size_t d = 0; d < 3; ++d) lo[d] = std::min(lo[d], idx[d]), hi[d] = std::max(hi[d], idx[d]);
    }
    RegionStatistics s;
    double sum = 0, sum2 = 0;
    s.min = 1e300, s.max = -1e300;
    std::array<int, 3> a{}, b{};
    for (std::size_t d = 0; d < 3; ++d) {
        a[d] = std::max(0, static_cast<int>(std::ceil(lo[d] - 0.5)));
        b[d] = std::min(v.dims[d] - 1, static_cast<int>(std::floor(hi[d] + 0.5)));
    }
    for (int k = a[2]; k <= b[2]; ++k)
        for (int j = a[1]; j <= b[1]; ++j)
            for (int i = a[0]; i <= b[0]; ++i) {
                Vec3 p = index_to_lps(v, {double(i), double(j), double(k)});
                if (!inside(p)) continue;
                double x = v.value((static_cast<std::size_t>(k) * v.dims[1] + j) * v.dims[0] + i);
                if (v.padding_value && x == *v.padding_value) continue;
                ++s.voxels;
                sum += x, sum2 += x * x;
                s.min = std::min(s.min, x), s.max = std::max(s.max, x);
            }
    if (s.voxels == 0) return RegionStatistics{};
    s.mean = sum / static_cast<double>(s.voxels);
    s.sd = s.voxels > 1 ? std::sqrt(std::max(0.0, (sum2 - sum * s.mean) / static_cast<double>(s.voxels - 1))) : 0.0;
    s.volume_mm3 = static_cast<double>(s.voxels) * v.spacing_mm[0] * v.spacing_mm[1] * v.spacing_mm[2];
    return s;
}

}  // namespace

double distance_mm(const Vec3& a, const Vec3& b) {
    return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

std::optional<double> probe(const Volume& v, const Vec3& lps) {
    Vec3 idx = lps_to_index(v, lps);
    std::array<long, 3> n{};
    for (std::size_t d = 0; d < 3; ++d) {
        n[d] = std::lround(idx[d]);
        if (n[d] < 0 || n[d] >= v.dims[d]) return std::nullopt;
    }
    return v.value((static_cast<std::size_t>(n[2]) * v.dims[1] + static_cast<std::size_t>(n[1])) * v.dims[0] + static_cast<std::size_t>(n[0]));
}

RegionStatistics box_statistics(const Volume& v, const Vec3& c, const Vec3& size) {
    Vec3 lo{c[0] - size[0] / 2, c[1] - size[1] / 2, c[2] - size[2] / 2};
    Vec3 hi{c[0] + size[0] / 2, c[1] + size[1] / 2, c[2] + size[2] / 2};
    const double tolerance = 1e-6;
    auto s = collect(v, lo, hi, [&](const Vec3& p) {
        for (std::size_t d = 0; d < 3; ++d)
            if (p[d] < lo[d] - tolerance || p[d] > hi[d] + tolerance) return false;
        return true;
    });
    // A region one voxel thick is an area: voxels x in-plane voxel area.
    s.area_mm2 = static_cast<double>(s.voxels) * v.spacing_mm[0] * v.spacing_mm[1];
    return s;
}

RegionStatistics ellipse_statistics(const Volume& v, const Vec3& c, const Vec3& right, const Vec3& up, double rr, double ru) {
    Vec3 normal{right[1] * up[2] - right[2] * up[1], right[2] * up[0] - right[0] * up[2], right[0] * up[1] - right[1] * up[0]};
    const double half_depth = 0.5 * std::min({v.spacing_mm[0], v.spacing_mm[1], v.spacing_mm[2]});
    Vec3 lo{}, hi{};
    for (std::size_t d = 0; d < 3; ++d) {
        double extent = std::fabs(right[d]) * rr + std::fabs(up[d]) * ru + std::fabs(normal[d]) * half_depth;
        lo[d] = c[d] - extent, hi[d] = c[d] + extent;
    }
    auto s = collect(v, lo, hi, [&](const Vec3& p) {
        Vec3 d{p[0] - c[0], p[1] - c[1], p[2] - c[2]};
        double x = dot(d, right) / rr, y = dot(d, up) / ru;
        return std::fabs(dot(d, normal)) <= half_depth + 1e-6 && x * x + y * y <= 1.0;
    });
    s.area_mm2 = 3.14159265358979323846 * rr * ru;
    return s;
}

}  // namespace consilium::viewer
