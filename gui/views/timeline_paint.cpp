// TimelinePanel::on_paint: the axis, the lane labels, bars and dots, sparklines with their
// reference bands, the hover ring and the tooltip. Only what is visible is drawn, from the
// layout's sorted arrays; nothing here touches the store.
#include "views/timeline_panel.h"

#include <wx/dcclient.h>
#include <wx/dcmemory.h>
#include <wx/dcgraph.h>
#include <wx/intl.h>

#include <algorithm>
#include <climits>
#include <cmath>

namespace consilium::gui {
namespace {

const wxColour kBackground(252, 252, 253), kStripe(244, 246, 249), kGrid(230, 233, 238), kGridStrong(200, 206, 215);
const wxColour kLabelBack(238, 241, 245), kHeading(222, 228, 237), kText(30, 34, 40), kMuted(105, 112, 122);
const wxColour kBand(214, 238, 218), kAlarm(200, 40, 40), kHover(255, 170, 0), kGood(40, 150, 70);

wxColour lane_colour(LaneKind k) {
    switch (k) {
    case LaneKind::encounters: return {70, 110, 170};
    case LaneKind::conditions: return {196, 112, 36};
    case LaneKind::medications: return {48, 140, 96};
    case LaneKind::procedures: return {124, 84, 168};
    case LaneKind::imaging: return {24, 120, 186};
    case LaneKind::reports: return {110, 110, 118};
    case LaneKind::vital: return {36, 82, 150};
    case LaneKind::lab: return {88, 78, 160};
    case LaneKind::observations: return {120, 124, 132};
    case LaneKind::ai: return {214, 146, 0};
    case LaneKind::mdt: return {168, 40, 96};
    case LaneKind::allergies: return {200, 60, 60};
    case LaneKind::immunizations: return {40, 150, 150};
    }
    return {100, 100, 100};
}

wxColour tone_colour(ItemTone t, const wxColour& normal) {
    switch (t) {
    case ItemTone::low:
    case ItemTone::high: return kAlarm;
    case ItemTone::proposed: return {224, 150, 0};
    case ItemTone::accepted: return kGood;
    case ItemTone::modified: return {50, 100, 200};
    case ItemTone::rejected: return {150, 150, 150};
    case ItemTone::normal: break;
    }
    return normal;
}

wxColour lighter(const wxColour& c, double amount) {
    auto mix = [amount](unsigned char v) { return static_cast<unsigned char>(v + (255 - v) * amount); };
    return {mix(c.Red()), mix(c.Green()), mix(c.Blue())};
}

wxString utf8(const std::string& s) { return wxString::FromUTF8(s); }

// `text` shortened with an ellipsis to fit `width` pixels.
wxString fit_text(wxDC& dc, const wxString& text, int width) {
    if (width <= 0) return {};
    if (dc.GetTextExtent(text).x <= width) return text;
    const wxString dots = wxString::FromUTF8("\u2026");
    // Binary search on the length: text measuring is the slow part.
    std::size_t lo = 0, hi = text.length();
    while (lo < hi) {
        const std::size_t mid = (lo + hi + 1) / 2;
        if (dc.GetTextExtent(text.Left(mid) + dots).x <= width) lo = mid;
        else hi = mid - 1;
    }
    return lo == 0 ? wxString() : text.Left(lo) + dots;
}

class Painter {
public:
    Painter(wxDC& dc, const TimelineLayout& layout, const wxFont& font)
        : dc_(dc), layout_(layout), m_(layout.metrics()), font_(font), small_(font.Scaled(0.85f)), bold_(font.Bold()) {
        width_ = layout.width();
        height_ = layout.height();
    }

