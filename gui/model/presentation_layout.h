#pragma once
// The MDT presentation's arrangement, as a change to a wxAUI perspective string: the images and
// the timeline must be large enough to be read across a meeting room, and AUI keeps the size of a
// dock in the perspective ("dock_size(direction,layer,row)=pixels"), not in the panes' best sizes.
#include "model/timeline_layout.h"

#include <string>
#include <vector>

namespace consilium::gui {

// AUI's dock directions as they appear in a perspective.
enum class DockSide { top = 1, right = 2, bottom = 3, left = 4 };

// `perspective` with the dock at (side, layer, row) set to `pixels`; unchanged when it has no such dock.
std::string with_dock_size(const std::string& perspective, DockSide side, int layer, int row, int pixels);

// At the board the question is what was decided and what the AI proposes: the MDT decisions'
// lane first, then the AI suggestions' lanes, then the rest in their clinical order.
void meeting_lanes_first(std::vector<TimelineLane>& lanes);

}  // namespace consilium::gui
