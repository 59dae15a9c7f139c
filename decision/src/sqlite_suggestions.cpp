#include "sqlite_store.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/errors.h"

#include <algorithm>

namespace consilium::decision::sqlite {
namespace {

constexpr const char* kRunColumns =
    "SELECT id, plugin_id, plugin_version, model_version, patient_id, series_uid, user_name, started_at, duration_ms, "
    "status, reason, inputs_hash, outputs_hash, exit_code, exit_signal, stderr_tail, outside_intended_use, plugin_sha256, host FROM plugin_run ";

// A suggestion with its standing review (if any: the review's columns are NULL while it is
// proposed; withdrawn reviews stay in the table but do not stand), and the standing decision on
// the earlier suggestion it proposes again.
constexpr const char* kSuggestionColumns =
    "SELECT s.id, s.run_id, s.patient_id, s.kind, s.code_system, s.code, s.display, s.confidence, s.score, s.band, "
    "s.complete, s.summary, s.rationale, s.evidence_json, s.plugin_id, s.plugin_version, s.model_version, "
    "s.inputs_hash, s.created_at, r.decision, r.user_name, r.decided_at, r.reason_code, r.reason_text, "
    "r.concept_system, r.concept_code, r.concept_display, r.note, s.outside_intended_use, "
    "s.earlier_suggestion_id, er.decision, er.user_name, er.decided_at, e.summary, er.concept_system, "
    "er.concept_code, er.concept_display "
    "FROM suggestion s LEFT JOIN review r ON r.suggestion_id = s.id AND r.withdrawn_at IS NULL "
    "LEFT JOIN suggestion e ON e.id = s.earlier_suggestion_id "
    "LEFT JOIN review er ON er.suggestion_id = e.id AND er.withdrawn_at IS NULL ";

PluginRun run_row(const Statement& s) {
    PluginRun r;
    r.id = s.int64(0);
    r.plugin_id = s.text(1);
    r.plugin_version = s.text(2);
    r.model_version = s.optional_text(3);
    r.patient_id = s.optional_int64(4);
    r.series_uid = s.optional_text(5);
    r.user_name = s.text(6);
    r.started_at = s.text(7);
    r.duration_ms = s.optional_int64(8);
    r.status = run_status_from_string(s.text_view(9)).value_or(RunStatus::failed);
    r.reason = s.optional_text(10);
    r.inputs_hash = s.optional_text(11);
    r.outputs_hash = s.optional_text(12);
    if (auto code = s.optional_int64(13)) r.exit_code = static_cast<int>(*code);
    if (auto sig = s.optional_int64(14)) r.exit_signal = static_cast<int>(*sig);
    r.stderr_tail = s.optional_text(15);
    r.outside_intended_use = s.int64(16) != 0;
    r.plugin_sha256 = s.optional_text(17);
    r.host = s.optional_text(18);
    return r;
}

Suggestion suggestion_row(const Statement& s) {
    Suggestion g;
    g.id = s.int64(0);
    g.run_id = s.int64(1);
    g.patient_id = s.int64(2);
    g.kind = suggestion_kind_from_string(s.text_view(3)).value_or(SuggestionKind::finding);
    g.coding = {s.optional_text(4).value_or(""), s.optional_text(5).value_or(""), s.optional_text(6).value_or("")};
    g.confidence = s.optional_real(7);
    g.score = s.optional_real(8);
    g.band = s.optional_text(9);
    g.complete = s.int64(10) != 0;
    g.summary = s.text(11);
    g.rationale = s.text(12);
    g.evidence_json = s.text(13);
    g.plugin_id = s.text(14);
    g.plugin_version = s.text(15);
    g.model_version = s.optional_text(16);
    g.inputs_hash = s.optional_text(17);
    g.created_at = s.text(18);
    g.outside_intended_use = s.int64(28) != 0;
    if (!s.is_null(19)) {
        g.status = review_status_from_string(s.text_view(19)).value_or(ReviewStatus::proposed);
        g.reviewed_by = s.optional_text(20);
        g.reviewed_at = s.optional_text(21);
        if (auto code = s.optional_text(22)) g.reason_code = reason_code_from_string(*code);
        g.reason_text = s.optional_text(23);
        if (!s.is_null(24) || !s.is_null(25))
            g.modified_concept = Coding{s.optional_text(24).value_or(""), s.optional_text(25).value_or(""),
                                        s.optional_text(26).value_or("")};
        g.note = s.optional_text(27);
    }
    g.earlier_suggestion_id = s.optional_int64(29);
    if (g.earlier_suggestion_id && !s.is_null(30)) {
        EarlierDecision e;
        e.suggestion_id = *g.earlier_suggestion_id;
        e.status = review_status_from_string(s.text_view(30)).value_or(ReviewStatus::accepted);
        e.by = s.text(31);
        e.at = s.text(32);
        e.summary = s.optional_text(33).value_or("");
        if (!s.is_null(35))
            e.modified_concept = Coding{s.optional_text(34).value_or(""), s.optional_text(35).value_or(""),
                                        s.optional_text(36).value_or("")};
        g.earlier_decision = std::move(e);
    }
    return g;
}

std::optional<std::string> non_empty(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

std::int64_t Suggestions::start_run(const PluginRun& r) {
    db_.statement(
           "INSERT INTO plugin_run(plugin_id, plugin_version, model_version, patient_id, series_uid, user_name, "
           "started_at, duration_ms, status, reason, inputs_hash, outputs_hash, outside_intended_use, plugin_sha256, host) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")
        .bind(1, r.plugin_id).bind(2, r.plugin_version).bind(3, r.model_version).bind(4, r.patient_id)
        .bind(5, r.series_uid).bind(6, r.user_name).bind(7, r.started_at.empty() ? utc_now() : r.started_at)
        .bind(8, r.duration_ms).bind(9, to_string(r.status)).bind(10, r.reason).bind(11, r.inputs_hash)
        .bind(12, r.outputs_hash).bind(13, r.outside_intended_use ? 1 : 0)
        .bind(14, r.plugin_sha256).bind(15, r.host)
        .run();
    return db_.last_insert_rowid();
}

void Suggestions::finish_run(std::int64_t run_id, RunStatus status, const std::optional<std::string>& reason,
                             std::int64_t duration_ms, const std::optional<std::string>& outputs_hash) {
    db_.statement("UPDATE plugin_run SET status = ?2, reason = ?3, duration_ms = ?4, outputs_hash = ?5 WHERE id = ?1")
        .bind(1, run_id).bind(2, to_string(status)).bind(3, reason).bind(4, duration_ms).bind(5, outputs_hash)
        .run();
    if (db_.changes() == 0) throw NotFound("plugin run " + std::to_string(run_id));
}

std::optional<PluginRun> Suggestions::find_run(std::int64_t run_id) {
    static const std::string sql = std::string(kRunColumns) + "WHERE id = ?1";
    auto& s = db_.statement(sql.c_str()).bind(1, run_id);
    std::optional<PluginRun> out;
    if (s.step()) out = run_row(s);
    s.reset();
    return out;
}

void Suggestions::record_process_end(std::int64_t run_id, const PluginProcessEnd& end) {
    db_.statement("UPDATE plugin_run SET exit_code = ?2, exit_signal = ?3, stderr_tail = ?4 WHERE id = ?1")
        .bind(1, run_id).bind(2, end.exit_code).bind(3, end.exit_signal).bind(4, non_empty(end.stderr_tail))
        .run();
    if (db_.changes() == 0) throw NotFound("plugin run " + std::to_string(run_id));
}

std::optional<PluginRun> Suggestions::latest_run(std::string_view plugin_id, std::int64_t patient_id) {
    // By id: the order of starting (start times can tie within a millisecond).
    static const std::string sql = std::string(kRunColumns) + "WHERE plugin_id = ?1 AND patient_id = ?2 ORDER BY id DESC LIMIT 1";
    auto& s = db_.statement(sql.c_str()).bind(1, plugin_id).bind(2, patient_id);
    std::optional<PluginRun> out;
    if (s.step()) out = run_row(s);
    s.reset();
    return out;
}

std::vector<PluginRun> Suggestions::running_runs() {
    static const std::string sql = std::string(kRunColumns) + "WHERE status = 'running' ORDER BY id";
    auto& s = db_.statement(sql.c_str());
    std::vector<PluginRun> out;
    while (s.step()) out.push_back(run_row(s));
    s.reset();
    return out;
}

std::int64_t Suggestions::add_suggestion(const Suggestion& g) {
    // The run is the provenance: a suggestion outside a recorded run could not be traced to a model.
    auto run = find_run(g.run_id);
    if (!run) throw NotFound("plugin run " + std::to_string(g.run_id) + " (a suggestion needs a recorded run)");
    std::int64_t patient = g.patient_id != 0 ? g.patient_id : run->patient_id.value_or(0);
    if (run->patient_id && patient != *run->patient_id)
        throw InputError("suggestion of run " + std::to_string(run->id),
                         "names patient " + std::to_string(patient) + ", the run was for patient " +
                             std::to_string(*run->patient_id));
    db_.statement(
           "INSERT INTO suggestion(run_id, patient_id, kind, code_system, code, display, confidence, score, band, "
           "complete, summary, rationale, evidence_json, plugin_id, plugin_version, model_version, inputs_hash, "
           "created_at, outside_intended_use, earlier_suggestion_id) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)")
        .bind(1, run->id).bind(2, patient).bind(3, to_string(g.kind)).bind(4, non_empty(g.coding.system))
        .bind(5, non_empty(g.coding.code)).bind(6, non_empty(g.coding.display)).bind(7, g.confidence).bind(8, g.score)
        .bind(9, g.band).bind(10, g.complete ? 1 : 0).bind(11, g.summary).bind(12, g.rationale)
        .bind(13, g.evidence_json.empty() ? std::string("[]") : g.evidence_json).bind(14, run->plugin_id)
        .bind(15, run->plugin_version).bind(16, run->model_version).bind(17, run->inputs_hash)
        .bind(18, g.created_at.empty() ? utc_now() : g.created_at).bind(19, run->outside_intended_use ? 1 : 0)
        .bind(20, g.earlier_suggestion_id)
        .run();
    return db_.last_insert_rowid();
}

std::vector<Suggestion> Suggestions::list_for_patient(std::int64_t patient_id, std::optional<ReviewStatus> status) {
    // Ordered by id, the order of insertion: creation times can tie within a millisecond.
    static const std::string sql = std::string(kSuggestionColumns) +
                                   "WHERE s.patient_id = ?1 AND (?2 IS NULL OR coalesce(r.decision, 'proposed') = ?2) "
                                   "ORDER BY s.id";
    auto& s = db_.statement(sql.c_str()).bind(1, patient_id);
    if (status) s.bind(2, to_string(*status));
    std::vector<Suggestion> out;
    while (s.step()) out.push_back(suggestion_row(s));
    s.reset();
    return out;
}

std::optional<Suggestion> Suggestions::find(std::int64_t id) {
    static const std::string sql = std::string(kSuggestionColumns) + "WHERE s.id = ?1";
    auto& s = db_.statement(sql.c_str()).bind(1, id);
    std::optional<Suggestion> out;
    if (s.step()) out = suggestion_row(s);
    s.reset();
    return out;
}

void Suggestions::record_review(std::int64_t suggestion_id, const ReviewDecision& d, const std::string& user_name,
                                const std::string& role, const std::string& decided_at) {
    std::optional<std::string> code;
    if (d.reason_code) code = std::string(to_string(*d.reason_code));
    std::optional<std::string> system, concept_code, display;
    if (d.modified_concept) {
        system = d.modified_concept->system;
        concept_code = d.modified_concept->code;
        display = d.modified_concept->display;
    }
    db_.statement(
           "INSERT INTO review(suggestion_id, decision, user_name, role, decided_at, reason_code, reason_text, "
           "concept_system, concept_code, concept_display, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
        .bind(1, suggestion_id).bind(2, to_string(d.decision)).bind(3, user_name).bind(4, role).bind(5, decided_at)
        .bind(6, code).bind(7, non_empty(d.reason_text)).bind(8, system).bind(9, concept_code).bind(10, display)
        .bind(11, non_empty(d.note))
        .run();
}

void Suggestions::withdraw_review(std::int64_t suggestion_id, const std::string& user_name, const std::string& at,
                                  const std::string& reason) {
    db_.statement("UPDATE review SET withdrawn_by = ?2, withdrawn_at = ?3, withdraw_reason = ?4 "
                  "WHERE suggestion_id = ?1 AND withdrawn_at IS NULL")
        .bind(1, suggestion_id).bind(2, user_name).bind(3, at).bind(4, reason)
        .run();
    if (db_.changes() == 0) throw NotFound("suggestion " + std::to_string(suggestion_id) + ": no standing decision");
}

std::vector<ReviewHistoryEntry> Suggestions::review_history(std::int64_t suggestion_id) {
    auto& s = db_.statement(
        "SELECT decision, user_name, decided_at, withdrawn_by, withdrawn_at, withdraw_reason FROM review "
        "WHERE suggestion_id = ?1 ORDER BY id");
    s.bind(1, suggestion_id);
    std::vector<ReviewHistoryEntry> out;
    while (s.step())
        out.push_back({review_status_from_string(s.text_view(0)).value_or(ReviewStatus::accepted), s.text(1), s.text(2),
                       s.optional_text(3), s.optional_text(4), s.optional_text(5)});
    s.reset();
    return out;
}

std::vector<PluginVersionStats> Suggestions::stats(std::string_view plugin_id) {
    // Groups ordered by their first suggestion, so versions come out in the order they were first used.
    auto& s = db_.statement(
        "SELECT s.plugin_version, coalesce(r.decision, 'proposed'), r.reason_code, r.reason_text IS NOT NULL, "
        "count(*), min(s.id) FROM suggestion s LEFT JOIN review r ON r.suggestion_id = s.id AND r.withdrawn_at IS NULL "
        "WHERE s.plugin_id = ?1 "
        "GROUP BY 1, 2, 3, 4 ORDER BY 6");
    s.bind(1, plugin_id);
    std::vector<PluginVersionStats> out;
    while (s.step()) {
        auto version = s.text(0);
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& v) { return v.plugin_version == version; });
        if (it == out.end()) it = out.insert(out.end(), PluginVersionStats{version, 0, 0, 0, 0, {}});
        const auto n = s.int64(4);
        const auto status = review_status_from_string(s.text_view(1)).value_or(ReviewStatus::proposed);
        switch (status) {
            case ReviewStatus::proposed: it->proposed += n; break;
            case ReviewStatus::accepted: it->accepted += n; break;
            case ReviewStatus::modified: it->modified += n; break;
            case ReviewStatus::rejected: it->rejected += n; break;
        }
        if (status != ReviewStatus::modified && status != ReviewStatus::rejected) continue;
        if (auto code = s.optional_text(2)) it->reasons[*code] += n;
        else if (s.int64(3) != 0) it->reasons["uncoded"] += n;
    }
    s.reset();
    return out;
}

}  // namespace consilium::decision::sqlite
