#include "views/viewer_panel.h"

#include "views/view_canvas.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/wrapsizer.h>

namespace consilium::gui {

ViewerPanel::ViewerPanel(wxWindow* parent, ViewerModel& model) : wxPanel(parent, wxID_ANY), model_(model) {
    SetBackgroundColour(wxColour(20, 20, 24));
    // The tool row wraps onto a second line on a narrow viewer (1280x800 screens) rather than
    // dropping controls or clipping their labels.
    auto* tools = new wxWrapSizer(wxHORIZONTAL);
    auto* label = new wxStaticText(this, wxID_ANY, _("Series:"));
    label->SetForegroundColour(*wxWHITE);
    series_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "viewer-series");
    series_->SetMinSize(wxSize(260, -1));
    overlays_ = new wxCheckBox(this, wxID_ANY, _("AI overlays"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                               "ai-overlays");
    overlays_->SetForegroundColour(*wxWHITE);
    overlays_->SetValue(true);
    overlays_->SetToolTip(_("Show or hide the AI evidence (regions and masks) on the images (O)"));
    tool_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, 0, nullptr, 0, wxDefaultValidator, "viewer-tool");
    tool_->Append(_("Navigate (N)"));
    tool_->Append(_("Distance (M)"));
    tool_->Append(_("Region statistics (B)"));
    tool_->SetSelection(0);
    tool_->SetToolTip(_("What a left-drag does in the slice views; Delete removes the measurements"));
    auto* clear = new wxButton(this, wxID_ANY, _("Clear measurements"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator,
                               "clear-measurements");
    status_ = new wxStaticText(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, 0, "viewer-status");
    status_->SetForegroundColour(wxColour(200, 200, 200));
    auto* series_box = new wxBoxSizer(wxHORIZONTAL);  // the label stays with its picker when the row wraps
    series_box->Add(label, 0, wxALIGN_CENTER_VERTICAL | wxLEFT | wxRIGHT, 6);
    series_box->Add(series_, 0, wxALIGN_CENTER_VERTICAL | wxALL, 3);
    tools->Add(series_box, 0, wxALIGN_CENTER_VERTICAL);
    tools->Add(overlays_, 0, wxALIGN_CENTER_VERTICAL | wxLEFT | wxRIGHT, 6);
    tools->Add(tool_, 0, wxALIGN_CENTER_VERTICAL | wxALL, 3);
    tools->Add(clear, 0, wxALIGN_CENTER_VERTICAL | wxALL, 3);
    tools->Add(status_, 0, wxALIGN_CENTER_VERTICAL | wxLEFT | wxRIGHT, 6);

    // Frames come back on the render threads and are shown on the UI thread, unless the panel is gone.
    auto deliver = [alive = std::weak_ptr<int>(alive_), this](std::shared_ptr<const viewer::RenderedFrame> frame) {
        post_to_ui(alive, [this, frame] { canvases_[static_cast<int>(frame->kind)]->show_frame(frame); });
    };
    slices_renderer_ = std::make_unique<viewer::FrameRenderer>(deliver);
    volume_renderer_ = std::make_unique<viewer::FrameRenderer>(deliver);
    auto request = [this](ViewKind kind, viewer::FrameRequest r) {
        (kind == ViewKind::volume3d ? volume_renderer_ : slices_renderer_)->request(kind, std::move(r));
    };
    grid_ = new wxGridSizer(2, 2, 2, 2);
    for (ViewKind k : {ViewKind::axial, ViewKind::coronal, ViewKind::sagittal, ViewKind::volume3d}) {
        auto* c = new ViewCanvas(this, model_, k, request);
        canvases_[static_cast<int>(k)] = c;
        grid_->Add(c, 1, wxEXPAND);
    }
    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(tools, 0, wxEXPAND);
    top->Add(grid_, 1, wxEXPAND);
    SetSizer(top);

    series_->Bind(wxEVT_CHOICE, [this](wxCommandEvent& e) {
        series_->SetToolTip(series_->GetStringSelection());
        if (on_series_) on_series_(e.GetSelection());
    });
    overlays_->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent& e) { model_.set_overlays_visible(e.IsChecked()); });
    tool_->Bind(wxEVT_CHOICE, [this](wxCommandEvent& e) { model_.set_tool(static_cast<ViewerTool>(e.GetSelection())); });
    clear->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { model_.clear_measurements(); });
    Bind(wxEVT_CHAR_HOOK, &ViewerPanel::on_key, this);
    model_.changed.connect([this] { model_changed(); });
}

