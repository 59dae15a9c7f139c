#pragma once
// The plugin's process for one run (private to plugins/host): a command plugin through the
// launcher (sandboxed unless the site turned it off) with input/ and output/ folders, a native plugin in consilium-plugin-worker; then
// its output read back and validated.
#include "worker_process.h"

#include "consilium/plugins/limits.h"
#include "consilium/plugins/run.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace consilium::plugins::detail {

struct ProcessRun {
    WorkerOutcome outcome;                    // status and reason as the run ends up with them
    nlohmann::json output;                    // the validated output, when succeeded
    std::optional<std::string> outputs_hash;  // SHA-256 of the output, when valid
    std::filesystem::path output_folder;      // where the plugin's files (masks) are
};

// Every path in `work_dir`, `plugin.folder` and options.worker must be absolute (run_plugin makes
// them so): a command plugin runs with its own folder as working directory. Throws for set-up
// failures of the host (the context or volume cannot be written).
ProcessRun run_process(const Manifest& manifest, const DiscoveredPlugin& plugin, const std::string& context,
                       std::int64_t run_id, const std::optional<VolumeInput>& volume,
                       const std::filesystem::path& work_dir, const RunOptions& options, const EffectiveLimits& limits);

}  // namespace consilium::plugins::detail
