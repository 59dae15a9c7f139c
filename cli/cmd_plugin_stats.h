#pragma once
// `plugins stats ID` (cmd_plugin_stats.cpp), dispatched from cmd_plugins.cpp.
#include "context.h"

namespace consilium::cli {

int plugins_stats(const Context& ctx, const Args& args);

}  // namespace consilium::cli
