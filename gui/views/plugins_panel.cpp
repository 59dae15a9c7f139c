#include "views/plugins_panel.h"

#include "views/model_card_dialog.h"
#include "views/translate_wx.h"

#include "consilium/decision/site_policy.h"
#include "consilium/plugins/limits.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/gauge.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/textdlg.h>

namespace consilium::gui {

namespace {

wxString U(const std::string& s) { return wxString::FromUTF8(s); }
// A message of the model (marked N_ there) in the reader's language; composed ones stay as they are.
wxString T(const std::string& s) { return wxGetTranslation(U(s)); }

wxString kind_text(const std::string& kind) {
    if (kind == "native") return _("native");
    if (kind == "command") return _("command");
    return U(kind);
}

wxString state_text(const PluginRow& r) { return r.state_text == "enabled" ? _("enabled") : U(r.state_text); }

// Who may enable or disable plugins (model: why_cannot_manage), said in the reader's language.
wxString manage_text(const std::string& why, decision::Role role) {
    if (why.empty()) return "";
    return wxString::Format(_("only developers and administrators enable or disable plugins (you are %s)"),
                            U(role_name(role, wx_translate())));
}

// "Run NEWS2 on Louis Erdman, 2021-02-18 CT ..." (model: run_target_text).
wxString target_text(const PluginRow& row, const RunTarget& t) {
    wxString text = wxString::Format(_("Run %s on %s"), U(row.name.empty() ? row.id : row.name),
                                     t.patient_name.empty() ? _("the open patient") : U(t.patient_name));
    if (row.takes_volume && t.volume) text += ", " + U(t.series_label.empty() ? t.volume->series_uid : t.series_label);
    return text;
}
const wxColour kMuted(95, 95, 95);
const wxColour kDanger(170, 30, 30);

}  // namespace

PluginsPanel::PluginsPanel(wxWindow* parent, Workstation& workstation, ViewerModel& viewer)
    : wxPanel(parent, wxID_ANY), workstation_(workstation), viewer_(viewer), timer_(this) {
    list_ = new wxListView(this, wxID_ANY, wxDefaultPosition, wxSize(FromDIP(360), -1), wxLC_REPORT | wxLC_SINGLE_SEL);
    list_->SetName("plugin-list");
    list_->AppendColumn(_("Plugin"), wxLIST_FORMAT_LEFT, FromDIP(230));
    list_->AppendColumn(_("Version"), wxLIST_FORMAT_LEFT, FromDIP(64));
    list_->AppendColumn(_("Kind"), wxLIST_FORMAT_LEFT, FromDIP(72));
    list_->AppendColumn(_("State"), wxLIST_FORMAT_LEFT, FromDIP(190));
    list_->AppendColumn(_("Available"), wxLIST_FORMAT_LEFT, FromDIP(200));
    list_->AppendColumn(_("Id"), wxLIST_FORMAT_LEFT, FromDIP(220));

    title_ = new wxStaticText(this, wxID_ANY, "");
    title_->SetFont(GetFont().Bold());
    sandbox_ = new wxStaticText(this, wxID_ANY, "");
    sandbox_->SetName("plugin-sandbox-warning");
    sandbox_->SetForegroundColour(kDanger);
    sandbox_->SetFont(GetFont().Bold());
    sandbox_->Hide();
    model_card_ = new wxButton(this, wxID_ANY, _("Model card..."));
    enable_ = new wxButton(this, wxID_ANY, _("Enable"));
    disable_ = new wxButton(this, wxID_ANY, _("Disable..."));
    auto* refresh = new wxButton(this, wxID_ANY, _("Look again"));
    refresh->SetToolTip(_("Look along the plugin search path again (new or removed plugins)"));
    manage_why_ = new wxStaticText(this, wxID_ANY, "");
    manage_why_->SetForegroundColour(kMuted);
    target_ = new wxStaticText(this, wxID_ANY, "");
    run_ = new wxButton(this, wxID_ANY, _("Run on this patient"));
    run_->SetName("plugin-run");
    run_why_ = new wxStaticText(this, wxID_ANY, "");
    run_why_->SetForegroundColour(kMuted);
    intended_ = new wxStaticText(this, wxID_ANY, "");
    intended_->SetForegroundColour(kDanger);
    intended_->SetFont(GetFont().Bold());
    run_anyway_ = new wxCheckBox(this, wxID_ANY, _("Run anyway, outside its intended use (recorded in the audit log)"));
    run_anyway_->SetName("plugin-run-anyway");
    run_anyway_->Hide();
    last_run_ = new wxStaticText(this, wxID_ANY, "");
    last_run_->SetForegroundColour(kMuted);
    gauge_ = new wxGauge(this, wxID_ANY, 1000, wxDefaultPosition, wxSize(FromDIP(260), FromDIP(16)));
    cancel_ = new wxButton(this, wxID_ANY, _("Cancel run"));
    cancel_->Disable();
    status_ = new wxStaticText(this, wxID_ANY, "");
    status_->SetFont(GetFont().Bold());
    log_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(-1, FromDIP(60)),
                          wxTE_MULTILINE | wxTE_READONLY | wxTE_DONTWRAP);
    log_->SetFont(wxFont(wxFontInfo(GetFont().GetPointSize() - 1).Family(wxFONTFAMILY_TELETYPE)));

