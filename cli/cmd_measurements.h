#pragma once
// `measurements SERIES_UID`: the readers' standing distances and regions on a workspace series.
#include "context.h"

#include <string>
#include <vector>

namespace consilium::cli {

int cmd_measurements(const Context& ctx, const std::vector<std::string>& words);

}  // namespace consilium::cli
