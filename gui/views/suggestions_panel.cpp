#include "views/suggestions_panel.h"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textdlg.h>

namespace consilium::gui {

SuggestionsPanel::SuggestionsPanel(wxWindow* parent, Workstation& workstation, ViewerModel& viewer)
    : wxScrolledWindow(parent, wxID_ANY), workstation_(workstation), viewer_(viewer) {
    SetScrollRate(0, 12);
    SetSizer(new wxBoxSizer(wxVERTICAL));
    workstation_.suggestions_changed.connect([this] { rebuild(); });
}

void SuggestionsPanel::select(std::int64_t id) {
    selected_ = id;
    rebuild();
}

void SuggestionsPanel::set_large(bool large) {
    large_ = large;
    rebuild();
}

void SuggestionsPanel::rebuild() {
    Freeze();
    GetSizer()->Clear(true);
    for (const auto& s : workstation_.suggestions()) {
        auto* card = new wxPanel(this);
        card->SetBackgroundColour(s.id == selected_ ? wxColour(255, 248, 220) : wxColour(245, 245, 248));
        auto* box = new wxBoxSizer(wxVERTICAL);
        auto* head = new wxStaticText(card, wxID_ANY,
                                      wxString::Format(_("AI-generated %s: %s"), wxString::FromUTF8(std::string(decision::to_string(s.kind))),
                                                       wxString::FromUTF8(s.summary)));
        head->SetFont(head->GetFont().Bold());
        head->Wrap(340);
        box->Add(head, 0, wxALL, 6);
        auto* body = new wxStaticText(card, wxID_ANY, wxString::FromUTF8(s.rationale));
        body->Wrap(340);
        box->Add(body, 0, wxLEFT | wxRIGHT, 6);
        box->Add(new wxStaticText(card, wxID_ANY,
                                  wxString::Format(_("Model %s %s"), wxString::FromUTF8(s.plugin_id), wxString::FromUTF8(s.plugin_version))),
                 0, wxALL, 6);
        if (s.status == decision::ReviewStatus::proposed) {
            auto* row = new wxBoxSizer(wxHORIZONTAL);
            auto* accept = new wxButton(card, wxID_ANY, _("Accept"));
            auto* reject = new wxButton(card, wxID_ANY, _("Reject"));
            const std::string why = why_cannot_decide(workstation_.session().user.role, s);
            accept->Enable(why.empty());
            reject->Enable(why.empty());
            if (!why.empty()) accept->SetToolTip(wxString::FromUTF8(why));
            const auto id = s.id;
            accept->Bind(wxEVT_BUTTON, [this, id](wxCommandEvent&) {
                ReviewForm form;
                form.set_decision(decision::ReviewStatus::accepted);
                if (auto m = workstation_.decide(id, form); !m.empty()) wxMessageBox(wxString::FromUTF8(m));
            });
            reject->Bind(wxEVT_BUTTON, [this, id](wxCommandEvent&) {
                wxTextEntryDialog ask(this, _("Why do you reject this suggestion?"), _("Reject"));
                if (ask.ShowModal() != wxID_OK) return;
                ReviewForm form;
                form.set_decision(decision::ReviewStatus::rejected);
                form.set_reason_code(decision::ReasonCode::other);
                form.set_reason_text(ask.GetValue().utf8_string());
                if (auto m = workstation_.decide(id, form); !m.empty()) wxMessageBox(wxString::FromUTF8(m));
            });
            row->Add(accept, 0, wxRIGHT, 6);
            row->Add(reject, 0);
            box->Add(row, 0, wxALL, 6);
        } else {
            box->Add(new wxStaticText(card, wxID_ANY,
                                      wxString::Format(_("%s by %s"), wxString::FromUTF8(std::string(decision::to_string(s.status))),
                                                       wxString::FromUTF8(s.reviewed_by.value_or("?")))),
                     0, wxALL, 6);
        }
        card->SetSizer(box);
        GetSizer()->Add(card, 0, wxEXPAND | wxALL, 4);
    }
    FitInside();
    Thaw();
}

}  // namespace consilium::gui
