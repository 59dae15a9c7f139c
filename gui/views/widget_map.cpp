#include "views/widget_map.h"

#include <wx/button.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/textctrl.h>
#include <wx/toplevel.h>

#include <fstream>
#include <string>

namespace consilium::gui {

namespace {

void line(std::ofstream& out, const char* kind, const wxString& name, const wxString& label, const wxRect& r, bool enabled) {
    wxString clean = label;
    clean.Replace("\t", " ");
    clean.Replace("\n", " ");
    out << kind << '\t' << name.utf8_string() << '\t' << clean.utf8_string() << '\t' << r.x << '\t' << r.y << '\t' << r.width
        << '\t' << r.height << '\t' << (enabled ? 1 : 0) << '\n';
}

// The part of a control the user can see: clipped by every ancestor (a card scrolled out of its
// panel is not clickable). Empty when hidden.
wxRect visible_rect(wxWindow* w) {
    wxRect r = w->GetScreenRect();
    for (wxWindow* p = w->GetParent(); p && !r.IsEmpty(); p = p->GetParent()) {
        r.Intersect(wxRect(p->ClientToScreen(wxPoint(0, 0)), p->GetClientSize()));
        if (p->IsTopLevel()) break;
    }
    return r;
}

void walk(std::ofstream& out, wxWindow* w) {
    if (!w->IsShownOnScreen()) return;
    const wxRect screen = visible_rect(w);
    if (auto* b = wxDynamicCast(w, wxButton)) line(out, "button", b->GetName(), b->GetLabel(), screen, b->IsEnabled());
    else if (auto* l = wxDynamicCast(w, wxListBox)) {
        line(out, "listbox", l->GetName(), "", screen, l->IsEnabled());
        // Rows of a list box: the height is shared evenly (GTK lays them out so).
        const int n = static_cast<int>(l->GetCount());
        for (int i = 0; i < n && n > 0; ++i) {
            const wxRect client = l->GetClientRect();
            const wxPoint origin = l->ClientToScreen(client.GetTopLeft());
            const int h = client.height / n;
            line(out, "listbox-row", l->GetName(), l->GetString(static_cast<unsigned>(i)),
                 wxRect(origin.x, origin.y + i * h, client.width, h), l->IsEnabled());
        }
    } else if (auto* v = wxDynamicCast(w, wxListCtrl)) {
        line(out, "list", v->GetName(), "", screen, v->IsEnabled());
        for (long i = 0; i < v->GetItemCount(); ++i) {
            wxRect r;
            if (!v->GetItemRect(i, r)) continue;
            const wxPoint origin = v->ClientToScreen(r.GetTopLeft());  // the rectangle is in the control's client area
            line(out, "list-row", v->GetName(), v->GetItemText(i), wxRect(origin, r.GetSize()), v->IsEnabled());
        }
    } else if (auto* t = wxDynamicCast(w, wxTextCtrl)) line(out, "text", t->GetName(), "", screen, t->IsEnabled());
    // Drawn, not a control: the patient banner says what it drew through its label.
    else if (w->GetName() == "patient-banner") line(out, "banner", w->GetName(), w->GetLabel(), screen, w->IsEnabled());
    for (wxWindow* child : w->GetChildren()) walk(out, child);
}

}  // namespace

void write_widget_map(const std::filesystem::path& file) {
    const auto tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        for (wxWindow* top : wxTopLevelWindows) {
            if (!top->IsShown()) continue;
            line(out, "window", top->GetName(), top->GetLabel(), top->GetScreenRect(), top->IsEnabled());
            walk(out, top);
        }
    }
    std::filesystem::rename(tmp, file);
}

}  // namespace consilium::gui
