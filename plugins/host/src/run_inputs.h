#pragma once
// What a run is given, prepared by the host (private to plugins/host): the worker program, the
// work folder, the command plugin's volume files, and the program a command names.
#include "consilium/plugins/run.h"

#include <filesystem>
#include <optional>
#include <string>

namespace consilium::plugins::detail {

// consilium-plugin-worker beside this program, else in <prefix>/lib/consilium; absolute.
std::filesystem::path default_worker();

// A fresh folder under the temporary directory (absolute); StoreError when none can be made.
std::filesystem::path fresh_work_dir();

// input/volume.nrrd (LPS, raw little-endian voxels copied from the shared buffer) and
// input/series.json for a command plugin.
void write_volume_inputs(const VolumeInput& volume, const std::filesystem::path& input_dir);

// The file a command plugin's argv[0] names, as the shim's `exec` will find it: a name with a
// slash relative to the plugin folder (its working directory), else along $PATH. nullopt when
// there is no such executable file - the plugin cannot be started.
std::optional<std::filesystem::path> find_program(const std::string& program, const std::filesystem::path& plugin_folder);

}  // namespace consilium::plugins::detail
