#include "helper_path.h"

namespace consilium::viewer {

std::filesystem::path helper_path(const std::string& name) {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto beside = self.parent_path() / name;
        if (std::filesystem::exists(beside, ec)) return beside;
        auto installed = self.parent_path().parent_path() / "lib" / "consilium" / name;
        if (std::filesystem::exists(installed, ec)) return installed;
    }
    return name;
}

}  // namespace consilium::viewer
