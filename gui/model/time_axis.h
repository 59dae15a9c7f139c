#pragma once
// The timeline's horizontal axis: a visible time range mapped onto a pixel width, zoomed about a
// point, panned, fitted, and labelled with ticks that suit the range (years, months, days, hours).
// Times are seconds since 1970-01-01 UTC as doubles; labels are ISO-style and in UTC, like the
// store's own times, so what the axis says matches what the CLI and the audit trail say.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::gui {

// A store time ("2020", "2020-03", "2020-03-01", "2020-03-01T10:15:30Z", "...30.123Z") in
// seconds; a partial date is the start of its period. nullopt when it is not one.
std::optional<double> parse_store_time(std::string_view text);
// "2020-03-01 10:15" (minutes), or "2020-03-01" when `with_time` is false.
std::string format_time(double seconds, bool with_time = true);

enum class TickUnit { minute, hour, day, month, year };

struct Tick {
    double time = 0;
    double x = 0;        // pixels from the left of the data area
    std::string label;   // "2021", "2021-03", "2021-03-12", "14:00" (a midnight tick shows its date)
    bool strong = false; // a boundary of the next larger unit (new year, month, day): drawn darker
};

class TimeAxis {
public:
    static constexpr double kMinSpan = 30.0 * 60;                  // half an hour across the width
    static constexpr double kMaxSpan = 300.0 * 365.25 * 86400;     // three centuries
    static constexpr double kEarliest = -6.0e9;                    // ~1780: nothing clinical before
    static constexpr double kLatest = 7.3e9;                       // ~2200

    void set_width(double pixels);                // the data area; at least 1
    double width() const { return width_; }
    void set_range(double start, double end);     // clamped to the span limits
    double start() const { return start_; }
    double end() const { return end_; }
    double span() const { return end_ - start_; }

    double to_x(double time) const { return (time - start_) * width_ / (end_ - start_); }
    double to_time(double x) const { return start_ + x * (end_ - start_) / width_; }
    double seconds_per_pixel() const { return (end_ - start_) / width_; }

    // factor > 1 zooms in. The time under `anchor_x` stays under it (unless a limit is reached).
    void zoom(double factor, double anchor_x);
    // Drag by dx pixels: the content follows the mouse (dx > 0 shows earlier times).
    void pan(double dx_pixels);
    // Shows [first, last] with a margin on each side; a single instant gets a day around it.
    void fit(double first, double last, double margin_fraction = 0.03);

    // Ticks across the visible range, spaced so labels of `char_width`-pixel characters do not touch.
    std::vector<Tick> ticks(double char_width = 7.0) const;
    TickUnit tick_unit(double char_width = 7.0) const;
    // What the tick labels leave out: the date when ticks show only hours ("2021-03-12"), else "".
    std::string context_label(double char_width = 7.0) const;

private:
    void clamp();
    double width_ = 800;
    double start_ = 0;
    double end_ = 86400.0 * 365;
};

}  // namespace consilium::gui
