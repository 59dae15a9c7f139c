#include "views/main_frame.h"

#include <consilium/viewer/thread_priority.h>

#include "views/audit_dialog.h"
#include "views/translate_wx.h"
#include "views/import_dialog.h"
#include "views/pacs_query_dialog.h"
#include "views/meeting_mode.h"
#include "views/patient_banner_panel.h"
#include "views/patient_list_panel.h"
#include "views/plugins_panel.h"
#include "views/suggestions_panel.h"
#include "views/timeline_panel.h"
#include "views/viewer_panel.h"

#include "consilium/viewer/load.h"

#include <wx/wupdlock.h>
#include <wx/display.h>
#include <wx/gauge.h>
#include <wx/intl.h>
#include <wx/menu.h>
#include <wx/msgdlg.h>
#include <wx/statusbr.h>

namespace consilium::gui {

namespace {
enum MenuId { id_lock = wxID_HIGHEST + 1, id_reset_view, id_overlays, id_reset_layout, id_plugins, id_plugins_rescan };

// Whose record is open, as the banner names them: never empty (title bar, status line).
wxString identity(const PatientBanner& b) {
    return b.name.empty() ? _("(no name recorded)") + " " + wxString::FromUTF8(b.identifier) : wxString::FromUTF8(b.name);
}
}  // namespace

// untranslated: "Consilium", the product's name
MainFrame::MainFrame(Workstation& workstation, std::function<void()> relogin)
    : wxFrame(nullptr, wxID_ANY, "Consilium"), workstation_(workstation), relogin_(std::move(relogin)) {
    const wxRect area = wxDisplay(0u).GetClientArea();
    SetSize(area);
    aui_.SetManagedWindow(this);
    viewer_.set_translate(wx_translate());

    banner_ = new PatientBannerPanel(this, workstation_);
    patients_ = new PatientListPanel(this, workstation_, [this](std::int64_t id) { open_patient(id); });
    viewer_panel_ = new ViewerPanel(this, viewer_);
    suggestions_ = new SuggestionsPanel(this, workstation_, viewer_);
    suggestions_->set_open_series([this](const std::string& uid) { open_series(uid); });
    plugins_ = new PluginsPanel(this, workstation_, viewer_);
    timeline_ = new TimelinePanel(this, workstation_,
                                  {[this](const std::string& uid) { open_series(uid); },
                                   [this](std::int64_t id) { suggestions_->select(id); }});

    aui_.AddPane(banner_, wxAuiPaneInfo().Name("banner").Top().CaptionVisible(false).CloseButton(false).PaneBorder(false)
                              .Floatable(false).Movable(false).Resizable(false).MinSize(-1, 48).Layer(2));
    // Side panes in proportion to the screen: on 1280 px the viewer keeps about half the width.
    const int worklist_width = std::min(430, area.width * 26 / 100), cards_width = std::min(400, area.width * 24 / 100);
    aui_.AddPane(patients_, wxAuiPaneInfo().Name("patients").Caption(_("Worklist")).Left().BestSize(worklist_width, -1).MinSize(220, -1)
                                .CloseButton(false));
    aui_.AddPane(viewer_panel_, wxAuiPaneInfo().Name("viewer").Caption(_("Images")).CenterPane());
    aui_.AddPane(suggestions_, wxAuiPaneInfo().Name("suggestions").Caption(_("AI suggestions")).Right().BestSize(cards_width, -1)
                                   .MinSize(std::min(300, cards_width), -1).CloseButton(false));
    aui_.AddPane(timeline_, wxAuiPaneInfo().Name("timeline").Caption(_("Timeline")).Bottom().BestSize(-1, 240).MinSize(-1, 140)
                                .CloseButton(false));
    // Plugins (Ctrl+P): hidden until asked for; a row of its own above the timeline, can float.
    aui_.AddPane(plugins_, wxAuiPaneInfo().Name("plugins").Caption(_("Plugins")).Bottom().Row(1).BestSize(-1, 320)
                               .MinSize(-1, 240).FloatingSize(1100, 380).Hide());
    meeting_ = std::make_unique<MeetingMode>(*this, workstation_, aui_,
                                             PresentationPanels{banner_, timeline_, suggestions_, viewer_panel_});
    aui_.Update();
    default_layout_ = aui_.SavePerspective().utf8_string();

    CreateStatusBar(2);
    SetStatusWidths(2, std::array<int, 2>{-1, 220}.data());
    progress_ = new wxGauge(GetStatusBar(), wxID_ANY, 100, wxPoint(0, 0), wxSize(200, 14));
    progress_->Hide();
    GetStatusBar()->Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        wxRect r;
        GetStatusBar()->GetFieldRect(1, r);
        progress_->SetSize(r.x + 4, r.y + 2, r.width - 8, r.height - 4);
        e.Skip();
    });
    build_menu();
    Bind(wxEVT_CHAR_HOOK, &MainFrame::on_key, this);
    Bind(wxEVT_CLOSE_WINDOW, &MainFrame::on_close, this);
    workstation_.patient_changed.connect([this] {
        if (!workstation_.patient()) {
            // Closed (log-out, lock): nothing of that patient stays on screen.
            stop_loading();
            viewer_.clear();
            viewer_panel_->set_series({}, -1, {});
            viewer_panel_->set_empty_note("");
            progress_->Hide();
        }
        const auto b = workstation_.banner();
        SetTitle(b ? "Consilium - " + identity(*b) : wxString("Consilium"));  // untranslated: the product's name
    });
    set_status(wxString::Format(_("Logged in as %s"), wxString::FromUTF8(workstation_.user_label())));
}

