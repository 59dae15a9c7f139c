#pragma once
// Manifests written by the tests: a valid one as JSON, edited per case, written into a plugin folder.
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace consilium::test::plugintest {

using nlohmann::json;
namespace fs = std::filesystem;

inline json valid_native(const std::string& id = "org.example.news2") {
    json m = json::parse(R"({
      "id": "", "name": "NEWS2 early warning score", "version": "1.2.0",
      "kind": "native", "library": "libnews2.so", "abi_version": 1,
      "inputs": {"volume": false, "modalities": [], "timeline": true},
      "outputs": ["risk", "treatment"],
      "limits": {"timeout_s": 30, "memory_mb": 2048},
      "model": {"version": "RCP-2017", "intended_use": "early warning", "training_data": "none",
                "performance": "n/a", "limitations": "adults", "references": ["RCP 2017"]}})");
    m["id"] = id;
    return m;
}

inline json valid_command(const std::string& id = "org.example.chads") {
    json m = valid_native(id);
    m.erase("library");
    m.erase("abi_version");
    m["kind"] = "command";
    m["command"] = {"python3", "run.py"};
    return m;
}

// Writes <parent>/<folder>/plugin.json and returns the file.
inline fs::path write_plugin(const fs::path& parent, const std::string& folder, const std::string& text) {
    auto file = parent / folder / "plugin.json";
    fs::create_directories(file.parent_path());
    write_file(file, text);
    return file;
}
inline fs::path write_plugin(const fs::path& parent, const std::string& folder, const json& manifest) {
    return write_plugin(parent, folder, manifest.dump(2));
}

}  // namespace consilium::test::plugintest
