#pragma once
// What AI plugins propose and what clinicians decide about it: plain data, no plugin code. A
// suggestion carries its provenance (plugin id + version, model version, hash of the inputs) so
// a decision can always be traced back to the exact model and data that produced it.
#include "consilium/decision/timeline.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace consilium::decision {

// abandoned: left `running` by a host that ended without finishing it (marked at a later start).
enum class RunStatus { running, succeeded, failed, timeout, crashed, invalid_output, rejected, cancelled, abandoned };
enum class SuggestionKind { finding, diagnosis, treatment, risk };
enum class ReviewStatus { proposed, accepted, modified, rejected };
// The coded reasons a clinician gives for modifying or rejecting (model monitoring counts them).
// The first four are a rejection's, the last three a modification's; `other` (with words) goes
// with either. New codes are only ever appended: their names are stored.
enum class ReasonCode {
    clinically_incorrect, not_applicable, insufficient_evidence, already_known, other,
    size_corrected, location_corrected, different_finding
};

std::string_view to_string(RunStatus status);
std::string_view to_string(SuggestionKind kind);
std::string_view to_string(ReviewStatus status);
std::string_view to_string(ReasonCode code);
std::optional<RunStatus> run_status_from_string(std::string_view text);
std::optional<SuggestionKind> suggestion_kind_from_string(std::string_view text);
std::optional<ReviewStatus> review_status_from_string(std::string_view text);
std::optional<ReasonCode> reason_code_from_string(std::string_view text);
// Whether `code` is a reason for this decision (modified or rejected).
bool reason_fits(ReasonCode code, ReviewStatus decision);

// One execution of a plugin, recorded whether it succeeded or not.
struct PluginRun {
    std::int64_t id = 0;
    std::string plugin_id;
    std::string plugin_version;
    std::optional<std::string> model_version;
    std::optional<std::int64_t> patient_id;
    std::optional<std::string> series_uid;
    std::string user_name;
    std::string started_at;  // UTC ISO-8601; set by start_run when empty
    std::optional<std::int64_t> duration_ms;
    RunStatus status = RunStatus::running;
    std::optional<std::string> reason;  // why it failed, in words
    std::optional<std::string> inputs_hash;
    std::optional<std::string> outputs_hash;
    // How the plugin's process ended (record_process_end): its exit status or the signal that
    // ended it, and the last lines of its stderr - the plugin's own words on why it failed.
    std::optional<int> exit_code;
    std::optional<int> exit_signal;
    std::optional<std::string> stderr_tail;
    // A clinician ran it although the patient is outside the model's intended population; every
    // suggestion of the run carries the mark too.
    bool outside_intended_use = false;
    // The SHA-256 of the plugin's folder as it ran (its identity, see plugins/host), and the
    // process that ran it ("host boot-id pid start-time"), by which a run left running is
    // recognised as abandoned once that process is gone.
    std::optional<std::string> plugin_sha256;
    std::optional<std::string> host;
};

// How a plugin's process ended, kept with its run.
struct PluginProcessEnd {
    std::optional<int> exit_code;
    std::optional<int> exit_signal;
    std::string stderr_tail;  // "" when it wrote nothing
};

// The standing decision on an earlier suggestion of the same finding (or risk score), shown
// beside a new model version's proposal of it: "radiologist X modified this on D".
struct EarlierDecision {
    std::int64_t suggestion_id = 0;
    ReviewStatus status = ReviewStatus::accepted;
    std::string by;
    std::string at;
    std::string summary;                 // the earlier proposal's summary
    std::optional<Coding> modified_concept;
};

struct Suggestion {
    std::int64_t id = 0;
    std::int64_t run_id = 0;
    std::int64_t patient_id = 0;
    SuggestionKind kind = SuggestionKind::finding;
    Coding coding;
    std::optional<double> confidence;  // 0..1, none where it has no meaning
    std::optional<double> score;       // risk scores; a lower bound when !complete
    std::optional<std::string> band;
    bool complete = true;              // false: computed from only some of its inputs
    std::string summary;
    std::string rationale;
    std::string evidence_json = "[]";  // the plugin's evidence array, as validated by the host
    // Provenance: copied from the run by add_suggestion, so it cannot disagree with it.
    std::string plugin_id;
    std::string plugin_version;
    std::optional<std::string> model_version;
    std::optional<std::string> inputs_hash;
    std::string created_at;
    bool outside_intended_use = false;  // copied from the run: made for a patient outside the model's population
    // The earlier suggestion this one proposes again (same finding or score, set when stored), and
    // that suggestion's standing decision when it has one.
    std::optional<std::int64_t> earlier_suggestion_id;
    std::optional<EarlierDecision> earlier_decision;
    // The review, when there is one.
    ReviewStatus status = ReviewStatus::proposed;
    std::optional<std::string> reviewed_by;
    std::optional<std::string> reviewed_at;
    std::optional<ReasonCode> reason_code;
    std::optional<std::string> reason_text;
    std::optional<Coding> modified_concept;
    std::optional<std::string> note;
};

// A clinician's decision on one suggestion.
struct ReviewDecision {
    ReviewStatus decision = ReviewStatus::accepted;  // accepted | modified | rejected
    std::optional<ReasonCode> reason_code;
    std::string reason_text;
    std::optional<Coding> modified_concept;  // modify: what the clinician holds instead
    std::string note;
    // Given after the clinician saw, and confirmed, that this decision goes against the earlier
    // decision on the same finding (AgainstEarlierDecision).
    bool confirmed_against_earlier = false;
};


// One decision as recorded, standing or withdrawn.
struct ReviewHistoryEntry {
    ReviewStatus decision = ReviewStatus::accepted;
    std::string by;
    std::string at;
    std::optional<std::string> withdrawn_by;
    std::optional<std::string> withdrawn_at;
    std::optional<std::string> withdraw_reason;
};

// Rows behind model monitoring (model_monitoring.h puts them together).
struct RunCount {
    std::string plugin_version;
    RunStatus status = RunStatus::running;
    std::int64_t count = 0;
};
struct ReviewReason {  // the reason of one modify or reject decision
    std::int64_t suggestion_id = 0;
    std::string plugin_version;
    ReviewStatus decision = ReviewStatus::rejected;
    std::optional<ReasonCode> code;  // none: given as text only
    std::optional<std::string> text;
    std::string reviewed_by;
    std::string decided_at;
};

// Model monitoring: how one version of a plugin fared with clinicians.
struct PluginVersionStats {
    std::string plugin_version;
    std::int64_t proposed = 0, accepted = 0, modified = 0, rejected = 0;
    // Reason code -> count over modified and rejected; a reason given only as text counts as "uncoded".
    std::map<std::string, std::int64_t> reasons;
};

}  // namespace consilium::decision
