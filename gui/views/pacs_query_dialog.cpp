#include "views/pacs_query_dialog.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/frame.h>
#include <wx/gauge.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/log.h>
#include <wx/menu.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <algorithm>

namespace consilium::gui {
namespace {

constexpr const char* kWindowName = "pacs-query";

wxString U(const std::string& s) { return wxString::FromUTF8(s); }

}  // namespace

PacsQueryDialog::PacsQueryDialog(wxWindow* parent, Workstation& workstation, OpenStudy open)
    : wxDialog(parent, wxID_ANY, _("Query PACS"), wxDefaultPosition, wxSize(980, 620), wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER,
               kWindowName),
      workstation_(workstation), open_(std::move(open)), ticker_(this) {
    try {
        nodes_ = pacs_nodes_of(workstation_.folder(), workstation_.session());
    } catch (const std::exception& e) {
        nodes_.clear();
        wxLogError("%s", U(e.what()));
    }
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* node_row = new wxBoxSizer(wxHORIZONTAL);
    node_row->Add(new wxStaticText(this, wxID_ANY, _("PACS node:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    wxArrayString names;
    for (const auto& n : nodes_)
        names.Add(U(n.name) + "  (" + (n.protocol == "dicomweb" ? U(n.url) : U(n.called_aet + "@" + n.host + ":" + std::to_string(n.port))) + ")");
    node_ = new wxChoice(this, wxID_ANY, wxDefaultPosition, wxSize(420, -1), names, 0, wxDefaultValidator, "pacs-node");
    if (!nodes_.empty()) node_->SetSelection(0);
    node_->Enable(!nodes_.empty());
    node_row->Add(node_, 0, wxALIGN_CENTER_VERTICAL);
    top->Add(node_row, 0, wxALL, 12);

    build_search_fields(top);

    studies_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL | wxBORDER_SUNKEN,
                              wxDefaultValidator, "studies");
    const std::pair<wxString, int> columns[] = {{_("Patient ID"), 110}, {_("Name"), 170},   {_("Date"), 95},
                                                {_("Modalities"), 90},  {_("Description"), 250}, {_("Series"), 60},
                                                {_("Images"), 70}};
    for (const auto& [title, width] : columns) studies_->AppendColumn(title, wxLIST_FORMAT_LEFT, width);
    top->Add(studies_, 1, wxLEFT | wxRIGHT | wxEXPAND, 12);

    status_ = new wxStaticText(this, wxID_ANY, "");
    top->Add(status_, 0, wxLEFT | wxRIGHT | wxTOP | wxEXPAND, 12);
    gauge_ = new wxGauge(this, wxID_ANY, 1000, wxDefaultPosition, wxSize(-1, 16));
    top->Add(gauge_, 0, wxALL | wxEXPAND, 12);

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    retrieve_ = new wxButton(this, wxID_ANY, _("&Retrieve"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "retrieve");
    retrieve_->SetToolTip(_("Copy the selected study into the workspace and show it"));
    cancel_ = new wxButton(this, wxID_ANY, _("Cancel retrieve"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "cancel");
    cancel_->SetToolTip(_("Stop the transfer: nothing of this study is added to the workspace"));
    // Not wxID_CLOSE: GTK would show its own stock label, untranslated.
    close_ = new wxButton(this, wxID_ANY, _("Close"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "close");
    SetEscapeId(close_->GetId());
    buttons->Add(retrieve_, 0, wxRIGHT, 8);
    buttons->Add(cancel_, 0, wxRIGHT, 8);
    buttons->AddStretchSpacer();
    buttons->Add(close_);
    top->Add(buttons, 0, wxLEFT | wxRIGHT | wxBOTTOM | wxEXPAND, 12);
    SetSizer(top);

    if (nodes_.empty())
        say(_("No PACS node is configured for this workspace. An administrator adds one with 'consilium-cli pacs add', "
              "for example: consilium-cli pacs add radiology --dicomweb https://pacs.example.org/dicom-web"),
            true);
    else
        say(_("Search by patient, date or modality, then retrieve a study."));

    search_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { search(); });
    for (auto* field : {patient_id_, patient_name_, date_from_, date_to_, modality_})
        field->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { search(); });
    retrieve_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { retrieve(); });
    studies_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent&) { retrieve(); });
    studies_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent&) { update_controls(); });
    studies_->Bind(wxEVT_LIST_ITEM_DESELECTED, [this](wxListEvent&) { update_controls(); });
    cancel_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        cancel_requested_ = true;
        cancel_->Disable();
        say(_("Cancelling..."));
    });
    close_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Close(); });
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        if (model_.busy() && e.CanVeto()) {  // closing while it works: cancel, close when the worker is done
            cancel_requested_ = true;
            close_when_idle_ = true;
            Hide();
            e.Veto();
            return;
        }
        Destroy();
    });
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { show_progress(); }, ticker_.GetId());
    update_controls();
    if (!nodes_.empty()) patient_id_->SetFocus();
}

