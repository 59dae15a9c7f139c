#pragma once
// The JSON form of a suggestion that `suggestions` lists and `review` prints (../shared/CLI.md).
#include "consilium/decision/suggestion.h"

#include <nlohmann/json_fwd.hpp>

namespace consilium::cli {

nlohmann::json suggestion_json(const decision::Suggestion& suggestion);

}  // namespace consilium::cli
