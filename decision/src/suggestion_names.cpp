// The words the schema's CHECK constraints and the CLI contract use for the suggestion enums.
#include "consilium/decision/suggestion.h"

#include <array>

namespace consilium::decision {
namespace {

constexpr std::array<std::string_view, 9> kRunStatus = {"running", "succeeded",      "failed",   "timeout",
                                                        "crashed", "invalid_output", "rejected", "cancelled", "abandoned"};
constexpr std::array<std::string_view, 4> kKind = {"finding", "diagnosis", "treatment", "risk"};
constexpr std::array<std::string_view, 4> kReview = {"proposed", "accepted", "modified", "rejected"};
constexpr std::array<std::string_view, 8> kReason = {"clinically_incorrect", "not_applicable", "insufficient_evidence",
                                                     "already_known", "other", "size_corrected",
                                                     "location_corrected", "different_finding"};

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view text) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == text) return static_cast<E>(i);
    return std::nullopt;
}

}  // namespace

std::string_view to_string(RunStatus s) { return kRunStatus[static_cast<std::size_t>(s)]; }
std::string_view to_string(SuggestionKind k) { return kKind[static_cast<std::size_t>(k)]; }
std::string_view to_string(ReviewStatus s) { return kReview[static_cast<std::size_t>(s)]; }
std::string_view to_string(ReasonCode c) { return kReason[static_cast<std::size_t>(c)]; }
std::optional<RunStatus> run_status_from_string(std::string_view t) { return lookup<RunStatus>(kRunStatus, t); }
std::optional<SuggestionKind> suggestion_kind_from_string(std::string_view t) { return lookup<SuggestionKind>(kKind, t); }
std::optional<ReviewStatus> review_status_from_string(std::string_view t) { return lookup<ReviewStatus>(kReview, t); }
std::optional<ReasonCode> reason_code_from_string(std::string_view t) { return lookup<ReasonCode>(kReason, t); }

bool reason_fits(ReasonCode code, ReviewStatus decision) {
    if (code == ReasonCode::other) return decision == ReviewStatus::modified || decision == ReviewStatus::rejected;
    const bool modify_reason = code == ReasonCode::size_corrected || code == ReasonCode::location_corrected ||
                               code == ReasonCode::different_finding;
    return decision == (modify_reason ? ReviewStatus::modified : ReviewStatus::rejected);
}

}  // namespace consilium::decision
