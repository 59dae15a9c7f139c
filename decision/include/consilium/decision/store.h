#pragma once
// The clinical record behind interfaces: patients, timeline, imaging index, measurements, suggestions, plugin states, MDT meetings, users, audit trail. The workspace
// default is SQLite (open_sqlite_store); a shared hospital deployment can implement the same
// interfaces over PostgreSQL and forward the audit trail to an ATNA repository, unseen by callers.
#include "consilium/decision/audit.h"
#include "consilium/decision/imaging.h"
#include "consilium/decision/measurement_record.h"
#include "consilium/decision/mdt_record.h"
#include "consilium/decision/pacs_node_record.h"
#include "consilium/decision/patient.h"
#include "consilium/decision/plugin_state_record.h"
#include "consilium/decision/suggestion.h"
#include "consilium/decision/timeline.h"
#include "consilium/decision/user.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::decision {

class PatientRepository {
public:
    virtual ~PatientRepository() = default;
    virtual std::vector<Patient> list() = 0;  // oldest first, with event and study counts
    virtual std::optional<Patient> find(std::int64_t id) = 0;
    virtual std::optional<Patient> find_by_mrn(std::string_view mrn) = 0;
    virtual std::optional<Patient> find_by_source(std::string_view source_ref) = 0;
    virtual std::optional<Patient> find_by_identifier(std::string_view system, std::string_view value) = 0;
    // Every patient holding an identifier with this value, whatever its system (oldest first).
    virtual std::vector<Patient> find_by_identifier_value(std::string_view value) = 0;
    virtual std::int64_t insert(const Patient& patient) = 0;  // returns the new id
    virtual void update(const Patient& patient) = 0;          // by id; replaces identifiers
};

struct StoredEventIdentity {
    std::int64_t id;
    std::int64_t patient_id;
    std::string content_hash;
};

class TimelineRepository {
public:
    virtual ~TimelineRepository() = default;
    virtual std::vector<TimelineEvent> events(std::int64_t patient_id, const TimelineFilter& filter) = 0;  // time order
    virtual std::optional<StoredEventIdentity> find_by_source(std::string_view source_ref) = 0;
    virtual std::int64_t insert(const TimelineEvent& event) = 0;
    virtual void replace(std::int64_t id, const TimelineEvent& event) = 0;
};

// DICOM studies and series in the workspace, found by their UIDs.
class ImagingRepository {
public:
    virtual ~ImagingRepository() = default;
    virtual std::optional<ImagingStudy> find_study(std::string_view study_uid) = 0;
    virtual std::optional<ImagingStudy> find_study_by_id(std::int64_t id) = 0;
    virtual std::vector<ImagingStudy> studies_of(std::int64_t patient_id) = 0;  // oldest first
    virtual std::int64_t insert_study(const ImagingStudy& study) = 0;           // returns the new id
    virtual void update_study(const ImagingStudy& study) = 0;                   // by id
    virtual std::optional<ImagingSeries> find_series(std::string_view series_uid) = 0;
    virtual std::vector<ImagingSeries> series_of(std::int64_t study_id) = 0;    // oldest first
    virtual std::int64_t insert_series(const ImagingSeries& series) = 0;
    virtual void update_series(const ImagingSeries& series) = 0;                // by id
};

// Plugin runs, the suggestions they produced, and the clinicians' reviews of them.
class SuggestionRepository {
public:
    virtual ~SuggestionRepository() = default;
    virtual std::int64_t start_run(const PluginRun& run) = 0;  // returns the new id
    virtual void finish_run(std::int64_t run_id, RunStatus status, const std::optional<std::string>& reason,
                            std::int64_t duration_ms, const std::optional<std::string>& outputs_hash) = 0;
    virtual std::optional<PluginRun> find_run(std::int64_t run_id) = 0;
    // The exit status or signal and the stderr tail of the run's process (NotFound for an unknown run).
    virtual void record_process_end(std::int64_t run_id, const PluginProcessEnd& end) = 0;
    // The newest run of a plugin for a patient, whatever its status; nullopt when there is none.
    virtual std::optional<PluginRun> latest_run(std::string_view plugin_id, std::int64_t patient_id) = 0;
    // Runs still `running`, oldest first (a host that was killed leaves them so).
    virtual std::vector<PluginRun> running_runs() = 0;
    // Only within a recorded run (NotFound otherwise); provenance and, when 0, the patient come from the run.
    virtual std::int64_t add_suggestion(const Suggestion& suggestion) = 0;
    virtual std::vector<Suggestion> list_for_patient(std::int64_t patient_id,
                                                     std::optional<ReviewStatus> status = std::nullopt) = 0;  // oldest first
    virtual std::optional<Suggestion> find(std::int64_t id) = 0;
    // Stores the decision only; review() (review.h) adds the checks, timeline event and audit entry.
    virtual void record_review(std::int64_t suggestion_id, const ReviewDecision& decision, const std::string& user_name,
                               const std::string& role, const std::string& decided_at) = 0;
    // Marks the standing decision withdrawn (the row stays: history is never deleted); NotFound
    // when there is none. withdraw_review() (review.h) adds the checks, timeline event and audit.
    virtual void withdraw_review(std::int64_t suggestion_id, const std::string& user_name, const std::string& at,
                                 const std::string& reason) = 0;
    // Every decision ever recorded on the suggestion, withdrawn ones included, oldest first.
    virtual std::vector<ReviewHistoryEntry> review_history(std::int64_t suggestion_id) = 0;
    virtual std::vector<PluginVersionStats> stats(std::string_view plugin_id) = 0;  // versions in order of first use
    // Model monitoring: runs per version and status (versions in order of first run), and the
    // reasons of every modify/reject decision on the plugin's suggestions (oldest first).
    virtual std::vector<RunCount> run_counts(std::string_view plugin_id) = 0;
    virtual std::vector<ReviewReason> review_reasons(std::string_view plugin_id) = 0;
};

