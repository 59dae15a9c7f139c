#pragma once
// A loaded image volume: one contiguous voxel buffer (x fastest, then y, then z) and its
// geometry in DICOM patient coordinates (LPS, millimetres). Values are after rescale (HU for CT).
#include "consilium/viewer/dicom_header.h"
#include "consilium/viewer/voxel_buffer.h"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace consilium::viewer {

enum class PixelType { int16, float32 };
const char* to_string(PixelType type);
std::size_t bytes_per_voxel(PixelType type);

struct Volume {
    std::array<int, 3> dims{};                 // i (columns), j (rows), k (slices)
    std::array<double, 3> spacing_mm{1, 1, 1};
    Vec3 origin_lps{};                         // centre of voxel (0,0,0)
    std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};  // row by row; columns are the i, j, k axes
    PixelType pixel_type = PixelType::int16;
    std::shared_ptr<VoxelBuffer> voxels;
    std::optional<double> padding_value;       // voxels equal to it are outside the scanned field
    std::string modality, series_uid, description;
    std::vector<std::string> warnings;

    std::size_t voxel_count() const {
        return static_cast<std::size_t>(dims[0]) * static_cast<std::size_t>(dims[1]) * static_cast<std::size_t>(dims[2]);
    }
    double value(std::size_t index) const;  // as a number, whatever the pixel type
};

struct VolumeStatistics {
    double min = 0, max = 0, mean = 0;
    std::size_t counted = 0;                   // voxels that are not padding
};
VolumeStatistics statistics(const Volume& volume);

}  // namespace consilium::viewer
