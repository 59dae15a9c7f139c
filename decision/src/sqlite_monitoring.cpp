// The SQL behind model monitoring (model_monitoring.h): counts of a plugin's runs and the reasons
// clinicians gave for modifying or rejecting its suggestions. Read-only, prepared, bound.
#include "sqlite_store.h"

namespace consilium::decision::sqlite {

std::vector<RunCount> Suggestions::run_counts(std::string_view plugin_id) {
    // min(id) orders the groups by the first run of each version (and status).
    auto& s = db_.statement(
        "SELECT plugin_version, status, count(*), min(id) FROM plugin_run WHERE plugin_id = ?1 "
        "GROUP BY plugin_version, status ORDER BY min(id)");
    s.bind(1, plugin_id);
    std::vector<RunCount> out;
    while (s.step())
        out.push_back({s.text(0), run_status_from_string(s.text_view(1)).value_or(RunStatus::failed), s.int64(2)});
    s.reset();
    return out;
}

std::vector<ReviewReason> Suggestions::review_reasons(std::string_view plugin_id) {
    auto& s = db_.statement(
        "SELECT s.id, s.plugin_version, r.decision, r.reason_code, r.reason_text, r.user_name, r.decided_at "
        "FROM review r JOIN suggestion s ON s.id = r.suggestion_id "
        "WHERE s.plugin_id = ?1 AND r.decision IN ('modified', 'rejected') AND r.withdrawn_at IS NULL ORDER BY r.decided_at, r.id");
    s.bind(1, plugin_id);
    std::vector<ReviewReason> out;
    while (s.step()) {
        ReviewReason r;
        r.suggestion_id = s.int64(0);
        r.plugin_version = s.text(1);
        r.decision = review_status_from_string(s.text_view(2)).value_or(ReviewStatus::rejected);
        if (auto code = s.optional_text(3)) r.code = reason_code_from_string(*code);
        r.text = s.optional_text(4);
        r.reviewed_by = s.text(5);
        r.decided_at = s.text(6);
        out.push_back(std::move(r));
    }
    s.reset();
    return out;
}

}  // namespace consilium::decision::sqlite
