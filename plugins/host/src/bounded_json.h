#pragma once
// JSON from a plugin, parsed with bounds (private to plugins/host): never deeper than
// kMaxJsonDepth, so absurdly nested input is refused while it is read, before anything recursive
// (serialising, comparing, hashing) can walk it; and files read only up to a cap.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace consilium::plugins::detail {

inline constexpr int kMaxJsonDepth = 64;

struct BoundedJson {
    nlohmann::json value;  // discarded when `error` is set
    std::string error;     // "" when parsed: else why not (syntax with its byte offset, or too deep)
};

// Parses `text` as one JSON document of at most `max_depth` nested arrays/objects.
BoundedJson parse_bounded(std::string_view text, int max_depth = kMaxJsonDepth);

// The file's bytes, at most `limit`; nullopt when it holds more (it is not read further) or
// cannot be read.
std::optional<std::string> read_capped(const std::filesystem::path& file, std::uint64_t limit);

}  // namespace consilium::plugins::detail
