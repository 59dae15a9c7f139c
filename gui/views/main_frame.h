#pragma once
// The workstation window: banner on top, worklist left, 2x2 viewer centre, suggestions right,
// timeline below, in wxAUI panes whose arrangement is saved per user. Long work (loading a
// series) runs on worker threads and reports back through CallAfter, so the UI never freezes.
#include "model/preferences.h"
#include "model/series_measurements.h"
#include "model/viewer_model.h"
#include "model/workstation.h"

#include <wx/aui/aui.h>
#include <wx/frame.h>

#include <atomic>
#include <memory>
#include <thread>

class wxGauge;

namespace consilium::gui {

class PatientBannerPanel;
class PatientListPanel;
class ViewerPanel;
class TimelinePanel;
class SuggestionsPanel;
class PluginsPanel;
class MeetingMode;

class MainFrame : public wxFrame {
public:
    MainFrame(Workstation& workstation, std::function<void()> relogin);
    ~MainFrame() override;

    // Opens a patient (id or MRN) and their first series, or the series given; messages in the status bar.
    void open_patient(std::int64_t id, const std::string& series_uid = "");
    void open_patient_text(const std::string& id_or_mrn, const std::string& series_uid = "");
    void open_series(const std::string& series_uid);
    ViewerModel& viewer() { return viewer_; }
    void restore_layout(const Preferences& preferences);
    std::string layout();  // the normal arrangement, also while an MDT meeting is presented

private:
    void build_menu();
    void on_key(wxKeyEvent& e);
    void on_close(wxCloseEvent& e);
    void show_series_choices();
    void load_series(std::size_t index);
    void stop_loading();
    void set_status(const wxString& text);
    void toggle_plugins();

    Workstation& workstation_;
    std::function<void()> relogin_;
    ViewerModel viewer_;
    SeriesMeasurements measurements_{viewer_, workstation_};  // the reader's measurements kept per series
    wxAuiManager aui_;
    PatientBannerPanel* banner_ = nullptr;
    PatientListPanel* patients_ = nullptr;
    ViewerPanel* viewer_panel_ = nullptr;
    TimelinePanel* timeline_ = nullptr;
    SuggestionsPanel* suggestions_ = nullptr;
    PluginsPanel* plugins_ = nullptr;
    wxGauge* progress_ = nullptr;
    std::string default_layout_;
    std::size_t series_index_ = 0;
    std::thread loader_;
    std::shared_ptr<std::atomic<bool>> cancel_load_;
    std::unique_ptr<MeetingMode> meeting_;  // the Meeting menu and the MDT presentation layout
};

}  // namespace consilium::gui
