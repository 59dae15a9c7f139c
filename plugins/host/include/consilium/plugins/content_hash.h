#pragma once
// A plugin is its content: its identity is the SHA-256 over its folder, and a plugin runs only
// when that hash is approved - by an admin for the workspace (decision::approve_plugin), or by
// installation for the shipped plugins (a hash list beside them in the product's own folder).
#include "consilium/decision/plugin_state_record.h"
#include "consilium/plugins/discovery.h"

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

namespace consilium::plugins {

// Why a folder has no content hash (a symlink, an unreadable file, a special file).
struct ContentHashError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// SHA-256 over the folder: every regular file below it, sorted by relative path ('/'-separated,
// byte order), as the text `sha256sum` prints for them ("<hex of the file>  <path>\n" per file),
// hashed once more. cmake/PluginContentHash.cmake computes the same for the shipped plugins.
// Symlinks and special files are refused (ContentHashError naming them): what runs must be what
// was hashed.
std::string plugin_content_hash(const std::filesystem::path& folder);

// The hash list written beside the shipped plugins at build and install time.
inline constexpr const char* kShippedHashList = "shipped-plugins.sha256";

// "<hex>  <id>" lines of `file` as id -> hash; empty when the file is absent or unreadable.
std::map<std::string, std::string> read_shipped_hashes(const std::filesystem::path& file);

// "" when the plugin's current content is approved (by installation, or state.approved_sha256
// equals its hash); else why it may not run, saying that it needs an admin's approval.
std::string approval_refusal(const DiscoveredPlugin& plugin, const decision::PluginState& state);

}  // namespace consilium::plugins
