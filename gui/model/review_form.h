#pragma once
// The decision a clinician is about to record on one AI suggestion, and whether it may be sent:
// modify and reject need a reason; only radiologists and physicians decide; nothing is decided twice.
#include "model/translate.h"
#include "consilium/decision/roles.h"
#include "consilium/decision/suggestion.h"

#include <optional>
#include <string>

namespace consilium::gui {

class ReviewForm {
public:
    void set_decision(decision::ReviewStatus decision) { decision_ = decision; }
    decision::ReviewStatus decision() const { return decision_; }
    void set_reason_code(std::optional<decision::ReasonCode> code) { code_ = code; }
    void set_reason_text(std::string text) { text_ = std::move(text); }
    void set_modified_concept(std::optional<decision::Coding> held) { concept_ = std::move(held); }
    void set_note(std::string note) { note_ = std::move(note); }
    // Set once the clinician confirmed deciding against the earlier decision on the same finding.
    void set_confirmed_against_earlier(bool confirmed) { confirmed_ = confirmed; }

    // "" when it can be submitted, else what is missing, in words for the form.
    std::string problem() const;
    decision::ReviewDecision to_decision() const;

private:
    decision::ReviewStatus decision_ = decision::ReviewStatus::accepted;
    std::optional<decision::ReasonCode> code_;
    std::string text_;
    std::optional<decision::Coding> concept_;
    std::string note_;
    bool confirmed_ = false;
};

// Why this user may not decide this suggestion ("" when they may): the buttons are shown
// disabled with this text as their tooltip.
std::string why_cannot_decide(decision::Role role, const decision::Suggestion& suggestion, const Translate& translate = {});

// A role's name ("radiologist") in the reader's language.
std::string role_name(decision::Role role, const Translate& translate = {});

}  // namespace consilium::gui