    // The list on the left, what to do with the chosen plugin on the right.
    auto* top = new wxBoxSizer(wxHORIZONTAL);
    top->Add(list_, 5, wxEXPAND | wxALL, 4);
    auto* details = new wxBoxSizer(wxVERTICAL);
    auto* head = new wxBoxSizer(wxHORIZONTAL);
    head->Add(title_, 1, wxALIGN_CENTER_VERTICAL);
    head->Add(refresh, 0, wxLEFT, 6);
    details->Add(sandbox_, 0, wxEXPAND | wxTOP, 4);
    details->Add(head, 0, wxEXPAND | wxTOP, 4);
    auto* manage = new wxBoxSizer(wxHORIZONTAL);
    manage->Add(model_card_, 0, wxALIGN_CENTER_VERTICAL);
    manage->Add(enable_, 0, wxALIGN_CENTER_VERTICAL | wxLEFT, 6);
    manage->Add(disable_, 0, wxALIGN_CENTER_VERTICAL | wxLEFT, 6);
    manage->Add(manage_why_, 1, wxALIGN_CENTER_VERTICAL | wxLEFT, 8);
    details->Add(manage, 0, wxEXPAND | wxTOP, 4);
    auto* runner = new wxBoxSizer(wxHORIZONTAL);
    runner->Add(run_, 0, wxALIGN_CENTER_VERTICAL);
    runner->Add(target_, 1, wxALIGN_CENTER_VERTICAL | wxLEFT, 8);
    details->Add(runner, 0, wxEXPAND | wxTOP, 6);
    details->Add(intended_, 0, wxEXPAND | wxTOP, 4);
    details->Add(run_anyway_, 0, wxTOP, 2);
    details->Add(run_why_, 0, wxEXPAND | wxTOP, 4);
    details->Add(last_run_, 0, wxEXPAND | wxTOP, 4);
    auto* progress = new wxBoxSizer(wxHORIZONTAL);
    progress->Add(gauge_, 1, wxALIGN_CENTER_VERTICAL);
    progress->Add(cancel_, 0, wxALIGN_CENTER_VERTICAL | wxLEFT, 8);
    details->Add(progress, 0, wxEXPAND | wxTOP, 8);
    details->Add(status_, 0, wxEXPAND | wxTOP, 6);
    details->Add(log_, 1, wxEXPAND | wxTOP | wxBOTTOM, 6);
    top->Add(details, 6, wxEXPAND | wxLEFT | wxRIGHT, 8);
    SetSizer(top);

    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) {
        const auto i = static_cast<std::size_t>(e.GetIndex());
        if (i < rows_.size()) selected_id_ = rows_[i].id;
        update_details();
    });
    list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent&) { show_model_card(); });
    model_card_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { show_model_card(); });
    enable_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { set_enabled(true); });
    disable_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { set_enabled(false); });
    refresh->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { workstation_.refresh_plugins(); });
    run_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { run(); });
    cancel_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { cancel_run(); });
    run_anyway_->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) { update_details(); });
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { on_timer(); });

    workstation_.plugins_changed.connect([this] { fill(); });
    workstation_.session_changed.connect([this] { fill(); });
    workstation_.patient_changed.connect([this] { update_details(); });
    viewer_.changed.connect([this] {
        // Only what decides whether a run may start: which volume, and whether it is complete.
        const auto* v = viewer_.volume().get();
        if (v == seen_volume_ && viewer_.complete() == seen_complete_) return;
        seen_volume_ = v;
        seen_complete_ = viewer_.complete();
        update_details();
    });
    fill();
}

