#pragma once
// Type-checked access to a manifest's JSON, each error naming the file and the key (private).
#include "consilium/decision/errors.h"
#include "consilium/plugins/manifest.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::plugins::detail {

using nlohmann::json;

// Reads the file as one JSON object (size-bounded); InputError naming the file otherwise.
json read_manifest_object(const std::filesystem::path& file, std::string& text);
// The object in `text` (depth-bounded); InputError naming `file` otherwise.
json manifest_object_from_text(const std::filesystem::path& file, const std::string& text);
// parse_manifest (manifest.h) of text already read; `file` names it in messages. The fuzz target's entry.
Manifest parse_manifest_text(const std::filesystem::path& file, std::string text);

class KeyReader {
public:
    KeyReader(const std::filesystem::path& file, const json& object, std::string prefix = "")
        : file_(file), object_(object), prefix_(std::move(prefix)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& what) const {
        throw decision::InputError(file_.string(), "key '" + prefix_ + key + "' " + what);
    }
    // nullptr when absent or null.
    const json* find(const std::string& key) const {
        auto it = object_.find(key);
        return it == object_.end() || it->is_null() ? nullptr : &*it;
    }
    std::string required_string(const std::string& key) const {
        const json* v = find(key);
        if (!v) fail(key, "is missing (required)");
        if (!v->is_string()) fail(key, "must be a string, not " + std::string(v->type_name()));
        auto s = v->get<std::string>();
        if (s.empty()) fail(key, "must not be empty");
        return s;
    }
    std::string optional_string(const std::string& key) const {
        const json* v = find(key);
        if (!v) return {};
        if (!v->is_string()) fail(key, "must be a string, not " + std::string(v->type_name()));
        return v->get<std::string>();
    }
    bool optional_bool(const std::string& key, bool fallback) const {
        const json* v = find(key);
        if (!v) return fallback;
        if (!v->is_boolean()) fail(key, "must be true or false, not " + std::string(v->type_name()));
        return v->get<bool>();
    }
    int optional_int(const std::string& key, int fallback, int min, int max) const {
        const json* v = find(key);
        if (!v) return fallback;
        if (!v->is_number_integer()) fail(key, "must be an integer, not " + std::string(v->type_name()));
        auto n = v->get<long long>();
        if (n < min || n > max)
            fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", not " +
                          std::to_string(n));
        return static_cast<int>(n);
    }
    std::vector<std::string> string_list(const std::string& key, bool required) const {
        const json* v = find(key);
        if (!v) {
            if (required) fail(key, "is missing (required)");
            return {};
        }
        if (!v->is_array()) fail(key, "must be an array of strings, not " + std::string(v->type_name()));
        std::vector<std::string> out;
        for (const auto& item : *v) {
            if (!item.is_string()) fail(key, "must be an array of strings; it holds a " + std::string(item.type_name()));
            out.push_back(item.get<std::string>());
        }
        return out;
    }
    // The nested object, or an empty one when absent; nullptr never.
    const json& object(const std::string& key, bool required) const {
        static const json empty = json::object();
        const json* v = find(key);
        if (!v) {
            if (required) fail(key, "is missing (required)");
            return empty;
        }
        if (!v->is_object()) fail(key, "must be an object, not " + std::string(v->type_name()));
        return *v;
    }
    KeyReader nested(const std::string& key, bool required) const {
        return KeyReader(file_, object(key, required), prefix_ + key + ".");
    }
    // A reader for one element of an array (its keys named "key[i].name" in messages).
    KeyReader element(const std::string& key, std::size_t index, const json& item) const {
        return KeyReader(file_, item, prefix_ + key + "[" + std::to_string(index) + "].");
    }
    bool has(const std::string& key) const { return find(key) != nullptr; }

private:
    const std::filesystem::path& file_;
    const json& object_;
    std::string prefix_;
};

// model.population (population.cpp); nullopt when the model object does not state one.
std::optional<Population> read_population(const KeyReader& model);

}  // namespace consilium::plugins::detail
