#pragma once
// Meeting > New meeting: its name and date (today unless changed). A refusal (blank name, not a
// date) is shown in the dialog, which stays open.
#include <wx/dialog.h>

#include <functional>
#include <string>

class wxStaticText;
class wxTextCtrl;

namespace consilium::gui {

class NewMeetingDialog : public wxDialog {
public:
    // `attempt(name, date)` returns "" when the meeting was created, else the message to show.
    NewMeetingDialog(wxWindow* parent, const wxString& today,
                     std::function<std::string(const std::string&, const std::string&)> attempt);

private:
    void on_create(wxCommandEvent&);
    std::function<std::string(const std::string&, const std::string&)> attempt_;
    wxTextCtrl* name_ = nullptr;
    wxTextCtrl* date_ = nullptr;
    wxStaticText* message_ = nullptr;
};

}  // namespace consilium::gui
