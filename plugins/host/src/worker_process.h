#pragma once
// One worker process (the native plugin worker or a command plugin), watched until it ends: its
// stdout/stderr lines, the timeout and the caller's cancellation (private to plugins/host).
#include "consilium/launch/launcher.h"
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

// Starts `spec` through the launcher (launch/: sandboxed when spec.sandbox is set) and waits for
// it, calling options.progress / options.log on this thread. Timeout, cancellation or more than
// spec.limits.processes processes: every process of the run is stopped (SIGTERM, SIGKILL 2 s later).
// `command`: a command plugin (PROGRESS lines on stderr too); else the native worker, whose exit
// codes mean set-up failure (2) and output over its limit (5).
WorkerOutcome run_worker(const launch::Spec& spec, std::chrono::milliseconds timeout, const RunOptions& options,
                         bool command = false);

}  // namespace consilium::plugins