PacsQueryDialog::~PacsQueryDialog() {
    cancel_requested_ = true;
    join_worker();
}

void PacsQueryDialog::build_search_fields(wxSizer* top) {
    auto* grid = new wxFlexGridSizer(4, 8, 8);
    auto field = [this, grid](const wxString& label, const char* name, const wxString& hint, int width) {
        grid->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
        auto* t = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(width, -1), wxTE_PROCESS_ENTER, wxDefaultValidator,
                                 name);
        t->SetHint(hint);
        grid->Add(t, 0, wxALIGN_CENTER_VERTICAL);
        return t;
    };
    patient_id_ = field(_("Patient ID"), "patient-id", _("exact, or with * and ?"), 220);
    patient_name_ = field(_("Patient name"), "patient-name", _("DOE^JANE, or DOE*"), 220);
    date_from_ = field(_("Study date from"), "date-from", _("YYYY-MM-DD"), 220);
    date_to_ = field(_("to"), "date-to", _("YYYY-MM-DD"), 220);
    modality_ = field(_("Modality"), "modality", _("CT, MR, ..."), 220);
    grid->AddSpacer(0);
    search_ = new wxButton(this, wxID_ANY, _("&Search"), wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "search");
    grid->Add(search_, 0, wxALIGN_CENTER_VERTICAL);
    top->Add(grid, 0, wxLEFT | wxRIGHT | wxBOTTOM, 12);
}

wxString PacsQueryDialog::node_name() const {
    const int i = node_->GetSelection();
    return i >= 0 && static_cast<std::size_t>(i) < nodes_.size() ? U(nodes_[static_cast<std::size_t>(i)].name) : wxString();
}

void PacsQueryDialog::say(const wxString& text, bool problem) {
    status_->SetForegroundColour(problem ? wxColour(170, 20, 20) : GetForegroundColour());
    status_->SetLabel(text);
    status_->Wrap(std::max(200, GetClientSize().x - 24));
    Layout();
}

void PacsQueryDialog::update_controls() {
    const bool have_node = !nodes_.empty();
    const long selected = studies_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    search_->Enable(have_node && model_.can_search());
    node_->Enable(have_node && !model_.busy());
    retrieve_->Enable(have_node && model_.can_retrieve(static_cast<int>(selected)));
    cancel_->Enable(model_.can_cancel() && !cancel_requested_);
    cancel_->Show(model_.can_cancel());
    gauge_->Show(model_.busy());
    Layout();
}

void PacsQueryDialog::join_worker() {
    if (worker_.joinable()) worker_.join();
}

