#pragma once
// Where a program finds the viewer's helpers (the decoder worker, the modules): beside itself (the
// build tree), else in <prefix>/lib/consilium (an installed product); else the bare name, for the
// system's own search.
#include <filesystem>
#include <string>

namespace consilium::viewer {

std::filesystem::path helper_path(const std::string& name);

}  // namespace consilium::viewer
