#pragma once
// The 2x2 viewer: axial, coronal, sagittal, 3D (or one of them maximised), with a small tool
// row above: series picker, overlay toggle and the window/level presets.
#include "model/viewer_model.h"
#include "views/ui_thread.h"

#include <consilium/viewer/frame_renderer.h>

#include <wx/panel.h>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class wxChoice;
class wxCheckBox;
class wxStaticText;
class wxGridSizer;
class wxKeyEvent;

namespace consilium::gui {

class ViewCanvas;

class ViewerPanel : public wxPanel {
public:
    ViewerPanel(wxWindow* parent, ViewerModel& model);
    ~ViewerPanel() override;
    // The series picker's entries; choosing one calls `on_series` with its index.
    void set_series(const std::vector<std::string>& labels, int selected, std::function<void(int)> on_series);
    ViewCanvas* canvas(ViewKind kind) { return canvases_[static_cast<int>(kind)]; }
    // True when the keyboard focus is on one of the views: only then do the viewer's plain keys
    // (presets, R, O, M, B, N, Delete) act, so nothing typed into a text field reaches them.
    bool view_has_focus() const;
    // What the panes say while there are no images ("" for nothing): a patient without images.
    void set_empty_note(const wxString& note);
    // Asks every visible pane for a fresh frame.
    void render_all();

private:
    void model_changed();
    void on_key(wxKeyEvent& e);
    void relayout();
    ViewerModel& model_;
    std::array<ViewCanvas*, 4> canvases_{};
    wxGridSizer* grid_ = nullptr;
    wxChoice* series_ = nullptr;
    wxCheckBox* overlays_ = nullptr;
    wxChoice* tool_ = nullptr;
    wxStaticText* status_ = nullptr;
    std::function<void(int)> on_series_;
    std::shared_ptr<const viewer::Volume> shown_volume_;
    std::optional<ViewKind> shown_maximised_;
    AliveToken alive_ = make_alive_token();
    // Two render threads: the slices stay quick while a 3D ray cast takes its time.
    std::unique_ptr<viewer::FrameRenderer> slices_renderer_;
    std::unique_ptr<viewer::FrameRenderer> volume_renderer_;
};

}  // namespace consilium::gui
