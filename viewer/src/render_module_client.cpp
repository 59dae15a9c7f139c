#include "modules.h"

#include <stdexcept>

namespace consilium::viewer {

void render_png_in_module(std::shared_ptr<const Volume> volume, ViewKind kind, const ViewState& state, int width, int height,
                          const std::filesystem::path& out) {
    auto render = reinterpret_cast<modules::RenderEntry>(modules::entry_point(modules::kRender, modules::kRenderEntry));
    modules::RenderCall call{std::move(volume), kind, &state, width, height, &out};
    std::string error;
    if (render(call, error) != 0) throw std::runtime_error(error);
}

}  // namespace consilium::viewer
