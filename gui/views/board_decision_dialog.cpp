#include "views/board_decision_dialog.h"

#include "views/dialog_buttons.h"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace consilium::gui {

BoardDecisionDialog::BoardDecisionDialog(wxWindow* parent, const wxString& meeting, const wxString& patient,
                                         const wxString& question, const wxString& attendees,
                                         std::function<std::string(const std::string&, const std::string&)> attempt, bool large)
    : wxDialog(parent, wxID_ANY, _("Record board decision"), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      attempt_(std::move(attempt)) {
    if (large) SetFont(GetFont().Scaled(1.4f));  // the children take the dialog's type
    const int width = large ? 900 : 640;
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* who = new wxStaticText(this, wxID_ANY, patient);
    who->SetFont(who->GetFont().Scaled(1.4f).Bold());
    top->Add(who, 0, wxLEFT | wxRIGHT | wxTOP, 12);
    top->Add(new wxStaticText(this, wxID_ANY, meeting), 0, wxLEFT | wxRIGHT | wxTOP, 12);
    if (!question.empty())
        top->Add(new wxStaticText(this, wxID_ANY, wxString::Format(_("Question: %s"), question)), 0, wxLEFT | wxRIGHT | wxTOP, 12);

    top->Add(new wxStaticText(this, wxID_ANY, _("Decision of the board")), 0, wxLEFT | wxRIGHT | wxTOP, 12);
    text_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(width, large ? 200 : 150), wxTE_MULTILINE);
    top->Add(text_, 1, wxLEFT | wxRIGHT | wxTOP | wxEXPAND, 12);
    top->Add(new wxStaticText(this, wxID_ANY, _("Attendees (one name a line)")), 0, wxLEFT | wxRIGHT | wxTOP, 12);
    attendees_ = new wxTextCtrl(this, wxID_ANY, attendees, wxDefaultPosition, wxSize(width, large ? 150 : 110), wxTE_MULTILINE);
    top->Add(attendees_, 1, wxLEFT | wxRIGHT | wxTOP | wxEXPAND, 12);

    message_ = new wxStaticText(this, wxID_ANY, "");
    message_->SetForegroundColour(wxColour(170, 20, 20));
    top->Add(message_, 0, wxLEFT | wxRIGHT | wxTOP | wxEXPAND, 12);
    auto* note = new wxStaticText(this, wxID_ANY, _("The decision becomes part of the patient's record and cannot be changed."));
    note->SetForegroundColour(wxColour(90, 90, 90));
    top->Add(note, 0, wxLEFT | wxRIGHT | wxTOP, 12);

    auto* ok = add_ok_cancel(this, top, _("Record"));
    ok->Bind(wxEVT_BUTTON, &BoardDecisionDialog::on_record, this);
    text_->SetFocus();
}

void BoardDecisionDialog::on_record(wxCommandEvent&) {
    close_or_explain(this, message_, attempt_(text_->GetValue().utf8_string(), attendees_->GetValue().utf8_string()), text_->GetSize().x);
}

}  // namespace consilium::gui
