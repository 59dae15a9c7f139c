#pragma once
// The voxel-by-voxel steps of the detector (thresholds, per-slice hole filling, painting runs,
// mean HU), in plain C++ over the read-only HU volume and one byte-per-voxel work mask.
#include "components.h"
#include "grid.h"

#include <cstdint>
#include <vector>

namespace consilium::lung {

// The CT volume as the SDK gives it: Hounsfield units, int16 or float32, i fastest.
struct HuVolume {
    Grid grid;
    const void* voxels = nullptr;
    bool float32 = false;
};

// mask = 1 where HU <= max_hu, else 0.
void threshold_at_most(const HuVolume& v, double max_hu, std::uint8_t* mask);

// mask = value on every voxel of the runs.
void paint(const std::vector<Run>& runs, const Grid& grid, std::uint8_t value, std::uint8_t* mask);

// In each slice (the i-j plane, as acquired) the zero voxels that cannot reach the slice's edge
// through zero voxels (4-connected) - holes in the mask - are set to 2.
void mark_slice_holes(const Grid& grid, std::uint8_t* mask);

// mask = 1 where mask == 2 and HU > min_hu, else 0.
void keep_dense_holes(const HuVolume& v, double min_hu, std::uint8_t* mask);

// Mean HU over the runs.
double mean_hu(const HuVolume& v, const std::vector<Run>& runs);

}  // namespace consilium::lung
