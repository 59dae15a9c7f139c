#include "views/review_dialog.h"

#include "views/dialog_buttons.h"

#include "model/suggestion_card.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/intl.h>
#include <wx/listbox.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <array>

namespace consilium::gui {

namespace {

struct SystemChoice {
    const char* label;
    const char* uri;
};
constexpr std::array<SystemChoice, 5> kSystems{{{"SNOMED CT", "http://snomed.info/sct"},  // untranslated: names
                                                {"LOINC", "http://loinc.org"},
                                                {"ICD-10", "http://hl7.org/fhir/sid/icd-10"},
                                                {"RadLex", "http://www.radlex.org"},  // untranslated: names
                                                {N_("(no code system)"), ""}}};

bool blank(const wxString& s) { return s.Strip(wxString::both).empty(); }

// The coded reasons (model/suggestion_card.h) in the user's language.
wxString reason_text(decision::ReasonCode code) {
    switch (code) {
        case decision::ReasonCode::clinically_incorrect: return _("clinically incorrect");
        case decision::ReasonCode::not_applicable: return _("not applicable to this patient");
        case decision::ReasonCode::insufficient_evidence: return _("insufficient evidence");
        case decision::ReasonCode::already_known: return _("already known");
        case decision::ReasonCode::other: return _("other");
        case decision::ReasonCode::size_corrected: return _("size or extent corrected");
        case decision::ReasonCode::location_corrected: return _("location corrected");
        case decision::ReasonCode::different_finding: return _("a different finding");
    }
    return wxString::FromUTF8(reason_label(code));
}

}  // namespace

ReviewDialog::ReviewDialog(wxWindow* parent, const decision::Suggestion& s, decision::ReviewStatus decision,
                           std::function<std::string(const ReviewForm&)> submit, bool large)
    : wxDialog(wxGetTopLevelParent(parent), wxID_ANY,
               decision == decision::ReviewStatus::modified ? _("Modify AI suggestion") : _("Reject AI suggestion"),
               wxDefaultPosition, wxDefaultSize, wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      submit_(std::move(submit)) {
    form_.set_decision(decision);
    const bool modify = decision == decision::ReviewStatus::modified;
    if (large) SetFont(GetFont().Scaled(1.4f));
    const int wrap = FromDIP(large ? 640 : 480);

    auto* top = new wxBoxSizer(wxVERTICAL);
    const auto card = make_card(s, decision::Role::radiologist);
    auto* what = new wxStaticText(this, wxID_ANY,
                                  wxString::Format(_("AI-generated %s: %s"), wxGetTranslation(wxString::FromUTF8(card.kind)).Lower(),
                                                   wxString::FromUTF8(s.summary)));
    what->SetFont(what->GetFont().Bold());
    what->Wrap(wrap);
    top->Add(what, 0, wxALL, 12);
    if (!card.concept_display.empty()) {
        auto* concept_line = new wxStaticText(
            this, wxID_ANY,
            wxString::FromUTF8(card.concept_display + (card.concept_code.empty() ? "" : "  (" + card.concept_code + ")")));
        concept_line->SetForegroundColour(wxColour(90, 90, 90));
        concept_line->Wrap(wrap);
        top->Add(concept_line, 0, wxLEFT | wxRIGHT | wxBOTTOM, 12);
    }

    top->Add(new wxStaticText(this, wxID_ANY, modify ? _("Why do you modify it?") : _("Why do you reject it?")), 0,
             wxLEFT | wxRIGHT, 12);
    reasons_ = new wxListBox(this, wxID_ANY);
    reasons_->SetName("reasons");
    for (auto code : reason_codes(form_.decision())) reasons_->Append(reason_text(code));
    // Every reason in sight, none chosen: the clinician picks one.
    reasons_->SetMinSize(wxSize(-1, static_cast<int>(reason_codes(form_.decision()).size()) * (reasons_->GetCharHeight() + FromDIP(10)) + FromDIP(8)));
    top->Add(reasons_, 0, wxEXPAND | wxALL, 12);

    top->Add(new wxStaticText(this, wxID_ANY, _("In your words (needed for \"other\"):")), 0, wxLEFT | wxRIGHT, 12);
    text_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(wrap, FromDIP(large ? 110 : 70)), wxTE_MULTILINE);
    text_->SetName("reason-text");
    top->Add(text_, 0, wxEXPAND | wxALL, 12);

    if (modify) {
        auto* box = new wxStaticBoxSizer(wxVERTICAL, this, _("What you hold instead"));
        auto* grid = new wxFlexGridSizer(2, 6, 8);
        grid->AddGrowableCol(1);
        concept_display_ = new wxTextCtrl(box->GetStaticBox(), wxID_ANY);
        concept_display_->SetName("text");
        concept_display_->SetHint(_("e.g. Atelectasis"));
        concept_system_ = new wxChoice(box->GetStaticBox(), wxID_ANY);
        int selected = 0;
        for (std::size_t i = 0; i < kSystems.size(); ++i) {
            concept_system_->Append(wxGetTranslation(wxString::FromUTF8(kSystems[i].label)));  // names of code systems stay
            if (s.coding.system == kSystems[i].uri) selected = static_cast<int>(i);
        }
        concept_system_->SetSelection(selected);
        concept_code_ = new wxTextCtrl(box->GetStaticBox(), wxID_ANY);
        concept_code_->SetName("text");
        concept_code_->SetHint(_("required with a concept"));
        grid->Add(new wxStaticText(box->GetStaticBox(), wxID_ANY, _("Concept")), 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(concept_display_, 1, wxEXPAND);
        grid->Add(new wxStaticText(box->GetStaticBox(), wxID_ANY, _("Code system")), 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(concept_system_, 1, wxEXPAND);
        grid->Add(new wxStaticText(box->GetStaticBox(), wxID_ANY, _("Code")), 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(concept_code_, 1, wxEXPAND);
        box->Add(grid, 0, wxEXPAND | wxALL, 6);
        auto* hint = new wxStaticText(box->GetStaticBox(), wxID_ANY,
                                      _("A concept is recorded with its code (SNOMED CT and ICD-10 codes are checked); without one, say in your words above what you hold instead. A corrected size or location keeps the AI's concept."));
        hint->SetForegroundColour(wxColour(90, 90, 90));
        hint->Wrap(wrap - FromDIP(24));
        box->Add(hint, 0, wxALL, 6);
        top->Add(box, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 12);
    }

    problem_ = new wxStaticText(this, wxID_ANY, "");
    problem_->SetForegroundColour(wxColour(180, 20, 20));
    top->Add(problem_, 0, wxEXPAND | wxLEFT | wxRIGHT, 12);

    auto* buttons = new wxStdDialogButtonSizer();
    ok_ = new wxButton(this, wxID_OK, modify ? _("Record modification") : _("Record rejection"));
    ok_->SetDefault();
    ok_->SetName("record-decision");
    buttons->AddButton(ok_);
    add_cancel(this, buttons);
    buttons->Realize();
    top->Add(buttons, 0, wxALL | wxALIGN_RIGHT, 12);
    SetSizerAndFit(top);
    CentreOnParent();

    reasons_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { update(); });
    text_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { update(); });
    if (modify) {
        concept_display_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { update(); });
        concept_code_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { update(); });
        concept_system_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { update(); });
    }
    ok_->Bind(wxEVT_BUTTON, &ReviewDialog::on_ok, this);
    reasons_->SetFocus();
    update();
}

