#include "consilium/viewer/volume.h"

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
template <class T>
VolumeStatistics stats_of(const T* v, std::size_t n, std::optional<double> padding) {
    VolumeStatistics s;
    double sum = 0, lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    const bool skip = padding.has_value();
    const T pad = skip ? static_cast<T>(*padding) : T{};
    for (std::size_t i = 0; i < n; ++i) {
        if (skip && v[i] == pad) continue;
        double x = v[i];
        sum += x;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
        ++s.counted;
    }
    if (s.counted) {
        s.min = lo;
        s.max = hi;
        s.mean = sum / static_cast<double>(s.counted);
    }
    return s;
}
}  // namespace

VolumeStatistics statistics(const Volume& v) {
    if (!v.voxels) return {};
    if (v.pixel_type == PixelType::int16)
        return stats_of(static_cast<const std::int16_t*>(v.voxels->data()), v.voxel_count(), v.padding_value);
    return stats_of(static_cast<const float*>(v.voxels->data()), v.voxel_count(), v.padding_value);
}

}  // namespace consilium::viewer
