#pragma once
// Test mode only: where the visible controls are on the screen, written to a text file the GUI
// tests read to know where to click (their clicks and keys stay real X input events). One line
// per control: kind, name, label, x, y, width, height, enabled, value, clipped - tab-separated,
// screen pixels. Views (drawn) give the note they show as their label.
#include <filesystem>

namespace consilium::gui {

void write_widget_map(const std::filesystem::path& file);

}  // namespace consilium::gui
