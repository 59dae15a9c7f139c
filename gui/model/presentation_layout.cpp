#include "model/presentation_layout.h"

#include <algorithm>

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

void meeting_lanes_first(std::vector<TimelineLane>& lanes) {
    auto rank = [](const TimelineLane& l) { return l.kind == LaneKind::mdt ? 0 : l.kind == LaneKind::ai ? 1 : 2; };
    std::stable_sort(lanes.begin(), lanes.end(), [&](const TimelineLane& a, const TimelineLane& b) { return rank(a) < rank(b); });
}

}  // namespace consilium::gui
