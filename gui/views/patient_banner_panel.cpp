#include "views/patient_banner_panel.h"

#include <wx/dcbuffer.h>
#include <wx/intl.h>

namespace consilium::gui {

namespace {
// FHIR's administrative genders, listed so the catalogue holds their translations.
[[maybe_unused]] const char* const kGenders[] = {wxTRANSLATE("male"), wxTRANSLATE("female"), wxTRANSLATE("other"),
                                                 wxTRANSLATE("unknown")};
}  // namespace

PatientBannerPanel::PatientBannerPanel(wxWindow* parent, Workstation& workstation)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxSize(-1, 48), wxTAB_TRAVERSAL, "patient-banner"),
      workstation_(workstation) {
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    SetMinSize(wxSize(400, 48));
    Bind(wxEVT_PAINT, &PatientBannerPanel::on_paint, this);
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        Refresh();
        e.Skip();
    });
    workstation_.patient_changed.connect([this] { Refresh(); });
    workstation_.session_changed.connect([this] { Refresh(); });
}

void PatientBannerPanel::set_large(bool large) {
    large_ = large;
    SetMinSize(wxSize(400, large ? 72 : 48));
    Refresh();
}

void PatientBannerPanel::on_paint(wxPaintEvent&) {
    wxAutoBufferedPaintDC dc(this);
    const wxSize size = GetClientSize();
    const auto banner = workstation_.banner();
    wxColour background = banner ? wxColour(banner->colour.r, banner->colour.g, banner->colour.b) : wxColour(60, 60, 66);
    dc.SetBackground(wxBrush(background));
    dc.Clear();
    wxFont big = GetFont().Scaled(large_ ? 2.0f : 1.4f).Bold();
    wxFont normal = GetFont().Scaled(large_ ? 1.5f : 1.05f);
    dc.SetTextForeground(*wxWHITE);
    int x = 14;
    const int mid = size.y / 2;
    wxString drawn;
    if (banner) {
        dc.SetFont(big);
        // The identity is never blank: no recorded name is said in words, and the MRN, birth date
        // and sex are always drawn beside it.
        const wxString name = banner->name.empty() ? _("(no name recorded)") : wxString::FromUTF8(banner->name);
        dc.DrawText(name, x, mid - dc.GetTextExtent(name).y / 2);
        x += dc.GetTextExtent(name).x + 16;
        dc.SetFont(normal);
        if (!banner->other_names.empty()) {
            const wxString others = wxString::FromUTF8(banner->other_names);
            dc.DrawText(others, x, mid - dc.GetTextExtent(others).y / 2);
            x += dc.GetTextExtent(others).x + 16;
        }
        x += 8;
        const wxString born = banner->birth_date == "unknown" ? _("unknown") : wxString::FromUTF8(banner->birth_date);
        wxString details = wxString::Format(_("born %s"), born);
        if (banner->age) details += wxString::Format(_(" (%d y)"), *banner->age);
        details += "   " + wxGetTranslation(wxString::FromUTF8(banner->sex)) + "   " + wxString::FromUTF8(banner->identifier);
        dc.DrawText(details, x, mid - dc.GetTextExtent(details).y / 2);
        drawn = name + "  ";
        if (!banner->other_names.empty()) drawn += wxString::FromUTF8(banner->other_names) + "  ";
        drawn += details;
    } else {
        dc.SetFont(big);
        const wxString none = _("No patient open");
        dc.DrawText(none, x, mid - dc.GetTextExtent(none).y / 2);
        drawn = none;
    }
    // The drawn text as the panel's label: what the widget map (GUI tests) reads, as a control's label.
    if (GetLabel() != drawn) SetLabel(drawn);
    if (workstation_.logged_in()) {
        dc.SetFont(normal);
        const wxString user = wxString::Format(_("Logged in: %s"), wxString::FromUTF8(workstation_.user_label()));
        const wxSize extent = dc.GetTextExtent(user);
        dc.DrawText(user, size.x - extent.x - 14, mid - extent.y / 2);
    }
}

}  // namespace consilium::gui
