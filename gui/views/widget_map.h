#pragma once
// Test mode only: where the visible controls are on the screen, written to a text file the GUI
// tests read to know where to click (their clicks and keys stay real X input events). One line
// per control: kind, name, label, x, y, width, height, enabled - tab-separated, screen pixels.
#include <filesystem>

namespace consilium::gui {

void write_widget_map(const std::filesystem::path& file);

}  // namespace consilium::gui
