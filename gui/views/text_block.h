#pragma once
// Read-only text drawn by us, wrapped at a given width. Used where a panel shows many short
// paragraphs (suggestion cards): GTK's wrapping labels renegotiate their size on every layout and
// made each card cost tens of milliseconds on the UI thread; this lays its lines out once.
#include <wx/window.h>

#include <vector>

namespace consilium::gui {

class TextBlock : public wxWindow {
public:
    // wrap_width <= 0: one line per paragraph, never wrapped.
    TextBlock(wxWindow* parent, const wxString& text, const wxFont& font, const wxColour& colour, int wrap_width);

protected:
    wxSize DoGetBestClientSize() const override;

private:
    void on_paint(wxPaintEvent&);

    std::vector<wxString> lines_;
    int line_height_ = 0;
    wxSize size_;
};

}  // namespace consilium::gui