PluginsPanel::~PluginsPanel() {
    alive_.reset();  // reports still on their way are dropped
    timer_.Stop();
    runner_.cancel();
    runner_.wait();
}

const PluginRow* PluginsPanel::selected_row() const {
    for (const auto& r : rows_)
        if (r.id == selected_id_) return &r;
    return nullptr;
}

void PluginsPanel::fill() {
    rows_ = workstation_.logged_in() ? workstation_.plugin_rows(wx_translate()) : std::vector<PluginRow>{};
    const std::string warning =
        workstation_.logged_in() ? plugins::sandbox_warning(decision::read_site_policy(workstation_.store())) : "";
    sandbox_->SetLabel(U(warning));
    sandbox_->Show(!warning.empty());
    list_->Freeze();
    list_->DeleteAllItems();
    if (selected_id_.empty() && !rows_.empty()) selected_id_ = rows_.front().id;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const auto& r = rows_[i];
        const long item = list_->InsertItem(static_cast<long>(i), U(r.name.empty() ? r.id : r.name));
        list_->SetItem(item, 1, U(r.version));
        list_->SetItem(item, 2, kind_text(r.kind));
        list_->SetItem(item, 3, state_text(r));
        list_->SetItem(item, 4, r.available ? _("available") : wxString::Format(_("no: %s"), T(r.reason)));
        list_->SetItem(item, 5, U(r.id));
        if (r.quarantined) list_->SetItemBackgroundColour(item, wxColour(250, 215, 210));
        else if (!r.available || !r.enabled) list_->SetItemTextColour(item, wxColour(120, 120, 120));
        if (r.id == selected_id_) list_->Select(item);
    }
    list_->Thaw();
    update_details();
    Layout();  // the sandbox warning may have appeared or gone
}

RunTarget PluginsPanel::target(const PluginRow* row) const {
    RunTarget t;
    if (workstation_.patient()) {
        t.patient_id = workstation_.patient()->id;
        t.patient_name = workstation_.patient()->name;
        if (row) {
            try {
                t.outside_intended_use = intended_use_of(*row, workstation_.store(), *t.patient_id);
            } catch (const std::exception& e) {
                t.outside_intended_use =
                    wxString::Format(_("the intended use could not be checked: %s"), U(e.what())).utf8_string();
            }
        }
    }
    t.run_anyway = run_anyway_->IsShown() && run_anyway_->IsChecked();
    t.volume = viewer_.volume();
    t.volume_complete = viewer_.complete();
    if (t.volume)
        for (const auto& s : workstation_.series())
            if (s.series.series_uid == t.volume->series_uid) t.series_label = s.label();
    return t;
}

