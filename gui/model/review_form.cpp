#include "model/review_form.h"

#include "consilium/decision/concept_check.h"

#include <algorithm>
#include <cctype>

// Marks a problem for the catalogue; the dialog shows it through wxGetTranslation.
#define N_(text) text

namespace consilium::gui {

namespace {
bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}
}  // namespace

std::string ReviewForm::problem() const {
    using decision::ReviewStatus;
    if (decision_ == ReviewStatus::proposed) return N_("choose accept, modify or reject");
    if (decision_ == ReviewStatus::accepted) return "";
    if (!code_) return N_("choose a reason from the list");
    if (*code_ == decision::ReasonCode::other && blank(text_)) return N_("describe the reason (\"other\" needs words)");
    if (!decision::reason_fits(*code_, decision_)) return N_("choose a reason from the list");
    if (decision_ == ReviewStatus::modified && concept_ && blank(concept_->display))
        return N_("name the concept you hold instead (a code alone is not enough)");
    // The same checks as decision::review: a concept is recorded with a code of valid form.
    if (decision_ == ReviewStatus::modified && concept_)
        if (auto why = decision::concept_problem(*concept_); !why.empty()) return why;
    if (*code_ == decision::ReasonCode::different_finding && !concept_)
        return N_("a different finding needs the concept you hold instead");
    if (decision_ == ReviewStatus::modified && blank(text_) && !concept_ &&
        *code_ != decision::ReasonCode::size_corrected && *code_ != decision::ReasonCode::location_corrected)
        return N_("say what you hold instead");
    return "";
}

decision::ReviewDecision ReviewForm::to_decision() const {
    decision::ReviewDecision d;
    d.decision = decision_;
    if (decision_ != decision::ReviewStatus::accepted) {
        d.reason_code = code_;
        d.reason_text = text_;
        d.modified_concept = concept_;
    }
    d.note = note_;
    d.confirmed_against_earlier = confirmed_;
    return d;
}

std::string role_name(decision::Role role, const Translate& t) {
    // The roles' words, listed for the translators.
    static constexpr const char* kRoles[] = {N_("radiologist"), N_("physician"), N_("developer"), N_("admin")};
    (void)kRoles;
    return tr(t, std::string(decision::to_string(role)));
}

std::string why_cannot_decide(decision::Role role, const decision::Suggestion& s, const Translate& t) {
    if (!decision::allowed(role, decision::Permission::review_suggestions))
        return fill(tr(t, N_("only radiologists and physicians decide on AI suggestions (you are %s)")), {role_name(role, t)});
    if (s.status != decision::ReviewStatus::proposed)
        return fill(tr(t, N_("already %s by %s")), {tr(t, std::string(decision::to_string(s.status))), s.reviewed_by.value_or("?")});
    return "";
}

}  // namespace consilium::gui
