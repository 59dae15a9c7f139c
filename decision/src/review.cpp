#include "consilium/decision/review.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/concept_check.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/finding_match.h"

#include <nlohmann/json.hpp>

namespace consilium::decision {
namespace {

constexpr std::size_t kMaxText = 4000;  // reasons and notes are sentences, not documents

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

void check(const std::string& where, const ReviewDecision& d) {
    if (d.decision == ReviewStatus::proposed)
        throw InputError(where, "a decision is accepted, modified or rejected, not proposed");
    const std::string verb = d.decision == ReviewStatus::modified ? "modifying" : "rejecting";
    if (d.decision != ReviewStatus::accepted && !d.reason_code && blank(d.reason_text))
        throw InputError(where, verb + " needs a reason (text or a reason code)");
    if (d.decision == ReviewStatus::accepted && d.reason_code)
        throw InputError(where, "accepting takes no reason code");
    if (d.reason_code && !reason_fits(*d.reason_code, d.decision))
        throw InputError(where, "'" + std::string(to_string(*d.reason_code)) + "' is not a reason for " + verb + " (" +
                                    (d.decision == ReviewStatus::modified
                                         ? "size_corrected, location_corrected, different_finding or other"
                                         : "clinically_incorrect, not_applicable, insufficient_evidence, already_known or other") +
                                    ")");
    if (d.modified_concept && d.decision != ReviewStatus::modified)
        throw InputError(where, "only a modification names a different concept");
    if (d.modified_concept)
        if (auto why = concept_problem(*d.modified_concept); !why.empty()) throw InputError(where + ", concept", why);
    // A different finding is a different concept: the record (and its SR) must say which.
    if (d.reason_code == ReasonCode::different_finding && !d.modified_concept)
        throw InputError(where, "'different finding' needs the concept you hold instead (system, code, display)");
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

// The standing decision this suggestion would go against: the one linked when it was stored,
// else any other decided suggestion of the patient on the same finding.
std::optional<EarlierDecision> earlier_for(Store& store, const Suggestion& s) {
    if (s.earlier_decision) return s.earlier_decision;
    if (auto other = earlier_decided(store.suggestions().list_for_patient(s.patient_id), s))
        return earlier_decision_of(*other);
    return std::nullopt;
}

}  // namespace

std::string describe(const EarlierDecision& e) {
    std::string out = std::string(to_string(e.status)) + " by " + e.by + " at " + e.at;
    if (e.modified_concept && !e.modified_concept->display.empty()) out += " into '" + e.modified_concept->display + "'";
    return out + " (suggestion " + std::to_string(e.suggestion_id) + ": " + e.summary + ")";
}

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

    const auto earlier = earlier_for(store, *s);
    const bool against = earlier && goes_against(*earlier, *s, d);
    if (against && !d.confirmed_against_earlier)
        throw AgainstEarlierDecision(where, *earlier,
                                     "this finding was already " + describe(*earlier) + "; " +
                                         std::string(d.decision == ReviewStatus::accepted   ? "accepting"
                                                     : d.decision == ReviewStatus::modified ? "modifying"
                                                                                            : "rejecting") +
                                         " it goes against that decision and needs a confirmation");

    const std::string at = utc_now();
    const std::string role(to_string(session.user.role));
    // A suggestion decided before (and withdrawn) gets a timeline event of its own per decision.
    const auto decided_before = store.suggestions().review_history(suggestion_id).size();
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
    event.source_ref = "review/" + std::to_string(suggestion_id) +
                       (decided_before == 0 ? std::string() : "/" + std::to_string(decided_before + 1));
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
    if (against)
        details["against_earlier"] = {{"suggestion_id", earlier->suggestion_id},
                                      {"decision", to_string(earlier->status)},
                                      {"by", earlier->by},
                                      {"at", earlier->at},
                                      {"confirmed", true}};
    store.audit().append(audit_record(session, "suggestion.review", "suggestion", std::to_string(suggestion_id),
                                      text::json_text(details)));
    tx->commit();
    return *store.suggestions().find(suggestion_id);
}

}  // namespace consilium::decision
