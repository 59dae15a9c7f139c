#include "consilium/plugins/discovery.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace consilium::plugins {
namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

// Plugin folders (subfolders holding plugin.json) of one search folder, by name.
std::vector<fs::path> plugin_folders(const fs::path& search_folder) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::is_directory(search_folder, ec)) return out;
    for (fs::directory_iterator it(search_folder, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code e2;
        if (it->is_directory(e2) && fs::is_regular_file(it->path() / "plugin.json", e2)) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

DiscoveredPlugin examine(const fs::path& folder) {
    DiscoveredPlugin p;
    p.folder = folder;
    const auto file = folder / "plugin.json";
    try {
        p.manifest = parse_manifest(file);
        p.id = p.manifest->id;
        if (p.manifest->kind == PluginKind::native && p.manifest->abi_version != kSupportedAbiVersion) {
            p.reason = "unsupported ABI version " + std::to_string(p.manifest->abi_version) + " (this host runs " +
                       std::to_string(kSupportedAbiVersion) + ")";
            return p;
        }
        p.available = true;
    } catch (const std::exception& e) {
        p.reason = e.what();
        p.id = manifest_id_hint(file);
        if (p.id.empty()) p.id = folder.filename().string();
    }
    return p;
}

}  // namespace

SearchPath SearchPath::standard(const std::optional<fs::path>& workspace, const fs::path& executable) {
    SearchPath sp;
    const std::string list = env("CONSILIUM_PLUGIN_PATH");
    std::size_t start = 0;
    while (start <= list.size()) {
        auto colon = list.find(':', start);
        auto part = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (!part.empty()) sp.folders.emplace_back(part);
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    if (workspace) sp.folders.push_back(*workspace / "plugins");
    if (auto xdg = env("XDG_DATA_HOME"); !xdg.empty()) sp.folders.push_back(fs::path(xdg) / "consilium" / "plugins");
    else if (auto home = env("HOME"); !home.empty())
        sp.folders.push_back(fs::path(home) / ".local" / "share" / "consilium" / "plugins");
    if (!executable.empty())
        sp.folders.push_back(executable.parent_path().parent_path() / "lib" / "consilium" / "plugins");
    return sp;
}

std::vector<DiscoveredPlugin> discover_plugins(const SearchPath& path) {
    std::vector<DiscoveredPlugin> out;
    std::set<fs::path> searched;           // a folder named twice is searched once
    std::map<std::string, fs::path> holder;  // id -> the folder that holds it
    for (const auto& search_folder : path.folders) {
        std::error_code ec;
        auto canonical = fs::weakly_canonical(search_folder, ec);
        if (ec) canonical = fs::absolute(search_folder, ec);
        if (!searched.insert(canonical).second) continue;
        for (const auto& folder : plugin_folders(fs::absolute(search_folder, ec).lexically_normal())) {
            auto p = examine(folder);
            auto [it, first] = holder.emplace(p.id, p.folder);
            if (!first) {
                p.available = false;
                p.reason = "duplicate of " + it->second.string();
            }
            out.push_back(std::move(p));
        }
    }
    return out;
}

}  // namespace consilium::plugins
