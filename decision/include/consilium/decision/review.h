#pragma once
// A clinician's decision on an AI suggestion. The only way a suggestion leaves "proposed" (and,
// withdrawn by its author the same day, the only way back).
#include "consilium/decision/errors.h"
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"
#include "consilium/decision/suggestion.h"

#include <cstdint>
#include <string>

namespace consilium::decision {

// The decision goes against the standing decision on the same finding (finding_match.h) and was
// not confirmed: the message names the earlier suggestion, its decision, who and when.
class AgainstEarlierDecision : public InputError {
public:
    AgainstEarlierDecision(const std::string& where, EarlierDecision earlier, const std::string& what)
        : InputError(where, what), earlier_(std::move(earlier)) {}
    const EarlierDecision& earlier() const { return earlier_; }
private:
    EarlierDecision earlier_;
};

// "modified by radiologist on 2026-05-01 10:00 UTC (suggestion 3: Lung nodule candidate, 8 mm)".
std::string describe(const EarlierDecision& earlier);

// Accepts, modifies or rejects suggestion `suggestion_id` as `session`'s user and returns it as
// now stored. Radiologists and physicians only (NotPermitted); modify and reject need a reason,
// as text or a code that fits the decision (InputError); a modified concept needs a code system
// and a code of valid form (concept_check.h; InputError naming why); a decided suggestion is never
// decided again (InputError naming who decided it and when); an unknown id is NotFound. A decision
// against the standing decision on the same finding needs `confirmed_against_earlier`
// (AgainstEarlierDecision otherwise) and its audit entry names the earlier suggestion and decision.
// The decision, a `review` timeline event for the patient and the `suggestion.review` audit entry
// commit together or not at all.
Suggestion review(Store& store, const Session& session, std::int64_t suggestion_id, const ReviewDecision& decision);

// Withdraws the standing decision on `suggestion_id`: only its author, only on the (local) day it
// was made, with a reason (InputError / NotPermitted otherwise). Nothing is deleted: the review row
// is marked withdrawn, a `review` timeline event says so, and the `suggestion.withdraw` audit entry
// names the decision withdrawn; the suggestion is proposed again and can be decided anew.
Suggestion withdraw_review(Store& store, const Session& session, std::int64_t suggestion_id, const std::string& reason);

// Whether a decision made at `decided_at` (UTC ISO-8601) by `author` may still be withdrawn by
// `user` at `now` (UTC ISO-8601): the author, on the same local calendar day.
bool may_withdraw(const std::string& author, const std::string& decided_at, const std::string& user,
                  const std::string& now);

}  // namespace consilium::decision
