#pragma once
// Record board decision: the decision text and who was there (one name a line, the logged-in
// clinician already listed). A refusal (empty text, no attendee, already decided) is shown in the
// dialog, which stays open.
#include <wx/dialog.h>

#include <functional>
#include <string>

class wxStaticText;
class wxTextCtrl;

namespace consilium::gui {

class BoardDecisionDialog : public wxDialog {
public:
    // `attempt(text, attendee_lines)` returns "" when recorded, else the message to show.
    // `large`: the meeting is presented, so the dialog is read across the room in the same type.
    BoardDecisionDialog(wxWindow* parent, const wxString& meeting, const wxString& patient, const wxString& question,
                        const wxString& attendees, std::function<std::string(const std::string&, const std::string&)> attempt,
                        bool large = false);

private:
    void on_record(wxCommandEvent&);
    std::function<std::string(const std::string&, const std::string&)> attempt_;
    wxTextCtrl* text_ = nullptr;
    wxTextCtrl* attendees_ = nullptr;
    wxStaticText* message_ = nullptr;
};

}  // namespace consilium::gui