    // Everything but the hover: drawn into the panel's cached bitmap.
    void paint_base(const wxString& notice) {
        dc_.SetBackground(wxBrush(kBackground));
        dc_.Clear();
        ticks_ = layout_.ticks();  // none on an undated timeline: no grid, no years
        const int a = m_.axis_height;
        dc_.SetClippingRegion(0, a, width_, height_ - a);
        backgrounds();
        dc_.DestroyClippingRegion();
        dc_.SetClippingRegion(m_.label_width, a, width_ - m_.label_width, height_ - a);
        for (std::size_t i = 0; i < layout_.lanes().size(); ++i)
            if (shown(i)) content(i);
        dc_.DestroyClippingRegion();
        dc_.SetClippingRegion(0, a, m_.label_width, height_ - a);
        labels();
        dc_.DestroyClippingRegion();
        axis();
        scroll_thumb();
        if (!notice.empty()) centred_notice(notice);
    }

    // The ring around the item under the mouse and its tooltip, over the cached picture.
    void paint_hover(const TimelineHit& hover, const wxPoint& mouse) {
        dc_.SetClippingRegion(m_.label_width, m_.axis_height, width_ - m_.label_width, height_ - m_.axis_height);
        ring(hover);
        dc_.DestroyClippingRegion();
        tooltip(hover, mouse);
    }

private:
    bool shown(std::size_t i) const {
        const LaneBox b = layout_.box(i);
        return b.top + b.height >= m_.axis_height && b.top <= height_;
    }

    void fill(int x, int y, int w, int h, const wxColour& c) {
        dc_.SetPen(*wxTRANSPARENT_PEN);
        dc_.SetBrush(wxBrush(c));
        dc_.DrawRectangle(x, y, w, h);
    }

    void backgrounds() {
        const auto& lanes = layout_.lanes();
        for (std::size_t i = 0; i < lanes.size(); ++i) {
            if (!shown(i)) continue;
            const LaneBox b = layout_.box(i);
            if (i % 2) fill(0, b.top, width_, b.height, kStripe);
            if (lanes[i].style == LaneStyle::sparkline && lanes[i].range) band(i);
        }
        for (const auto& t : ticks_) {
            const int x = static_cast<int>(std::lround(m_.label_width + t.x));
            dc_.SetPen(wxPen(t.strong ? kGridStrong : kGrid));
            dc_.DrawLine(x, m_.axis_height, x, height_);
        }
        for (std::size_t i = 0; i < lanes.size(); ++i) {
            const LaneBox b = layout_.box(i);
            if (b.heading_top < 0 || b.heading_top > height_ || b.heading_top + m_.group_height < m_.axis_height) continue;
            fill(0, b.heading_top, width_, m_.group_height, kHeading);
            dc_.SetFont(small_.Bold());
            dc_.SetTextForeground(kMuted);
            dc_.DrawText(wxGetTranslation(utf8(lanes[i].group)).Upper(), 6,
                         b.heading_top + (m_.group_height - dc_.GetCharHeight()) / 2);
        }
    }

    // The reference range behind a sparkline, across the data area.
    void band(std::size_t i) {
        const auto& lane = layout_.lanes()[i];
        const LaneBox b = layout_.box(i);
        const double hi = lane.range->high ? *lane.range->high : lane.high;
        const double lo = lane.range->low ? *lane.range->low : lane.low;
        const int y0 = std::max(b.top + 1, static_cast<int>(std::lround(layout_.y_of_value(i, hi))));
        const int y1 = std::min(b.top + b.height - 1, static_cast<int>(std::lround(layout_.y_of_value(i, lo))));
        if (y1 > y0) fill(m_.label_width, y0, width_ - m_.label_width, y1 - y0, kBand);
    }

    void content(std::size_t i) {
        switch (layout_.lanes()[i].style) {
        case LaneStyle::bars: bars(i); break;
        case LaneStyle::sparkline: sparkline(i); break;
        case LaneStyle::markers: markers(i); break;
        }
    }

    double dot_radius() const { return std::max(3.0, (m_.track_height - 3) / 2.6); }

