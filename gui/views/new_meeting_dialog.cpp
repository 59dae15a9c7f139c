#include "views/new_meeting_dialog.h"

#include "views/dialog_buttons.h"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace consilium::gui {

NewMeetingDialog::NewMeetingDialog(wxWindow* parent, const wxString& today,
                                   std::function<std::string(const std::string&, const std::string&)> attempt)
    : wxDialog(parent, wxID_ANY, _("New MDT meeting")), attempt_(std::move(attempt)) {
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* grid = new wxFlexGridSizer(2, 6, 8);
    grid->AddGrowableCol(1);
    name_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(320, -1));
    name_->SetHint(_("e.g. Thoracic oncology MDT"));
    date_ = new wxTextCtrl(this, wxID_ANY, today, wxDefaultPosition, wxSize(140, -1));
    grid->Add(new wxStaticText(this, wxID_ANY, _("Name")), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(name_, 1, wxEXPAND);
    grid->Add(new wxStaticText(this, wxID_ANY, _("Date (YYYY-MM-DD)")), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(date_, 0);
    top->Add(grid, 0, wxEXPAND | wxALL, 12);
    message_ = new wxStaticText(this, wxID_ANY, "");
    message_->SetForegroundColour(wxColour(170, 20, 20));
    top->Add(message_, 0, wxLEFT | wxRIGHT | wxEXPAND, 12);
    auto* ok = add_ok_cancel(this, top, _("Create"));
    ok->Bind(wxEVT_BUTTON, &NewMeetingDialog::on_create, this);
    name_->SetFocus();
}

void NewMeetingDialog::on_create(wxCommandEvent&) {
    close_or_explain(this, message_, attempt_(name_->GetValue().utf8_string(), date_->GetValue().utf8_string()), 420);
}

}  // namespace consilium::gui
