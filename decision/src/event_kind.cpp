#include "consilium/decision/timeline.h"

#include <array>

namespace consilium::decision {
namespace {
constexpr std::array<std::string_view, 12> kNames = {"encounter", "condition", "observation", "medication",
                                                     "procedure", "imaging",   "report",      "suggestion",
                                                     "review",    "mdt",       "immunization", "allergy"};
}

std::string_view to_string(EventKind kind) { return kNames[static_cast<std::size_t>(kind)]; }

std::optional<EventKind> event_kind_from_string(std::string_view text) {
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i] == text) return static_cast<EventKind>(i);
    return std::nullopt;
}

}  // namespace consilium::decision