    void dot(const TimelineItem& it, LaneKind kind, double x, double cy, const wxColour& c) {
        const double r = dot_radius();
        dc_.SetPen(wxPen(c.ChangeLightness(70)));
        if (kind == LaneKind::imaging) {
            // A filled square when the images are here (a click opens them), hollow when not.
            dc_.SetBrush(it.series_uid.empty() ? *wxWHITE_BRUSH : wxBrush(c));
            dc_.DrawRectangle(wxRect(wxPoint(static_cast<int>(x - r), static_cast<int>(cy - r)), wxSize(static_cast<int>(2 * r + 1), static_cast<int>(2 * r + 1))));
        } else if (it.kind == "Review" || kind == LaneKind::mdt) {
            dc_.SetBrush(wxBrush(c));
            const wxPoint diamond[] = {{static_cast<int>(x), static_cast<int>(cy - r - 1)}, {static_cast<int>(x + r + 1), static_cast<int>(cy)},
                                       {static_cast<int>(x), static_cast<int>(cy + r + 1)}, {static_cast<int>(x - r - 1), static_cast<int>(cy)}};
            dc_.DrawPolygon(4, diamond);
        } else {
            dc_.SetBrush(wxBrush(c));
            dc_.DrawCircle(wxPoint(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(cy))), static_cast<int>(std::lround(r)));
        }
    }

    // Intervals as bars, instants as dots; names written where there is room.
    void bars(std::size_t i) {
        const auto& lane = layout_.lanes()[i];
        const wxColour c = lane_colour(lane.kind);
        const auto [first, last] = layout_.visible(i);
        const bool names = last - first < 400;  // beyond that nothing legible fits anyway
        std::vector<double> free_from(static_cast<std::size_t>(lane.tracks), -1e9);
        std::vector<long> last_px(static_cast<std::size_t>(lane.tracks), LONG_MIN);
        const int h = m_.track_height - 3;
        dc_.SetFont(small_);
        for (std::size_t k = first; k < last; ++k) {
            const auto& it = lane.items[k];
            const double x0 = layout_.x_of(it.start), x1 = layout_.x_of(it.end);
            if (x1 < m_.label_width - 8 || x0 > width_ + 8) continue;
            const auto track = static_cast<std::size_t>(it.track);
            const int y = layout_.track_top(i, it.track);
            const wxColour colour = tone_colour(it.tone, c);
            if ((it.interval || it.open_ended) && x1 - x0 >= 3) {
                const int left = static_cast<int>(std::max(x0, m_.label_width - 2.0));
                const int right = static_cast<int>(std::min(x1, width_ + 2.0));
                dc_.SetPen(it.open_ended ? *wxTRANSPARENT_PEN : wxPen(colour));
                dc_.SetBrush(wxBrush(lighter(colour, it.open_ended ? 0.62 : 0.35)));
                dc_.DrawRectangle(left, y, std::max(2, right - left), h);
                if (it.open_ended) fill(left, y, 2, h, colour);  // the onset
                if (names && right - left > 30) {
                    dc_.SetTextForeground(kText);
                    const int tx = std::max(left, m_.label_width) + 4;
                    dc_.DrawText(fit_text(dc_, utf8(it.title), right - tx - 2), tx, y + (h - dc_.GetCharHeight()) / 2);
                }
                free_from[track] = std::max(free_from[track], x1 + 4);
                continue;
            }
            const long px = std::lround(x0);
            if (px == last_px[track] && !names) continue;  // one dot per pixel is enough
            last_px[track] = px;
            dot(it, lane.kind, x0, y + h / 2.0, colour);
            if (!names) continue;
            const double tx = x0 + dot_radius() + 3;
            if (tx < free_from[track]) continue;
            const wxString text = utf8(it.title);
            const int tw = dc_.GetTextExtent(text).x;
            // Written only when the next item on the track does not start underneath the text.
            double next = 1e9;
            for (std::size_t j = k + 1; j < std::min(last, k + 64); ++j)
                if (lane.items[j].track == it.track) {
                    next = layout_.x_of(lane.items[j].start);
                    break;
                }
            const int room = static_cast<int>(std::min(next - 6, static_cast<double>(width_)) - tx);
            if (room < 24) continue;
            dc_.SetTextForeground(kMuted);
            dc_.DrawText(fit_text(dc_, text, room), static_cast<int>(tx), y + (h - dc_.GetCharHeight()) / 2);
            free_from[track] = tx + std::min(tw, room) + 6;
        }
    }

