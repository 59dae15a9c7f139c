#include "views/import_dialog.h"

#include <consilium/viewer/thread_priority.h>

#include <wx/button.h>
#include <wx/dirdlg.h>
#include <wx/filedlg.h>
#include <wx/frame.h>
#include <wx/gauge.h>
#include <wx/intl.h>
#include <wx/menu.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <algorithm>

namespace consilium::gui {
namespace {

constexpr const char* kWindowName = "import";

wxString phase_text(ImportPhase phase) {
    switch (phase) {
        case ImportPhase::scanning: return _("Reading DICOM headers");
        case ImportPhase::reading: return _("Reading FHIR files");
        case ImportPhase::checking: return _("Checking patients, references and UIDs against the workspace");
        case ImportPhase::writing: return _("Writing FHIR data to the record");
        case ImportPhase::copying_images: return _("Copying images into the workspace");
    }
    return "";
}

wxString summary(const ImportReport& r) {
    wxString text;
    if (r.fhir_files > 0 || r.studies > 0)
        text += wxString::Format(_("%d patient(s) (%d new), %d timeline event(s) (%d new)."), r.patients, r.patients_added,
                                 r.events, r.events_added) + "\n";
    if (r.fhir_files > 0) text += wxString::Format(_("Read from %d FHIR file(s)."), r.fhir_files) + "\n";
    if (r.studies > 0)
        text += wxString::Format(_("Images: %d study(ies) (%d new), %d series (%d new), %d image(s) (%d new files)."),
                                 r.studies, r.studies_added, r.series, r.series_added, r.instances, r.instances_added) + "\n";
    if (r.fhir_files == 0 && r.studies == 0) text += _("No patient data was found in what you chose.") + "\n";
    if (!r.skipped.empty()) {
        text += "\n" + wxString::Format(_("Skipped (%d):"), static_cast<int>(r.skipped.size())) + "\n";
        constexpr std::size_t kShown = 200;
        for (std::size_t i = 0; i < r.skipped.size() && i < kShown; ++i)
            text += "  " + wxString::FromUTF8(r.skipped[i].path) + ": " + wxGetTranslation(wxString::FromUTF8(r.skipped[i].reason)) + "\n";
        if (r.skipped.size() > kShown)
            text += wxString::Format(_("  ... and %d more"), static_cast<int>(r.skipped.size() - kShown)) + "\n";
    }
    return text;
}

}  // namespace

ImportDialog::ImportDialog(wxWindow* parent, Workstation& workstation, ImportKind kind,
                           std::vector<std::filesystem::path> paths, const wxString& what)
    : wxDialog(parent, wxID_ANY, _("Import"), wxDefaultPosition, wxSize(760, 420), wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER,
               kWindowName),
      workstation_(workstation), ticker_(this) {
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* title = new wxStaticText(this, wxID_ANY, what);
    title->SetFont(title->GetFont().Bold());
    top->Add(title, 0, wxALL, 12);
    phase_ = new wxStaticText(this, wxID_ANY, _("Starting..."));
    top->Add(phase_, 0, wxLEFT | wxRIGHT | wxEXPAND, 12);
    gauge_ = new wxGauge(this, wxID_ANY, 1000, wxDefaultPosition, wxSize(-1, 18));
    top->Add(gauge_, 0, wxALL | wxEXPAND, 12);
    result_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_MULTILINE | wxTE_READONLY);
    result_->Hide();
    top->Add(result_, 1, wxLEFT | wxRIGHT | wxEXPAND, 12);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->AddStretchSpacer();
    cancel_ = new wxButton(this, wxID_CANCEL, _("Cancel"));
    cancel_->SetToolTip(_("Stops before anything is written; once images are being copied, after the current study"));
    close_ = new wxButton(this, wxID_CLOSE, _("Close"));
    close_->Hide();
    row->Add(cancel_, 0, wxRIGHT, 8);
    row->Add(close_);
    top->Add(row, 0, wxALL | wxEXPAND, 12);
    SetSizer(top);

    cancel_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        cancel_requested_ = true;
        cancel_->Disable();
        phase_->SetLabel(_("Cancelling..."));
    });
    close_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Close(); });
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        if (running_ && e.CanVeto()) {  // closing the window while it runs means cancel
            cancel_requested_ = true;
            cancel_->Disable();
            e.Veto();
            return;
        }
        Destroy();
    });
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { show_progress(); }, ticker_.GetId());  // an owned timer reports to its owner
    ticker_.Start(100);

    const auto folder = workstation_.folder();
    const auto session = workstation_.session();
    worker_ = std::thread([this, folder, session, kind, paths = std::move(paths)] {
        viewer::lower_thread_priority();
        ImportCallbacks callbacks;
        callbacks.cancel = &cancel_requested_;
        callbacks.progress = [this](ImportPhase phase, std::size_t done, std::size_t total) {
            phase_now_ = static_cast<int>(phase);
            total_ = total;
            done_ = done;
        };
        ImportReport report = run_import(folder, session, kind, paths, callbacks);
        CallAfter([this, report] { finished(report); });
    });
}

