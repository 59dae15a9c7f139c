#include "views/text_block.h"

#include <wx/dcbuffer.h>
#include <wx/dcmemory.h>
#include <wx/tokenzr.h>

#include <algorithm>

namespace consilium::gui {

namespace {

// Greedy line breaking of one paragraph at spaces, from the widths of its prefixes (one text
// measurement per paragraph instead of one per word).
void wrap_paragraph(wxDC& dc, const wxString& paragraph, int width, std::vector<wxString>& out) {
    if (width <= 0 || paragraph.empty()) {
        out.push_back(paragraph);
        return;
    }
    wxArrayInt ends;  // ends[i]: width of paragraph[0..i]
    if (!dc.GetPartialTextExtents(paragraph, ends) || ends.size() != paragraph.size()) {
        out.push_back(paragraph);
        return;
    }
    std::size_t start = 0;
    while (start < paragraph.size()) {
        const int offset = start > 0 ? ends[start - 1] : 0;
        std::size_t end = start, last_space = wxString::npos;
        while (end < paragraph.size() && ends[end] - offset <= width) {
            if (paragraph[end] == ' ') last_space = end;
            ++end;
        }
        if (end == paragraph.size()) {
            out.push_back(paragraph.Mid(start));
            break;
        }
        // Break at the last space that fits; a word longer than the line is cut where it overflows.
        const std::size_t cut = last_space != wxString::npos && last_space > start ? last_space : std::max(end, start + 1);
        out.push_back(paragraph.Mid(start, cut - start));
        start = cut;
        while (start < paragraph.size() && paragraph[start] == ' ') ++start;
    }
}

}  // namespace

TextLayout layout_text(const wxString& text, const wxFont& font, const wxColour& colour, int wrap_width) {
    TextLayout layout;
    layout.font = font;
    layout.colour = colour;
    wxBitmap scratch(1, 1);
    wxMemoryDC dc(scratch);
    dc.SetFont(font);
    wxStringTokenizer paragraphs(text, "\n", wxTOKEN_RET_EMPTY_ALL);
    while (paragraphs.HasMoreTokens()) wrap_paragraph(dc, paragraphs.GetNextToken(), wrap_width, layout.lines);
    if (layout.lines.empty()) layout.lines.push_back("");
    layout.line_height = dc.GetCharHeight();
    int widest = 0;
    for (const auto& line : layout.lines) widest = std::max(widest, dc.GetTextExtent(line).x);
    layout.size = wxSize(widest + 1, layout.line_height * static_cast<int>(layout.lines.size()));
    return layout;
}

void draw_text(wxDC& dc, const TextLayout& layout, const wxPoint& top_left) {
    dc.SetFont(layout.font);
    dc.SetTextForeground(layout.colour.IsOk() ? layout.colour : *wxBLACK);
    int y = top_left.y;
    for (const auto& line : layout.lines) {
        dc.DrawText(line, top_left.x, y);
        y += layout.line_height;
    }
}

TextBlock::TextBlock(wxWindow* parent, const wxString& text, const wxFont& font, const wxColour& colour, int wrap_width)
    : wxWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxBORDER_NONE),
      layout_(layout_text(text, font, colour, wrap_width)) {
    SetFont(font);
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    SetInitialSize(layout_.size);
    Bind(wxEVT_PAINT, &TextBlock::on_paint, this);
}

wxSize TextBlock::DoGetBestClientSize() const { return layout_.size; }

void TextBlock::on_paint(wxPaintEvent&) {
    wxAutoBufferedPaintDC dc(this);
    dc.SetBackground(wxBrush(GetParent()->GetBackgroundColour()));
    dc.Clear();
    draw_text(dc, layout_, wxPoint(0, 0));
}

}  // namespace consilium::gui
