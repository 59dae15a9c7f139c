// TimelineLayout: lane geometry on the panel, scrolling, zoom/pan/fit, hit-testing, sparklines.
#include "model/timeline_layout.h"

#include <algorithm>
#include <cmath>

namespace consilium::gui {

std::pair<std::size_t, std::size_t> TimelineLane::candidates(double t0, double t1) const {
    // Sorted by start: an item reaching into [t0, t1] starts no earlier than t0 - longest.
    auto by_start = [](const TimelineItem& item, double t) { return item.start < t; };
    const auto first = std::lower_bound(items.begin(), items.end(), t0 - longest, by_start);
    const auto last = std::upper_bound(items.begin(), items.end(), t1,
                                       [](double t, const TimelineItem& item) { return t < item.start; });
    return {static_cast<std::size_t>(first - items.begin()),
            static_cast<std::size_t>(std::max(first, last) - items.begin())};
}

TimelineMetrics TimelineMetrics::scaled(double factor) const {
    auto s = [factor](int v) { return static_cast<int>(std::lround(v * factor)); };
    TimelineMetrics m = *this;
    m.label_width = s(label_width);
    m.axis_height = s(axis_height);
    m.group_height = s(group_height);
    m.track_height = s(track_height);
    m.row_height = s(row_height);
    m.sparkline_height = s(sparkline_height);
    m.char_width = char_width * factor;
    return m;
}

void TimelineLayout::set_content(TimelineContent content, bool fit) {
    const bool was_dated = dated_;
    content_ = std::move(content);
    dated_ = extent().has_value();
    layout_lanes();
    if (fit) scroll_ = 0;
    if (fit || !was_dated) fit_all();
}

void TimelineLayout::clear() { set_content({}, true); }

std::optional<std::pair<double, double>> TimelineLayout::extent() const {
    std::optional<std::pair<double, double>> out;
    for (const auto& lane : content_.lanes)
        for (const auto& it : lane.items) {
            if (!out) out = std::pair{it.start, it.end};
            out->first = std::min(out->first, it.start);
            out->second = std::max(out->second, it.end);
        }
    return out;
}

void TimelineLayout::set_metrics(const TimelineMetrics& metrics) {
    metrics_ = metrics;
    set_size(width_, height_);
}

void TimelineLayout::set_size(int width, int height) {
    width_ = std::max(1, width);
    height_ = std::max(1, height);
    // The same time range stretched over the new width: a resize changes the scale, not the range.
    const double start = axis_.start(), end = axis_.end();
    axis_.set_width(std::max(1, width_ - metrics_.label_width));
    axis_.set_range(start, end);
    layout_lanes();
}

int TimelineLayout::lane_height(std::size_t lane) const {
    const auto& l = content_.lanes[lane];
    switch (l.style) {
    case LaneStyle::sparkline: return metrics_.sparkline_height;
    case LaneStyle::markers: return metrics_.row_height + 2;
    case LaneStyle::bars: break;
    }
    return std::max(metrics_.row_height, l.tracks * metrics_.track_height + 4);
}

void TimelineLayout::layout_lanes() {
    const auto& lanes = content_.lanes;
    tops_.assign(lanes.size(), 0);
    heading_tops_.assign(lanes.size(), -1);
    int y = 0;
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        if (!lanes[i].group.empty() && (i == 0 || lanes[i - 1].group != lanes[i].group)) {
            heading_tops_[i] = y;
            y += metrics_.group_height;
        }
        tops_[i] = y;
        y += lane_height(i);
    }
    content_height_ = y;
    scroll_by(0);
}

int TimelineLayout::content_height() const { return content_height_; }

void TimelineLayout::scroll_by(int dy) {
    scroll_ = std::clamp(scroll_ + dy, 0, std::max(0, content_height_ - lanes_height()));
}

LaneBox TimelineLayout::box(std::size_t lane) const {
    const int origin = metrics_.axis_height - scroll_;
    return {origin + tops_[lane], lane_height(lane), heading_tops_[lane] < 0 ? -1 : origin + heading_tops_[lane]};
}

int TimelineLayout::track_top(std::size_t lane, int track) const {
    const LaneBox b = box(lane);
    const auto& l = content_.lanes[lane];
    // A single track is centred in its row; several are stacked from the top.
    if (l.tracks == 1) return b.top + (b.height - metrics_.track_height) / 2;
    return b.top + 2 + track * metrics_.track_height;
}

double TimelineLayout::y_of_value(std::size_t lane, double value) const {
    const LaneBox b = box(lane);
    const auto& l = content_.lanes[lane];
    const double top = b.top + 3, bottom = b.top + b.height - 4;
    return bottom - (value - l.low) / (l.high - l.low) * (bottom - top);
}

