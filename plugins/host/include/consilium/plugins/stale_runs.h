#pragma once
// Runs left `running` by a host that was killed (kill -9, power cut): at the next start they are
// marked `abandoned` (audited) and the work folders of hosts that are gone are removed, so no
// patient context stays behind in the workspace.
#include "consilium/decision/store.h"

#include <filesystem>
#include <string>

namespace consilium::plugins {

// This process as a run records it: "<host name> <boot id> <pid> <start time in clock ticks>".
// The start time tells a process from a later one given the same pid.
std::string this_host();

// Whether the process a run's `host` names is still running (on this machine). A host of another
// machine cannot be checked: counted as alive.
bool host_alive(const std::string& host);

// Marks every `running` run whose host is gone as abandoned ("the program running it ended
// before it finished"), each with a `plugin.run.abandoned` audit entry by the user `consilium`,
// and removes the folders of `work_root` (<workspace>/plugin-work/<pid>) whose process is gone.
// Returns how many runs were marked.
int abandon_stale_runs(decision::Store& store, const std::filesystem::path& work_root);

}  // namespace consilium::plugins
