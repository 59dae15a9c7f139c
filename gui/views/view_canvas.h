#pragma once
// One of the four viewer panes. It asks for frames of its view (a viewer::View rendered on a
// FrameRenderer thread, the same View the CLI renders PNGs with), shows the newest one, and turns
// mouse input into ViewerModel calls using the geometry that came with the frame on screen, so
// the UI thread never waits for OpenGL. Holds no reading state.
#include "model/viewer_model.h"

#include <consilium/viewer/frame_renderer.h>

#include <wx/bitmap.h>
#include <wx/window.h>

#include <functional>
#include <memory>
#include <string>

namespace consilium::gui {

class ViewCanvas : public wxWindow {
public:
    using RequestFrame = std::function<void(ViewKind, viewer::FrameRequest)>;
    ViewCanvas(wxWindow* parent, ViewerModel& model, ViewKind kind, RequestFrame request);

    ViewKind kind() const { return kind_; }
    // The model's volume changed: the next frame shows the new one from its default camera.
    void volume_changed();
    // Ask for a new frame when what this pane shows has changed (the 3D pane ignores crosshair moves).
    void model_changed();
    // A frame arrived from the renderer (UI thread).
    void show_frame(std::shared_ptr<const viewer::RenderedFrame> frame);
    // Ask for a frame now, whatever changed (tests, screenshots, size changes).
    void request_frame();
    // Said in the pane while it has no images ("No images for this patient"); "" for none.
    void set_empty_note(const wxString& note);

private:
    void on_paint(wxPaintEvent&);
    void on_wheel(wxMouseEvent&);
    void on_mouse(wxMouseEvent&);
    std::string key_of_3d() const;

    ViewerModel& model_;
    ViewKind kind_;
    RequestFrame request_;
    std::shared_ptr<const viewer::RenderedFrame> frame_;  // what is on screen: its pixels and where they are
    wxBitmap bitmap_;
    wxPoint last_mouse_;
    double rotate_azimuth_ = 0, rotate_elevation_ = 0;  // 3D pane only
    std::string last_3d_key_;
    wxString empty_note_;
};

}  // namespace consilium::gui