    wxPoint at(std::size_t lane, double x, double value) const {
        return {static_cast<int>(std::lround(x)), static_cast<int>(std::lround(layout_.y_of_value(lane, value)))};
    }

    void sparkline(std::size_t i) {
        const auto& lane = layout_.lanes()[i];
        const wxColour c = lane_colour(lane.kind);
        const auto [first, last] = layout_.visible(i);
        const double count = static_cast<double>(last - first);
        const double data_width = layout_.axis().width();
        // Blood pressure: each reading as a bar from diastolic to systolic, as charts draw it.
        if (lane.key == "vital:sbp" && count <= data_width / 3) {
            dc_.SetPen(wxPen(lighter(c, 0.45), 2));
            for (std::size_t k = first; k < last; ++k) {
                const auto& it = lane.items[k];
                if (!it.value || !it.value2) continue;
                const double x = layout_.x_of(it.start);
                dc_.DrawLine(at(i, x, *it.value), at(i, x, *it.value2));
                dc_.DrawLine(at(i, x - 3, *it.value2), at(i, x + 3, *it.value2));
            }
        }
        const auto points = layout_.sparkline(i);
        if (points.size() > 1) {
            std::vector<wxPoint> line;
            line.reserve(points.size());
            for (const auto& p : points) line.push_back(at(i, p.x, p.value));
            dc_.SetPen(wxPen(c, m_.track_height > 18 ? 2 : 1));
            // A dense line (a point every pixel or two) gains nothing from antialiasing but costs most of the paint.
            auto* gc = dc_.GetGraphicsContext();
            const bool dense = gc && static_cast<double>(points.size()) > data_width / 2;
            if (dense) gc->SetAntialiasMode(wxANTIALIAS_NONE);
            dc_.DrawLines(static_cast<int>(line.size()), line.data());
            if (dense) gc->SetAntialiasMode(wxANTIALIAS_DEFAULT);
        }
        if (count > data_width / 5) return;  // dense: the line says it all
        const bool values = count <= data_width / (7 * m_.char_width);
        const double r = m_.track_height > 18 ? 3.5 : 2.5;
        dc_.SetFont(small_);
        const LaneBox b = layout_.box(i);
        int free_x = INT_MIN;  // a value is written only where the previous one ended
        for (std::size_t k = first; k < last; ++k) {
            const auto& it = lane.items[k];
            if (!it.value) continue;
            const wxPoint p = at(i, layout_.x_of(it.start), *it.value);
            const wxColour colour = tone_colour(it.tone, c);
            dc_.SetPen(wxPen(colour));
            dc_.SetBrush(wxBrush(colour));
            dc_.DrawCircle(p, static_cast<int>(std::lround(r)));
            if (!values) continue;
            dc_.SetTextForeground(it.tone == ItemTone::normal ? kMuted : kAlarm);
            const int tx = p.x + static_cast<int>(r) + 2;
            if (tx < free_x) continue;
            const wxString text = utf8(it.mark);
            const wxSize ts = dc_.GetTextExtent(text);
            free_x = tx + ts.x + 4;
            // Above the line to the right of the dot; below it where the row ends above.
            int ty = p.y - ts.y - 1;
            if (ty < b.top) ty = std::min(p.y + 2, b.top + b.height - ts.y);
            dc_.DrawText(text, tx, ty);
        }
    }

