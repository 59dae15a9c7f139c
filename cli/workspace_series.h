#pragma once
// A series of the workspace, named by its UID, for commands that show images (volume, render):
// needs a logged-in user (any role), and the viewing is audited as `series.view`.
#include "context.h"

#include <filesystem>
#include <string>

namespace consilium::cli {

// The folder holding the series' files. NotFound (exit 4) for a UID the workspace does not hold.
std::filesystem::path open_workspace_series(const Context& ctx, const std::string& series_uid);

}  // namespace consilium::cli
