#include "consilium/decision/review.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

namespace consilium::decision {
namespace {

constexpr std::size_t kMaxText = 4000;  // reasons and notes are sentences, not documents

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

void check(const std::string& where, const ReviewDecision& d) {
    if (d.decision == ReviewStatus::proposed)
        throw InputError(where, "a decision is accepted, modified or rejected, not proposed");
    if (d.decision != ReviewStatus::accepted && !d.reason_code && blank(d.reason_text))
        throw InputError(where, std::string(d.decision == ReviewStatus::modified ? "modifying" : "rejecting") +
                                    " needs a reason (text or a reason code)");
    if (d.modified_concept && d.decision != ReviewStatus::modified)
        throw InputError(where, "only a modification names a different concept");
    if (d.modified_concept && (d.modified_concept->system.empty() || d.modified_concept->code.empty()))
        throw InputError(where, "the modified concept needs a code system and a code");
    if (d.reason_text.size() > kMaxText || d.note.size() > kMaxText)
        throw InputError(where, "reason and note are limited to " + std::to_string(kMaxText) + " bytes");
}

std::string headline(ReviewStatus decision) {
    switch (decision) {
        case ReviewStatus::accepted: return "Accepted: ";
        case ReviewStatus::modified: return "Modified: ";
        case ReviewStatus::rejected: return "Rejected: ";
        case ReviewStatus::proposed: break;
    }
    return "";
}

nlohmann::json nullable(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

}  // namespace

Suggestion review(Store& store, const Session& session, std::int64_t suggestion_id, const ReviewDecision& d) {
    require(session, Permission::review_suggestions);
    const std::string where = "suggestion " + std::to_string(suggestion_id);
    check(where, d);

    auto tx = store.begin();
    // Read inside the write transaction: a concurrent reviewer cannot slip in between check and write.
    auto s = store.suggestions().find(suggestion_id);
    if (!s) throw NotFound(where + ": no such suggestion");
    if (s->status != ReviewStatus::proposed)
        throw InputError(where, "already " + std::string(to_string(s->status)) + " by " + s->reviewed_by.value_or("?") +
                                    " at " + s->reviewed_at.value_or("?") + "; a decision is final");

    const std::string at = utc_now();
    const std::string role(to_string(session.user.role));
    store.suggestions().record_review(suggestion_id, d, session.user.name, role, at);

    TimelineEvent event;
    event.patient_id = s->patient_id;
    event.kind = EventKind::review;
    event.code = d.modified_concept ? *d.modified_concept : s->coding;
    event.code.display = headline(d.decision) + s->summary;
    event.start = at;
    event.status = std::string(to_string(d.decision));
    event.value_text = session.user.name;
    event.resource_type = "Review";
    event.source_ref = "review/" + std::to_string(suggestion_id);
    store.timeline().insert(event);

    nlohmann::json details{
        {"decision", to_string(d.decision)},
        {"reason_code", d.reason_code ? nlohmann::json(to_string(*d.reason_code)) : nlohmann::json()},
        {"reason_text", d.reason_text.empty() ? nlohmann::json() : nlohmann::json(d.reason_text)},
        {"plugin", {{"id", s->plugin_id}, {"version", s->plugin_version}}},
        {"model_version", nullable(s->model_version)},
        {"inputs_hash", nullable(s->inputs_hash)},
        {"patient_id", s->patient_id},
        {"run_id", s->run_id}};
    if (d.modified_concept)
        details["concept"] = {{"system", d.modified_concept->system}, {"code", d.modified_concept->code}, {"display", d.modified_concept->display}};
    store.audit().append(audit_record(session, "suggestion.review", "suggestion", std::to_string(suggestion_id),
                                      text::json_text(details)));
    tx->commit();
    return *store.suggestions().find(suggestion_id);
}

}  // namespace consilium::decision
