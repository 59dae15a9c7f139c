// Withdrawing a decision: its author, the same day, with a reason; never a deletion (review.h).
#include "consilium/decision/review.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <ctime>

namespace consilium::decision {
namespace {

// The local calendar date (YYYY-MM-DD) of a UTC ISO-8601 time; "" when it cannot be read.
std::string local_date(const std::string& utc_iso) {
    std::tm t{};
    if (utc_iso.size() < 19 || !::strptime(utc_iso.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &t)) return "";
    const std::time_t when = ::timegm(&t);
    std::tm local{};
    if (!::localtime_r(&when, &local)) return "";
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
    return buf;
}

}  // namespace

bool may_withdraw(const std::string& author, const std::string& decided_at, const std::string& user,
                  const std::string& now) {
    const auto day = local_date(decided_at);
    return author == user && !day.empty() && day == local_date(now);
}

Suggestion withdraw_review(Store& store, const Session& session, std::int64_t suggestion_id, const std::string& reason) {
    require(session, Permission::review_suggestions);
    const std::string where = "suggestion " + std::to_string(suggestion_id);
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError(where, "withdrawing a decision needs a reason");
    if (reason.size() > 4000) throw InputError(where, "the reason is limited to 4000 bytes");

    auto tx = store.begin();
    auto s = store.suggestions().find(suggestion_id);
    if (!s) throw NotFound(where + ": no such suggestion");
    if (s->status == ReviewStatus::proposed) throw InputError(where, "has no decision to withdraw (it is proposed)");
    const std::string at = utc_now();
    const std::string by = s->reviewed_by.value_or(""), decided_at = s->reviewed_at.value_or("");
    if (by != session.user.name)
        throw NotPermitted(where + ": only " + by + ", who " + std::string(to_string(s->status)) +
                           " it, may withdraw that decision");
    if (!may_withdraw(by, decided_at, session.user.name, at))
        throw InputError(where, "was " + std::string(to_string(s->status)) + " at " + decided_at +
                                    "; a decision can be withdrawn only on the day it was made");

    const auto decisions = store.suggestions().review_history(suggestion_id).size();
    store.suggestions().withdraw_review(suggestion_id, session.user.name, at, reason);

    TimelineEvent event;
    event.patient_id = s->patient_id;
    event.kind = EventKind::review;
    event.code = s->coding;
    event.code.display = "Withdrawn (" + std::string(to_string(s->status)) + "): " + s->summary;
    event.start = at;
    event.status = "withdrawn";
    event.value_text = session.user.name;
    event.resource_type = "Review";
    event.source_ref = "review/" + std::to_string(suggestion_id) + "/withdrawn/" + std::to_string(decisions);
    store.timeline().insert(event);

    nlohmann::json details{{"withdrawn_decision", to_string(s->status)},
                           {"decided_at", decided_at},
                           {"reason_text", reason},
                           {"plugin", {{"id", s->plugin_id}, {"version", s->plugin_version}}},
                           {"patient_id", s->patient_id},
                           {"run_id", s->run_id}};
    store.audit().append(audit_record(session, "suggestion.withdraw", "suggestion", std::to_string(suggestion_id),
                                      text::json_text(details)));
    tx->commit();
    return *store.suggestions().find(suggestion_id);
}

}  // namespace consilium::decision
