#include "model/presentation_layout.h"

namespace consilium::gui {

std::string with_dock_size(const std::string& perspective, DockSide side, int layer, int row, int pixels) {
    const std::string key = "dock_size(" + std::to_string(static_cast<int>(side)) + "," + std::to_string(layer) + "," +
                            std::to_string(row) + ")=";
    const auto at = perspective.find(key);
    if (at == std::string::npos) return perspective;
    const auto value = at + key.size();
    const auto end = perspective.find('|', value);
    std::string out = perspective;
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, std::to_string(pixels));
    return out;
}

}  // namespace consilium::gui
