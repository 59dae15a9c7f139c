#pragma once
// The patient's history as lanes on one time axis, wx-free so it is tested headless: lanes in
// clinical order (encounters, conditions, medications, procedures, imaging, reports, one sparkline
// row per vital sign, one per lab test, other observations, AI suggestions and reviews, MDT
// decisions), their geometry on the panel, vertical scrolling, zoom/pan/fit, hit-testing and the
// tooltip text. Built once per load (sorted arrays per lane), so painting never queries the store.
#include "model/reference_ranges.h"
#include "model/time_axis.h"

#include "consilium/decision/suggestion.h"
#include "consilium/decision/timeline.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// N_("...") marks a fixed string for the translators (scripts/update-translations collects it);
// the view looks it up when it shows it. Lane names and item kinds are such strings; names taken
// from the record (a lab test's display) are not, and pass through the lookup unchanged.
#ifndef N_
#define N_(text) text
#endif

namespace consilium::gui {

enum class LaneKind { encounters, conditions, medications, procedures, imaging, reports, vital, lab, observations, ai, mdt,
                      allergies, immunizations };
// bars: intervals as bars and instants as dots, in tracks; sparkline: a numeric series;
// markers: coded values written in a circle (level of consciousness, ACVPU).
enum class LaneStyle { bars, sparkline, markers };
// How an item is coloured: by its value against the reference range, or by the review status.
enum class ItemTone { normal, low, high, proposed, accepted, modified, rejected };

// ReferenceRange and the ranges by age and sex: reference_ranges.h.

struct TimelineItem {
    double start = 0, end = 0;       // seconds (time_axis.h); end == start for an instant
    bool interval = false;
    bool open_ended = false;         // an active condition without an end: drawn to the end of the record
    int track = 0;                   // row within a bars lane
    std::optional<double> value;     // sparklines
    std::optional<double> value2;    // the diastolic pressure beside a systolic one
    std::string when, when_end;      // as stored (a partial date stays partial in the tooltip)
    std::string kind;                // "Encounter", "AI suggestion", ...
    std::string title;               // what it is (the code's display)
    std::string detail;              // value + unit, dose, plugin and version ...
    std::string status;
    std::string by;                  // who decided (a review)
    std::optional<double> confidence;  // an AI suggestion's, 0..1
    std::string score;               // an AI risk score as shown: ">= 9 (high)"
    std::string mark;                // written beside or in the mark: "A" (ACVPU), a value
    std::int64_t event_id = 0;       // 0 for suggestions (they are not timeline events)
    std::int64_t suggestion_id = 0;  // suggestions and reviews: what a click selects
    std::string series_uid;          // imaging: a series of this study held in the workspace ("" if none)
    ItemTone tone = ItemTone::normal;
    // A vital sign's or lab value's range for the patient at the time it was measured (its tone
    // follows it), or why there is none.
    RangeForPatient reference;
};

struct TimelineLane {
    LaneKind kind = LaneKind::encounters;
    LaneStyle style = LaneStyle::bars;
    std::string group;   // "Vital signs", "Labs" or "" - a heading is drawn above a group's first lane
    std::string key;     // the code (and unit) of a vital or lab row
    std::string label;
    std::string unit;
    std::vector<TimelineItem> items;  // by start
    int tracks = 1;
    double longest = 0;               // the longest item (seconds): how far back an overlapping item can start
    std::optional<ReferenceRange> range;  // the band drawn: the range at the newest value (a child grows)
    double low = 0, high = 1;         // a sparkline's value scale: its values and reference range, padded

