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
    std::optional<int> exit_code;    // the process exited with this status
    std::optional<int> exit_signal;  // or a signal ended it
    std::string stderr_tail;         // its last stderr lines (stderr_tail() below), PROGRESS lines left out
    bool host_fault = false;         // the host could not start or feed it: not the plugin's failure
};

// The end of what a process wrote on stderr, as kept with a run: at most kStderrTailLines lines
// and kStderrTailBytes bytes (cut at a line start, or at a UTF-8 character start when one line is
// longer), without PROGRESS lines, trailing blank lines or carriage returns.
inline constexpr std::size_t kStderrTailLines = 20;
inline constexpr std::size_t kStderrTailBytes = 4096;
std::string stderr_tail(const std::string& stderr_text);

// Runs `args` in its own process group and waits for it, calling options.progress / options.log
// on this thread. Timeout or cancellation: SIGTERM to the group, SIGKILL 2 s later.
// `command`: a command plugin (PROGRESS lines on stderr too, no volume descriptor, `cwd` as its
// working directory); else the native worker, which gets the volume's descriptor as fd 3.
WorkerOutcome run_worker(const std::vector<std::string>& args, const std::optional<VolumeInput>& volume,
                         std::chrono::milliseconds timeout, const RunOptions& options, bool command = false,
                         const std::filesystem::path& cwd = {});

}  // namespace consilium::plugins
