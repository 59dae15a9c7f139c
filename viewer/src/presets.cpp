#include "consilium/viewer/presets.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace consilium::viewer {
namespace {

const std::vector<std::pair<std::string, WindowLevel>>& presets() {
    static const std::vector<std::pair<std::string, WindowLevel>> p = {
        {"brain", {80, 40}},       {"subdural", {200, 80}}, {"lung", {1500, -600}},
        {"mediastinum", {350, 50}}, {"bone", {2000, 500}},  {"abdomen", {400, 50}},
    };
    return p;
}

// Percentiles from a strided sample: exact enough for a display window, fast on any volume.
std::pair<double, double> percentiles(const Volume& v, double low, double high) {
    std::vector<double> sample;
    const std::size_t n = v.voxel_count();
    const std::size_t stride = std::max<std::size_t>(1, n / 200000);
    for (std::size_t i = 0; i < n; i += stride) {
        double x = v.value(i);
        if (v.padding_value && x == *v.padding_value) continue;
        sample.push_back(x);
    }
    if (sample.empty()) return {0, 1};
    auto at = [&](double q) {
        auto k = static_cast<std::size_t>(q * static_cast<double>(sample.size() - 1));
        std::nth_element(sample.begin(), sample.begin() + static_cast<long>(k), sample.end());
        return sample[k];
    };
    return {at(low), at(high)};
}

}  // namespace

std::optional<WindowLevel> window_preset(const std::string& name) {
    for (const auto& [n, wl] : presets())
        if (n == name) return wl;
    return std::nullopt;
}

std::vector<std::string> window_preset_names() {
    std::vector<std::string> out;
    for (const auto& [n, wl] : presets()) out.push_back(n);
    return out;
}

WindowLevel default_window(const Volume& v) {
    if (v.modality == "CT") return {400, 40};
    auto [lo, hi] = percentiles(v, 0.01, 0.99);
    if (hi <= lo) hi = lo + 1;
    return {hi - lo, (hi + lo) / 2};
}

std::optional<VolumePreset> volume_preset(const std::string& name) {
    for (VolumePreset p : {VolumePreset::ct_bone, VolumePreset::ct_soft_tissue, VolumePreset::ct_lung, VolumePreset::mr_default,
                           VolumePreset::mip})
        if (to_string(p) == name) return p;
    return std::nullopt;
}

std::string to_string(VolumePreset p) {
    switch (p) {
        case VolumePreset::ct_bone: return "ct-bone";
        case VolumePreset::ct_soft_tissue: return "ct-soft-tissue";
        case VolumePreset::ct_lung: return "ct-lung";
        case VolumePreset::mr_default: return "mr-default";
        case VolumePreset::mip: return "mip";
    }
    return "?";
}

VolumePreset default_volume_preset(const Volume& v) { return v.modality == "CT" ? VolumePreset::ct_bone : VolumePreset::mr_default; }

std::vector<TransferPoint> transfer_function(VolumePreset preset, const Volume& v) {
    switch (preset) {
        case VolumePreset::ct_bone:
            return {{-1000, 0, 0, 0, 0}, {150, 0.55, 0.25, 0.15, 0}, {300, 0.9, 0.8, 0.6, 0.35}, {1200, 1, 1, 0.95, 0.85}, {3000, 1, 1, 1, 0.9}};
        case VolumePreset::ct_soft_tissue:
            return {{-1000, 0, 0, 0, 0}, {-150, 0.5, 0.3, 0.25, 0}, {40, 0.85, 0.45, 0.35, 0.15}, {200, 1, 0.85, 0.7, 0.4}, {1500, 1, 1, 1, 0.8}};
        case VolumePreset::ct_lung:
            return {{-1000, 0, 0, 0, 0}, {-900, 0.4, 0.6, 0.9, 0.02}, {-500, 0.7, 0.8, 1, 0.12}, {-200, 0.9, 0.6, 0.5, 0}, {3000, 1, 1, 1, 0}};
        case VolumePreset::mr_default: {
            auto [lo, hi] = percentiles(v, 0.05, 0.995);
            const double span = std::max(1.0, hi - lo);
            return {{lo, 0, 0, 0, 0}, {lo + 0.25 * span, 0.6, 0.45, 0.4, 0.02}, {lo + 0.6 * span, 0.95, 0.85, 0.75, 0.25}, {hi, 1, 1, 1, 0.6}};
        }
        case VolumePreset::mip: {
            auto [lo, hi] = percentiles(v, 0.01, 0.999);
            return {{lo, 0, 0, 0, 0}, {hi, 1, 1, 1, 1}};
        }
    }
    return {};
}

}  // namespace consilium::viewer