MainFrame::~MainFrame() {
    stop_loading();
    aui_.UnInit();
}

void MainFrame::build_menu() {
    auto* file = new wxMenu;
    add_import_menu_items(file, this, workstation_);
    add_pacs_query_menu_item(file, this, workstation_,
                             [this](std::int64_t patient, const std::string& series) { open_patient(patient, series); });
    file->AppendSeparator();
    file->Append(id_lock, _("&Lock\tCtrl+L"), _("Lock the workstation: log in again to continue"));
    file->AppendSeparator();
    file->Append(wxID_EXIT, _("&Quit\tCtrl+Q"));
    auto* view = new wxMenu;
    view->Append(id_reset_view, _("&Reset view\tR"));
    view->Append(id_overlays, _("Toggle AI &overlays\tO"));
    view->AppendSeparator();
    view->Append(id_reset_layout, _("Default &layout"));
    auto* plugins = new wxMenu;
    plugins->Append(id_plugins, _("&Plugins...\tCtrl+P"), _("The AI plugins: model cards, enable/disable, run on this patient"));
    plugins->Append(id_plugins_rescan, _("Look for plugins again"));
    auto* bar = new wxMenuBar;
    bar->Append(file, _("&File"));
    bar->Append(view, _("&View"));
    bar->Append(plugins, _("&Plugins"));
    bar->Append(meeting_->make_menu(), _("&Meeting"));
    auto* tools = new wxMenu;
    add_audit_menu_item(tools, this, workstation_);
    bar->Append(tools, _("&Tools"));
    SetMenuBar(bar);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { relogin_(); }, id_lock);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { viewer_.reset(); }, id_reset_view);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { viewer_.set_overlays_visible(!viewer_.overlays_visible()); }, id_overlays);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { aui_.LoadPerspective(wxString::FromUTF8(default_layout_)); }, id_reset_layout);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { toggle_plugins(); }, id_plugins);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { workstation_.refresh_plugins(); }, id_plugins_rescan);
}

void MainFrame::toggle_plugins() {
    auto& pane = aui_.GetPane("plugins");
    pane.Show(!pane.IsShown());
    // One relayout and one repaint of the frame, not one per pane that moves.
    wxWindowUpdateLocker frozen(this);
    aui_.Update();
}

void MainFrame::on_key(wxKeyEvent& e) {
    // Plain keys drive the viewer only while a view has the focus: a name typed into the worklist
    // search ("Bernier ROMBN") once reset the view, picked tools, changed presets and switched the
    // AI overlays off. Everywhere else the key goes to the control that has the focus.
    const int key = e.GetKeyCode();
    if (viewer_panel_ && viewer_panel_->view_has_focus() && !e.HasAnyModifiers()) {
        if (key >= '1' && key <= '9' && viewer_.apply_preset(key - '0')) return;
        if (key == 'R' || key == 'r') {
            viewer_.reset();
            return;
        }
        if (key == 'O' || key == 'o') {
            viewer_.set_overlays_visible(!viewer_.overlays_visible());
            return;
        }
    }
    e.Skip();
}

void MainFrame::on_close(wxCloseEvent& e) {
    stop_loading();
    plugins_->cancel_run();  // the run is recorded as cancelled; the panel waits for it when destroyed
    e.Skip();
}

void MainFrame::set_status(const wxString& text) { SetStatusText(text, 0); }

void MainFrame::open_patient_text(const std::string& text, const std::string& series_uid) {
    if (auto m = workstation_.open_patient(text); !m.empty()) {
        set_status(wxString::FromUTF8(m));
        wxMessageBox(wxString::FromUTF8(m), _("Open patient"), wxOK | wxICON_WARNING, this);
        return;
    }
    open_patient(workstation_.patient()->id, series_uid);
}

