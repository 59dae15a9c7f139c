#pragma once
// When two suggestions speak of the same thing: the same finding (concept and region) or the same
// risk score (kind, plugin and inputs). Plain data; the plugin host uses it to keep a re-run from
// proposing again what a clinician has already decided, and review() to notice a decision that
// goes against an earlier one on the same finding.
#include "consilium/decision/suggestion.h"

#include <optional>
#include <vector>

namespace consilium::decision {

// Whether `candidate` proposes again what `earlier` proposed.
// - findings: the same concept (the earlier's own, or the one a clinician modified it into) and
//   the same region: each ROI's centre (LPS mm) lies inside the other's box, or neither has an ROI;
// - risk scores: the same plugin and the same inputs hash (a score on other data is a new score);
// - diagnoses and treatments: the same plugin, concept and inputs hash.
bool same_finding(const Suggestion& earlier, const Suggestion& candidate);

// Same plugin version, model version and inputs: a re-run that can only repeat itself.
bool same_model_and_inputs(const Suggestion& a, const Suggestion& b);

// The newest suggestion in `suggestions` (other than `candidate` itself) with a standing decision
// that `candidate` proposes again; nullopt when there is none.
std::optional<Suggestion> earlier_decided(const std::vector<Suggestion>& suggestions, const Suggestion& candidate);

// The earlier decision as shown beside a suggestion.
EarlierDecision earlier_decision_of(const Suggestion& decided);

// Whether deciding `d` on `candidate` goes against `earlier` (a different decision, or a
// modification into a different concept; accepting what a clinician modified the finding into agrees).
bool goes_against(const EarlierDecision& earlier, const Suggestion& candidate, const ReviewDecision& d);

}  // namespace consilium::decision
