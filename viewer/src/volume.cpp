#include "consilium/viewer/volume.h"

#include "voxel_sums.h"

#include <cstdint>
#include <limits>

namespace consilium::viewer {

const char* to_string(PixelType type) { return type == PixelType::int16 ? "int16" : "float32"; }
std::size_t bytes_per_voxel(PixelType type) { return type == PixelType::int16 ? 2 : 4; }

double Volume::value(std::size_t index) const {
    if (pixel_type == PixelType::int16) return static_cast<const std::int16_t*>(voxels->data())[index];
    return static_cast<const float*>(voxels->data())[index];
}

namespace {
// Slice by slice, in slice order: the same additions the loader makes of its workers' slice totals.
template <class T>
VolumeStatistics stats_of(const Volume& v) {
    const T* voxels = static_cast<const T*>(v.voxels->data());
    const std::size_t per_slice = static_cast<std::size_t>(v.dims[0]) * static_cast<std::size_t>(v.dims[1]);
    VoxelSums total;
    for (int k = 0; k < v.dims[2]; ++k) total.add(sums_of(voxels + static_cast<std::size_t>(k) * per_slice, per_slice, v.padding_value));
    return to_statistics(total);
}
}  // namespace

VolumeStatistics to_statistics(const VoxelSums& sums) {
    VolumeStatistics s;
    s.counted = sums.count;
    if (sums.count) {
        s.min = sums.min;
        s.max = sums.max;
        s.mean = sums.sum / static_cast<double>(sums.count);
    }
    return s;
}

VolumeStatistics statistics(const Volume& v) {
    if (!v.voxels || v.voxel_count() == 0) return {};
    return v.pixel_type == PixelType::int16 ? stats_of<std::int16_t>(v) : stats_of<float>(v);
}

}  // namespace consilium::viewer