    void markers(std::size_t i) {
        const auto& lane = layout_.lanes()[i];
        const auto [first, last] = layout_.visible(i);
        const LaneBox b = layout_.box(i);
        const int r = std::max(5, b.height / 2 - 2);
        dc_.SetFont(small_.Bold());
        // Markers do not overlap, except that an abnormal one is never hidden by a normal one.
        double free_x = -1e9;
        bool last_normal = true;
        for (std::size_t k = first; k < last; ++k) {
            const auto& it = lane.items[k];
            const double x = layout_.x_of(it.start);
            const bool normal = it.tone == ItemTone::normal;
            if (x < free_x && (normal || !last_normal)) continue;
            free_x = x + 2 * r;
            last_normal = normal;
            const long px = std::lround(x);
            const wxColour colour = it.tone == ItemTone::normal ? kGood : kAlarm;
            const wxPoint centre(static_cast<int>(px), b.top + b.height / 2);
            dc_.SetPen(wxPen(colour.ChangeLightness(80)));
            dc_.SetBrush(wxBrush(colour));
            dc_.DrawCircle(centre, r);
            const wxString letter = utf8(it.mark);
            const wxSize ts = dc_.GetTextExtent(letter);
            dc_.SetTextForeground(*wxWHITE);
            dc_.DrawText(letter, centre.x - ts.x / 2, centre.y - ts.y / 2);
        }
    }

    void ring(const TimelineHit& hit) {
        const auto& lane = layout_.lanes()[hit.lane];
        const auto& it = layout_.item(hit);
        dc_.SetPen(wxPen(kHover, 2));
        dc_.SetBrush(*wxTRANSPARENT_BRUSH);
        const double x0 = layout_.x_of(it.start);
        if (lane.style == LaneStyle::sparkline && it.value) {
            dc_.DrawCircle(at(hit.lane, x0, *it.value), 6);
        } else if (lane.style == LaneStyle::bars && (it.interval || it.open_ended) && layout_.x_of(it.end) - x0 >= 3) {
            const int y = layout_.track_top(hit.lane, it.track);
            dc_.DrawRectangle(static_cast<int>(x0) - 2, y - 2, static_cast<int>(layout_.x_of(it.end) - x0) + 4, m_.track_height + 1);
        } else {
            const LaneBox b = layout_.box(hit.lane);
            const int cy = lane.style == LaneStyle::bars ? layout_.track_top(hit.lane, it.track) + (m_.track_height - 3) / 2
                                                         : b.top + b.height / 2;
            dc_.DrawCircle(wxPoint(static_cast<int>(std::lround(x0)), cy), static_cast<int>(dot_radius()) + 4);
        }
    }

    void labels() {
        fill(0, m_.axis_height, m_.label_width, height_ - m_.axis_height, kLabelBack);
        const auto& lanes = layout_.lanes();
        for (std::size_t i = 0; i < lanes.size(); ++i) {
            if (!shown(i)) continue;
            const auto& lane = lanes[i];
            const LaneBox b = layout_.box(i);
            if (b.heading_top >= 0) {
                fill(0, b.heading_top, m_.label_width, m_.group_height, kHeading);
                dc_.SetFont(small_.Bold());
                dc_.SetTextForeground(kMuted);
                dc_.DrawText(wxGetTranslation(utf8(lane.group)).Upper(), 6,
                             b.heading_top + (m_.group_height - dc_.GetCharHeight()) / 2);
            }
            const int indent = lane.group.empty() ? 6 : 12;
            const int room = m_.label_width - indent - 6;
            dc_.SetFont(font_);
            dc_.SetTextForeground(kText);
            const int line = dc_.GetCharHeight();
            wxString sub;
            if (lane.style == LaneStyle::sparkline) {
                sub = utf8(lane.unit);
                if (lane.range) {
                    const auto num = [](double v) { return wxString::FromCDouble(v, v == std::floor(v) ? 0 : 1); };
                    wxString r;
                    if (lane.range->low && lane.range->high) r = num(*lane.range->low) + wxString::FromUTF8("\u2013") + num(*lane.range->high);
                    else if (lane.range->low) r = wxString::FromUTF8("\u2265 ") + num(*lane.range->low);
                    else r = wxString::FromUTF8("\u2264 ") + num(*lane.range->high);
                    sub += (sub.empty() ? "" : "   ") + r;
                }
            }
            const wxString text = fit_text(dc_, wxGetTranslation(utf8(lane.label)), room);
            if (!sub.empty() && b.height >= 2 * line) {
                const int y = b.top + (b.height - 2 * line) / 2;
                dc_.DrawText(text, indent, y);
                dc_.SetFont(small_);
                dc_.SetTextForeground(kMuted);
                dc_.DrawText(fit_text(dc_, sub, room), indent, y + line);
            } else {
                dc_.DrawText(text, indent, b.top + (b.height - line) / 2);
            }
        }
        dc_.SetPen(wxPen(kGridStrong));
        dc_.DrawLine(m_.label_width - 1, m_.axis_height, m_.label_width - 1, height_);
    }