ViewerPanel::~ViewerPanel() {
    // Stop the render threads before the panes they draw for go.
    slices_renderer_.reset();
    volume_renderer_.reset();
}

void ViewerPanel::set_series(const std::vector<std::string>& labels, int selected, std::function<void(int)> on_series) {
    on_series_ = std::move(on_series);
    series_->Clear();
    for (const auto& l : labels) series_->Append(wxString::FromUTF8(l));
    if (selected >= 0 && selected < static_cast<int>(labels.size())) series_->SetSelection(selected);
    series_->Enable(!labels.empty());
    // On a narrow viewer the picker shows the start of the label: the whole of it on hover and in the list.
    series_->SetToolTip(series_->GetStringSelection());
}

void ViewerPanel::set_empty_note(const wxString& note) {
    for (auto* c : canvases_) c->set_empty_note(note);
}

void ViewerPanel::model_changed() {
    if (model_.volume() != shown_volume_) {
        shown_volume_ = model_.volume();
        for (auto* c : canvases_) c->volume_changed();
    }
    if (model_.maximised() != shown_maximised_) {
        shown_maximised_ = model_.maximised();
        relayout();
    }
    overlays_->SetValue(model_.overlays_visible());
    tool_->SetSelection(static_cast<int>(model_.tool()));
    if (model_.has_volume()) {
        auto [slice, count] = model_.slice_of(ViewKind::axial);
        const wxString text = wxString::Format(_("Axial %d/%d   %s"), slice, count, wxString::FromUTF8(model_.window_label()));
        if (text != status_->GetLabel()) {
            status_->SetLabel(text);
            if (status_->GetBestSize().x > status_->GetSize().x) Layout();  // wider text: never clipped by the row
        }
    } else if (!status_->GetLabel().empty()) {
        status_->SetLabel("");
    }
    for (auto* c : canvases_) c->model_changed();
}

bool ViewerPanel::view_has_focus() const {
    const wxWindow* focus = wxWindow::FindFocus();
    for (const auto* c : canvases_)
        if (focus && c == focus) return true;
    return false;
}

void ViewerPanel::on_key(wxKeyEvent& e) {
    if (!e.HasAnyModifiers() && view_has_focus()) {
        switch (e.GetKeyCode()) {
        case 'M': model_.set_tool(ViewerTool::distance); return;
        case 'B': model_.set_tool(ViewerTool::region); return;
        case 'N':
        case WXK_ESCAPE: model_.set_tool(ViewerTool::navigate); return;
        case WXK_DELETE: model_.clear_measurements(); return;
        default: break;
        }
    }
    e.Skip();
}

void ViewerPanel::relayout() {
    grid_->Clear(false);
    if (auto m = model_.maximised()) {
        grid_->SetCols(1);
        grid_->SetRows(1);
        for (auto* c : canvases_) c->Show(c->kind() == *m);
        grid_->Add(canvases_[static_cast<int>(*m)], 1, wxEXPAND);
    } else {
        grid_->SetCols(2);
        grid_->SetRows(2);
        for (auto* c : canvases_) {
            c->Show(true);
            grid_->Add(c, 1, wxEXPAND);
        }
    }
    Layout();
}

void ViewerPanel::render_all() {
    for (auto* c : canvases_) c->request_frame();
}

}  // namespace consilium::gui
