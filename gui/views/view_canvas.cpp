#include "views/view_canvas.h"

#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkRendererCollection.h>

#include <GL/gl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace consilium::gui {

namespace {
std::chrono::steady_clock::time_point process_start() {
    static const auto t = std::chrono::steady_clock::now();
    return t;
}
const auto g_started = process_start();
}  // namespace

wxGLAttributes ViewCanvas::gl_attributes() {
    wxGLAttributes a;
    a.PlatformDefaults().RGBA().DoubleBuffer().Depth(24).Stencil(8).EndList();
    return a;
}

ViewCanvas::ViewCanvas(wxWindow* parent, ViewerModel& model, ViewKind kind)
    : wxGLCanvas(parent, gl_attributes(), wxID_ANY, wxDefaultPosition, wxDefaultSize, wxFULL_REPAINT_ON_RESIZE | wxWANTS_CHARS),
      model_(model), kind_(kind) {
    wxGLContextAttrs ca;
    ca.PlatformDefaults().CoreProfile().OGLVersion(3, 2).EndList();
    context_ = std::make_unique<wxGLContext>(this, nullptr, &ca);
    window_ = vtkGenericOpenGLRenderWindow::New();
    window_->SetReadyForRendering(false);
    window_->SetIsDirect(true);
    window_->SetSupportsOpenGL(true);
    window_->SetOwnContext(false);
    callback_ = vtkCallbackCommand::New();
    callback_->SetCallback(&ViewCanvas::vtk_event);
    callback_->SetClientData(this);
    window_->AddObserver(vtkCommand::WindowMakeCurrentEvent, callback_);
    window_->AddObserver(vtkCommand::WindowIsCurrentEvent, callback_);
    window_->AddObserver(vtkCommand::WindowFrameEvent, callback_);
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    Bind(wxEVT_PAINT, &ViewCanvas::on_paint, this);
    Bind(wxEVT_SIZE, &ViewCanvas::on_size, this);
    Bind(wxEVT_ERASE_BACKGROUND, [](wxEraseEvent&) {});
    Bind(wxEVT_MOUSEWHEEL, &ViewCanvas::on_wheel, this);
    for (auto type : {wxEVT_LEFT_DOWN, wxEVT_LEFT_UP, wxEVT_LEFT_DCLICK, wxEVT_RIGHT_DOWN, wxEVT_RIGHT_UP, wxEVT_MIDDLE_DOWN,
                      wxEVT_MIDDLE_UP, wxEVT_MOTION})
        Bind(type, &ViewCanvas::on_mouse, this);
}

ViewCanvas::~ViewCanvas() {
    if (gl_ready_) {
        SetCurrent(*context_);
        view_.reset();
        window_->Finalize();
    }
    view_.reset();
    window_->RemoveObserver(callback_);
    window_->Delete();
    callback_->Delete();
}

void ViewCanvas::vtk_event(vtkObject*, unsigned long event, void* client, void* call) {
    auto* self = static_cast<ViewCanvas*>(client);
    if (event == vtkCommand::WindowMakeCurrentEvent) self->SetCurrent(*self->context_);
    else if (event == vtkCommand::WindowIsCurrentEvent) *static_cast<bool*>(call) = self->gl_ready_;
    else if (event == vtkCommand::WindowFrameEvent) self->SwapBuffers();
}

void ViewCanvas::volume_changed() {
    view_stale_ = true;
    last_3d_key_.clear();
    rotate_azimuth_ = rotate_elevation_ = 0;
    Refresh(false);
}

void ViewCanvas::model_changed() {
    if (kind_ == ViewKind::volume3d) {
        // The 3D rendering is the slow one on software GL: redraw only when what it shows changed.
        const auto& s = model_.state();
        std::string key = std::to_string(static_cast<int>(s.preset)) + "/" + std::to_string(model_.zoom_of(kind_)) + "/" +
                          std::to_string(model_.pan_of(kind_)[0]) + "/" + std::to_string(model_.pan_of(kind_)[1]) + "/" +
                          std::to_string(s.masks.size()) + "/" + std::to_string(model_.complete() ? model_.revision() : -1) + "/" + std::to_string(GetClientSize().x) + "x" +
                          std::to_string(GetClientSize().y);
        if (key == last_3d_key_) return;
        last_3d_key_ = key;
    }
    Refresh(false);
}

void ViewCanvas::on_paint(wxPaintEvent&) {
    wxPaintDC dc(this);  // required by wx even though VTK draws
    render();
}

void ViewCanvas::on_size(wxSizeEvent& e) {
    Refresh(false);
    e.Skip();
}

bool ViewCanvas::render_now() {
    if (!IsShownOnScreen()) return false;
    render();
    return true;
}

