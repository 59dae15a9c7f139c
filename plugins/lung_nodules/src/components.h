#pragma once
// Connected components with their shape, and the label mask written as NRRD. Implemented with ITK
// in itk_components.cpp, the only translation unit of the plugin that includes ITK headers; this
// header exposes plain types only.
#include "grid.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace consilium::lung {

// Voxels (i, j, k) .. (i + length - 1, j, k) of a component.
struct Run {
    int i = 0, j = 0, k = 0, length = 0;
};

struct Component {
    std::vector<Run> runs;
    std::uint64_t voxels = 0;
    double volume_mm3 = 0;
    double equivalent_diameter_mm = 0;     // of the sphere of the same volume
    std::array<double, 3> centroid_lps{};
    std::array<int, 3> bbox_min{}, bbox_max{};  // voxel indices, inclusive
    // With shape measures only (see connected_components): sqrt of the ratios of the principal
    // moments (largest / middle, middle / smallest; 1 for a sphere) and the perimeter of the
    // equivalent sphere over the estimated surface (about 1 for a sphere, lower when irregular).
    double elongation = 0, flatness = 0, roundness = 0;
};

// The face-connected components of the non-zero voxels of `mask` (grid.voxels() bytes).
// `shape`: also elongation, flatness and roundness (the surface estimate costs time).
std::vector<Component> connected_components(const std::uint8_t* mask, const Grid& grid, bool shape);

// Writes `labels` (grid.voxels() bytes, 0 = background) as a gzip-compressed NRRD with the grid's
// sizes, space directions and origin in left-posterior-superior space. Throws on failure.
void write_label_nrrd(const std::uint8_t* labels, const Grid& grid, const std::string& path);

// Caps the threads ITK's filters use (each thread reserves address space in the memory-limited worker).
void limit_threads(unsigned threads);

}  // namespace consilium::lung
