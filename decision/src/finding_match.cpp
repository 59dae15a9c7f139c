// Matching suggestions that speak of the same finding or score (finding_match.h).
#include "consilium/decision/finding_match.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>

namespace consilium::decision {
namespace {

struct Box {  // an ROI in LPS millimetres
    std::array<double, 3> centre{};
    std::array<double, 3> size{};
};

std::optional<Box> roi_of(const Suggestion& s) {
    const auto evidence = nlohmann::json::parse(s.evidence_json, nullptr, false);
    if (!evidence.is_array()) return std::nullopt;
    for (const auto& e : evidence) {
        if (!e.is_object() || e.value("type", "") != "roi") continue;
        const auto& c = e.contains("center_lps") ? e["center_lps"] : nlohmann::json();
        const auto& z = e.contains("size_mm") ? e["size_mm"] : nlohmann::json();
        if (!c.is_array() || c.size() != 3) continue;
        Box b;
        bool ok = true;
        for (std::size_t i = 0; i < 3; ++i) {
            ok = ok && c[i].is_number();
            if (ok) b.centre[i] = c[i].get<double>();
            if (z.is_array() && z.size() == 3 && z[i].is_number()) b.size[i] = std::abs(z[i].get<double>());
        }
        if (ok) return b;
    }
    return std::nullopt;
}

bool inside(const std::array<double, 3>& point, const Box& box) {
    for (std::size_t i = 0; i < 3; ++i)
        if (std::abs(point[i] - box.centre[i]) > box.size[i] / 2 + 1e-6) return false;
    return true;
}

bool same_code(const Coding& a, const Coding& b) { return !a.code.empty() && a.system == b.system && a.code == b.code; }

bool same_concept(const Suggestion& earlier, const Suggestion& candidate) {
    if (same_code(earlier.coding, candidate.coding)) return true;
    return earlier.modified_concept && same_code(*earlier.modified_concept, candidate.coding);
}

}  // namespace

bool same_finding(const Suggestion& earlier, const Suggestion& candidate) {
    // Two suggestions of one run are two things the model saw, never one proposed twice.
    if (earlier.patient_id != candidate.patient_id || earlier.kind != candidate.kind) return false;
    if (earlier.run_id != 0 && earlier.run_id == candidate.run_id) return false;
    const bool same_inputs = earlier.inputs_hash && earlier.inputs_hash == candidate.inputs_hash;
    switch (candidate.kind) {
        case SuggestionKind::finding: {
            if (!same_concept(earlier, candidate)) return false;
            const auto a = roi_of(earlier), b = roi_of(candidate);
            if (!a && !b) return true;
            return a && b && inside(a->centre, *b) && inside(b->centre, *a);
        }
        case SuggestionKind::risk:
            return earlier.plugin_id == candidate.plugin_id && same_inputs;
        case SuggestionKind::diagnosis:
        case SuggestionKind::treatment:
            return earlier.plugin_id == candidate.plugin_id && same_inputs && same_concept(earlier, candidate);
    }
    return false;
}

bool same_model_and_inputs(const Suggestion& a, const Suggestion& b) {
    return a.plugin_id == b.plugin_id && a.plugin_version == b.plugin_version && a.model_version == b.model_version &&
           a.inputs_hash && a.inputs_hash == b.inputs_hash;
}

std::optional<Suggestion> earlier_decided(const std::vector<Suggestion>& suggestions, const Suggestion& candidate) {
    for (auto it = suggestions.rbegin(); it != suggestions.rend(); ++it) {
        if (it->id == candidate.id || it->status == ReviewStatus::proposed) continue;
        if (same_finding(*it, candidate)) return *it;
    }
    return std::nullopt;
}

EarlierDecision earlier_decision_of(const Suggestion& s) {
    return {s.id, s.status, s.reviewed_by.value_or(""), s.reviewed_at.value_or(""), s.summary, s.modified_concept};
}

bool goes_against(const EarlierDecision& earlier, const Suggestion& candidate, const ReviewDecision& d) {
    if (earlier.status == ReviewStatus::modified && earlier.modified_concept) {
        // Accepting what the clinician modified it into, or modifying it into the same, agrees.
        if (d.decision == ReviewStatus::accepted) return !same_code(*earlier.modified_concept, candidate.coding);
        if (d.decision == ReviewStatus::modified)
            return !(d.modified_concept && same_code(*earlier.modified_concept, *d.modified_concept));
        return true;
    }
    if (d.decision != earlier.status) return true;
    if (d.decision == ReviewStatus::modified && d.modified_concept)
        return !(earlier.modified_concept && same_code(*earlier.modified_concept, *d.modified_concept));
    return false;
}

}  // namespace consilium::decision
