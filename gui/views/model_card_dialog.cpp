#include "views/model_card_dialog.h"

#include <wx/button.h>
#include <wx/display.h>
#include <wx/intl.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace consilium::gui {

namespace {
// The model's section headings (model/plugin_runs.h) in the user's language.
wxString heading(const std::string& h) {
    if (h == "Intended use") return _("Intended use");
    if (h == "Training data") return _("Training data");
    if (h == "Performance") return _("Performance");
    if (h == "Limitations") return _("Limitations");
    if (h == "Reads") return _("Reads");
    if (h == "Suggests") return _("Suggests");
    return wxString::FromUTF8(h);
}
}  // namespace

ModelCardDialog::ModelCardDialog(wxWindow* parent, const ModelCardView& card, bool large)
    : wxDialog(wxGetTopLevelParent(parent), wxID_ANY, wxString::Format(_("Model card - %s"), wxString::FromUTF8(card.title)), wxDefaultPosition,
               wxDefaultSize, wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER) {
    if (large) SetFont(GetFont().Scaled(1.4f));
    const int wrap = FromDIP(large ? 820 : 600);
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* body = new wxScrolledWindow(this, wxID_ANY);
    body->SetScrollRate(0, 12);
    auto* inner = new wxBoxSizer(wxVERTICAL);

    auto* title = new wxStaticText(body, wxID_ANY, wxString::FromUTF8(card.title));
    title->SetFont(GetFont().Scaled(1.35f).Bold());
    inner->Add(title, 0, wxLEFT | wxRIGHT | wxTOP, 12);
    auto* subtitle = new wxStaticText(body, wxID_ANY, wxString::FromUTF8(card.subtitle));
    subtitle->SetForegroundColour(wxColour(90, 90, 90));
    inner->Add(subtitle, 0, wxLEFT | wxRIGHT | wxBOTTOM, 12);
    if (!card.warning.empty()) {
        auto* warning = new wxStaticText(body, wxID_ANY, wxString::FromUTF8(card.warning));
        warning->SetForegroundColour(wxColour(170, 80, 0));
        warning->Wrap(wrap);
        inner->Add(warning, 0, wxLEFT | wxRIGHT | wxBOTTOM, 12);
    }
    for (const auto& [title_text, text] : card.sections) {
        auto* h = new wxStaticText(body, wxID_ANY, heading(title_text));
        h->SetFont(GetFont().Bold());
        inner->Add(h, 0, wxLEFT | wxRIGHT | wxTOP, 12);
        auto* t = new wxStaticText(body, wxID_ANY, wxString::FromUTF8(text));
        t->Wrap(wrap);
        inner->Add(t, 0, wxLEFT | wxRIGHT | wxTOP, 4);
        inner->AddSpacer(4);
    }
    if (!card.references.empty()) {
        auto* h = new wxStaticText(body, wxID_ANY, _("References"));
        h->SetFont(GetFont().Bold());
        inner->Add(h, 0, wxLEFT | wxRIGHT | wxTOP, 12);
        for (const auto& r : card.references) {
            auto* t = new wxStaticText(body, wxID_ANY, wxString::FromUTF8("\u2022 " + r));
            t->Wrap(wrap);
            inner->Add(t, 0, wxLEFT | wxRIGHT | wxTOP, 12);
        }
    }
    inner->AddSpacer(12);
    body->SetSizer(inner);
    body->FitInside();
    const wxSize wanted = inner->GetMinSize();
    const wxRect screen = wxDisplay(0u).GetClientArea();
    body->SetMinSize(wxSize(wanted.x + FromDIP(20), std::min(wanted.y, screen.height * 3 / 4)));
    top->Add(body, 1, wxEXPAND);

    auto* buttons = new wxStdDialogButtonSizer();
    auto* close = new wxButton(this, wxID_OK, _("Close"));
    close->SetDefault();
    buttons->AddButton(close);
    buttons->Realize();
    top->Add(buttons, 0, wxALL | wxALIGN_RIGHT, 12);
    SetSizerAndFit(top);
    CentreOnParent();
    SetEscapeId(wxID_OK);
}

}  // namespace consilium::gui