ImportDialog::~ImportDialog() {
    cancel_requested_ = true;
    if (worker_.joinable()) worker_.join();
}

void ImportDialog::show_progress() {
    const int phase = phase_now_.load();
    if (phase < 0 || !running_ || cancel_requested_) return;
    const std::size_t total = total_.load(), done = std::min(done_.load(), total);
    wxString text = phase_text(static_cast<ImportPhase>(phase));
    if (total > 0) {
        text += wxString::Format(" (%lu / %lu)", static_cast<unsigned long>(done), static_cast<unsigned long>(total));
        gauge_->SetValue(static_cast<int>(1000 * done / total));
    } else {
        gauge_->Pulse();
    }
    phase_->SetLabel(text);
}

void ImportDialog::finished(const ImportReport& report) {
    running_ = false;
    ticker_.Stop();
    cancel_->Hide();
    close_->Show();
    close_->SetDefault();
    result_->Show();
    if (!report.error.empty()) {
        gauge_->SetValue(0);
        phase_->SetForegroundColour(wxColour(170, 20, 20));
        phase_->SetLabel(report.wrote_anything ? _("The import stopped with an error; what was written before it stays.")
                                               : _("Nothing was imported: the workspace is unchanged."));
        result_->SetValue(wxString::FromUTF8(report.error) + "\n\n" + summary(report));
    } else if (report.cancelled) {
        phase_->SetLabel(report.wrote_anything ? _("Cancelled. The studies imported before the cancel are complete and stay.")
                                               : _("Cancelled. Nothing was imported."));
        result_->SetValue(report.wrote_anything ? summary(report) : wxString());
        result_->Show(report.wrote_anything);
    } else {
        gauge_->SetValue(1000);
        phase_->SetLabel(_("Import finished."));
        result_->SetValue(summary(report));
    }
    phase_->Wrap(GetClientSize().x - 24);
    Layout();
    if (report.wrote_anything) workstation_.refresh_patients();  // new patients and studies in the worklist
}

void add_import_menu_items(wxMenu* file, wxFrame* frame, Workstation& workstation) {
    auto start = [frame, &workstation](ImportKind kind, std::vector<std::filesystem::path> paths, const wxString& what) {
        if (auto* running = wxWindow::FindWindowByName(kWindowName, frame)) {
            running->Raise();
            return;
        }
        (new ImportDialog(frame, workstation, kind, std::move(paths), what))->Show();
    };
    auto* dicom = file->Append(wxID_ANY, _("Import &DICOM folder..."), _("Copy a folder of DICOM images into the workspace"));
    auto* fhir = file->Append(wxID_ANY, _("Import &FHIR files..."), _("Add FHIR R4 patients and timeline data (JSON or NDJSON)"));
    auto* fhir_folder = file->Append(wxID_ANY, _("Import FHIR f&older..."),
                                     _("Add every FHIR file (.json, .ndjson) in a folder and its subfolders"));
    frame->Bind(wxEVT_MENU, [frame, start](wxCommandEvent&) {
        wxDirDialog ask(frame, _("Choose a folder of DICOM images"), "", wxDD_DEFAULT_STYLE | wxDD_DIR_MUST_EXIST);
        if (ask.ShowModal() != wxID_OK) return;
        start(ImportKind::dicom, {std::filesystem::path(ask.GetPath().utf8_string())},
              wxString::Format(_("Importing DICOM from %s"), ask.GetPath()));
    }, dicom->GetId());
    frame->Bind(wxEVT_MENU, [frame, start](wxCommandEvent&) {
        wxFileDialog ask(frame, _("Choose FHIR files"), "", "", _("FHIR JSON or NDJSON (*.json;*.ndjson)|*.json;*.ndjson"),
                         wxFD_OPEN | wxFD_MULTIPLE | wxFD_FILE_MUST_EXIST);
        if (ask.ShowModal() != wxID_OK) return;
        wxArrayString chosen;
        ask.GetPaths(chosen);
        std::vector<std::filesystem::path> paths;
        for (const auto& p : chosen) paths.emplace_back(p.utf8_string());
        const auto n = static_cast<unsigned long>(chosen.size());
        start(ImportKind::fhir, std::move(paths),
              wxString::Format(wxPLURAL("Importing %lu FHIR file", "Importing %lu FHIR files", n), n));
    }, fhir->GetId());
    frame->Bind(wxEVT_MENU, [frame, start](wxCommandEvent&) {
        wxDirDialog ask(frame, _("Choose a folder of FHIR files"), "", wxDD_DEFAULT_STYLE | wxDD_DIR_MUST_EXIST);
        if (ask.ShowModal() != wxID_OK) return;
        start(ImportKind::fhir, {std::filesystem::path(ask.GetPath().utf8_string())},
              wxString::Format(_("Importing FHIR from %s"), ask.GetPath()));
    }, fhir_folder->GetId());
}

}  // namespace consilium::gui
