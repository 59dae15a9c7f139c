#include "views/audit_dialog.h"

#include "consilium/decision/audit_access.h"
#include "consilium/decision/workspace.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/filedlg.h>
#include <wx/frame.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/weakref.h>

#include <ctime>
#include <filesystem>
#include <fstream>

namespace consilium::gui {
namespace {

constexpr const char* kWindowName = "audit-log";

// The list asks for the text of visible rows only.
class AuditList : public wxListCtrl {
public:
    AuditList(wxWindow* parent, const AuditLog& log)
        : wxListCtrl(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_VIRTUAL | wxLC_SINGLE_SEL),
          log_(log) {}
    wxString OnGetItemText(long item, long column) const override {
        return wxString::FromUTF8(log_.cell(static_cast<std::size_t>(item), static_cast<AuditColumn>(column)));
    }

private:
    const AuditLog& log_;
};

std::string today_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

}  // namespace

AuditDialog::AuditDialog(wxWindow* parent, Workstation& workstation)
    : wxDialog(parent, wxID_ANY, _("Audit log"), wxDefaultPosition, wxSize(1250, 760),
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER, kWindowName),
      workstation_(workstation) {
    auto* top = new wxBoxSizer(wxVERTICAL);

    // Labels in the first row, the search boxes under them, Search at the end of the second row.
    auto* fields = new wxFlexGridSizer(6, 4, 8);
    auto box = [this](const wxString& hint, int width) {
        auto* b = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(width, -1), wxTE_PROCESS_ENTER);
        b->SetHint(hint);
        b->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { search(); });
        return b;
    };
    for (const wxString& label : {_("User"), _("Action starts with"), _("Object or patient"), _("From (UTC)"), _("To (UTC)")})
        fields->Add(new wxStaticText(this, wxID_ANY, label));
    fields->AddSpacer(0);
    user_ = box(_("any user"), 140);
    action_ = box(_("e.g. patient. or login"), 170);
    text_ = box(_("patient id, MRN, file..."), 200);
    from_ = box(_("YYYY-MM-DD"), 170);
    to_ = box(_("YYYY-MM-DD"), 170);
    for (auto* b : {user_, action_, text_, from_, to_}) fields->Add(b, 0, wxEXPAND);
    auto* find = new wxButton(this, wxID_ANY, _("Search"));
    fields->Add(find);
    top->Add(fields, 0, wxALL, 10);

    newest_first_ = new wxCheckBox(this, wxID_ANY, _("Newest first"));
    newest_first_->SetValue(true);
    top->Add(newest_first_, 0, wxLEFT | wxRIGHT, 10);

    auto* list = new AuditList(this, log_);
    list_ = list;
    list_->AppendColumn(_("Seq"), wxLIST_FORMAT_RIGHT, 70);
    list_->AppendColumn(_("Time (UTC)"), wxLIST_FORMAT_LEFT, 190);
    list_->AppendColumn(_("User"), wxLIST_FORMAT_LEFT, 110);
    list_->AppendColumn(_("Role"), wxLIST_FORMAT_LEFT, 95);
    list_->AppendColumn(_("Action"), wxLIST_FORMAT_LEFT, 150);
    list_->AppendColumn(_("Object"), wxLIST_FORMAT_LEFT, 180);
    list_->AppendColumn(_("Details"), wxLIST_FORMAT_LEFT, 420);
    top->Add(list_, 3, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 10);

    detail_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(-1, 120), wxTE_MULTILINE | wxTE_READONLY | wxTE_DONTWRAP);
    detail_->SetFont(wxFont(wxFontInfo(9).Family(wxFONTFAMILY_TELETYPE)));
    top->Add(detail_, 1, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 10);

    status_ = new wxStaticText(this, wxID_ANY, "");
    top->Add(status_, 0, wxALL, 10);
    chain_ = new wxStaticText(this, wxID_ANY, _("The hash chain has not been checked in this window yet."));
    top->Add(chain_, 0, wxLEFT | wxRIGHT | wxBOTTOM | wxEXPAND, 10);

    auto* row = new wxBoxSizer(wxHORIZONTAL);
    auto* verify_button = new wxButton(this, wxID_ANY, _("Verify chain"));
    verify_button->SetToolTip(_("Recompute every entry's hash and compare the chain with its recorded head"));
    auto* export_button = new wxButton(this, wxID_ANY, _("Export..."));
    export_button->SetToolTip(_("Write the whole log as FHIR AuditEvent NDJSON or syslog lines (the export is audited)"));
    row->Add(verify_button, 0, wxRIGHT, 8);
    row->Add(export_button, 0, wxRIGHT, 8);
    row->AddStretchSpacer();
    row->Add(new wxButton(this, wxID_CLOSE, _("Close")));
    top->Add(row, 0, wxEXPAND | wxALL, 10);
    SetSizer(top);
    buttons_ = {find, verify_button, export_button};

    find->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { search(); });
    verify_button->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { verify(); });
    export_button->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { export_log(); });
    newest_first_->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) {
        log_.set_newest_first(newest_first_->GetValue());
        list_->Refresh();
        show_selected();
    });
    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent&) { show_selected(); });
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Close(); }, wxID_CLOSE);
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent&) { Destroy(); });  // modeless: gone when closed

    // Whoever logs in next (after a lock) must not find the log left open on screen.
    wxWeakRef<AuditDialog> self(this);
    workstation_.session_changed.connect([self] {
        if (self) self->Destroy();
    });
    search();
}

