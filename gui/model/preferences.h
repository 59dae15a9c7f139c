#pragma once
// Per-user settings of the workstation (pane layout, language), kept in the workspace beside the
// record: <workspace>/preferences/<user>.json. Nothing clinical is stored here.
#include <filesystem>
#include <optional>
#include <string>

namespace consilium::gui {

struct Preferences {
    std::string layout;                   // the AUI perspective string, "" = default layout
    std::optional<std::string> language;  // "en" | "nl"; none = the system locale
};

std::filesystem::path preferences_file(const std::filesystem::path& workspace, const std::string& user);
// A missing or unreadable file gives the defaults (a damaged preference never blocks log-in).
Preferences load_preferences(const std::filesystem::path& file);
// Written to a temporary file and renamed, so a crash never leaves half a file.
void save_preferences(const std::filesystem::path& file, const Preferences& preferences);

}  // namespace consilium::gui
