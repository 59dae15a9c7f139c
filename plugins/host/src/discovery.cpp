#include "consilium/plugins/discovery.h"

#include "consilium/plugins/content_hash.h"

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
        p.sha256 = plugin_content_hash(folder);
    } catch (const ContentHashError& e) {
        p.id = manifest_id_hint(file);
        if (p.id.empty()) p.id = folder.filename().string();
        p.reason = e.what();
        return p;
    }
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
    if (!executable.empty()) {
        sp.product_folder = executable.parent_path().parent_path() / "lib" / "consilium" / "plugins";
        sp.folders.push_back(sp.product_folder);
    }
    return sp;
}

std::vector<DiscoveredPlugin> discover_plugins(const SearchPath& path) {
    auto canonical_of = [](const fs::path& folder) {
        std::error_code ec;
        auto canonical = fs::weakly_canonical(folder, ec);
        return ec ? fs::absolute(folder, ec) : canonical;
    };
    // The shipped plugins first: their ids are theirs wherever the product folder is searched, so
    // a folder earlier on the path cannot stand in for one of them.
    const fs::path product = path.product_folder.empty() ? fs::path() : canonical_of(path.product_folder);
    std::map<std::string, std::string> installed_hashes;
    std::map<std::string, fs::path> shipped;  // id -> its folder
    std::vector<DiscoveredPlugin> product_plugins;
    if (!product.empty()) {
        std::error_code ec;
        const auto listed_as = fs::absolute(path.product_folder, ec).lexically_normal();
        installed_hashes = read_shipped_hashes(listed_as / kShippedHashList);
        for (const auto& folder : plugin_folders(listed_as)) {
            auto p = examine(folder);
            p.shipped = true;
            auto listed = installed_hashes.find(p.id);
            p.approved_by_installation = !p.sha256.empty() && listed != installed_hashes.end() && listed->second == p.sha256;
            shipped.emplace(p.id, p.folder);
            product_plugins.push_back(std::move(p));
        }
    }
    std::vector<DiscoveredPlugin> out;
    std::set<fs::path> searched;           // a folder named twice is searched once
    std::map<std::string, fs::path> holder;  // id -> the folder that holds it
    for (const auto& search_folder : path.folders) {
        const auto canonical = canonical_of(search_folder);
        if (!searched.insert(canonical).second) continue;
        std::error_code ec;
        auto found = canonical == product && !product.empty()
                         ? std::move(product_plugins)
                         : [&] {
                               std::vector<DiscoveredPlugin> v;
                               for (const auto& folder : plugin_folders(fs::absolute(search_folder, ec).lexically_normal()))
                                   v.push_back(examine(folder));
                               return v;
                           }();
        for (auto& p : found) {
            if (auto s = shipped.find(p.id); !p.shipped && s != shipped.end()) {
                p.available = false;
                p.reason = "refused: the id " + p.id + " is the shipped plugin's (" + s->second.string() +
                           "); another folder cannot take it";
            } else if (auto [it, first] = holder.emplace(p.id, p.folder); !first) {
                p.available = false;
                p.reason = "duplicate of " + it->second.string();
            }
            out.push_back(std::move(p));
        }
    }
    return out;
}

}  // namespace consilium::plugins
