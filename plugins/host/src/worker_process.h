#pragma once
// One worker process (the native plugin worker or a command plugin), watched until it ends: its
// stdout/stderr lines, the timeout and the caller's cancellation (private to plugins/host).
#include "consilium/plugins/run.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::plugins {

struct WorkerOutcome {
    decision::RunStatus status = decision::RunStatus::failed;
    std::string reason;  // for `cancelled` only "cancelled": run_plugin names the user
};

// Runs `args` in its own process group and waits for it, calling options.progress / options.log
// on this thread. Timeout or cancellation: SIGTERM to the group, SIGKILL 2 s later.
// `command`: a command plugin (PROGRESS lines on stderr too, no volume descriptor, `cwd` as its
// working directory); else the native worker, which gets the volume's descriptor as fd 3.
WorkerOutcome run_worker(const std::vector<std::string>& args, const std::optional<VolumeInput>& volume,
                         std::chrono::milliseconds timeout, const RunOptions& options, bool command = false,
                         const std::filesystem::path& cwd = {});

}  // namespace consilium::plugins
