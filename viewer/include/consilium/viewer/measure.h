#pragma once
// Measurements a radiologist makes: distance, the value at a point (HU probe), and statistics in
// a region. Positions are patient coordinates (LPS, mm).
#include "consilium/viewer/volume.h"

#include <optional>

namespace consilium::viewer {

double distance_mm(const Vec3& a, const Vec3& b);

// The voxel value at a point (nearest voxel); nullopt outside the volume.
std::optional<double> probe(const Volume& v, const Vec3& lps);

struct RegionStatistics {
    std::size_t voxels = 0;
    double mean = 0, sd = 0, min = 0, max = 0;
    double area_mm2 = 0;    // for a region in one slice
    double volume_mm3 = 0;  // voxels x voxel volume
};

// An axis-aligned (in patient coordinates) box: centre and edge lengths. A box thinner than one
// voxel is a region in one slice (area); a thicker one a volume.
RegionStatistics box_statistics(const Volume& v, const Vec3& centre_lps, const Vec3& size_mm);
// An ellipse in the plane of a view (centre, the two radii along the view's right and up axes).
RegionStatistics ellipse_statistics(const Volume& v, const Vec3& centre_lps, const Vec3& right, const Vec3& up,
                                    double radius_right_mm, double radius_up_mm);

}  // namespace consilium::viewer
