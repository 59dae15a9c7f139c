#include "views/widget_map.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/srchctrl.h>
#include <wx/stattext.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/textctrl.h>
#include <wx/toplevel.h>

#include <fstream>
#include <string>

namespace consilium::gui {

namespace {

wxString one_line(wxString text) {
    text.Replace("\t", " ");
    text.Replace("\n", " ");
    return text;
}

// `value`: what a text field holds, whether a check box is ticked. `clipped`: the control is
// narrower than its label needs (a button reading "tingen wiss"), so a test can say which.
void line(std::ofstream& out, const char* kind, const wxString& name, const wxString& label, const wxRect& r, bool enabled,
          const wxString& value = "", bool clipped = false) {
    out << kind << '\t' << name.utf8_string() << '\t' << one_line(label).utf8_string() << '\t' << r.x << '\t' << r.y << '\t'
        << r.width << '\t' << r.height << '\t' << (enabled ? 1 : 0) << '\t' << one_line(value).utf8_string() << '\t'
        << (clipped ? "clipped" : "") << '\n';
}

bool clipped(wxWindow* w) {
    const wxSize best = w->GetBestSize(), size = w->GetSize();
    return size.x + 1 < best.x;
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
    if (auto* b = wxDynamicCast(w, wxButton)) line(out, "button", b->GetName(), b->GetLabel(), screen, b->IsEnabled(), "", clipped(b));
    else if (auto* c = wxDynamicCast(w, wxCheckBox))
        line(out, "checkbox", c->GetName(), c->GetLabel(), screen, c->IsEnabled(), c->GetValue() ? "1" : "0", clipped(c));
    else if (auto* ch = wxDynamicCast(w, wxChoice))
        line(out, "choice", ch->GetName(), ch->GetStringSelection(), screen, ch->IsEnabled(), "", clipped(ch));
    else if (auto* st = wxDynamicCast(w, wxStaticText))
        line(out, "label", st->GetName(), st->GetLabel(), screen, st->IsEnabled(), "", clipped(st));
    else if (auto* sc = wxDynamicCast(w, wxSearchCtrl)) {
        line(out, "text", sc->GetName(), "", screen, sc->IsEnabled(), sc->GetValue());
        return;  // its inner parts are not controls of their own
    }
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
            line(out, "list-row", v->GetName(), v->GetItemText(i), wxRect(origin, r.GetSize()), v->IsEnabled(),
                 v->GetItemState(i, wxLIST_STATE_SELECTED) ? "selected" : "");
            // The other columns' text, for tests that read what a row says (the language of each cell).
            for (int col = 1; col < v->GetColumnCount(); ++col)
                line(out, "list-cell", v->GetName(), v->GetItemText(i, col), wxRect(origin, r.GetSize()), v->IsEnabled());
        }
    } else if (auto* t = wxDynamicCast(w, wxTextCtrl)) line(out, "text", t->GetName(), "", screen, t->IsEnabled(), t->GetValue());
    // Drawn, not controls: the patient banner and the views say what they drew through their label.
    else if (w->GetName() == "patient-banner") line(out, "banner", w->GetName(), w->GetLabel(), screen, w->IsEnabled());
    else if (w->GetName().StartsWith("view-")) line(out, "view", w->GetName(), w->GetLabel(), screen, w->IsEnabled());
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