void PacsQueryDialog::search() {
    if (nodes_.empty() || !model_.can_search()) return;
    PacsSearchFields fields{patient_id_->GetValue().utf8_string(), patient_name_->GetValue().utf8_string(),
                            date_from_->GetValue().utf8_string(), date_to_->GetValue().utf8_string(),
                            modality_->GetValue().utf8_string()};
    const auto request = make_search(fields);
    if (!request.problem.empty()) {
        say(wxGetTranslation(U(request.problem)), true);
        return;
    }
    join_worker();  // the previous step has finished: its thread is ending
    model_.start_search();
    studies_->DeleteAllItems();
    say(wxString::Format(_("Searching '%s'..."), node_name()));
    gauge_->Pulse();
    ticker_.Start(100);
    update_controls();
    const auto folder = workstation_.folder();
    const auto session = workstation_.session();
    const auto node = node_name().utf8_string();
    const std::weak_ptr<int> alive = alive_;
    worker_ = std::thread([this, alive, folder, session, node, query = request.query] {
        auto outcome = run_pacs_search(folder, session, node, query);
        post_to_ui(alive, [this, outcome = std::move(outcome)] { searched(outcome); });
    });
}

void PacsQueryDialog::searched(const SearchOutcome& outcome) {
    ticker_.Stop();
    model_.search_finished(outcome);
    gauge_->SetValue(0);
    if (close_when_idle_) {
        Close(true);
        return;
    }
    show_rows();
    if (model_.state() == PacsQueryState::failed) {
        say(failure_text(model_.error(), true), true);
    } else {
        const auto n = static_cast<int>(model_.rows().size());
        wxString text = n == 0 ? _("No studies found.") : wxString::Format(wxPLURAL("%d study found.", "%d studies found.", n), n);
        if (n >= kMaxStudies) text += " " + wxString::Format(_("Only the first %d are shown: narrow the search."), kMaxStudies);
        say(text);
        if (n > 0) {
            studies_->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
            studies_->SetFocus();
        }
    }
    update_controls();
}

void PacsQueryDialog::show_rows() {
    studies_->DeleteAllItems();
    long i = 0;
    for (const auto& r : model_.rows()) {
        studies_->InsertItem(i, U(r.patient_id));
        studies_->SetItem(i, 1, U(r.patient_name));
        studies_->SetItem(i, 2, U(r.date));
        studies_->SetItem(i, 3, U(r.modalities));
        studies_->SetItem(i, 4, U(r.description));
        studies_->SetItem(i, 5, r.series.empty() ? wxString("-") : U(r.series));
        studies_->SetItem(i, 6, r.instances.empty() ? wxString("-") : U(r.instances));
        ++i;
    }
}

void PacsQueryDialog::retrieve() {
    const long selected = studies_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (nodes_.empty() || !model_.can_retrieve(static_cast<int>(selected))) return;
    join_worker();
    model_.start_retrieve(static_cast<int>(selected));
    const auto& row = model_.rows()[static_cast<std::size_t>(selected)];
    cancel_requested_ = false;
    done_ = 0;
    expected_ = row.instances.empty() ? -1 : std::stoi(row.instances);
    bytes_ = 0;
    gauge_->SetValue(0);
    say(wxString::Format(_("Retrieving the study of %s (%s) from '%s'..."), U(row.patient_name.empty() ? row.patient_id : row.patient_name),
                         U(row.date), node_name()));
    ticker_.Start(100);
    update_controls();
    const auto folder = workstation_.folder();
    const auto session = workstation_.session();
    const auto node = node_name().utf8_string();
    const std::weak_ptr<int> alive = alive_;
    worker_ = std::thread([this, alive, folder, session, node, study = row.study_uid] {
        auto outcome = run_pacs_retrieve(
            folder, session, node, study,
            [this](const pacs::RetrieveProgress& p) {
                done_ = p.instances_done;
                if (p.instances_expected > 0) expected_ = p.instances_expected;
                bytes_ = p.bytes;
            },
            &cancel_requested_);
        post_to_ui(alive, [this, outcome = std::move(outcome)] { retrieved(outcome); });
    });
}

