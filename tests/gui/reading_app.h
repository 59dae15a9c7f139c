#pragma once
// The demo workspace prepared for the reading tests of the real workstation: the CT patient with
// the lung-nodule findings already run (so there are AI outlines to hide), and patients without
// images. The app is started on the CT patient and logged in as the radiologist.
#include "app_driver.h"

#include <cstdint>
#include <memory>
#include <string>

namespace consilium::test::gui {

struct DemoReading {
    DemoReading();
    ScratchDir dir{"reading-gui"};
    std::filesystem::path ws = dir / "ws";
    std::string cli = std::string(std::getenv("CONSILIUM_BIN")) + "/consilium-cli";
    std::int64_t ct_patient = 0;  // the demo patient with a CT (and AI findings on it)
    std::string ct_name;
    std::int64_t no_images = 0;  // a demo patient without imaging
    std::string no_images_name;
};

// Starts the workstation on the CT patient in `lang`, logs in as the radiologist, waits for the
// window. `map` is where the widget map is written.
std::unique_ptr<App> start_reading(const DemoReading& d, const std::filesystem::path& map, const std::string& lang,
                                   const std::string& log_name);
// Label and value of the first control of that kind and name; nullopt when it is not shown.
std::optional<Widget> widget(const std::filesystem::path& map, const std::string& kind, const std::string& name);
// Waits up to `seconds` for `pick` to hold on the widget map.
template <class Pick>
bool wait_for(const std::filesystem::path& map, int seconds, Pick pick) {
    for (int i = 0; i < seconds * 4; ++i) {
        if (pick(read_widget_map(map))) return true;
        settle(250);
    }
    return false;
}

// A second X server of its own size for the duration of a test (DISPLAY points at it).
class Display {
public:
    Display(int width, int height);
    ~Display();

private:
    int pid_ = -1;
    std::string previous_;
};

}  // namespace consilium::test::gui