void MainFrame::open_patient(std::int64_t id, const std::string& series_uid) {
    if (!workstation_.patient() || workstation_.patient()->id != id) {
        if (auto m = workstation_.open_patient(id); !m.empty()) {
            set_status(wxString::FromUTF8(m));
            return;
        }
    }
    stop_loading();
    viewer_.clear();
    show_series_choices();
    if (!series_uid.empty()) open_series(series_uid);
    else if (!workstation_.series().empty()) load_series(0);
    set_status(wxString::Format(_("%s opened"), identity(*workstation_.banner())));
}

void MainFrame::show_series_choices() {
    std::vector<std::string> labels;
    for (const auto& s : workstation_.series()) labels.push_back(s.label());
    viewer_panel_->set_series(labels, labels.empty() ? -1 : 0, [this](int i) { load_series(static_cast<std::size_t>(i)); });
    viewer_panel_->set_empty_note(workstation_.patient() && labels.empty() ? _("No images for this patient") : wxString());
}

void MainFrame::open_series(const std::string& uid) {
    const auto& all = workstation_.series();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].series.series_uid == uid) {
            load_series(i);
            return;
        }
    set_status(wxString::Format(_("Series %s is not a series of this patient"), wxString::FromUTF8(uid)));
}

void MainFrame::stop_loading() {
    if (cancel_load_) cancel_load_->store(true);
    if (loader_.joinable()) loader_.join();
    cancel_load_.reset();
}

void MainFrame::load_series(std::size_t index) {
    if (index >= workstation_.series().size()) return;
    stop_loading();
    series_index_ = index;
    const SeriesEntry entry = workstation_.series()[index];
    workstation_.record_series_viewed(entry);
    set_status(wxString::Format(_("Loading %s..."), wxString::FromUTF8(entry.label())));
    progress_->SetValue(0);
    progress_->Show();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    cancel_load_ = cancel;
    loader_ = std::thread([this, entry, cancel] {
        viewer::lower_thread_priority();  // its decoder processes inherit it too
        viewer::LoadOptions options;
        options.cancel = cancel.get();
        auto last = std::chrono::steady_clock::now();
        options.volume_allocated = [this, cancel](const viewer::Volume& filling) {
            auto early = std::make_shared<const viewer::Volume>(filling);
            CallAfter([this, early, cancel] {
                if (!*cancel) {
                    viewer_.set_volume(early);
                    viewer_.voxels_arrived(false);
                }
            });
        };
        options.progress = [this, cancel, &last](std::size_t done, std::size_t total) {
            const auto now = std::chrono::steady_clock::now();
            if (now - last < std::chrono::milliseconds(150) && done != total) return;
            last = now;
            CallAfter([this, done, total, cancel] {
                if (*cancel) return;
                progress_->SetValue(total ? static_cast<int>(100 * done / total) : 0);
                viewer_.voxels_arrived(false);
            });
        };
        try {
            auto volume = std::make_shared<const viewer::Volume>(
                viewer::load_path(entry.folder, entry.series.series_uid, options));
            CallAfter([this, cancel, entry, volume] {
                if (*cancel) return;
                progress_->Hide();
                // Shown while loading (same buffer): only say it is complete; else show it now.
                if (viewer_.volume() && viewer_.volume()->voxels == volume->voxels) viewer_.voxels_arrived(true);
                else viewer_.set_volume(volume);
                const auto& warnings = volume->warnings;
                wxString text = wxString::Format(_("%s loaded"), wxString::FromUTF8(entry.label()));
                for (const auto& w : warnings) text += "  -  " + wxString::FromUTF8(w);
                set_status(text);
            });
        } catch (const std::exception& e) {
            CallAfter([this, cancel, message = std::string(e.what())] {
                progress_->Hide();
                if (*cancel) return;
                viewer_.clear();
                set_status(wxString::Format(_("Could not load the series: %s"), wxString::FromUTF8(message)));
            });
        }
    });
}

std::string MainFrame::layout() { return meeting_->layout_to_save().utf8_string(); }

void MainFrame::restore_layout(const Preferences& preferences) {
    if (preferences.layout.empty()) return;
    // A saved perspective carries the captions of the language it was saved in: keep today's.
    std::vector<std::pair<wxString, wxString>> captions;
    auto& panes = aui_.GetAllPanes();
    for (std::size_t i = 0; i < panes.GetCount(); ++i) captions.emplace_back(panes.Item(i).name, panes.Item(i).caption);
    aui_.LoadPerspective(wxString::FromUTF8(preferences.layout), false);
    for (const auto& [name, caption] : captions) aui_.GetPane(name).Caption(caption);
    aui_.Update();
}

}  // namespace consilium::gui
