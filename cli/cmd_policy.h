#pragma once
// `policy list | policy set KEY VALUE`: the site's policy for plugins (decision/site_policy.h).
#include "context.h"

#include <string>
#include <vector>

namespace consilium::cli {

int cmd_policy(const Context& ctx, const std::vector<std::string>& words);

}  // namespace consilium::cli
