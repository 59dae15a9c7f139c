#pragma once
// A synthetic chest CT for the lung-nodule plugin's tests, in LPS millimetres: a soft-tissue body
// ellipse (40 HU) in air (-1000 HU), two ellipsoidal lungs (-850 HU), a vertebra (1000 HU), solid
// spherical nodules (60 HU) of known centre and diameter, a 40 mm mass and a thin oblique vessel
// (neither is a nodule), +-16 HU of deterministic noise. Anisotropic voxels, origin off zero.
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace consilium::test {

struct Ball {
    std::array<double, 3> centre;  // LPS mm
    double diameter;               // mm
    bool contains(double x, double y, double z) const {
        const double dx = x - centre[0], dy = y - centre[1], dz = z - centre[2];
        return dx * dx + dy * dy + dz * dz < diameter * diameter / 4;
    }
};

struct ChestPhantom {
    std::array<int, 3> dims{360, 300, 160};
    std::array<double, 3> spacing{0.7, 0.7, 1.25};
    std::array<double, 3> origin{-125.65, -104.65, -300.0};  // the field of view is centred on x = y = 0
    // Patient right is -x: two nodules in each lung.
    std::vector<Ball> nodules{{{-55, -10, -170}, 5}, {{60, 25, -235}, 8}, {{-50, 28, -240}, 12}, {{45, -22, -160}, 20}};
    Ball mass{{60, 8, -200}, 40};
    std::array<double, 3> vessel_from{-70, -35, -215}, vessel_to{-40, -5, -255};  // 58 mm long
    double vessel_radius = 1.5;

    double distance_to_vessel(double x, double y, double z) const {
        double ab[3], ap[3] = {x - vessel_from[0], y - vessel_from[1], z - vessel_from[2]};
        double ab2 = 0, t = 0;
        for (int a = 0; a < 3; ++a) {
            ab[a] = vessel_to[a] - vessel_from[a];
            ab2 += ab[a] * ab[a];
            t += ap[a] * ab[a];
        }
        t = std::fmin(1.0, std::fmax(0.0, t / ab2));
        double d2 = 0;
        for (int a = 0; a < 3; ++a) d2 += (ap[a] - t * ab[a]) * (ap[a] - t * ab[a]);
        return std::sqrt(d2);
    }

    int hu(double x, double y, double z) const {
        if (x * x / (115.0 * 115.0) + y * y / (90.0 * 90.0) >= 1) return -1000;
        for (const auto& n : nodules)
            if (n.contains(x, y, z)) return 60;
        if (mass.contains(x, y, z)) return 60;
        if (distance_to_vessel(x, y, z) < vessel_radius) return 40;
        for (double side : {-1.0, 1.0}) {
            const double lx = (x - side * 55) / 40, ly = y / 60, lz = (z + 200) / 80;
            if (lx * lx + ly * ly + lz * lz < 1) return -850;
        }
        if (x * x + (y - 70) * (y - 70) < 15.0 * 15.0) return 1000;  // vertebra
        return 40;
    }

    std::array<double, 3> lps(int i, int j, int k) const {
        return {origin[0] + i * spacing[0], origin[1] + j * spacing[1], origin[2] + k * spacing[2]};
    }

    // int16 HU, i fastest.
    std::vector<std::int16_t> voxels() const {
        std::vector<std::int16_t> v(static_cast<std::size_t>(dims[0]) * dims[1] * dims[2]);
        std::uint32_t rng = 12345;
        std::size_t n = 0;
        for (int k = 0; k < dims[2]; ++k)
            for (int j = 0; j < dims[1]; ++j)
                for (int i = 0; i < dims[0]; ++i) {
                    rng = rng * 1664525u + 1013904223u;
                    const int noise = static_cast<int>(rng >> 27) - 16;
                    const auto p = lps(i, j, k);
                    v[n++] = static_cast<std::int16_t>(hu(p[0], p[1], p[2]) + noise);
                }
        return v;
    }
};

}  // namespace consilium::test
