#pragma once
// Tools > Audit log (administrators): the tamper-evident log in a virtual list with search
// fields, the chain check and the export. Every read and export goes through decision/ on a
// worker thread with its own store connection, and is itself audited there.
#include "model/audit_log.h"
#include "model/workstation.h"

#include <wx/dialog.h>

#include <functional>
#include <thread>
#include <vector>

class wxCheckBox;
class wxFrame;
class wxListCtrl;
class wxMenu;
class wxStaticText;
class wxTextCtrl;
class wxButton;

namespace consilium::gui {

class AuditDialog : public wxDialog {
public:
    AuditDialog(wxWindow* parent, Workstation& workstation);
    ~AuditDialog() override;

private:
    void search();
    void verify();
    void export_log();
    void show_selected();
    void set_busy(bool busy, const wxString& what = "");
    // Runs `job` on a worker thread (one at a time); its result comes back through CallAfter.
    void start(std::function<void()> job);

    Workstation& workstation_;
    AuditLog log_;
    wxTextCtrl* user_ = nullptr;
    wxTextCtrl* action_ = nullptr;
    wxTextCtrl* text_ = nullptr;
    wxTextCtrl* from_ = nullptr;
    wxTextCtrl* to_ = nullptr;
    wxCheckBox* newest_first_ = nullptr;
    wxListCtrl* list_ = nullptr;
    wxTextCtrl* detail_ = nullptr;
    wxStaticText* status_ = nullptr;
    wxStaticText* chain_ = nullptr;
    std::vector<wxButton*> buttons_;
    wxString found_;  // the last search's count, shown again after other messages
    bool busy_ = false;
    std::thread worker_;
};

// Adds "Audit log..." to `tools`: enabled for administrators only, with the reason in its help text
// for everyone else (kept up to date when another user logs in).
void add_audit_menu_item(wxMenu* tools, wxFrame* frame, Workstation& workstation);

}  // namespace consilium::gui
