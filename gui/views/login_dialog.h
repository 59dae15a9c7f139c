#pragma once
// Log-in: user name first, Tab to the password, Enter logs in. A wrong password shows the
// message in the dialog and leaves it open. Demo workspaces list their demo users.
#include <wx/dialog.h>

#include <functional>
#include <string>
#include <vector>

class wxTextCtrl;
class wxStaticText;

namespace consilium::gui {

class LoginDialog : public wxDialog {
public:
    // `attempt` runs on a worker thread (the dialog waits, showing that it checks) and returns ""
    // on success, else the message to show.
    LoginDialog(wxWindow* parent, const wxString& workspace, const std::vector<std::string>& demo_users,
                std::function<std::string(const std::string&, const std::string&)> attempt, const wxString& locked_user = "");

private:
    void on_login(wxCommandEvent&);
    void attempt_done(const std::string& problem);
    std::function<std::string(const std::string&, const std::string&)> attempt_;
    wxTextCtrl* user_ = nullptr;
    wxTextCtrl* password_ = nullptr;
    wxStaticText* message_ = nullptr;
};

}  // namespace consilium::gui