void PluginsPanel::update_details() {
    const PluginRow* row = selected_row();
    const bool logged_in = workstation_.logged_in();
    const std::string manage_why = logged_in ? why_cannot_manage(workstation_.session().user.role) : N_("log in first");
    const wxString manage_said = logged_in ? manage_text(manage_why, workstation_.session().user.role) : T(manage_why);
    if (!row) {
        title_->SetLabel(rows_.empty() ? _("No plugins found on the plugin search path.") : _("Choose a plugin."));
        for (auto* b : {model_card_, enable_, disable_, run_}) b->Disable();
        manage_why_->SetLabel("");
        target_->SetLabel("");
        run_why_->SetLabel("");
        intended_->SetLabel("");
        run_anyway_->Hide();
        last_run_->SetLabel("");
        Layout();
        return;
    }
    title_->SetLabel(U((row->name.empty() ? row->id : row->name) + (row->version.empty() ? "" : " " + row->version)));
    model_card_->Enable(row->plugin.manifest.has_value());
    enable_->Enable(manage_why.empty() && (!row->enabled || row->quarantined));
    disable_->Enable(manage_why.empty() && row->enabled);
    enable_->SetToolTip(manage_why.empty() ? _("Allow this plugin to run (also lifts a quarantine)") : manage_said);
    disable_->SetToolTip(manage_why.empty() ? _("Stop this plugin from running, with a reason") : manage_said);
    wxString state = state_text(*row);
    if (!row->available) state += wxString::Format(_("; not available: %s"), T(row->reason));
    manage_why_->SetLabel(manage_why.empty() ? state : state + "  -  " + manage_said);
    manage_why_->Wrap(std::max(200, GetClientSize().x - list_->GetSize().x - disable_->GetSize().x * 3 - 60));
    // Outside the intended use: said in red; a clinician may choose to run it anyway.
    const bool clinician = logged_in && decision::allowed(workstation_.session().user.role, decision::Permission::run_outside_intended_use);
    auto t = target(row);
    intended_->SetLabel(U(t.outside_intended_use));
    intended_->Wrap(std::max(300, GetClientSize().x - list_->GetSize().x - 40));
    if (t.outside_intended_use.empty() || !clinician) run_anyway_->SetValue(false);
    run_anyway_->Show(!t.outside_intended_use.empty() && clinician);
    t.run_anyway = run_anyway_->IsShown() && run_anyway_->IsChecked();
    std::string last;
    if (logged_in && t.patient_id) {
        try {
            last = last_run_text(workstation_.store().suggestions().latest_run(row->id, *t.patient_id), wx_translate());
        } catch (const std::exception& e) {
            last = wxString::Format(_("the last run could not be read: %s"), U(e.what())).utf8_string();
        }
    }
    last_run_->SetLabel(U(last));
    last_run_->Wrap(std::max(300, GetClientSize().x - list_->GetSize().x - 40));
    const std::string why = logged_in ? why_cannot_run(*row, workstation_.session().user.role, t, running_, wx_translate()) : N_("log in first");
    run_->Enable(why.empty());
    run_->SetToolTip(why.empty() ? target_text(*row, t) : T(why));
    target_->SetLabel(t.patient_id ? target_text(*row, t) : wxString());
    run_why_->SetLabel(why.empty() ? wxString() : wxString::Format(_("Cannot run now: %s"), T(why)));
    run_why_->Wrap(std::max(300, GetClientSize().x - list_->GetSize().x - 40));
    Layout();
}

void PluginsPanel::show_model_card() {
    const PluginRow* row = selected_row();
    if (!row) return;
    const auto view = make_model_card(&row->plugin, row->id, "", "", wx_translate());
    ModelCardDialog dialog(this, view);
    dialog.ShowModal();
}

void PluginsPanel::set_enabled(bool enabled) {
    const PluginRow* row = selected_row();
    if (!row) return;
    const std::string id = row->id;
    std::string reason;
    if (!enabled) {
        wxTextEntryDialog ask(this, wxString::Format(_("Why disable %s? (recorded in the audit log)"), U(row->name.empty() ? id : row->name)),
                              _("Disable plugin"));
        if (ask.ShowModal() != wxID_OK) return;
        reason = ask.GetValue().Strip(wxString::both).utf8_string();
    }
    if (auto m = workstation_.set_plugin_enabled(id, enabled, reason); !m.empty())
        wxMessageBox(U(m), enabled ? _("Enable plugin") : _("Disable plugin"), wxOK | wxICON_WARNING, this);
}

void PluginsPanel::log(const std::string& level, const std::string& text) {
    log_->AppendText(U((level.empty() ? "" : level + ": ") + text + "\n"));
}

