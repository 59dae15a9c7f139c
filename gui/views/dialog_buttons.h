#pragma once
// What the workstation's small record-something dialogs share: the OK/Cancel row, and closing
// only when the attempt succeeded, else saying why in the dialog itself.
#include <wx/dialog.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <string>

class wxButton;

namespace consilium::gui {

// The dialog's Cancel button in the reader's language: not wxID_CANCEL, for which GTK draws its
// stock "Cancel" in the system's language (English on a workstation without GTK's Dutch) whenever
// the label is wx's own translation. Esc and the button still end the dialog with wxID_CANCEL.
wxButton* add_cancel(wxDialog* dialog, wxStdDialogButtonSizer* buttons);
// Adds OK (labelled `ok_label`, the default button) and Cancel at the bottom right; returns OK.
wxButton* add_ok_cancel(wxDialog* dialog, wxSizer* top, const wxString& ok_label);
// Ends the dialog with OK when `problem` is empty; otherwise shows it in `message`, wrapped.
void close_or_explain(wxDialog* dialog, wxStaticText* message, const std::string& problem, int wrap_width);

}  // namespace consilium::gui