void PacsQueryDialog::show_progress() {
    if (model_.state() == PacsQueryState::searching) {
        gauge_->Pulse();
        return;
    }
    if (model_.state() != PacsQueryState::retrieving || cancel_requested_) return;
    pacs::RetrieveProgress p;
    p.instances_done = done_;
    p.instances_expected = expected_;
    p.bytes = bytes_;
    const int permille = gauge_permille(p);
    if (permille < 0) gauge_->Pulse();
    else gauge_->SetValue(permille);
    const wxString mb = wxString::Format("%.1f", static_cast<double>(p.bytes) / (1024.0 * 1024.0));
    say(p.instances_expected > 0
            ? wxString::Format(wxPLURAL("Retrieving from '%s': %d of %d image, %s MB", "Retrieving from '%s': %d of %d images, %s MB",
                                        p.instances_expected),
                               node_name(), p.instances_done, p.instances_expected, mb)
            : wxString::Format(wxPLURAL("Retrieving from '%s': %d image, %s MB", "Retrieving from '%s': %d images, %s MB",
                                        p.instances_done),
                               node_name(), p.instances_done, mb));
}

void PacsQueryDialog::retrieved(const RetrieveOutcome& outcome) {
    ticker_.Stop();
    model_.retrieve_finished(outcome);
    cancel_requested_ = false;
    if (model_.state() == PacsQueryState::done) {
        workstation_.refresh_patients();  // a new patient or study in the worklist
        if (outcome.patient_id > 0) open_(outcome.patient_id, outcome.first_series_uid);
    }
    if (close_when_idle_) {
        Close(true);
        return;
    }
    switch (model_.state()) {
        case PacsQueryState::done: {
            const auto& r = outcome.result;
            gauge_->SetValue(1000);
            say(wxString::Format(_("Retrieved from '%s': %d image(s) received, %d already in the workspace; %d new series. "
                                   "The study is shown in the viewer."),
                                 node_name(), r.received, r.skipped, r.imported.series_added));
            break;
        }
        case PacsQueryState::cancelled:
            gauge_->SetValue(0);
            say(_("Retrieve cancelled. Nothing of this study was added to the workspace."));
            break;
        default:
            gauge_->SetValue(0);
            say(failure_text(model_.error(), false), true);
    }
    update_controls();
}

wxString PacsQueryDialog::failure_text(const PacsOutcomeError& error, bool searching) const {
    const wxString node = node_name();
    wxString what;
    switch (error.failure) {
        case PacsFailure::unreachable:
            what = wxString::Format(_("The PACS node '%s' does not answer: nothing is listening there, or the connection "
                                      "timed out or broke off. Check the network, or ask the PACS administrator."),
                                    node);
            break;
        case PacsFailure::auth:
            what = wxString::Format(_("The PACS node '%s' refused our credentials or AE title. An administrator checks the "
                                      "node's settings."),
                                    node);
            break;
        case PacsFailure::protocol:
            what = wxString::Format(_("The PACS node '%s' stopped sending or answered with an error."), node);
            break;
        case PacsFailure::corrupt:
            what = wxString::Format(_("The PACS node '%s' sent data that is not usable DICOM."), node);
            break;
        case PacsFailure::tls:
            what = wxString::Format(_("The secure connection to the PACS node '%s' failed (certificate or TLS)."), node);
            break;
        case PacsFailure::not_found:
            what = wxString::Format(_("Not found on or for the PACS node '%s'."), node);
            break;
        case PacsFailure::not_permitted:
            what = _("Your role does not allow this.");
            break;
        case PacsFailure::none:
        case PacsFailure::other:
            what = wxString::Format(_("Something went wrong with the PACS node '%s'."), node);
            break;
    }
    const wxString headline = searching ? _("The search failed.") : _("The retrieve failed: nothing of this study was added to the workspace.");
    return headline + " " + what + "\n" + wxString::Format(_("Details: %s"), U(error.detail));
}

void add_pacs_query_menu_item(wxMenu* file, wxFrame* frame, Workstation& workstation, OpenStudy open) {
    auto* item = file->Append(wxID_ANY, _("Query &PACS...\tCtrl+Shift+P"), _("Search a PACS for studies and retrieve one into the workspace"));
    frame->Bind(wxEVT_MENU, [frame, &workstation, open](wxCommandEvent&) {
        if (auto* running = wxWindow::FindWindowByName(kWindowName, frame)) {
            running->Show();
            running->Raise();
            return;
        }
        (new PacsQueryDialog(frame, workstation, open))->Show();
    }, item->GetId());
}

}  // namespace consilium::gui
