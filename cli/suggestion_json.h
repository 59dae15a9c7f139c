#pragma once
// The JSON form of a suggestion that `suggestions` lists and `review` prints (../shared/CLI.md).
#include "consilium/decision/suggestion.h"

#include <nlohmann/json_fwd.hpp>

namespace consilium::cli {

nlohmann::json suggestion_json(const decision::Suggestion& suggestion);
// {"suggestion_id", "status", "by", "at", "summary", "modified_code"}: a decision shown beside a
// suggestion that proposes the same finding again, and what `plugins run` reports as already decided.
nlohmann::json earlier_decision_json(const decision::EarlierDecision& earlier);

}  // namespace consilium::cli
