#include "model/preferences.h"
#include "consilium/text/json_text.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace consilium::gui {

std::filesystem::path preferences_file(const std::filesystem::path& workspace, const std::string& user) {
    std::string safe;
    for (char c : user) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return workspace / "preferences" / (safe + ".json");
}

Preferences load_preferences(const std::filesystem::path& file) {
    Preferences p;
    std::ifstream in(file);
    if (!in) return p;
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_object()) return p;
    if (auto it = j.find("layout"); it != j.end() && it->is_string()) p.layout = *it;
    if (auto it = j.find("language"); it != j.end() && it->is_string() && (*it == "en" || *it == "nl"))
        p.language = it->get<std::string>();
    return p;
}

void save_preferences(const std::filesystem::path& file, const Preferences& p) {
    std::filesystem::create_directories(file.parent_path());
    nlohmann::json j{{"layout", p.layout}};
    if (p.language) j["language"] = *p.language;
    const auto tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << text::json_text(j, 2) << '\n';
        if (!out) throw std::runtime_error(tmp + ": cannot write preferences");  // untranslated: only on the terminal (app.cpp)
    }
    std::filesystem::rename(tmp, file);
}

}  // namespace consilium::gui