void PluginsPanel::run() {
    const PluginRow* row = selected_row();
    if (!row || running_ || !workstation_.logged_in()) return;
    const auto t = target(row);
    if (auto why = why_cannot_run(*row, workstation_.session().user.role, t, running_, wx_translate()); !why.empty()) {
        status_->SetForegroundColour(wxColour(170, 30, 30));
        status_->SetLabel(wxString::Format(_("Cannot run: %s"), T(why)));
        return;
    }
    RunRequest request;
    request.workspace = workstation_.folder();
    request.session = workstation_.session();
    request.plugin = row->plugin;
    request.patient_id = *t.patient_id;
    if (row->takes_volume) request.volume = t.volume;
    request.outside_intended_use = t.run_anyway && !t.outside_intended_use.empty();
    const std::string name = row->name.empty() ? row->id : row->name;
    const std::string version = row->version;
    std::weak_ptr<int> alive = alive_;
    RunCallbacks callbacks;
    callbacks.progress = [this, alive](double fraction) {
        post_to_ui(alive, [this, fraction] {
            if (!running_) return;
            progress_seen_ = true;
            gauge_->SetValue(static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000));
        });
    };
    callbacks.log = [this, alive](const std::string& level, const std::string& text) {
        post_to_ui(alive, [this, level, text] { log(level, text); });
    };
    callbacks.done = [this, alive, name, version](const RunOutcome& outcome) {
        post_to_ui(alive, [this, outcome, name, version] { finished(outcome, name, version); });
    };
    log_->Clear();
    log(std::string(), target_text(*row, t).utf8_string());
    if (!runner_.start(std::move(request), std::move(callbacks))) return;
    running_ = true;
    progress_seen_ = false;
    cancelling_ = false;
    running_label_ = name + (version.empty() ? "" : " " + version);
    started_ = std::chrono::steady_clock::now();
    gauge_->SetValue(0);
    cancel_->Enable();
    status_->SetForegroundColour(wxColour(40, 40, 40));
    status_->SetLabel(wxString::Format(_("Running %s..."), U(running_label_)));
    timer_.Start(150);
    update_details();
}

void PluginsPanel::cancel_run() {
    if (!running_) return;
    cancelling_ = true;
    runner_.cancel();
    cancel_->Disable();
    status_->SetLabel(wxString::Format(_("Cancelling %s..."), U(running_label_)));
}

void PluginsPanel::on_timer() {
    if (!running_) {
        timer_.Stop();
        return;
    }
    if (!progress_seen_) gauge_->Pulse();
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count();
    status_->SetLabel(wxString::Format(cancelling_ ? _("Cancelling %s... %ld s") : _("Running %s... %ld s"), U(running_label_),
                                       static_cast<long>(seconds)));
}

void PluginsPanel::finished(const RunOutcome& outcome, const std::string& name, const std::string& version) {
    running_ = false;
    timer_.Stop();
    cancel_->Disable();
    const bool ok = outcome.error.empty() && outcome.result.status == decision::RunStatus::succeeded;
    const bool cancelled = outcome.error.empty() && outcome.result.status == decision::RunStatus::cancelled;
    gauge_->SetValue(ok ? 1000 : 0);
    status_->SetForegroundColour(ok ? wxColour(30, 120, 50) : cancelled ? kMuted : wxColour(170, 30, 30));
    const std::string summary = run_summary(name, version, outcome, wx_translate());
    status_->SetLabel(U(summary));
    status_->Wrap(std::max(300, GetClientSize().x - list_->GetSize().x - 40));
    log(std::string(), summary + (outcome.error.empty()
                                      ? wxString::Format(_(" (%lld ms, run %lld)"), static_cast<long long>(outcome.result.duration_ms),
                                                         static_cast<long long>(outcome.result.run_id))
                                            .utf8_string()
                                      : std::string()));
    // The plugin's own words: how its process ended and the end of its stderr.
    for (const auto& line : run_details(outcome, wx_translate())) log(std::string(), line);
    run_anyway_->SetValue(false);  // a decision for one run, not a setting
    // The store changed on the run's own connection: read again what is shown.
    try {
        workstation_.refresh_suggestions();
        workstation_.refresh_patients();
    } catch (const std::exception& e) {
        log("error", wxString::Format(_("could not refresh after the run: %s"), U(e.what())).utf8_string());
    }
    fill();  // a failure may have quarantined the plugin
    Layout();
}

}  // namespace consilium::gui
