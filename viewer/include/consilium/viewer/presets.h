#pragma once
// Window/level presets for 2D views and transfer-function presets for the 3D view.
#include "consilium/viewer/volume.h"

#include <optional>
#include <string>
#include <vector>

namespace consilium::viewer {

struct WindowLevel {
    double window = 400, level = 40;
};

// brain 80/40, subdural 200/80, lung 1500/-600, mediastinum 350/50, bone 2000/500, abdomen 400/50.
std::optional<WindowLevel> window_preset(const std::string& name);
std::vector<std::string> window_preset_names();  // in the order of the number keys 1..6

// What a radiologist would start with: CT -> a soft-tissue window; anything else -> the 1st to
// 99th percentile of the (non-padding) voxel values.
WindowLevel default_window(const Volume& v);

enum class VolumePreset { ct_bone, ct_soft_tissue, ct_lung, mr_default, mip };
std::optional<VolumePreset> volume_preset(const std::string& name);  // ct-bone, ct-soft-tissue, ct-lung, mr-default, mip
std::string to_string(VolumePreset p);
VolumePreset default_volume_preset(const Volume& v);

// A piecewise-linear transfer function: (value, red, green, blue, opacity) points.
struct TransferPoint {
    double value, r, g, b, opacity;
};
std::vector<TransferPoint> transfer_function(VolumePreset preset, const Volume& v);

}  // namespace consilium::viewer