// Enable/disable/quarantine state per plugin id (rows exist only for plugins ever changed).
class PluginStateRepository {
public:
    virtual ~PluginStateRepository() = default;
    virtual std::optional<PluginState> find(std::string_view plugin_id) = 0;
    virtual std::vector<PluginState> list() = 0;  // by plugin id
    virtual void put(const PluginState& state) = 0;  // insert or replace
};

// MDT meetings and their case lists (mdt.h adds the role checks and audit entries).
class MeetingRepository {
public:
    virtual ~MeetingRepository() = default;
    virtual std::int64_t insert(const Meeting& meeting) = 0;  // returns the new id
    virtual std::optional<Meeting> find(std::int64_t id) = 0;
    virtual std::vector<Meeting> list() = 0;  // by date, then creation
    virtual void add_case(const MeetingCase& c) = 0;
    virtual std::vector<MeetingCase> cases(std::int64_t meeting_id) = 0;  // in presentation order
    virtual void set_decision(std::int64_t meeting_id, std::int64_t patient_id, std::int64_t event_id,
                              const std::string& user_name, const std::string& decided_at) = 0;
};

// PACS nodes by name (pacs_nodes.h adds the role checks and audit entries).
class PacsNodeRepository {
public:
    virtual ~PacsNodeRepository() = default;
    virtual std::optional<PacsNode> find(std::string_view name) = 0;
    virtual std::vector<PacsNode> list() = 0;  // by name
    virtual std::int64_t insert(const PacsNode& node) = 0;
};

// The site's policy as key/value text (site_policy.h gives the keys, defaults and checks).
class SitePolicyRepository {
public:
    virtual ~SitePolicyRepository() = default;
    virtual std::optional<std::string> find(std::string_view key) = 0;
    virtual void put(std::string_view key, std::string_view value, const std::string& by, const std::string& at) = 0;
};

class UserRepository {
public:
    virtual ~UserRepository() = default;
    virtual std::int64_t count() = 0;
    virtual std::vector<User> list() = 0;
    virtual std::optional<User> find(std::string_view name) = 0;
    virtual std::optional<std::string> password_hash(std::string_view name) = 0;
    virtual std::int64_t add(const User& user, const std::string& password_hash) = 0;
};

class AuditTrail {
public:
    virtual ~AuditTrail() = default;
    // Appends inside the current write transaction, so the entry commits or rolls back with
    // the change it records.
    virtual AuditEntry append(const AuditRecord& record) = 0;
    virtual std::vector<AuditEntry> entries(const AuditFilter& filter) = 0;
    // Streams every entry in sequence order (for exports of any size).
    virtual void for_each(const std::function<void(const AuditEntry&)>& visit) = 0;
    virtual AuditVerification verify() = 0;
};

// A write transaction; rolls back when destroyed uncommitted.
class Transaction {
public:
    virtual ~Transaction() = default;
    virtual void commit() = 0;
};

class Store {
public:
    virtual ~Store() = default;
    virtual std::unique_ptr<Transaction> begin() = 0;
    virtual PatientRepository& patients() = 0;
    virtual TimelineRepository& timeline() = 0;
    virtual ImagingRepository& imaging() = 0;
    virtual SuggestionRepository& suggestions() = 0;
    virtual UserRepository& users() = 0;
    virtual PluginStateRepository& plugin_states() = 0;
    virtual MeetingRepository& meetings() = 0;
    virtual PacsNodeRepository& pacs_nodes() = 0;
    virtual MeasurementRepository& measurements() = 0;
    virtual SitePolicyRepository& site_policy() = 0;
    virtual AuditTrail& audit() = 0;
    virtual int schema_version() = 0;
    // Work a schema migration left for the program because it needs the workspace's files, not
    // only SQL (e.g. "dicom-text": decode stored DICOM text again). finish_repair() removes one,
    // inside the write transaction that did it.
    virtual std::vector<std::string> pending_repairs() = 0;
    virtual void finish_repair(std::string_view name) = 0;
};

struct SqliteOptions {
    bool create = false;      // create the file if missing
    bool durable = true;      // synchronous=FULL: a committed decision survives power loss
    bool migrate = true;      // bring the schema up to date
};

// The file beside `database` where the audit head is mirrored after each commit, so a log cut
// short inside the database is caught even if its in-database head was rewritten too.
std::filesystem::path audit_head_sidecar(const std::filesystem::path& database);

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& database, const SqliteOptions& options = {});

}  // namespace consilium::decision