AuditDialog::~AuditDialog() {
    if (worker_.joinable()) worker_.join();
}

void AuditDialog::set_busy(bool busy, const wxString& what) {
    busy_ = busy;
    for (auto* b : buttons_) b->Enable(!busy);
    if (busy) status_->SetLabel(what);
}

void AuditDialog::start(std::function<void()> job) {
    if (worker_.joinable()) worker_.join();  // the previous job has reported (buttons were disabled until then)
    worker_ = std::thread(std::move(job));
}

void AuditDialog::search() {
    if (busy_) return;  // Enter in a search field while a job runs
    AuditSearch s;
    s.user = user_->GetValue().utf8_string();
    s.action = action_->GetValue().utf8_string();
    s.text = text_->GetValue().utf8_string();
    s.from = from_->GetValue().utf8_string();
    s.to = to_->GetValue().utf8_string();
    switch (s.invalid_field()) {
        case AuditSearch::Field::from:
            status_->SetLabel(_("From: not a date. Use YYYY-MM-DD or an ISO date-time such as 2024-05-02T09:00:00Z."));
            from_->SetFocus();
            return;
        case AuditSearch::Field::to:
            status_->SetLabel(_("To: not a date. Use YYYY-MM-DD or an ISO date-time such as 2024-05-02T17:00:00Z."));
            to_->SetFocus();
            return;
        case AuditSearch::Field::none: break;
    }
    set_busy(true, _("Reading the audit log..."));
    const auto folder = workstation_.folder();
    const auto session = workstation_.session();
    const auto filter = s.to_filter();
    start([this, folder, session, filter] {
        std::vector<decision::AuditEntry> entries;
        std::string error;
        try {
            // Its own connection: SQLite connections are not shared across threads.
            auto ws = decision::Workspace::open(folder);
            entries = decision::read_audit_log(ws.store(), session, filter);
        } catch (const std::exception& e) {
            error = e.what();
        }
        CallAfter([this, entries = std::move(entries), error]() mutable {
            set_busy(false);
            if (!error.empty()) {
                status_->SetLabel(wxString::Format(_("Could not read the audit log: %s"), wxString::FromUTF8(error)));
                return;
            }
            log_.set_entries(std::move(entries));
            list_->SetItemCount(static_cast<long>(log_.size()));
            list_->Refresh();
            detail_->Clear();
            const auto n = static_cast<unsigned long>(log_.size());
            found_ = wxString::Format(wxPLURAL("%lu entry found (this search is itself audited).",
                                               "%lu entries found (this search is itself audited).", n),
                                      n);
            status_->SetLabel(found_);
        });
    });
}

void AuditDialog::show_selected() {
    const long row = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    detail_->SetValue(row < 0 ? wxString() : wxString::FromUTF8(log_.describe(static_cast<std::size_t>(row))));
}

