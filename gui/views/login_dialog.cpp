#include "views/login_dialog.h"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <thread>

namespace consilium::gui {

LoginDialog::LoginDialog(wxWindow* parent, const wxString& workspace, const std::vector<std::string>& demo_users,
                         std::function<std::string(const std::string&, const std::string&)> attempt, const wxString& locked_user)
    : wxDialog(parent, wxID_ANY, _("Consilium - Log in"), wxDefaultPosition, wxDefaultSize, wxDEFAULT_DIALOG_STYLE),
      attempt_(std::move(attempt)) {
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* title = new wxStaticText(this, wxID_ANY, "Consilium");  // untranslated: the product's name
    title->SetFont(title->GetFont().Scaled(1.8f).Bold());
    top->Add(title, 0, wxALL, 12);
    top->Add(new wxStaticText(this, wxID_ANY, wxString::Format(_("Workspace: %s"), workspace)), 0, wxLEFT | wxRIGHT, 12);
    if (!locked_user.empty())
        top->Add(new wxStaticText(this, wxID_ANY, wxString::Format(_("Locked by %s. Log in to continue."), locked_user)), 0,
                 wxLEFT | wxRIGHT | wxTOP, 12);

    auto* grid = new wxFlexGridSizer(2, 6, 8);
    grid->AddGrowableCol(1);
    user_ = new wxTextCtrl(this, wxID_ANY, locked_user, wxDefaultPosition, wxSize(260, -1));
    password_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(260, -1), wxTE_PASSWORD | wxTE_PROCESS_ENTER);
    grid->Add(new wxStaticText(this, wxID_ANY, _("User name")), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(user_, 1, wxEXPAND);
    grid->Add(new wxStaticText(this, wxID_ANY, _("Password")), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(password_, 1, wxEXPAND);
    top->Add(grid, 0, wxEXPAND | wxALL, 12);

    message_ = new wxStaticText(this, wxID_ANY, "");
    message_->SetForegroundColour(wxColour(180, 20, 20));
    top->Add(message_, 0, wxLEFT | wxRIGHT | wxEXPAND, 12);

    if (!demo_users.empty()) {
        wxString names;
        for (const auto& n : demo_users) names += (names.empty() ? "" : ", ") + wxString::FromUTF8(n);
        auto* demo = new wxStaticText(this, wxID_ANY,
                                      wxString::Format(_("Demo workspace - users: %s (password = user name)"), names));
        demo->SetForegroundColour(wxColour(90, 90, 90));
        demo->Wrap(420);
        top->Add(demo, 0, wxALL, 12);
    }

    auto* buttons = new wxStdDialogButtonSizer();
    auto* ok = new wxButton(this, wxID_OK, _("Log in"));
    ok->SetDefault();
    buttons->AddButton(ok);
    buttons->AddButton(new wxButton(this, wxID_CANCEL, _("Quit")));
    buttons->Realize();
    top->Add(buttons, 0, wxALL | wxALIGN_RIGHT, 12);
    SetSizerAndFit(top);
    CentreOnScreen();

    ok->Bind(wxEVT_BUTTON, &LoginDialog::on_login, this);
    password_->Bind(wxEVT_TEXT_ENTER, &LoginDialog::on_login, this);
    (locked_user.empty() ? user_ : password_)->SetFocus();
}

void LoginDialog::on_login(wxCommandEvent&) {
    const std::string user = user_->GetValue().Trim().Trim(false).utf8_string();
    const std::string password = password_->GetValue().utf8_string();
    if (user.empty()) {
        message_->SetLabel(_("Enter your user name."));
        user_->SetFocus();
        return;
    }
    // The check is slow on purpose (PBKDF2): off the UI thread, with the form disabled meanwhile.
    message_->SetLabel(_("Checking..."));
    for (wxWindow* w : GetChildren()) w->Disable();
    std::thread([this, user, password] {
        std::string problem = attempt_(user, password);
        CallAfter([this, problem] { attempt_done(problem); });
    }).detach();
}

void LoginDialog::attempt_done(const std::string& problem) {
    for (wxWindow* w : GetChildren()) w->Enable();
    if (problem.empty()) {
        EndModal(wxID_OK);
        return;
    }
    message_->SetLabel(wxString::FromUTF8(problem));
    message_->Wrap(420);
    password_->Clear();
    password_->SetFocus();
    Fit();
}

}  // namespace consilium::gui
