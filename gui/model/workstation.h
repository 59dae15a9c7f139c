#pragma once
// The root of the presentation model: one workspace, the logged-in clinician, the worklist, the
// open patient with their imaging series and AI suggestions. Every call that changes the record
// goes through decision/ (which checks the role and writes the audit entry); this class turns
// failures into messages for the views and says what changed.
#include "model/patient_banner.h"
#include "model/patient_list.h"
#include "model/plugin_runs.h"
#include "model/review_form.h"
#include "model/signal.h"

#include "consilium/decision/session.h"
#include "consilium/decision/workspace.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace consilium::gui {

struct SeriesEntry {
    decision::ImagingSeries series;
    decision::ImagingStudy study;
    std::filesystem::path folder;  // absolute
    std::string label() const;     // "2024-03-01 CT Chest (120 images)"
};

class Workstation {
public:
    // Opens the workspace; throws decision::NotFound (with a hint) when there is none.
    explicit Workstation(const std::filesystem::path& workspace);
    // The words of its messages in the reader's language (none: English); set by the views.
    void set_translate(Translate translate) { translate_ = std::move(translate); }
    const Translate& translate() const { return translate_; }

    const std::filesystem::path& folder() const { return workspace_.folder(); }
    // What opening the workspace repaired (see cli::repair_workspace), "" when nothing.
    const std::string& repair_note() const { return repair_note_; }
    decision::Store& store() { return workspace_.store(); }
    // Demo users shown on the log-in dialog ("password = user name").
    std::vector<decision::User> demo_users();

    // "" on success, else the message to show; failed attempts are audited by decision/.
    std::string login(const std::string& name, const std::string& password);
    // Log-in in two halves so the dialog stays responsive: check_login is the slow part (the
    // password hash is slow by design) and may run on a worker thread while the UI thread leaves
    // the store alone; finish_login then starts the session on the UI thread and tells the views.
    std::string check_login(const std::string& name, const std::string& password);
    void finish_login();
    void logout(const char* why = "logout");  // audited; closes the patient
    bool logged_in() const { return session_.has_value(); }
    const decision::Session& session() const { return *session_; }
    std::string user_label() const;  // "radiologist (radiologist)"

    PatientList& patients() { return patients_; }
    void refresh_patients();

    // Opens a patient by id or MRN text (audited `patient.open`); "" or the message.
    std::string open_patient(const std::string& id_or_mrn);
    std::string open_patient(std::int64_t id);
    void close_patient();
    const std::optional<decision::Patient>& patient() const { return patient_; }
    // The open patient's row among the worklist rows shown - the one row the worklist highlights
    // (choosing a row opens that patient); none when the search hides them. A radiologist must
    // never read one patient with another one highlighted.
    std::optional<std::size_t> open_patient_row() const;
    std::optional<PatientBanner> banner() const;
    const std::vector<SeriesEntry>& series() const { return series_; }
    const std::vector<decision::Suggestion>& suggestions() const { return suggestions_; }
    void refresh_suggestions();

    // Records a clinician's decision; "" or the message (role, missing reason, already decided).
    // A decision against the standing decision on the same finding is recorded only when `confirm`
    // (given the earlier decision in words) says yes; without `confirm` its message is returned.
    std::string decide(std::int64_t suggestion_id, const ReviewForm& form,
                       const std::function<bool(const std::string& earlier)>& confirm = {});
    // Withdraws the user's own decision of today; "" or why not.
    std::string withdraw(std::int64_t suggestion_id, const std::string& reason);
    // Audits `series.view` for a series of the open patient.
    void record_series_viewed(const SeriesEntry& entry);

    // The plugins on the search path (discovered on first use) and their state in this workspace.
    const std::vector<plugins::DiscoveredPlugin>& discovered_plugins();
    const plugins::DiscoveredPlugin* find_plugin(const std::string& id);  // nullptr when not found
    std::vector<PluginRow> plugin_rows(const Translate& translate = {});
    void refresh_plugins();  // looks along the search path again; emits plugins_changed
    // Enables or disables a plugin (developers and admins; audited by decision/); "" or the message.
    std::string set_plugin_enabled(const std::string& id, bool enabled, const std::string& reason = "");
    // Why a stored suggestion must not count as its model's verdict on the patient: the installed
    // plugin's population excludes the patient today, or it was made outside it at a clinician's
    // request; "" when it may.
    std::string outside_intended_use(const decision::Suggestion& suggestion);
    // The NEWS2 columns of a worklist row: complete or not, lower bound, newest input and staleness.
    void describe_news2(std::int64_t patient_id, const decision::Suggestion& news2, const std::string& now_utc, PatientRow& row);

    Signal<> session_changed;      // log-in, log-out
    Signal<> patients_changed;     // worklist rows
    Signal<> patient_changed;      // another patient opened (or none)
    Signal<> suggestions_changed;  // new runs, decisions
    Signal<> plugins_changed;      // enabled, disabled, discovered again, a run ended (quarantine)

private:
    Translate translate_;
    decision::Workspace workspace_;
    std::string repair_note_;
    std::optional<decision::Session> session_;
    std::optional<decision::Session> checked_;  // between check_login and finish_login
    PatientList patients_;
    std::optional<decision::Patient> patient_;
    std::vector<SeriesEntry> series_;
    std::vector<decision::Suggestion> suggestions_;
    std::optional<std::vector<plugins::DiscoveredPlugin>> plugins_;
};

}  // namespace consilium::gui
