#pragma once
// File > Import DICOM folder... / Import FHIR files... / Import FHIR folder...: the import runs on a worker thread with
// its own store connection; this window shows the phase, a gauge and Cancel, then says what was
// imported and what was skipped and why - or, for a malformed file, which file and what is wrong
// (and that nothing stored changed).
#include "model/import_job.h"
#include "model/workstation.h"

#include <wx/dialog.h>
#include <wx/timer.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

class wxButton;
class wxFrame;
class wxGauge;
class wxMenu;
class wxStaticText;
class wxTextCtrl;

namespace consilium::gui {

class ImportDialog : public wxDialog {
public:
    ImportDialog(wxWindow* parent, Workstation& workstation, ImportKind kind, std::vector<std::filesystem::path> paths,
                 const wxString& what);
    ~ImportDialog() override;

private:
    void show_progress();
    void finished(const ImportReport& report);

    Workstation& workstation_;
    wxStaticText* phase_ = nullptr;
    wxGauge* gauge_ = nullptr;
    wxTextCtrl* result_ = nullptr;
    wxButton* cancel_ = nullptr;
    wxButton* close_ = nullptr;
    wxTimer ticker_;
    // Written by the worker, read by the ticker: the latest progress only.
    std::atomic<int> phase_now_{-1};
    std::atomic<std::size_t> done_{0}, total_{0};
    std::atomic<bool> cancel_requested_{false};
    bool running_ = true;
    std::thread worker_;
};

// Adds "Import DICOM folder...", "Import FHIR files..." (several at once) and "Import FHIR
// folder..." to `file`, bound on `frame`.
void add_import_menu_items(wxMenu* file, wxFrame* frame, Workstation& workstation);

}  // namespace consilium::gui
