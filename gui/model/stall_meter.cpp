#include "model/stall_meter.h"

namespace consilium::gui {

void StallMeter::tick(Clock::time_point now) {
    if (paused_) return;
    if (last_) {
        const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(now - *last_);
        const auto stall = gap - period_;
        if (stall > longest_) longest_ = stall;
        if (stall.count() > 50) ++over50_;
        if (stall.count() > 100) ++over100_;
    }
    last_ = now;
}

std::string StallMeter::report() const {
    // untranslated: a line for test logs and developers, never shown in the window
    return "ui-watchdog: longest stall " + std::to_string(longest_.count()) + " ms; stalls > 50 ms: " +
           std::to_string(over50_) + "; > 100 ms: " + std::to_string(over100_);
}

}  // namespace consilium::gui
