// libconsilium-render.so: render_png() for programs that do not link VTK (consilium-cli), called
// through render_png_in_module() (render_module_client.cpp).
#include "modules.h"

extern "C" __attribute__((visibility("default"))) int consilium_render_png_v1(const consilium::viewer::modules::RenderCall& call,
                                                                           std::string& error) {
    try {
        consilium::viewer::render_png(call.volume, call.kind, *call.state, call.width, call.height, *call.out);
        return 0;
    } catch (const std::exception& e) {
        error = e.what();
        return 1;
    }
}
static_assert(std::is_same_v<decltype(&consilium_render_png_v1), consilium::viewer::modules::RenderEntry>);
