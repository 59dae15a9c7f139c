#pragma once
// An in-memory test volume with asymmetric markers, so orientation mistakes cannot hide:
// background 0, body 100, a marker at the patient's LEFT (+x) of 1000, ANTERIOR (-y) of 600,
// SUPERIOR (+z) of 300. Geometry and direction are chosen by the caller.
#include "consilium/viewer/volume.h"

#include <cstdint>

namespace consilium::test {

inline std::shared_ptr<viewer::Volume> marker_phantom(std::array<double, 9> direction = {1, 0, 0, 0, 1, 0, 0, 0, 1},
                                                     std::array<int, 3> dims = {64, 64, 64}) {
    auto v = std::make_shared<viewer::Volume>();
    v->dims = dims;
    v->spacing_mm = {2, 2, 2};
    v->direction = direction;
    v->modality = "CT";
    v->pixel_type = viewer::PixelType::int16;
    v->voxels = viewer::make_shared_buffer(v->voxel_count() * 2);
    // Origin so that the volume is centred on (0,0,0) in LPS whatever the direction.
    const double half[3] = {(dims[0] - 1) * 1.0, (dims[1] - 1) * 1.0, (dims[2] - 1) * 1.0};
    for (int r = 0; r < 3; ++r)
        v->origin_lps[static_cast<std::size_t>(r)] = -(direction[static_cast<std::size_t>(r * 3)] * half[0] +
                                                       direction[static_cast<std::size_t>(r * 3 + 1)] * half[1] +
                                                       direction[static_cast<std::size_t>(r * 3 + 2)] * half[2]);
    auto* data = static_cast<std::int16_t*>(v->voxels->data());
    for (int k = 0; k < dims[2]; ++k)
        for (int j = 0; j < dims[1]; ++j)
            for (int i = 0; i < dims[0]; ++i) {
                // Patient position of this voxel.
                double p[3];
                for (int r = 0; r < 3; ++r)
                    p[r] = v->origin_lps[static_cast<std::size_t>(r)] + 2.0 * (direction[static_cast<std::size_t>(r * 3)] * i +
                                                                              direction[static_cast<std::size_t>(r * 3 + 1)] * j +
                                                                              direction[static_cast<std::size_t>(r * 3 + 2)] * k);
                std::int16_t value = 0;
                if (p[0] * p[0] + p[1] * p[1] + p[2] * p[2] < 55.0 * 55.0) value = 100;
                auto near = [&](double x, double y, double z, double r) {
                    return (p[0] - x) * (p[0] - x) + (p[1] - y) * (p[1] - y) + (p[2] - z) * (p[2] - z) < r * r;
                };
                if (near(35, 0, 0, 10)) value = 1000;   // patient's left
                if (near(0, -35, 0, 10)) value = 600;   // anterior
                if (near(0, 0, 35, 10)) value = 300;    // superior
                data[(static_cast<std::size_t>(k) * dims[1] + j) * dims[0] + i] = value;
            }
    return v;
}

}  // namespace consilium::test
