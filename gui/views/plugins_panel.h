#pragma once
// The plugins found on the search path, whether each may run (enabled, available, quarantined,
// and why not), its model card, Enable/Disable for developers and administrators, and "Run on
// this patient" (with the series shown, for plugins that read images) with progress and Cancel.
// A patient outside the plugin's intended use is named so in red; a clinician may tick "Run anyway"
// (audited, the suggestions marked). A failed run shows the plugin's exit code and last stderr lines.
// The run happens on a worker thread with its own store connection (model/plugin_runs.h); the
// outcome is shown in words and the patient's suggestions and the worklist are refreshed.
#include "model/plugin_runs.h"
#include "model/viewer_model.h"
#include "model/workstation.h"
#include "views/ui_thread.h"

#include <wx/panel.h>
#include <wx/timer.h>

#include <chrono>
#include <string>
#include <vector>

class wxButton;
class wxCheckBox;
class wxGauge;
class wxListView;
class wxStaticText;
class wxTextCtrl;

namespace consilium::gui {

class PluginsPanel : public wxPanel {
public:
    PluginsPanel(wxWindow* parent, Workstation& workstation, ViewerModel& viewer);
    ~PluginsPanel() override;
    bool running() const { return running_; }
    void cancel_run();

private:
    void fill();
    void update_details();
    const PluginRow* selected_row() const;
    RunTarget target(const PluginRow* row) const;
    void run();
    void finished(const RunOutcome& outcome, const std::string& name, const std::string& version);
    void set_enabled(bool enabled);
    void show_model_card();
    void log(const std::string& level, const std::string& text);
    void on_timer();

    Workstation& workstation_;
    ViewerModel& viewer_;
    std::vector<PluginRow> rows_;
    wxStaticText* sandbox_ = nullptr;  // red: the site runs plugins without the sandbox, or it does not work here
    std::string selected_id_;
    wxListView* list_ = nullptr;
    wxStaticText* title_ = nullptr;
    wxStaticText* manage_why_ = nullptr;
    wxStaticText* target_ = nullptr;
    wxStaticText* run_why_ = nullptr;
    wxStaticText* intended_ = nullptr;   // the open patient is outside the plugin's intended use, and why
    wxCheckBox* run_anyway_ = nullptr;   // a clinician's explicit decision to run it regardless (audited)
    wxStaticText* last_run_ = nullptr;   // the plugin's newest stored run on the open patient
    wxStaticText* status_ = nullptr;
    wxButton* model_card_ = nullptr;
    wxButton* enable_ = nullptr;
    wxButton* disable_ = nullptr;
    wxButton* run_ = nullptr;
    wxButton* cancel_ = nullptr;
    wxGauge* gauge_ = nullptr;
    wxTextCtrl* log_ = nullptr;
    wxTimer timer_;
    PluginRunner runner_;
    bool running_ = false;
    bool progress_seen_ = false;
    bool cancelling_ = false;
    std::string running_label_;
    std::chrono::steady_clock::time_point started_;
    const viewer::Volume* seen_volume_ = nullptr;
    bool seen_complete_ = false;
    AliveToken alive_ = make_alive_token();
};

}  // namespace consilium::gui
