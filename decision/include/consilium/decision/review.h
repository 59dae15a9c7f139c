#pragma once
// A clinician's decision on an AI suggestion. The only way a suggestion leaves "proposed".
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"
#include "consilium/decision/suggestion.h"

#include <cstdint>

namespace consilium::decision {

// Accepts, modifies or rejects suggestion `suggestion_id` as `session`'s user and returns it as
// now stored. Radiologists and physicians only (NotPermitted); modify and reject need a reason,
// as text or code (InputError); a decided suggestion is never decided again (InputError naming
// who decided it and when); an unknown id is NotFound. The decision, a `review` timeline event for
// the patient and the `suggestion.review` audit entry commit together or not at all.
Suggestion review(Store& store, const Session& session, std::int64_t suggestion_id, const ReviewDecision& decision);

}  // namespace consilium::decision
