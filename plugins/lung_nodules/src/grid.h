#pragma once
// The voxel grid of the CT volume: sizes, spacing, origin and direction in LPS millimetres, as the
// plugin SDK hands them over. Plain data, shared by every step of the detector.
#include <array>
#include <cstddef>

namespace consilium::lung {

struct Grid {
    std::array<int, 3> dims{};                                   // i, j, k
    std::array<double, 3> spacing{1, 1, 1};                      // mm along i, j, k
    std::array<double, 3> origin{};                              // LPS of voxel (0,0,0)
    std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};  // row-major; columns are the i, j, k axes

    std::size_t voxels() const {
        return static_cast<std::size_t>(dims[0]) * static_cast<std::size_t>(dims[1]) * static_cast<std::size_t>(dims[2]);
    }
    std::size_t slice_voxels() const { return static_cast<std::size_t>(dims[0]) * static_cast<std::size_t>(dims[1]); }
    std::size_t index(int i, int j, int k) const {
        return static_cast<std::size_t>(i) + static_cast<std::size_t>(dims[0]) *
                                                 (static_cast<std::size_t>(j) + static_cast<std::size_t>(dims[1]) *
                                                                                    static_cast<std::size_t>(k));
    }
    // LPS position (mm) of the continuous index (i, j, k).
    std::array<double, 3> to_lps(double i, double j, double k) const {
        const double s[3] = {i * spacing[0], j * spacing[1], k * spacing[2]};
        std::array<double, 3> p{};
        for (std::size_t r = 0; r < 3; ++r)
            p[r] = origin[r] + direction[3 * r] * s[0] + direction[3 * r + 1] * s[1] + direction[3 * r + 2] * s[2];
        return p;
    }
};

}  // namespace consilium::lung
