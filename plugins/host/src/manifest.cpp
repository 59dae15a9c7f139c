#include "consilium/plugins/manifest.h"

#include "bounded_json.h"
#include "manifest_reader.h"

#include <algorithm>
#include <array>
#include <climits>
#include <fstream>
#include <sstream>

namespace consilium::plugins {
namespace {

using detail::json;
using detail::KeyReader;

constexpr std::uintmax_t kMaxManifestBytes = 1 << 20;
constexpr std::array<std::string_view, 4> kOutputKinds = {"finding", "diagnosis", "treatment", "risk"};

bool label_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// A relative path of plain names: no root, no "..", nothing empty.
bool stays_inside(const std::string& relative) {
    std::filesystem::path p(relative);
    if (relative.empty() || p.is_absolute() || p.has_root_name() || p.has_root_directory()) return false;
    for (const auto& part : p)
        if (part == ".." || part.empty()) return false;
    return true;
}

}  // namespace

std::string_view to_string(PluginKind kind) { return kind == PluginKind::native ? "native" : "command"; }

bool valid_plugin_id(std::string_view id) {
    int labels = 0;
    std::size_t start = 0;
    while (true) {
        auto dot = id.find('.', start);
        auto label = id.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || !std::all_of(label.begin(), label.end(), label_char)) return false;
        ++labels;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return labels >= 2;
}

namespace detail {

namespace {
// The file's text, size-checked; InputError naming the file otherwise.
std::string read_manifest_text(const std::filesystem::path& file) {
    const std::string where = file.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw decision::InputError(where, "not a readable file");
    if (std::filesystem::file_size(file, ec) > kMaxManifestBytes)
        throw decision::InputError(where, "larger than 1 MiB; a manifest is a short JSON object");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in) throw decision::InputError(where, "cannot be read");
    return buffer.str();
}
}  // namespace

json read_manifest_object(const std::filesystem::path& file, std::string& text) {
    text = read_manifest_text(file);
    return manifest_object_from_text(file, text);
}

json manifest_object_from_text(const std::filesystem::path& file, const std::string& text) {
    const std::string where = file.string();
    // Depth-bounded: a manifest is flat, and one nested absurdly deep must not reach anything recursive.
    auto parsed = detail::parse_bounded(text);
    if (!parsed.error.empty()) throw decision::InputError(where, parsed.error);
    json doc = std::move(parsed.value);
    if (!doc.is_object()) throw decision::InputError(where, "must hold one JSON object, not " + std::string(doc.type_name()));
    return doc;
}

}  // namespace detail

Manifest parse_manifest(const std::filesystem::path& plugin_json) {
    return detail::parse_manifest_text(plugin_json, detail::read_manifest_text(plugin_json));
}

Manifest detail::parse_manifest_text(const std::filesystem::path& plugin_json, std::string text) {
    Manifest m;
    m.raw_json = std::move(text);
    const json doc = detail::manifest_object_from_text(plugin_json, m.raw_json);
    const KeyReader top(plugin_json, doc);

    m.id = top.required_string("id");
    if (!valid_plugin_id(m.id))
        top.fail("id", "is '" + m.id + "', not reverse-DNS (two or more dot-separated labels of a-z, 0-9, '-')");
    m.name = top.required_string("name");
    m.version = top.required_string("version");
    const auto kind = top.required_string("kind");
    if (kind == "native") m.kind = PluginKind::native;
    else if (kind == "command") m.kind = PluginKind::command;
    else top.fail("kind", "must be \"native\" or \"command\", not \"" + kind + "\"");

    if (m.kind == PluginKind::native) {
        m.library = top.required_string("library");
        if (!stays_inside(m.library))
            top.fail("library", "'" + m.library + "' must be a file inside the plugin folder (no absolute path, no '..')");
    } else {
        m.command = top.string_list("command", true);
        if (m.command.empty() || m.command.front().empty()) top.fail("command", "must name a program (non-empty argv)");
    }
    m.abi_version = top.optional_int("abi_version", kSupportedAbiVersion, 0, INT_MAX);

    const auto inputs = top.nested("inputs", false);
    m.inputs.volume = inputs.optional_bool("volume", false);
    m.inputs.modalities = inputs.string_list("modalities", false);
    m.inputs.timeline = inputs.optional_bool("timeline", false);
    m.inputs.observation_codes = inputs.string_list("observation_codes", false);

    m.outputs = top.string_list("outputs", true);
    if (m.outputs.empty()) top.fail("outputs", "must name at least one kind (finding, diagnosis, treatment, risk)");
    for (const auto& o : m.outputs)
        if (std::find(kOutputKinds.begin(), kOutputKinds.end(), o) == kOutputKinds.end())
            top.fail("outputs", "holds '" + o + "'; the kinds are finding, diagnosis, treatment, risk");

    const auto limits = top.nested("limits", false);
    m.limits.timeout_s = limits.optional_int("timeout_s", m.limits.timeout_s, 1, 7 * 24 * 3600);
    m.limits.memory_mb = limits.optional_int("memory_mb", m.limits.memory_mb, 1, 1 << 24);
    m.limits.output_mb = limits.optional_int("output_mb", m.limits.output_mb, 1, 1 << 16);

    const auto model = top.nested("model", true);
    m.model.version = model.required_string("version");
    m.model.intended_use = model.required_string("intended_use");
    m.model.training_data = model.optional_string("training_data");
    m.model.performance = model.optional_string("performance");
    m.model.limitations = model.optional_string("limitations");
    m.model.references = model.string_list("references", false);
    m.model.population = detail::read_population(model);
    return m;
}

std::string manifest_id_hint(const std::filesystem::path& plugin_json) {
    try {
        std::string text;
        auto doc = detail::read_manifest_object(plugin_json, text);
        auto it = doc.find("id");
        if (it != doc.end() && it->is_string()) return it->get<std::string>();
    } catch (const std::exception&) {
    }
    return {};
}

}  // namespace consilium::plugins