    // Items overlapping [t0, t1] lie in [first, last) - some within may not overlap (intervals).
    std::pair<std::size_t, std::size_t> candidates(double t0, double t1) const;
};

// One series of the open patient held in the workspace (workspace order: the first of a study is opened).
struct StudySeries {
    std::string study_uid;
    std::string series_uid;
};

struct TimelineSource {
    PatientFacts patient;  // birth date and sex: the reference ranges depend on them
    std::vector<decision::TimelineEvent> events;  // imaging events with resource_json, to find FHIR study UIDs
    std::vector<decision::Suggestion> suggestions;
    std::vector<StudySeries> series;
};

struct TimelineContent {
    std::vector<TimelineLane> lanes;
    int undated = 0;  // events with no time at all (not drawn)
};

TimelineContent build_timeline(const TimelineSource& source);

// Everything in pixels; `scaled` for the MDT presentation (large type).
struct TimelineMetrics {
    int label_width = 180;
    int axis_height = 26;
    int group_height = 15;
    int track_height = 15;
    int row_height = 20;        // bars lanes with one track, markers
    int sparkline_height = 34;
    double char_width = 7;      // the axis font's average character width
    TimelineMetrics scaled(double factor) const;
};

struct LaneBox {
    int top = 0, height = 0;    // panel coordinates, after vertical scrolling
    int heading_top = -1;       // the group heading above the lane, if it starts a group
};

struct TimelineHit {
    std::size_t lane = 0, item = 0;
    bool operator==(const TimelineHit&) const = default;
};

struct SparkPoint {
    double x = 0;   // panel coordinates
    double value = 0;
};

class TimelineLayout {
public:
    // New content; `fit` shows all of it, else the visible range stays (a reload of the same
    // patient) - unless the timeline had no dates before, so its range was never a real one.
    void set_content(TimelineContent content, bool fit);
    void clear();
    const std::vector<TimelineLane>& lanes() const { return content_.lanes; }
    int undated() const { return content_.undated; }
    bool empty() const { return content_.lanes.empty(); }
    // The earliest start and latest end of all items; nullopt when there are none.
    std::optional<std::pair<double, double>> extent() const;
    // Whether anything on it has a time. An undated timeline has no time range to show: no ticks,
    // no labels (the axis's default range would read as 1970), and zooming changes nothing.
    bool dated() const { return dated_; }
    std::vector<Tick> ticks() const;        // the axis's ticks at the metrics' character width; none when undated
    std::string context_label() const;      // TimeAxis::context_label; "" when undated

    void set_metrics(const TimelineMetrics& metrics);
    const TimelineMetrics& metrics() const { return metrics_; }
    void set_size(int width, int height);
    int width() const { return width_; }
    int height() const { return height_; }
    const TimeAxis& axis() const { return axis_; }
    TimeAxis& axis() { return axis_; }

    double x_of(double time) const { return metrics_.label_width + axis_.to_x(time); }
    double time_of(double x) const { return axis_.to_time(x - metrics_.label_width); }
    bool in_data_area(double x, double y) const { return x >= metrics_.label_width && y >= metrics_.axis_height; }

    // Vertical: lanes scroll under the fixed axis.
    int content_height() const;
    int lanes_height() const { return height_ - metrics_.axis_height; }
    int scroll() const { return scroll_; }
    void scroll_by(int dy);
    LaneBox box(std::size_t lane) const;
    int lane_height(std::size_t lane) const;
    int track_top(std::size_t lane, int track) const;  // a bars lane's track
    double y_of_value(std::size_t lane, double value) const;  // a sparkline's value

    void zoom_at(double factor, double x);   // wheel: about the cursor
    void drag(double dx, double dy);         // left drag: time follows the mouse, lanes scroll
    void fit_all();

    // The item under (x, y), within `tolerance` pixels horizontally (and of its track vertically).
    std::optional<TimelineHit> hit_test(double x, double y, double tolerance = 4) const;
    const TimelineItem& item(const TimelineHit& hit) const { return content_.lanes[hit.lane].items[hit.item]; }
    // The visible part of a sparkline: every point, or when there are more points than pixel
    // columns, each column's lowest and highest (in time order).
    std::vector<SparkPoint> sparkline(std::size_t lane) const;
    // Visible candidates of a lane (see TimelineLane::candidates).
    std::pair<std::size_t, std::size_t> visible(std::size_t lane) const;

private:
    void layout_lanes();
    TimelineContent content_;
    bool dated_ = false;
    std::vector<int> tops_;  // unscrolled lane tops below the axis
    std::vector<int> heading_tops_;
    int content_height_ = 0;
    TimelineMetrics metrics_;
    TimeAxis axis_;
    int width_ = 800, height_ = 240;
    int scroll_ = 0;
};

// The tooltip: its first line is the title, then when, what kind, value and unit, status.
// `translate` looks up the N_ strings (the view passes the catalogue; none: English).
using Translate = std::function<std::string(const std::string&)>;
std::vector<std::string> tooltip_lines(const TimelineLane& lane, const TimelineItem& item, const Translate& translate = {});

}  // namespace consilium::gui
