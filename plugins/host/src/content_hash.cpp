// The content hash of a plugin folder and the shipped-plugins hash list. See content_hash.h.
#include "consilium/plugins/content_hash.h"

#include "consilium/decision/crypto.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace consilium::plugins {
namespace {

namespace fs = std::filesystem;

std::string file_hash(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ContentHashError("cannot read " + file.string());
    decision::Sha256 h;
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        if (in.gcount() > 0) h.update(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())));
    }
    if (in.bad()) throw ContentHashError("cannot read " + file.string());
    return h.hex();
}

}  // namespace

std::string plugin_content_hash(const fs::path& folder) {
    std::vector<std::string> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, fs::directory_options::none, ec), end;
    if (ec) throw ContentHashError("cannot list " + folder.string() + ": " + ec.message());
    for (; it != end; it.increment(ec)) {
        if (ec) throw ContentHashError("cannot list " + folder.string() + ": " + ec.message());
        const auto status = it->symlink_status(ec);
        const auto relative = it->path().lexically_relative(folder).generic_string();
        if (fs::is_symlink(status))
            throw ContentHashError("the plugin folder holds a symlink (" + relative + "); a plugin must be plain files");
        if (fs::is_directory(status)) continue;
        if (!fs::is_regular_file(status))
            throw ContentHashError("the plugin folder holds a special file (" + relative + ")");
        files.push_back(relative);
    }
    std::sort(files.begin(), files.end());
    std::string listing;
    for (const auto& f : files) listing += file_hash(folder / f) + "  " + f + "\n";
    return decision::sha256_hex(listing);
}

std::map<std::string, std::string> read_shipped_hashes(const fs::path& file) {
    std::map<std::string, std::string> out;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string hash, id;
        if (words >> hash >> id && hash.size() == 64) out[id] = hash;
    }
    return out;
}

std::string approval_refusal(const DiscoveredPlugin& plugin, const decision::PluginState& state) {
    if (plugin.sha256.empty()) return "needs approval: the plugin has no content hash";
    if (plugin.approved_by_installation || state.approved_sha256 == plugin.sha256) return "";
    const std::string how = "an admin approves it (plugins approve " + plugin.id + ")";
    if (plugin.shipped && !state.approved_sha256)
        return "needs approval: the shipped plugin's content (sha256 " + plugin.sha256 +
               ") differs from what was installed; it runs when " + how;
    if (state.approved_sha256)
        return "needs approval: the plugin changed since its approval (sha256 " + plugin.sha256 + ", approved " +
               *state.approved_sha256 + "); it runs when " + how;
    return "needs approval: a new plugin (sha256 " + plugin.sha256 + ") runs when " + how;
}

}  // namespace consilium::plugins
