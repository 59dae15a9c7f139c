// The reading state a volume opens with. Apart from the VTK views so that programs without VTK
// (the command line, the GUI's model) can set one up.
#include "consilium/viewer/scene.h"

namespace consilium::viewer {

ViewState initial_state(const Volume& v) {
    ViewState s;
    s.crosshair_lps = volume_centre_lps(v);
    s.window = default_window(v);
    s.preset = default_volume_preset(v);
    return s;
}

}  // namespace consilium::viewer
