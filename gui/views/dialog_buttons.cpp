#include "views/dialog_buttons.h"

#include <wx/button.h>
#include <wx/intl.h>

namespace consilium::gui {

wxButton* add_cancel(wxDialog* dialog, wxStdDialogButtonSizer* buttons) {
    auto* cancel = new wxButton(dialog, wxID_ANY, _("Cancel"));
    dialog->SetEscapeId(cancel->GetId());
    buttons->SetCancelButton(cancel);
    return cancel;
}

wxButton* add_ok_cancel(wxDialog* dialog, wxSizer* top, const wxString& ok_label) {
    auto* buttons = new wxStdDialogButtonSizer();
    auto* ok = new wxButton(dialog, wxID_OK, ok_label);
    ok->SetDefault();
    buttons->AddButton(ok);
    add_cancel(dialog, buttons);
    buttons->Realize();
    top->Add(buttons, 0, wxALL | wxALIGN_RIGHT, 12);
    dialog->SetSizerAndFit(top);
    dialog->CentreOnParent();
    return ok;
}

void close_or_explain(wxDialog* dialog, wxStaticText* message, const std::string& problem, int wrap_width) {
    if (problem.empty()) {
        dialog->EndModal(wxID_OK);
        return;
    }
    message->SetLabel(wxString::FromUTF8(problem));
    message->Wrap(wrap_width);
    dialog->Layout();
    dialog->Fit();
}

}  // namespace consilium::gui
