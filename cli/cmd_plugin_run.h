#pragma once
// `plugins run ID --patient P ...` (cmd_plugin_run.cpp), dispatched from cmd_plugins.cpp.
#include "context.h"

namespace consilium::cli {

int plugins_run(const Context& ctx, const Args& args);

}  // namespace consilium::cli
