#pragma once
// The SQLite implementation of the store interfaces (private to the library).
#include "consilium/decision/database.h"
#include "consilium/decision/store.h"

namespace consilium::decision::sqlite {

class Patients final : public PatientRepository {
public:
    explicit Patients(Database& db) : db_(db) {}
    std::vector<Patient> list() override;
    std::optional<Patient> find(std::int64_t id) override;
    std::optional<Patient> find_by_mrn(std::string_view mrn) override;
    std::optional<Patient> find_by_source(std::string_view source_ref) override;
    std::optional<Patient> find_by_identifier(std::string_view system, std::string_view value) override;
    std::vector<Patient> find_by_identifier_value(std::string_view value) override;
    std::int64_t insert(const Patient& patient) override;
    void update(const Patient& patient) override;
private:
    std::optional<Patient> one(Statement& s);
    void write_identifiers(const Patient& patient);
    Database& db_;
};

class Timeline final : public TimelineRepository {
public:
    explicit Timeline(Database& db) : db_(db) {}
    std::vector<TimelineEvent> events(std::int64_t patient_id, const TimelineFilter& filter) override;
    std::optional<StoredEventIdentity> find_by_source(std::string_view source_ref) override;
    std::int64_t insert(const TimelineEvent& event) override;
    void replace(std::int64_t id, const TimelineEvent& event) override;
private:
    void write_components(std::int64_t id, const TimelineEvent& event);
    Database& db_;
};

class Imaging final : public ImagingRepository {
public:
    explicit Imaging(Database& db) : db_(db) {}
    std::optional<ImagingStudy> find_study(std::string_view study_uid) override;
    std::optional<ImagingStudy> find_study_by_id(std::int64_t id) override;
    std::vector<ImagingStudy> studies_of(std::int64_t patient_id) override;
    std::int64_t insert_study(const ImagingStudy& study) override;
    void update_study(const ImagingStudy& study) override;
    std::optional<ImagingSeries> find_series(std::string_view series_uid) override;
    std::vector<ImagingSeries> series_of(std::int64_t study_id) override;
    std::int64_t insert_series(const ImagingSeries& series) override;
    void update_series(const ImagingSeries& series) override;
private:
    Database& db_;
};

class Suggestions final : public SuggestionRepository {
public:
    explicit Suggestions(Database& db) : db_(db) {}
    std::int64_t start_run(const PluginRun& run) override;
    void finish_run(std::int64_t run_id, RunStatus status, const std::optional<std::string>& reason,
                    std::int64_t duration_ms, const std::optional<std::string>& outputs_hash) override;
    std::optional<PluginRun> find_run(std::int64_t run_id) override;
    void record_process_end(std::int64_t run_id, const PluginProcessEnd& end) override;
    std::optional<PluginRun> latest_run(std::string_view plugin_id, std::int64_t patient_id) override;
    std::vector<PluginRun> running_runs() override;
    std::int64_t add_suggestion(const Suggestion& suggestion) override;
    std::vector<Suggestion> list_for_patient(std::int64_t patient_id, std::optional<ReviewStatus> status) override;
    std::optional<Suggestion> find(std::int64_t id) override;
    void record_review(std::int64_t suggestion_id, const ReviewDecision& decision, const std::string& user_name,
                       const std::string& role, const std::string& decided_at) override;
    void withdraw_review(std::int64_t suggestion_id, const std::string& user_name, const std::string& at,
                         const std::string& reason) override;
    std::vector<ReviewHistoryEntry> review_history(std::int64_t suggestion_id) override;
    std::vector<PluginVersionStats> stats(std::string_view plugin_id) override;
    std::vector<RunCount> run_counts(std::string_view plugin_id) override;          // sqlite_monitoring.cpp
    std::vector<ReviewReason> review_reasons(std::string_view plugin_id) override;  // sqlite_monitoring.cpp
private:
    Database& db_;
};

class PluginStates final : public PluginStateRepository {
public:
    explicit PluginStates(Database& db) : db_(db) {}
    std::optional<PluginState> find(std::string_view plugin_id) override;
    std::vector<PluginState> list() override;
    void put(const PluginState& state) override;
private:
    Database& db_;
};

class Meetings final : public MeetingRepository {
public:
    explicit Meetings(Database& db) : db_(db) {}
    std::int64_t insert(const Meeting& meeting) override;
    std::optional<Meeting> find(std::int64_t id) override;
    std::vector<Meeting> list() override;
    void add_case(const MeetingCase& c) override;
    std::vector<MeetingCase> cases(std::int64_t meeting_id) override;
    void set_decision(std::int64_t meeting_id, std::int64_t patient_id, std::int64_t event_id, const std::string& user_name,
                      const std::string& decided_at) override;
private:
    Database& db_;
};

class PacsNodes final : public PacsNodeRepository {
public:
    explicit PacsNodes(Database& db) : db_(db) {}
    std::optional<PacsNode> find(std::string_view name) override;
    std::vector<PacsNode> list() override;
    std::int64_t insert(const PacsNode& node) override;
private:
    Database& db_;
};

class Users final : public UserRepository {
public:
    explicit Users(Database& db) : db_(db) {}
    std::int64_t count() override;
    std::vector<User> list() override;
    std::optional<User> find(std::string_view name) override;
    std::optional<std::string> password_hash(std::string_view name) override;
    std::int64_t add(const User& user, const std::string& password_hash) override;
private:
    Database& db_;
};

class Audit final : public AuditTrail {
public:
    explicit Audit(Database& db) : db_(db) {}
    AuditEntry append(const AuditRecord& record) override;
    std::vector<AuditEntry> entries(const AuditFilter& filter) override;
    void for_each(const std::function<void(const AuditEntry&)>& visit) override;
    AuditVerification verify() override;
    // Set by append, cleared by the transaction after mirroring it to the sidecar.
    std::optional<std::pair<std::int64_t, std::string>> pending_head;
private:
    Database& db_;
};

}  // namespace consilium::decision::sqlite
