#pragma once
// File > Query PACS... (Ctrl+Shift+P): search a PACS node of the workspace for studies and
// retrieve one into the workspace, then show it. Search and retrieve run on a worker thread with
// its own store connection (model/pacs_query.h); the window shows a gauge and Cancel meanwhile,
// and a failure as a message naming the node and what went wrong.
#include "model/pacs_query.h"
#include "model/workstation.h"
#include "views/ui_thread.h"

#include <wx/dialog.h>
#include <wx/timer.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

class wxButton;
class wxChoice;
class wxFrame;
class wxGauge;
class wxListCtrl;
class wxMenu;
class wxStaticText;
class wxTextCtrl;

namespace consilium::gui {

// Shows the retrieved study: the patient (workspace id) and the series to open first.
using OpenStudy = std::function<void(std::int64_t patient_id, const std::string& series_uid)>;

class PacsQueryDialog : public wxDialog {
public:
    PacsQueryDialog(wxWindow* parent, Workstation& workstation, OpenStudy open);
    ~PacsQueryDialog() override;

private:
    void build_search_fields(wxSizer* top);
    void search();
    void retrieve();
    void searched(const SearchOutcome& outcome);
    void retrieved(const RetrieveOutcome& outcome);
    void show_progress();
    void update_controls();
    void show_rows();
    void say(const wxString& text, bool problem = false);
    wxString node_name() const;
    wxString failure_text(const PacsOutcomeError& error, bool searching) const;
    void join_worker();

    Workstation& workstation_;
    OpenStudy open_;
    PacsQuery model_;
    std::vector<decision::PacsNode> nodes_;
    wxChoice* node_ = nullptr;
    wxTextCtrl *patient_id_ = nullptr, *patient_name_ = nullptr, *date_from_ = nullptr, *date_to_ = nullptr,
               *modality_ = nullptr;
    wxButton *search_ = nullptr, *retrieve_ = nullptr, *cancel_ = nullptr, *close_ = nullptr;
    wxListCtrl* studies_ = nullptr;
    wxStaticText* status_ = nullptr;
    wxGauge* gauge_ = nullptr;
    wxTimer ticker_;
    // Written by the worker, read by the ticker: the latest progress only.
    std::atomic<int> done_{0}, expected_{-1};
    std::atomic<long long> bytes_{0};
    std::atomic<bool> cancel_requested_{false};
    bool close_when_idle_ = false;
    AliveToken alive_ = make_alive_token();
    std::thread worker_;
};

// Adds "Query PACS..." to `file`, bound on `frame`; `open` shows a retrieved study.
void add_pacs_query_menu_item(wxMenu* file, wxFrame* frame, Workstation& workstation, OpenStudy open);

}  // namespace consilium::gui
