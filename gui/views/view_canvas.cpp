#include "views/view_canvas.h"

#include <wx/dcbuffer.h>
#include <wx/image.h>
#include <wx/intl.h>

#include <algorithm>

namespace consilium::gui {

namespace {
const wxColour kEmpty(13, 13, 18);

const char* pane_name(ViewKind kind) {
    switch (kind) {
        case ViewKind::axial: return "view-axial";
        case ViewKind::coronal: return "view-coronal";
        case ViewKind::sagittal: return "view-sagittal";
        default: return "view-3d";
    }
}

// A note centred near the bottom of the pane (or in its middle), on a dark amber plate.
void draw_note(wxDC& dc, const wxSize& size, const wxString& note, bool middle) {
    const wxSize extent = dc.GetTextExtent(note);
    const int x = std::max(4, (size.x - extent.x) / 2), y = middle ? (size.y - extent.y) / 2 : size.y - extent.y - 26;
    dc.SetBrush(wxBrush(wxColour(120, 60, 0)));
    dc.SetPen(*wxTRANSPARENT_PEN);
    dc.DrawRectangle(x - 6, y - 3, extent.x + 12, extent.y + 6);
    dc.SetTextForeground(wxColour(255, 200, 120));
    dc.DrawText(note, x, y);
}
}  // namespace

ViewCanvas::ViewCanvas(wxWindow* parent, ViewerModel& model, ViewKind kind, RequestFrame request)
    : wxWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxFULL_REPAINT_ON_RESIZE | wxWANTS_CHARS),
      model_(model), kind_(kind), request_(std::move(request)) {
    SetName(pane_name(kind));
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    Bind(wxEVT_PAINT, &ViewCanvas::on_paint, this);
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        request_frame();
        e.Skip();
    });
    Bind(wxEVT_SHOW, [this](wxShowEvent& e) {
        if (e.IsShown()) request_frame();
        e.Skip();
    });
    Bind(wxEVT_MOUSEWHEEL, &ViewCanvas::on_wheel, this);
    for (auto type : {wxEVT_LEFT_DOWN, wxEVT_LEFT_UP, wxEVT_LEFT_DCLICK, wxEVT_RIGHT_DOWN, wxEVT_RIGHT_UP, wxEVT_MIDDLE_DOWN,
                      wxEVT_MIDDLE_UP, wxEVT_MOTION})
        Bind(type, &ViewCanvas::on_mouse, this);
}

void ViewCanvas::volume_changed() {
    last_3d_key_.clear();
    rotate_azimuth_ = rotate_elevation_ = 0;
    request_frame();
}

std::string ViewCanvas::key_of_3d() const {
    const auto& s = model_.state();
    const auto pan = model_.pan_of(kind_);
    return std::to_string(static_cast<int>(s.preset)) + "/" + std::to_string(model_.zoom_of(kind_)) + "/" +
           std::to_string(pan[0]) + "/" + std::to_string(pan[1]) + "/" + std::to_string(s.masks.size()) + "/" +
           std::to_string(model_.complete() ? model_.revision() : -1);
}

void ViewCanvas::model_changed() {
    if (kind_ == ViewKind::volume3d) {
        // A 3D frame is the slow one on software GL: ask again only when what it shows changed.
        std::string key = key_of_3d();
        if (key == last_3d_key_) return;
        last_3d_key_ = key;
    }
    request_frame();
}

void ViewCanvas::request_frame() {
    if (!IsShownOnScreen()) return;
    const wxSize size = GetClientSize() * GetContentScaleFactor();
    if (size.x < 2 || size.y < 2) return;
    viewer::FrameRequest r;
    r.volume = model_.volume();
    r.data_revision = model_.revision();
    r.state = model_.state();
    r.state.plane_names = {_("Axial").utf8_string(), _("Coronal").utf8_string(), _("Sagittal").utf8_string()};
    r.width = size.x;
    r.height = size.y;
    r.zoom = model_.zoom_of(kind_);
    r.pan_mm = model_.pan_of(kind_);
    r.azimuth = rotate_azimuth_;
    r.elevation = rotate_elevation_;
    // Software GL ray-casts on the CPU: a coarser copy keeps the 3D pane answering within a second.
    r.voxel_budget_3d = std::size_t{1} << 22;
    if (kind_ == ViewKind::volume3d) last_3d_key_ = key_of_3d();
    request_(kind_, std::move(r));
}

void ViewCanvas::show_frame(std::shared_ptr<const viewer::RenderedFrame> frame) {
    if (!frame || frame->rgb.empty()) return;
    // Pixels stay in the frame; the image only borrows them while the bitmap is made.
    wxImage image(frame->width, frame->height, const_cast<unsigned char*>(frame->rgb.data()), true);
    bitmap_ = wxBitmap(image, -1, GetContentScaleFactor());
    frame_ = std::move(frame);
    Refresh(false);
}

void ViewCanvas::set_empty_note(const wxString& note) {
    if (note == empty_note_) return;
    empty_note_ = note;
    Refresh(false);
}

void ViewCanvas::on_paint(wxPaintEvent&) {
    wxAutoBufferedPaintDC dc(this);
    const wxSize size = GetClientSize();
    dc.SetBackground(wxBrush(kEmpty));
    dc.SetFont(GetFont().Bold());
    // What the pane says is also its label, which the GUI tests read (widget map).
    wxString said;
    if (!model_.has_volume() && !empty_note_.empty()) {
        // A patient without images: said where the images would be, not four black panes.
        dc.Clear();
        draw_note(dc, size, empty_note_, true);
        said = empty_note_;
    } else if (!bitmap_.IsOk()) {
        dc.Clear();
    } else {
        const wxSize shown = bitmap_.GetLogicalSize();
        if (shown.x < size.x || shown.y < size.y) dc.Clear();  // a resize is on its way: no stale edges
        dc.DrawBitmap(bitmap_, 0, 0);
        if (kind_ != ViewKind::volume3d && model_.has_overlays() && !model_.overlays_visible()) {
            // Hidden AI outlines are said on the image itself, where the reader looks.
            said = _("AI overlays hidden - O shows them");
            draw_note(dc, size, said, false);
        }
    }
    if (GetLabel() != said) SetLabel(said);
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
    // Where the reader pointed, on the picture they see.
    auto pick = [&]() -> std::optional<viewer::Vec3> {
        if (!frame_) return std::nullopt;
        return viewer::frame_pick(*frame_, p.x * scale, p.y * scale);
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
    else if (e.MiddleIsDown() && frame_ && !frame_->empty) {
        const double mm_per_px = frame_->mm_per_pixel * scale;
        model_.pan(kind_, d.x * mm_per_px, -d.y * mm_per_px);
    } else if (e.LeftIsDown() && kind_ == ViewKind::volume3d) {
        rotate_azimuth_ -= d.x * 0.5;
        rotate_elevation_ += d.y * 0.5;
        request_frame();
    } else if (e.LeftIsDown()) {
        if (auto lps = pick()) {
            if (measuring) model_.drag_measurement(*lps);
            else model_.set_crosshair(*lps);
        }
    }
}

}  // namespace consilium::gui
