#pragma once
// Geometry arithmetic of the viewer tests: the tests' own, not the viewer's, so a shared mistake
// cannot make code and test agree.
#include "dicom_writer.h"

#include <array>
#include <cmath>

namespace consilium::test::geometry {

using Vec3 = std::array<double, 3>;

inline Vec3 cross(const Vec3& a, const Vec3& b) {
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
inline double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
inline Vec3 unit(const Vec3& a) {
    const double l = std::sqrt(dot(a, a));
    return {a[0] / l, a[1] / l, a[2] / l};
}
inline Vec3 add(const Vec3& a, const Vec3& b, double k = 1.0) { return {a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2]}; }

// What a reader gets back from the DS text the writer puts in the file.
template <std::size_t N>
std::array<double, N> as_written(const std::array<double, N>& v) {
    std::array<double, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = dicom::ds_value(v[i]);
    return out;
}

// Direction as the viewer holds it: row by row; columns = row direction, column direction, normal.
inline std::array<double, 9> direction_of(const std::array<double, 6>& iop) {
    const Vec3 r{iop[0], iop[1], iop[2]}, c{iop[3], iop[4], iop[5]};
    const Vec3 n = unit(cross(r, c));
    return {r[0], c[0], n[0], r[1], c[1], n[1], r[2], c[2], n[2]};
}

}  // namespace consilium::test::geometry
