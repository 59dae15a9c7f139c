#include "consilium/viewer/frame_renderer.h"

#include "consilium/viewer/thread_priority.h"

#include <vtkCamera.h>
#include <vtkImageData.h>
#include <vtkPointData.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace consilium::viewer {

std::optional<Vec3> frame_pick(const RenderedFrame& frame, double x, double y_from_top) {
    if (!frame.on_plane || frame.height <= 0) return std::nullopt;
    const double y = frame.height - 1 - y_from_top;
    Vec3 out{};
    for (int i = 0; i < 3; ++i) out[i] = frame.origin_lps[i] + x * frame.right_lps[i] + y * frame.up_lps[i];
    return out;
}

namespace {

// What the thread keeps per view kind: its own offscreen window, so switching kinds never
// resizes a window or swaps renderers, and each window keeps its compiled shaders.
struct Slot {
    std::optional<FrameRequest> pending;
    vtkSmartPointer<vtkRenderWindow> window;
    vtkSmartPointer<vtkRenderer> empty;
    std::unique_ptr<View> view;
    std::shared_ptr<const Volume> volume;
    int revision = 0;
};

bool software_gl(vtkRenderWindow* window) {
    const char* reported = window->ReportCapabilities();
    const std::string caps = reported ? reported : "";
    return caps.empty() || caps.find("llvmpipe") != std::string::npos || caps.find("softpipe") != std::string::npos ||
           caps.find("SVGA3D") != std::string::npos;
}

}  // namespace

struct FrameRenderer::Impl {
    Deliver deliver;
    std::mutex mutex;
    std::condition_variable wake;
    std::array<Slot, 4> slots;
    bool stopping = false;
    std::size_t next = 0;  // round robin, so a busy view cannot starve the others
    std::optional<bool> software;
    bool trace = std::getenv("CONSILIUM_TRACE_RENDER") != nullptr;
    std::thread thread;

    void run();
    std::shared_ptr<const RenderedFrame> render(ViewKind kind, const FrameRequest& request);
    void release();
};

FrameRenderer::FrameRenderer(Deliver deliver) : impl_(std::make_unique<Impl>()) {
    impl_->deliver = std::move(deliver);
    impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

FrameRenderer::~FrameRenderer() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    impl_->thread.join();
}

void FrameRenderer::request(ViewKind kind, FrameRequest request) {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->slots[static_cast<std::size_t>(kind)].pending = std::move(request);
    }
    impl_->wake.notify_all();
}

void FrameRenderer::Impl::run() {
    lower_thread_priority();  // before the GL context: llvmpipe's own threads inherit it
    for (;;) {
        FrameRequest request;
        ViewKind kind{};
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] {
                return stopping || std::any_of(slots.begin(), slots.end(), [](const Slot& s) { return s.pending.has_value(); });
            });
            if (stopping) break;
            for (std::size_t i = 0; i < slots.size(); ++i) {
                const std::size_t k = (next + i) % slots.size();
                if (!slots[k].pending) continue;
                request = std::move(*slots[k].pending);
                slots[k].pending.reset();
                kind = static_cast<ViewKind>(k);
                next = k + 1;
                break;
            }
        }
        try {
            if (auto frame = render(kind, request)) deliver(std::move(frame));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "consilium: the %s view could not be drawn: %s\n", to_string(kind), e.what());
        }
    }
    release();
}