void ReviewDialog::update() {
    const int reason = reasons_->GetSelection();
    if (reason == wxNOT_FOUND) form_.set_reason_code(std::nullopt);
    else form_.set_reason_code(reason_codes(form_.decision())[static_cast<std::size_t>(reason)]);
    form_.set_reason_text(text_->GetValue().Strip(wxString::both).utf8_string());
    if (concept_display_) {
        const wxString display = concept_display_->GetValue(), code = concept_code_->GetValue();
        if (blank(display) && blank(code)) {
            form_.set_modified_concept(std::nullopt);
        } else {
            decision::Coding held;
            held.display = display.Strip(wxString::both).utf8_string();
            held.code = code.Strip(wxString::both).utf8_string();
            const int sys = concept_system_->GetSelection();
            if (sys >= 0 && static_cast<std::size_t>(sys) < kSystems.size() && !held.code.empty()) held.system = kSystems[sys].uri;
            form_.set_modified_concept(held);
        }
    }
    const std::string problem = form_.problem();
    problem_->SetLabel(problem.empty() ? wxString() : wxGetTranslation(wxString::FromUTF8(problem)));
    ok_->Enable(problem.empty());
    Layout();
}

void ReviewDialog::on_ok(wxCommandEvent&) {
    update();
    if (!form_.problem().empty()) return;
    const std::string message = submit_ ? submit_(form_) : std::string();
    if (message.empty()) {
        EndModal(wxID_OK);
        return;
    }
    problem_->SetLabel(wxString::FromUTF8(message));
    problem_->Wrap(GetClientSize().x - FromDIP(24));
    Layout();
    Fit();
}

}  // namespace consilium::gui
