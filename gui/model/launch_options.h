#pragma once
// The workstation's command line: consilium [--workspace DIR] [--patient ID] [--series UID]
// [--lang en|nl] [--watchdog]. Parsed without wx so it is tested headless.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::gui {

struct LaunchOptions {
    std::filesystem::path workspace;      // default: $CONSILIUM_WORKSPACE, else ./workspace
    std::optional<std::string> patient;   // id or MRN, opened after log-in
    std::optional<std::string> series;    // series UID, opened after log-in
    std::optional<std::string> language;  // "en" or "nl"; default from the user's preference or the locale
    bool watchdog = false;                // test mode: measure and print the longest UI stall at exit
    bool help = false;
    bool version = false;
};

// Throws std::invalid_argument naming the bad argument.
LaunchOptions parse_launch_options(const std::vector<std::string>& args);
std::string launch_usage();

}  // namespace consilium::gui