std::shared_ptr<const RenderedFrame> FrameRenderer::Impl::render(ViewKind kind, const FrameRequest& request) {
    const int w = request.width, h = request.height;
    if (w < 2 || h < 2) return nullptr;
    const auto started = std::chrono::steady_clock::now();
    Slot& slot = slots[static_cast<std::size_t>(kind)];
    if (!slot.window) {
        slot.window = vtkSmartPointer<vtkRenderWindow>::New();
        slot.window->SetOffScreenRendering(1);
        slot.window->SetSize(w, h);
        slot.empty = vtkSmartPointer<vtkRenderer>::New();
        slot.empty->SetBackground(0.05, 0.05, 0.07);
        slot.window->AddRenderer(slot.empty);
        slot.window->Render();  // creates the OpenGL context, so we can ask what renders
        if (!software) software = software_gl(slot.window);
    }
    const int* size = slot.window->GetSize();
    if (size[0] != w || size[1] != h) slot.window->SetSize(w, h);
    if (request.volume != slot.volume) {
        if (slot.view) slot.window->RemoveRenderer(slot.view->renderer());
        slot.view.reset();
        slot.volume = request.volume;
        slot.revision = request.data_revision;
        if (slot.volume) {
            slot.view = std::make_unique<View>(slot.volume, kind);
            slot.view->set_software_rendering(*software);
            if (*software) slot.view->set_3d_voxel_budget(request.voxel_budget_3d);
            slot.window->RemoveRenderer(slot.empty);
            slot.window->AddRenderer(slot.view->renderer());
        } else {
            slot.window->AddRenderer(slot.empty);
        }
    }
    auto frame = std::make_shared<RenderedFrame>();
    frame->kind = kind;
    frame->width = w;
    frame->height = h;
    if (slot.view) {
        View& view = *slot.view;
        if (slot.revision != request.data_revision) {
            view.data_changed();
            slot.revision = request.data_revision;
        }
        view.update(request.state);
        view.fit(w, h);
        view.zoom_and_pan(request.zoom, request.pan_mm);
        vtkCamera* camera = view.renderer()->GetActiveCamera();
        if (kind == ViewKind::volume3d && (request.azimuth != 0 || request.elevation != 0)) {
            camera->Azimuth(request.azimuth);
            camera->Elevation(request.elevation);
            camera->OrthogonalizeViewUp();
            view.renderer()->ResetCameraClippingRange();
        }
        frame->mm_per_pixel = 2 * camera->GetParallelScale() / h;
        frame->empty = false;
    }
    slot.window->Render();

    auto grab = vtkSmartPointer<vtkWindowToImageFilter>::New();
    grab->SetInput(slot.window);
    grab->SetInputBufferTypeToRGB();
    grab->ReadFrontBufferOff();
    grab->ShouldRerenderOff();
    grab->Update();
    vtkImageData* image = grab->GetOutput();
    int dims[3];
    image->GetDimensions(dims);
    auto* scalars = vtkUnsignedCharArray::SafeDownCast(image->GetPointData()->GetScalars());
    if (!scalars || dims[0] != w || dims[1] != h || scalars->GetNumberOfComponents() != 3)
        throw std::runtime_error("the rendered image could not be read back");
    frame->rgb.resize(static_cast<std::size_t>(w) * h * 3);
    const std::size_t row = static_cast<std::size_t>(w) * 3;
    const unsigned char* src = scalars->GetPointer(0);
    for (int y = 0; y < h; ++y)  // VTK's first row is the bottom one
        std::memcpy(frame->rgb.data() + static_cast<std::size_t>(h - 1 - y) * row, src + static_cast<std::size_t>(y) * row, row);

    if (slot.view && kind != ViewKind::volume3d) {
        // Parallel projection: display -> plane is affine, three picks describe it.
        auto o = slot.view->pick_lps(0, 0), r = slot.view->pick_lps(1, 0), u = slot.view->pick_lps(0, 1);
        if (o && r && u) {
            frame->on_plane = true;
            frame->origin_lps = *o;
            for (int i = 0; i < 3; ++i) {
                frame->right_lps[i] = (*r)[i] - (*o)[i];
                frame->up_lps[i] = (*u)[i] - (*o)[i];
            }
        }
    }
    frame->render_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (trace) std::fprintf(stderr, "render %s (off the UI thread): %.0f ms\n", to_string(kind), frame->render_ms);
    return frame;
}

void FrameRenderer::Impl::release() {
    // The OpenGL objects belong to this thread's contexts: free them here, not in the destructor's thread.
    for (Slot& slot : slots) {
        if (!slot.window) continue;
        if (slot.view) slot.window->RemoveRenderer(slot.view->renderer());
        slot.view.reset();
        slot.window->Finalize();
        slot.window = nullptr;
        slot.empty = nullptr;
    }
}

}  // namespace consilium::viewer
