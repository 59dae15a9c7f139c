#include "consilium/viewer/scene.h"

#include <vtkPNGWriter.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkWindowToImageFilter.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace consilium::viewer {

void render_png(std::shared_ptr<const Volume> volume, ViewKind kind, const ViewState& state, int width, int height,
                const std::filesystem::path& out) {
    if (!std::getenv("DISPLAY"))
        throw std::runtime_error("rendering needs an X display (run under xvfb-run -a on a machine without one)");
    if (width < 16 || height < 16 || width > 8192 || height > 8192)
        throw std::runtime_error("image size " + std::to_string(width) + "x" + std::to_string(height) + " is outside 16..8192");
    View view(std::move(volume), kind);
    auto window = vtkSmartPointer<vtkRenderWindow>::New();
    window->SetOffScreenRendering(1);
    window->SetSize(width, height);
    window->Render();  // empty: creates the OpenGL context, so we can ask what renders
    // Software OpenGL: the CPU ray caster is several times faster than the GPU one emulated.
    const char* reported = window->ReportCapabilities();
    const std::string caps = reported ? reported : "";
    window->AddRenderer(view.renderer());
    const bool software = caps.find("llvmpipe") != std::string::npos || caps.find("softpipe") != std::string::npos ||
                          caps.find("SVGA3D") != std::string::npos || caps.empty();
    view.set_software_rendering(software);
    view.update(state);
    view.fit(width, height);
    window->Render();
    auto grab = vtkSmartPointer<vtkWindowToImageFilter>::New();
    grab->SetInput(window);
    grab->SetInputBufferTypeToRGB();
    grab->ReadFrontBufferOff();
    grab->Update();
    auto writer = vtkSmartPointer<vtkPNGWriter>::New();
    writer->SetFileName(out.c_str());
    writer->SetInputConnection(grab->GetOutputPort());
    writer->Write();
    if (writer->GetErrorCode() != 0 || !std::filesystem::exists(out))
        throw std::runtime_error(out.string() + ": cannot write the PNG");
}

}  // namespace consilium::viewer