    void axis() {
        const int a = m_.axis_height;
        fill(0, 0, width_, a, kLabelBack);
        dc_.SetPen(wxPen(kGridStrong));
        dc_.DrawLine(0, a - 1, width_, a - 1);
        dc_.SetClippingRegion(m_.label_width, 0, width_ - m_.label_width, a);
        // Strong ticks (a new year, month, day) are labelled first; others where they fit.
        std::vector<std::pair<int, int>> taken;
        for (int pass = 0; pass < 2; ++pass) {
            dc_.SetFont(pass == 0 ? bold_ : font_);
            for (const auto& t : ticks_) {
                if (t.strong != (pass == 0)) continue;
                const int x = static_cast<int>(std::lround(m_.label_width + t.x));
                dc_.SetPen(wxPen(t.strong ? kText : kMuted));
                dc_.DrawLine(x, a - (t.strong ? 8 : 5), x, a - 1);
                const wxString label = utf8(t.label);
                const int w = dc_.GetTextExtent(label).x;
                const int left = x + 3, right = x + 3 + w;
                const bool clash = std::any_of(taken.begin(), taken.end(),
                                               [&](const auto& r) { return left < r.second + 6 && right > r.first - 6; });
                if (clash) continue;
                taken.push_back({left, right});
                dc_.SetTextForeground(t.strong ? kText : kMuted);
                dc_.DrawText(label, left, (a - 8 - dc_.GetCharHeight()) / 2 + 1);
            }
        }
        dc_.DestroyClippingRegion();
        // The corner: what the labels leave out (the day, when they show hours) and the time zone.
        // An undated timeline has no time zone to name either: only the count of undated events.
        const std::string context = layout_.context_label();
        wxString corner;
        if (layout_.dated()) corner = context.empty() ? _("UTC") : utf8(context) + " " + _("UTC");
        if (layout_.undated() > 0) corner += wxString::Format(_(" (%d undated)"), layout_.undated());
        corner.Trim(false);
        dc_.SetFont(small_);
        dc_.SetTextForeground(kMuted);
        dc_.DrawText(fit_text(dc_, corner, m_.label_width - 10), 6, (a - dc_.GetCharHeight()) / 2);
        dc_.SetPen(wxPen(kGridStrong));
        dc_.DrawLine(m_.label_width - 1, 0, m_.label_width - 1, a);
    }

    void scroll_thumb() {
        const int content = layout_.content_height(), view = layout_.lanes_height();
        if (content <= view || view <= 0) return;
        const int thumb = std::max(16, view * view / content);
        const int top = m_.axis_height + (view - thumb) * layout_.scroll() / std::max(1, content - view);
        dc_.SetPen(*wxTRANSPARENT_PEN);
        dc_.SetBrush(wxBrush(wxColour(150, 158, 170, 160)));
        dc_.DrawRoundedRectangle(width_ - 6, top + 1, 4, thumb - 2, 2);
    }

    void centred_notice(const wxString& text) {
        dc_.SetFont(font_);
        dc_.SetTextForeground(kMuted);
        const wxSize s = dc_.GetTextExtent(text);
        const int x = m_.label_width + (width_ - m_.label_width - s.x) / 2;
        const int y = m_.axis_height + (height_ - m_.axis_height - s.y) / 2;
        fill(x - 8, y - 4, s.x + 16, s.y + 8, kBackground);
        dc_.DrawText(text, x, y);
    }