void ViewCanvas::render() {
    if (!IsShownOnScreen()) return;
    static const bool trace = std::getenv("CONSILIUM_TRACE_RENDER") != nullptr;
    const auto started = std::chrono::steady_clock::now();
    struct Report {
        bool on;
        ViewKind kind;
        std::chrono::steady_clock::time_point t0;
        ~Report() {
            if (on)
                std::fprintf(stderr, "render %s: %lld ms (ending at %lld ms since start)\n", viewer::to_string(kind),
                             static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                        std::chrono::steady_clock::now() - t0).count()),
                             static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                        std::chrono::steady_clock::now() - process_start()).count()));
        }
    } report{trace, kind_, started};
    SetCurrent(*context_);
    if (!gl_ready_) {
        window_->SetReadyForRendering(true);
        window_->InitializeFromCurrentContext();
        const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
        software_gl_ = renderer == nullptr || std::strstr(renderer, "llvmpipe") || std::strstr(renderer, "softpipe");
        gl_ready_ = true;
    }
    const wxSize size = GetClientSize() * GetContentScaleFactor();
    if (size.x < 2 || size.y < 2) return;
    if (view_stale_) {
        if (view_) window_->RemoveRenderer(view_->renderer());
        view_.reset();
        if (model_.volume()) {
            view_ = std::make_unique<viewer::View>(model_.volume(), kind_);
            view_->set_software_rendering(software_gl_);
            // Software GL ray-casts on the UI thread: a coarser copy keeps the 3D pane responsive.
            if (software_gl_) view_->set_3d_voxel_budget(std::size_t{1} << 20);
            window_->AddRenderer(view_->renderer());
        }
        view_stale_ = false;
    }
    window_->SetSize(size.x, size.y);
    if (view_) {
        if (seen_revision_ != model_.revision()) {
            view_->data_changed();
            seen_revision_ = model_.revision();
        }
        view_->update(model_.state());
        view_->fit(size.x, size.y);
        view_->zoom_and_pan(model_.zoom_of(kind_), model_.pan_of(kind_));
        if (kind_ == ViewKind::volume3d && (rotate_azimuth_ != 0 || rotate_elevation_ != 0)) {
            vtkCamera* camera = view_->renderer()->GetActiveCamera();
            camera->Azimuth(rotate_azimuth_);
            camera->Elevation(rotate_elevation_);
            camera->OrthogonalizeViewUp();
            view_->renderer()->ResetCameraClippingRange();
        }
    } else {
        // No volume yet: a plain dark pane.
        if (window_->GetRenderers()->GetNumberOfItems() == 0) {
            vtkRenderer* empty = vtkRenderer::New();
            empty->SetBackground(0.05, 0.05, 0.07);
            window_->AddRenderer(empty);
            empty->Delete();
        }
    }
    window_->Render();
}

void ViewCanvas::on_wheel(wxMouseEvent& e) {
    const int steps = e.GetWheelRotation() / std::max(1, e.GetWheelDelta());
    if (steps == 0) return;
    if (e.ControlDown()) model_.zoom(kind_, steps > 0 ? 1.15 : 1 / 1.15);
    else model_.scroll(kind_, -steps);  // wheel towards the user: next slice
}

void ViewCanvas::on_mouse(wxMouseEvent& e) {
    const wxPoint p = e.GetPosition();
    const double scale = GetContentScaleFactor();
    if (e.LeftDClick()) {
        model_.toggle_maximised(kind_);
        return;
    }
    if (e.LeftDown() || e.RightDown() || e.MiddleDown()) {
        SetFocus();
        last_mouse_ = p;
        if (!HasCapture()) CaptureMouse();
    }
    if ((e.LeftUp() || e.RightUp() || e.MiddleUp()) && HasCapture()) ReleaseMouse();
    auto pick = [&]() -> std::optional<viewer::Vec3> {
        if (!view_ || kind_ == ViewKind::volume3d) return std::nullopt;
        const int h = static_cast<int>(GetClientSize().y * scale);
        return view_->pick_lps(p.x * scale, h - p.y * scale - 1);
    };
    const bool measuring = model_.tool() != ViewerTool::navigate;
    if (e.LeftUp() && measuring) {
        model_.end_measurement();
        return;
    }
    if (e.LeftDown() && kind_ != ViewKind::volume3d) {
        if (auto lps = pick()) {
            if (measuring) model_.begin_measurement(*lps);
            else model_.set_crosshair(*lps);
        }
        return;
    }
    if (!e.Dragging()) return;
    const wxPoint d = p - last_mouse_;
    last_mouse_ = p;
    if (e.RightIsDown()) model_.drag_window_level(d.x, d.y);
    else if (e.MiddleIsDown() && view_) {
        // Pixels to millimetres at the current zoom: the camera's parallel scale is half the height.
        const double mm_per_px = 2 * view_->renderer()->GetActiveCamera()->GetParallelScale() / std::max(1, GetClientSize().y);
        model_.pan(kind_, d.x * mm_per_px, -d.y * mm_per_px);
    } else if (e.LeftIsDown() && kind_ == ViewKind::volume3d) {
        rotate_azimuth_ -= d.x * 0.5;
        rotate_elevation_ += d.y * 0.5;
        Refresh(false);
    } else if (e.LeftIsDown() && view_) {
        if (auto lps = pick()) {
            if (measuring) model_.drag_measurement(*lps);
            else model_.set_crosshair(*lps);
        }
    }
}

}  // namespace consilium::gui
