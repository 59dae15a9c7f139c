#pragma once
// Finding plugin folders along the search path of ../shared/PLUGINS.md. Reads manifests only.
#include "consilium/plugins/manifest.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::plugins {

// The folders searched, in order; the first folder holding an id wins.
struct SearchPath {
    std::vector<std::filesystem::path> folders;
    // The product's own folder (<prefix>/lib/consilium/plugins) when it is one of `folders`: its
    // plugins are the shipped ones, approved by installation, and no other folder can take their ids.
    std::filesystem::path product_folder;

    // $CONSILIUM_PLUGIN_PATH (colon-separated), <workspace>/plugins (when given),
    // $XDG_DATA_HOME/consilium/plugins (else ~/.local/share/consilium/plugins), and
    // <prefix>/lib/consilium/plugins with <prefix> the folder above `executable`'s folder.
    static SearchPath standard(const std::optional<std::filesystem::path>& workspace,
                               const std::filesystem::path& executable);
};

struct DiscoveredPlugin {
    std::string id;                  // from the manifest; when it cannot be read, the folder's name
    std::filesystem::path folder;    // the plugin folder (holding plugin.json)
    std::optional<Manifest> manifest;  // set when the manifest parsed
    bool available = false;
    std::string reason;              // why not available ("" when available)
    std::string sha256;              // content hash of the folder (content_hash.h); "" when it has none
    bool shipped = false;            // found in the product's own folder
    bool approved_by_installation = false;  // shipped, with this hash in the installation's list
};

// Every subfolder holding plugin.json of every search folder (missing folders skipped), in search
// order, by name within a folder. Bad manifests, unsupported ABI versions, folders without a
// content hash (a symlink inside), later duplicates of an id ("duplicate of <path>") and any other
// folder claiming the id of a shipped plugin are listed as unavailable with the reason.
// Approval is not looked at here (content_hash.h: approval_refusal).
std::vector<DiscoveredPlugin> discover_plugins(const SearchPath& path);

}  // namespace consilium::plugins
