#pragma once
// The Query PACS dialog without wx: the search form and its checks, the result rows as the table
// shows them, the dialog's state (idle, searching, retrieving, done, failed, cancelled), and the
// search and the retrieve themselves, meant for a worker thread with its own store connection.
// Retrieval goes through pacs::retrieve_into_workspace, the path `consilium-cli pacs retrieve`
// takes (staged, checked, imported as `import` does, audited pacs.retrieve).
#include "consilium/decision/pacs_node_record.h"
#include "consilium/decision/session.h"
#include "consilium/pacs/client.h"
#include "consilium/pacs/workspace_retrieve.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace consilium::gui {

// The configured nodes of the workspace, by name; "" and none when there are none.
std::vector<decision::PacsNode> pacs_nodes_of(const std::filesystem::path& workspace, const decision::Session& session);

// What the clinician typed.
struct PacsSearchFields {
    std::string patient_id, patient_name, date_from, date_to, modality;
};

// A typed date as DICOM wants it: "" stays "", YYYY-MM-DD or YYYYMMDD becomes YYYYMMDD; nullopt
// for anything else (including days that do not exist).
std::optional<std::string> dicom_date(const std::string& typed);

struct SearchRequest {
    pacs::StudyQuery query;
    std::string problem;  // "" when the search may run; else what to fix, in English words (translated by the view)
};
// At least one field, dates that are dates, and 'from' not after 'to'. Results are capped (kMaxStudies).
SearchRequest make_search(const PacsSearchFields& fields);
constexpr int kMaxStudies = 500;

// One row of the results table, in the clinician's terms.
struct StudyRow {
    std::string study_uid;
    std::string patient_id;
    std::string patient_name;  // "Jane Doe" from DOE^JANE
    std::string date;          // 2024-01-02
    std::string modalities;    // "CT, SR"
    std::string description;
    std::string series, instances;  // "" when the node did not say
};
// Newest first, then by patient.
std::vector<StudyRow> study_rows(const std::vector<pacs::StudyMatch>& studies);

// What went wrong, so the view can say it in the user's language; `detail` is the library's text
// (naming the node and its address).
enum class PacsFailure { none, unreachable, auth, protocol, corrupt, tls, not_found, not_permitted, other };
struct PacsOutcomeError {
    PacsFailure failure = PacsFailure::none;
    std::string detail;
};

struct SearchOutcome {
    std::vector<pacs::StudyMatch> studies;
    PacsOutcomeError error;
};
// Worker thread: opens its own store connection, finds the node, searches. Never throws.
SearchOutcome run_pacs_search(const std::filesystem::path& workspace, const decision::Session& session,
                              const std::string& node_name, const pacs::StudyQuery& query,
                              const pacs::ClientSettings& settings = {});

struct RetrieveOutcome {
    pacs::WorkspaceRetrieved result;
    bool cancelled = false;
    PacsOutcomeError error;
    std::int64_t patient_id = 0;  // the workspace patient the study belongs to (0 when not retrieved)
    std::string first_series_uid;  // the series to show first
};
// Worker thread: retrieves the study into the workspace, audited as the CLI's retrieve is.
// `progress` is called on the worker thread. Never throws.
RetrieveOutcome run_pacs_retrieve(const std::filesystem::path& workspace, const decision::Session& session,
                                  const std::string& node_name, const std::string& study_uid,
                                  std::function<void(const pacs::RetrieveProgress&)> progress,
                                  const std::atomic<bool>* cancel, const pacs::ClientSettings& settings = {});

// The dialog's state. Searching and retrieving exclude each other; a finished step leaves
// done, failed or cancelled, from which a new search or retrieve may start.
enum class PacsQueryState { idle, searching, retrieving, done, failed, cancelled };

class PacsQuery {
public:
    PacsQueryState state() const { return state_; }
    bool busy() const { return state_ == PacsQueryState::searching || state_ == PacsQueryState::retrieving; }
    bool can_search() const { return !busy(); }
    bool can_retrieve(int selected_row) const;
    bool can_cancel() const { return state_ == PacsQueryState::retrieving; }

    // Each returns false (and changes nothing) when the step may not start or finish now.
    bool start_search();
    bool search_finished(const SearchOutcome& outcome);
    bool start_retrieve(int row);
    bool retrieve_finished(const RetrieveOutcome& outcome);

    const std::vector<StudyRow>& rows() const { return rows_; }
    const PacsOutcomeError& error() const { return error_; }
    const RetrieveOutcome& retrieved() const { return retrieved_; }
    int retrieving_row() const { return retrieving_row_; }

private:
    PacsQueryState state_ = PacsQueryState::idle;
    std::vector<StudyRow> rows_;
    PacsOutcomeError error_;
    RetrieveOutcome retrieved_;
    int retrieving_row_ = -1;
};

// A 0..1000 gauge value for retrieve progress; -1 when the total is not known (pulse).
int gauge_permille(const pacs::RetrieveProgress& progress);

}  // namespace consilium::gui
