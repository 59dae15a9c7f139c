#pragma once
// Mask evidence (PLUGINS.md: "mask geometry equal to the volume's"): checked after the output's
// schema, then copied out of the run's scratch folder into the workspace. Private to plugins/host.
#include "consilium/plugins/run.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace consilium::plugins {

// Largest difference (mm) allowed between the mask's and the volume's origin, and between the
// positions of their last voxel along each axis.
inline constexpr double kMaskGeometryToleranceMm = 1e-3;

// Every mask file named in `output` ({"suggestions":[...]}, already schema-checked) must be a
// regular file inside `folder` (the plugin's work or output folder), named *.nrrd, a NRRD holding
// integer labels with the volume's sizes, origin and axes (within kMaskGeometryToleranceMm) and
// exactly as many voxels. Returns "" when all are, else why not (naming the file and what differs).
std::string check_masks(const nlohmann::json& output, const std::filesystem::path& folder,
                        const std::optional<VolumeInput>& volume);

// Copies each mask named in `output` from `folder` to <evidence_dir>/run-<run_id>/<name> and
// rewrites the evidence items' "file" to that path relative to evidence_dir's parent (the
// workspace, for <workspace>/evidence). Does nothing when evidence_dir is empty. Throws
// std::runtime_error, leaving no partial copy, when a mask cannot be kept.
void keep_masks(nlohmann::json& output, const std::filesystem::path& folder, const std::filesystem::path& evidence_dir,
                std::int64_t run_id);

}  // namespace consilium::plugins
