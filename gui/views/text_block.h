#pragma once
// Read-only text laid out by us, wrapped at a given width, once. GTK's wrapping labels renegotiate
// their size on every layout and made each suggestion card cost tens of milliseconds on the UI
// thread; panels with many paragraphs draw a TextLayout straight onto themselves (no widget per
// paragraph), or use a TextBlock where the text must be a window of its own (a link, a tag).
#include <wx/dc.h>
#include <wx/window.h>

#include <vector>

namespace consilium::gui {

struct TextLayout {
    std::vector<wxString> lines;
    int line_height = 0;
    wxSize size;
    wxFont font;
    wxColour colour;
};

// wrap_width <= 0: one line per paragraph, never wrapped.
TextLayout layout_text(const wxString& text, const wxFont& font, const wxColour& colour, int wrap_width);
void draw_text(wxDC& dc, const TextLayout& layout, const wxPoint& top_left);

class TextBlock : public wxWindow {
public:
    TextBlock(wxWindow* parent, const wxString& text, const wxFont& font, const wxColour& colour, int wrap_width);

protected:
    wxSize DoGetBestClientSize() const override;

private:
    void on_paint(wxPaintEvent&);
    TextLayout layout_;
};

}  // namespace consilium::gui