void AuditDialog::verify() {
    set_busy(true, _("Checking the hash chain..."));
    chain_->SetForegroundColour(GetForegroundColour());
    chain_->SetLabel(_("Checking every entry's hash..."));
    const auto folder = workstation_.folder();
    start([this, folder] {
        decision::AuditVerification v;
        std::string error;
        try {
            auto ws = decision::Workspace::open(folder);
            v = ws.store().audit().verify();
        } catch (const std::exception& e) {
            error = e.what();
        }
        CallAfter([this, v, error] {
            set_busy(false);
            status_->SetLabel(found_);
            if (!error.empty()) {
                chain_->SetForegroundColour(wxColour(170, 20, 20));
                chain_->SetLabel(wxString::Format(_("The check could not run: %s"), wxString::FromUTF8(error)));
            } else if (v.intact) {
                chain_->SetForegroundColour(wxColour(20, 110, 40));
                chain_->SetLabel(wxString::Format(_("Chain intact: %lld entries, every hash matches. Head hash %s (keep it "
                                                    "elsewhere to compare later)."),
                                                  static_cast<long long>(v.entries), wxString::FromUTF8(v.head_hash)));
            } else {
                chain_->SetForegroundColour(wxColour(170, 20, 20));
                chain_->SetLabel(wxString::Format(_("CHAIN BROKEN at entry %lld: %s"), static_cast<long long>(v.first_broken),
                                                  wxString::FromUTF8(v.problem)));
            }
            chain_->Wrap(GetClientSize().x - 20);
            Layout();
        });
    });
}

void AuditDialog::export_log() {
    wxFileDialog ask(this, _("Export the audit log"), "", wxString::FromUTF8(audit_export_file_name("fhir", today_utc())),
                     _("FHIR AuditEvent, one per line (*.ndjson)|*.ndjson|Syslog RFC 5424 lines (*.log)|*.log"),
                     wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
    if (ask.ShowModal() != wxID_OK) return;
    const std::string format = ask.GetFilterIndex() == 1 ? "syslog" : "fhir";
    const std::string path = ask.GetPath().utf8_string();
    set_busy(true, _("Exporting..."));
    const auto folder = workstation_.folder();
    const auto session = workstation_.session();
    // Said in the reader's language here, on the UI thread: the export runs on a worker.
    const std::string cannot_write = wxString::Format(_("%s: cannot write the export"), wxString::FromUTF8(path)).utf8_string();
    start([this, folder, session, format, path, cannot_write] {
        decision::AuditExportResult result;
        std::string error;
        try {
            auto ws = decision::Workspace::open(folder);
            // The file is written inside decision's transaction: if it cannot be, the export is not audited.
            result = decision::export_audit_log(ws.store(), session, format, path, [&path, &cannot_write](const std::string& text) {
                std::ofstream out(std::filesystem::path(path), std::ios::binary | std::ios::trunc);
                out << text;
                out.close();
                if (!out) throw std::runtime_error(cannot_write);
            });
        } catch (const std::exception& e) {
            error = e.what();
        }
        CallAfter([this, result, error, path] {
            set_busy(false);
            if (!error.empty()) {
                status_->SetLabel(wxString::Format(_("Export failed, nothing was recorded: %s"), wxString::FromUTF8(error)));
                return;
            }
            status_->SetLabel(wxString::Format(_("Exported %lld entries to %s (SHA-256 %s); the export is recorded in the log."),
                                               static_cast<long long>(result.entries), wxString::FromUTF8(path),
                                               wxString::FromUTF8(result.sha256.substr(0, 16))));
        });
    });
}

void add_audit_menu_item(wxMenu* tools, wxFrame* frame, Workstation& workstation) {
    auto* item = tools->Append(wxID_ANY, _("&Audit log..."));
    const int id = item->GetId();
    auto update = [item, &workstation] {
        const bool admin = workstation.logged_in() &&
                           decision::allowed(workstation.session().user.role, decision::Permission::read_audit);
        item->Enable(admin);
        item->SetItemLabel(admin ? _("&Audit log...") : _("Audit log (administrators only)"));
        item->SetHelp(admin ? _("Search the audit log, verify its hash chain, export it")
                            : wxString(_("Only administrators may read the audit log")));
    };
    update();
    wxWeakRef<wxFrame> alive(frame);
    workstation.session_changed.connect([alive, update] {
        if (alive) update();
    });
    frame->Bind(wxEVT_MENU, [frame, &workstation](wxCommandEvent&) {
        if (auto* open = wxWindow::FindWindowByName(kWindowName, frame)) {
            open->Raise();
            return;
        }
        (new AuditDialog(frame, workstation))->Show();
    }, id);
}

}  // namespace consilium::gui
