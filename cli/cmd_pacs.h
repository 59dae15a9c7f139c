#pragma once
// `pacs add|list|echo|query|retrieve`: PACS nodes of the workspace, search, and retrieval into
// the workspace through the same import as `import` (see cmd_pacs.cpp).
#include "context.h"

#include <string>
#include <vector>

namespace consilium::cli {

int cmd_pacs(const Context& ctx, const std::vector<std::string>& words);

}  // namespace consilium::cli
