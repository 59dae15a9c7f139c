#pragma once
// Drives the real workstation under Xvfb as a person would: starts `consilium`, types and
// clicks through xdotool (real X input events), takes screenshots of the whole screen (saved as
// test artifacts) and reads their pixels back for assertions.
#include "test_support.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::test::gui {

// A screenshot as 8-bit RGB.
struct Screen {
    int width = 0, height = 0;
    std::vector<unsigned char> rgb;
    const unsigned char* at(int x, int y) const { return &rgb[(static_cast<std::size_t>(y) * width + x) * 3]; }
    // Standard deviation of the grey values in a rectangle: ~0 for a blank area.
    double spread(int x, int y, int w, int h) const;
    // Pixels in the rectangle whose colour is within `tolerance` of (r, g, b).
    int count_colour(int x, int y, int w, int h, int r, int g, int b, int tolerance) const;
    // Fraction of pixels that differ between two screenshots inside the rectangle.
    double changed_fraction(const Screen& other, int x, int y, int w, int h) const;
};

class App {
public:
    // Starts `consilium` with these arguments; stderr and stdout go to `log`.
    App(const std::vector<std::string>& args, const std::filesystem::path& log);
    ~App();  // kills the app if it still runs
    bool running();
    // Waits for the exit; the exit status, or -1 on timeout.
    int wait_exit(int seconds);
    int pid() const { return pid_; }

private:
    int pid_ = -1;
    int status_ = -1;
    bool exited_ = false;
};

// Runs xdotool with these arguments; true on exit 0.
bool xdo(const std::vector<std::string>& args);
// The first visible window whose name matches, within `seconds`; "" when none.
std::string find_window(const std::string& name_regex, int seconds);
void type(const std::string& text);
void key(const std::string& keys);
void click(int x, int y, int button = 1);
void drag(int x0, int y0, int x1, int y1, int button);
void settle(int milliseconds);
// Where GUI tests leave their screenshots and logs: <build>/test-artifacts/gui.
std::filesystem::path artifacts();
std::string read_all(const std::filesystem::path& file);
// Captures the whole screen; saves a PNG copy as `artifact` and returns the pixels.
Screen screenshot(const std::filesystem::path& artifact);

}  // namespace consilium::test::gui

namespace consilium::test::gui {

// One control of the app's widget map (CONSILIUM_WIDGET_MAP, see gui/views/widget_map.h).
struct Widget {
    std::string kind, name, label;
    int x = 0, y = 0, w = 0, h = 0;
    bool enabled = false;
    std::string value;     // a text field's text; "1"/"0" for a check box
    bool clipped = false;  // narrower than its label needs
    int cx() const { return x + w / 2; }
    int cy() const { return y + h / 2; }
};
std::vector<Widget> read_widget_map(const std::filesystem::path& file);
// Waits up to `seconds` for a control whose kind matches and whose name (or, when `by_label`,
// label) starts with `prefix`; enabled ones only when `enabled`.
std::optional<Widget> wait_widget(const std::filesystem::path& map, const std::string& kind, const std::string& prefix,
                                  int seconds, bool by_label = false, bool enabled = true);
void click(const Widget& w);
// Pixels in a rectangle for which `pick(r, g, b)` holds.
template <class Pick>
int count_pixels(const Screen& s, int x, int y, int w, int h, Pick pick) {
    int n = 0;
    for (int yy = y; yy < y + h && yy < s.height; ++yy)
        for (int xx = x; xx < x + w && xx < s.width; ++xx) {
            const auto* p = s.at(xx, yy);
            if (pick(p[0], p[1], p[2])) ++n;
        }
    return n;
}

}  // namespace consilium::test::gui