void TimelineLayout::zoom_at(double factor, double x) {
    if (dated_) axis_.zoom(factor, x - metrics_.label_width);
}

void TimelineLayout::drag(double dx, double dy) {
    if (dated_) axis_.pan(dx);
    scroll_by(static_cast<int>(std::lround(-dy)));
}

std::vector<Tick> TimelineLayout::ticks() const {
    if (!dated_) return {};
    return axis_.ticks(metrics_.char_width);
}

std::string TimelineLayout::context_label() const { return dated_ ? axis_.context_label(metrics_.char_width) : ""; }

void TimelineLayout::fit_all() {
    if (auto e = extent()) axis_.fit(e->first, e->second);
}

std::pair<std::size_t, std::size_t> TimelineLayout::visible(std::size_t lane) const {
    return content_.lanes[lane].candidates(axis_.start(), axis_.end());
}

std::optional<TimelineHit> TimelineLayout::hit_test(double x, double y, double tolerance) const {
    if (!in_data_area(x, y)) return std::nullopt;
    const auto& lanes = content_.lanes;
    for (std::size_t li = 0; li < lanes.size(); ++li) {
        const LaneBox b = box(li);
        if (y < b.top || y >= b.top + b.height) continue;
        const auto& lane = lanes[li];
        int track = -1;
        if (lane.style == LaneStyle::bars) {
            if (lane.tracks > 1) track = std::clamp(static_cast<int>((y - b.top - 2) / metrics_.track_height), 0, lane.tracks - 1);
            else track = 0;
        }
        const auto [first, last] = lane.candidates(time_of(x - tolerance), time_of(x + tolerance));
        std::optional<TimelineHit> best;
        double best_distance = 0, best_width = 0, best_dy = 0;
        for (std::size_t i = first; i < last; ++i) {
            const auto& it = lane.items[i];
            if (track >= 0 && it.track != track) continue;
            const double x0 = x_of(it.start), x1 = std::max(x0, x_of(it.end));
            const double distance = x < x0 ? x0 - x : (x > x1 ? x - x1 : 0.0);
            if (distance > tolerance) continue;
            const double w = x1 - x0;
            const double dy = it.value ? std::abs(y_of_value(li, *it.value) - y) : 0.0;
            // Nearest first; then the shorter interval (a visit inside a long stay); then nearest in y.
            const bool better = !best || distance < best_distance - 1e-9 ||
                                (std::abs(distance - best_distance) <= 1e-9 &&
                                 (w < best_width - 1e-9 || (std::abs(w - best_width) <= 1e-9 && dy < best_dy)));
            if (better) {
                best = TimelineHit{li, i};
                best_distance = distance;
                best_width = w;
                best_dy = dy;
            }
        }
        return best;
    }
    return std::nullopt;
}

std::vector<SparkPoint> TimelineLayout::sparkline(std::size_t lane) const {
    std::vector<SparkPoint> out;
    const auto& l = content_.lanes[lane];
    if (l.items.empty()) return out;
    auto [first, last] = visible(lane);
    // One point beyond each edge, so the line runs on out of the view rather than stopping short.
    if (first > 0) --first;
    if (last < l.items.size()) ++last;
    const double columns = axis_.width();
    if (static_cast<double>(last - first) <= columns) {
        for (std::size_t i = first; i < last; ++i)
            if (l.items[i].value) out.push_back({x_of(l.items[i].start), *l.items[i].value});
        return out;
    }
    // Dense: per pixel column keep the lowest and highest value, in time order, so spikes survive
    // the thinning and the line looks as it would drawn point by point.
    std::size_t i = first;
    while (i < last) {
        const double column = std::floor(x_of(l.items[i].start));
        std::size_t j = i, lo = i, hi = i;
        bool valued = false;
        for (; j < last && std::floor(x_of(l.items[j].start)) == column; ++j) {
            if (!l.items[j].value) continue;
            if (!valued) lo = hi = j;
            valued = true;
            if (*l.items[j].value < *l.items[lo].value) lo = j;
            if (*l.items[j].value > *l.items[hi].value) hi = j;
        }
        if (valued) {
            out.push_back({x_of(l.items[std::min(lo, hi)].start), *l.items[std::min(lo, hi)].value});
            if (lo != hi) out.push_back({x_of(l.items[std::max(lo, hi)].start), *l.items[std::max(lo, hi)].value});
        }
        i = j;
    }
    return out;
}

}  // namespace consilium::gui