    void tooltip(const TimelineHit& hit, const wxPoint& mouse) {
        const auto& item = layout_.item(hit);
        const auto lines = tooltip_lines(layout_.lanes()[hit.lane], item, [](const std::string& text) {
            return wxGetTranslation(utf8(text)).utf8_string();
        });
        const bool hint = !item.series_uid.empty() || item.suggestion_id != 0;  // the last line says what a click does
        int w = 0, h = 0;
        std::vector<int> heights;
        for (std::size_t k = 0; k < lines.size(); ++k) {
            dc_.SetFont(k == 0 ? bold_ : font_);
            const wxSize s = dc_.GetTextExtent(utf8(lines[k]));
            w = std::max(w, s.x);
            heights.push_back(s.y + 1);
            h += s.y + 1;
        }
        const int pad = 6;
        w = std::min(w + 2 * pad, width_ - 4);
        h += 2 * pad;
        int x = mouse.x + 16, y = mouse.y + 14;
        if (x + w > width_ - 2) x = std::max(2, mouse.x - w - 10);
        if (y + h > height_ - 2) y = std::max(2, mouse.y - h - 6);
        dc_.SetPen(wxPen(wxColour(160, 166, 176)));
        dc_.SetBrush(wxBrush(wxColour(255, 255, 240)));
        dc_.DrawRoundedRectangle(x, y, w, h, 3);
        int ty = y + pad;
        for (std::size_t k = 0; k < lines.size(); ++k) {
            dc_.SetFont(k == 0 ? bold_ : font_);
            dc_.SetTextForeground(hint && k + 1 == lines.size() ? kMuted : kText);
            dc_.DrawText(fit_text(dc_, utf8(lines[k]), w - 2 * pad), x + pad, ty);
            ty += heights[k];
        }
    }

    wxDC& dc_;
    const TimelineLayout& layout_;
    const TimelineMetrics& m_;
    wxFont font_, small_, bold_;
    int width_ = 0, height_ = 0;
    std::vector<Tick> ticks_;
};

}  // namespace

void TimelinePanel::on_paint(wxPaintEvent&) {
    wxPaintDC dc(this);
    const wxSize size = GetClientSize();
    if (size.x <= 0 || size.y <= 0) return;
    wxFont font = GetFont();
    if (large_) font = font.Scaled(1.5f);
    // The lanes are drawn again only when what they show changed; hovering (the most frequent
    // repaint) only puts the ring and the tooltip over the cached picture.
    const BaseKey key{layout_.axis().start(), layout_.axis().end(), layout_.scroll(), size, revision_};
    if (!base_.IsOk() || !(key == base_key_)) {
        wxString notice;
        if (!workstation_.patient()) notice = _("No patient open");
        else if (!message_.empty()) notice = wxString::Format(_("The timeline could not be loaded: %s"), utf8(message_));
        else if (loading_ && layout_.empty()) notice = _("Loading the timeline...");
        else if (!layout_.dated() && layout_.undated() > 0)
            notice = wxString::Format(wxPLURAL("No dated events: %d event without a date is not shown",
                                               "No dated events: %d events without a date are not shown", layout_.undated()),
                                      layout_.undated());
        else if (layout_.empty()) notice = _("No events on this patient's timeline");
        base_.CreateWithDIPSize(size, GetContentScaleFactor());
        wxMemoryDC memory(base_);
        wxGCDC gc(memory);
        Painter(gc, layout_, font).paint_base(notice);
        base_key_ = key;
    }
    dc.DrawBitmap(base_, 0, 0);
    if (hover_ && !dragging_) {
        wxGCDC gc(dc);
        Painter(gc, layout_, font).paint_hover(*hover_, mouse_);
    }
}

}  // namespace consilium::gui
