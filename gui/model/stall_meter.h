#pragma once
// Test mode's watchdog: the UI thread ticks a timer; a tick that comes late by more than its
// period means the UI thread was busy that long. The longest such stall is the figure printed.
#include <chrono>
#include <optional>
#include <string>

namespace consilium::gui {

class StallMeter {
public:
    using Clock = std::chrono::steady_clock;
    explicit StallMeter(std::chrono::milliseconds period) : period_(period) {}
    void tick(Clock::time_point now = Clock::now());
    // Ignore the gap after a pause the user cannot see (start-up, modal log-in dialog).
    void restart() {
        last_.reset();
        paused_ = false;
    }
    // Stop counting until restart(): the main window being built and first shown is start-up time.
    void pause() {
        last_.reset();
        paused_ = true;
    }
    std::chrono::milliseconds longest_stall() const { return longest_; }
    int stalls_over(std::chrono::milliseconds limit) const { return limit.count() <= 50 ? over50_ : over100_; }
    std::string report() const;

private:
    std::chrono::milliseconds period_;
    std::optional<Clock::time_point> last_;
    bool paused_ = false;
    std::chrono::milliseconds longest_{0};
    int over50_ = 0, over100_ = 0;
};

}  // namespace consilium::gui
