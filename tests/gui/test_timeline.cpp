// The timeline, headless: store times, the time axis (mapping, zoom/pan invariants, ticks), lanes
// built from events, hit-testing, sparkline thinning, and the background loader on a workspace.
#include "model/time_axis.h"
#include "model/timeline_layout.h"
#include "model/timeline_loader.h"

#include "consilium/decision/workspace.h"

#include "test_support.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <future>
#include <mutex>
#include <thread>

using namespace consilium;
using namespace consilium::gui;
using decision::EventKind;

namespace {
constexpr double kDay = 86400;
double t(const char* text) { return *parse_store_time(text); }

decision::TimelineEvent event(EventKind kind, std::string code, std::string display, std::string start,
                              std::optional<std::string> end = {}) {
    decision::TimelineEvent e;
    static std::int64_t next_id = 1;
    e.id = next_id++;
    e.patient_id = 1;
    e.kind = kind;
    e.code = {"http://loinc.org", std::move(code), std::move(display)};
    e.start = std::move(start);
    e.end = std::move(end);
    return e;
}
decision::TimelineEvent numeric(std::string code, std::string display, std::string start, double v, std::string unit) {
    auto e = event(EventKind::observation, std::move(code), std::move(display), std::move(start));
    e.value_num = v;
    e.unit = std::move(unit);
    return e;
}
const TimelineLane* find_lane(const TimelineContent& c, const std::string& label) {
    for (const auto& l : c.lanes)
        if (l.label == label) return &l;
    return nullptr;
}
std::vector<std::string> labels(const TimelineContent& c) {
    std::vector<std::string> out;
    for (const auto& l : c.lanes) out.push_back(l.label);
    return out;
}
bool close(double a, double b, double tolerance = 1e-6) { return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b)); }
}  // namespace

BOOST_AUTO_TEST_SUITE(time_axis)

BOOST_AUTO_TEST_CASE(store_times_parse_to_utc_seconds_and_partial_dates_to_their_start) {
    BOOST_TEST(t("1970-01-01") == 0.0);
    BOOST_TEST(t("2000-03-01T00:00:00Z") == 951868800.0);
    BOOST_TEST(t("2000-03") == 951868800.0);
    BOOST_TEST(t("2000") == 946684800.0);
    BOOST_TEST(t("2020-02-29T10:15:30.5Z") == t("2020-02-29") + 10 * 3600 + 15 * 60 + 30.5);
    BOOST_TEST(t("2020-03-01T10:15:30+01:00") == t("2020-03-01T09:15:30Z"));
    BOOST_TEST(t("1969-12-31") == -kDay);
    BOOST_TEST(!parse_store_time("2021-02-29"));
    BOOST_TEST(!parse_store_time("yesterday"));
    BOOST_TEST(!parse_store_time("2021-13"));
    BOOST_TEST(!parse_store_time(""));
    BOOST_TEST(format_time(t("2021-03-12T14:05:59Z")) == "2021-03-12 14:05");
    BOOST_TEST(format_time(t("1965-07-01T00:00:00Z"), false) == "1965-07-01");
}

BOOST_AUTO_TEST_CASE(mapping_is_linear_and_its_inverse_round_trips) {
    TimeAxis a;
    a.set_width(1000);
    a.set_range(t("2020-01-01"), t("2020-01-11"));
    BOOST_TEST(a.to_x(a.start()) == 0.0);
    BOOST_TEST(close(a.to_x(a.end()), 1000));
    BOOST_TEST(close(a.to_x(t("2020-01-06")), 500));
    for (double x : {0.0, 1.0, 333.3, 999.0}) BOOST_TEST(close(a.to_x(a.to_time(x)), x, 1e-9));
    BOOST_TEST(close(a.seconds_per_pixel(), 10 * kDay / 1000));
}

BOOST_AUTO_TEST_CASE(zoom_keeps_the_time_under_the_cursor_and_undoes_itself) {
    TimeAxis a;
    a.set_width(800);
    a.set_range(t("2010-01-01"), t("2020-01-01"));
    const double start = a.start(), end = a.end();
    for (double anchor : {0.0, 123.0, 400.0, 799.0}) {
        const double under = a.to_time(anchor);
        a.zoom(1.25, anchor);
        BOOST_TEST(close(a.to_time(anchor), under));
        BOOST_TEST(close(a.span(), (end - start) / 1.25));
        a.zoom(1 / 1.25, anchor);
        BOOST_TEST(close(a.to_time(anchor), under));
        BOOST_TEST(close(a.start(), start));
        BOOST_TEST(close(a.end(), end));
    }
    // Zooming in stops at the minimum span, still about the cursor.
    const double under = a.to_time(200);
    for (int i = 0; i < 200; ++i) a.zoom(2, 200);
    BOOST_TEST(close(a.span(), TimeAxis::kMinSpan));
    BOOST_TEST(close(a.to_time(200), under, 1e-9));
    for (int i = 0; i < 200; ++i) a.zoom(0.5, 200);
    BOOST_TEST(a.span() <= TimeAxis::kMaxSpan * (1 + 1e-9));
    BOOST_TEST(a.start() >= TimeAxis::kEarliest);
    BOOST_TEST(a.end() <= TimeAxis::kLatest);
}

BOOST_AUTO_TEST_CASE(pan_moves_the_content_with_the_mouse_and_keeps_the_span) {
    TimeAxis a;
    a.set_width(500);
    a.set_range(t("2020-01-01"), t("2020-02-01"));
    const double span = a.span();
    const double at_100 = a.to_time(100);
    a.pan(40);  // dragged right by 40 px: what was at x=100 is now at x=140
    BOOST_TEST(close(a.to_time(140), at_100));
    BOOST_TEST(close(a.span(), span));
    a.pan(-40);
    BOOST_TEST(close(a.to_time(100), at_100));
    for (int i = 0; i < 100000; ++i) a.pan(-500);
    BOOST_TEST(close(a.end(), TimeAxis::kLatest));
    BOOST_TEST(close(a.span(), span));
}

BOOST_AUTO_TEST_CASE(fit_shows_everything_with_a_margin_and_a_single_instant_gets_a_day) {
    TimeAxis a;
    a.set_width(600);
    a.fit(t("1990-05-01"), t("2020-05-01"));
    BOOST_TEST(a.start() < t("1990-05-01"));
    BOOST_TEST(a.end() > t("2020-05-01"));
    BOOST_TEST(a.to_x(t("1990-05-01")) < 0.05 * 600);
    BOOST_TEST(a.to_x(t("2020-05-01")) > 0.95 * 600);
    a.fit(t("2020-05-01T12:00:00Z"), t("2020-05-01T12:00:00Z"));
    BOOST_TEST(a.span() >= kDay);
    BOOST_TEST(close(a.to_x(t("2020-05-01T12:00:00Z")), 300));
}

BOOST_AUTO_TEST_CASE(ticks_follow_the_range_years_months_days_hours) {
    TimeAxis a;
    a.set_width(1000);
    struct Case {
        const char *from, *to;
        TickUnit unit;
        const char* sample;  // a label that must be there
    } cases[] = {
        {"1960-01-01", "2020-01-01", TickUnit::year, "1990"},
        {"2019-01-01", "2021-01-01", TickUnit::month, "2020-01"},
        {"2021-03-01", "2021-03-15", TickUnit::day, "2021-03-10"},
        {"2021-03-12T06:00:00Z", "2021-03-13T06:00:00Z", TickUnit::hour, "2021-03-13"},
        {"2021-03-12T06:00:00Z", "2021-03-12T08:00:00Z", TickUnit::minute, "07:00"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.from << " - " << c.to) {
            a.set_range(t(c.from), t(c.to));
            BOOST_TEST(static_cast<int>(a.tick_unit()) == static_cast<int>(c.unit));
            const auto ticks = a.ticks();
            BOOST_TEST(ticks.size() >= 3u);
            BOOST_TEST(ticks.size() <= 60u);
            bool found = false;
            for (std::size_t i = 0; i < ticks.size(); ++i) {
                BOOST_TEST(ticks[i].time >= a.start());
                BOOST_TEST(ticks[i].time <= a.end());
                BOOST_TEST(close(ticks[i].x, a.to_x(ticks[i].time)));
                if (i > 0) BOOST_TEST(ticks[i].x - ticks[i - 1].x >= 5 * 7.0);  // labels of 5+ chars do not touch
                found = found || ticks[i].label == c.sample;
            }
            BOOST_TEST(found);
        }
    }
    // Hours say which day they are on.
    a.set_range(t("2021-03-12T06:00:00Z"), t("2021-03-12T18:00:00Z"));
    BOOST_TEST(a.context_label() == "2021-03-12");
    a.set_range(t("2000-01-01"), t("2020-01-01"));
    BOOST_TEST(a.context_label() == "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(timeline_lanes)

namespace {
TimelineSource sample() {
    TimelineSource s;
    s.patient = {std::string("1950-02-03"), std::string("female")};  // an adult: adult ranges apply
    auto enc = event(EventKind::encounter, "185345009", "Encounter for symptom", "2020-03-01T08:00:00Z", "2020-03-03T10:00:00Z");
    auto asthma = event(EventKind::condition, "195967001", "Asthma", "2005-06-01");
    asthma.status = "active";
    auto flu = event(EventKind::condition, "6142004", "Influenza", "2019-01-02", "2019-01-20");
    flu.status = "resolved";
    auto med = event(EventKind::medication, "313782", "Acetaminophen 325 MG", "2020-03-01T09:00:00Z", "2020-03-10T09:00:00Z");
    auto hr = numeric("8867-4", "Heart rate", "2020-03-01T09:00:00Z", 131, "/min");
    auto hr2 = numeric("8867-4", "Heart rate", "2020-03-02T09:00:00Z", 80, "/min");
    auto bp = event(EventKind::observation, "85354-9", "Blood Pressure", "2020-03-01T09:00:00Z");
    bp.value_text = "128/84";
    bp.unit = "mm[Hg]";
    bp.components.push_back({{"http://loinc.org", "8462-4", "Diastolic Blood Pressure"}, 84.0, std::nullopt, "mm[Hg]"});
    bp.components.push_back({{"http://loinc.org", "8480-6", "Systolic Blood Pressure"}, 128.0, std::nullopt, "mm[Hg]"});
    auto spo2 = numeric("2708-6", "Oxygen saturation in Arterial blood", "2020-03-01T09:00:00Z", 88, "%");
    auto temp = numeric("8310-5", "Body temperature", "2020-03-01T09:00:00Z", 39.2, "Cel");
    auto acvpu = event(EventKind::observation, "80288-4", "Level of consciousness", "2020-03-01T09:00:00Z");
    acvpu.value_text = "New confusion";
    auto glucose = numeric("2339-0", "Glucose", "2019-05-01", 104, "mg/dL");
    auto glucose_si = numeric("2339-0", "Glucose", "2019-06-01", 5.4, "mmol/L");
    auto weight = numeric("29463-7", "Body Weight", "2018-05-01", 82, "kg");
    auto smoking = event(EventKind::observation, "72166-2", "Tobacco smoking status NHIS", "2018-05-01");
    smoking.value_text = "Never smoker";
    auto ct = event(EventKind::imaging, "CT", "CT CHEST", "2021-02-18");
    ct.source_ref = "dicom-study/1.2.3";
    auto fhir_ct = event(EventKind::imaging, "241541005", "High resolution CT of chest", "2021-01-10T10:00:00Z");
    fhir_ct.source_ref = "ImagingStudy/abc";
    fhir_ct.resource_json = R"({"resourceType":"ImagingStudy","identifier":[{"value":"urn:oid:9.9.9"}],"series":[{"uid":"9.9.9.2"}]})";
    auto lost_ct = event(EventKind::imaging, "XR", "XR knee", "2015-01-10");
    lost_ct.source_ref = "ImagingStudy/gone";
    auto review = event(EventKind::review, "X", "Accepted: NEWS2 7 (high)", "2026-11-27T01:00:00Z");
    review.source_ref = "review/42";
    review.status = "accepted";
    review.value_text = "physician";
    auto mdt = event(EventKind::mdt, "MDT", "Start chemotherapy", "2021-03-01");
    auto undated = event(EventKind::procedure, "X", "Undated", "");
    undated.start.reset();
    s.events = {enc, asthma, flu, med, hr, hr2, bp, spo2, temp, acvpu, glucose, glucose_si, weight, smoking,
                ct, fhir_ct, lost_ct, review, mdt, undated};
    decision::Suggestion sug;
    sug.id = 42;
    sug.kind = decision::SuggestionKind::risk;
    sug.summary = "NEWS2 7 (high)";
    sug.plugin_id = "org.consilium.news2";
    sug.plugin_version = "1.0.0";
    sug.score = 7;
    sug.band = "high";
    sug.created_at = "2026-11-27T00:59:00.000Z";
    sug.status = decision::ReviewStatus::accepted;
    s.suggestions = {sug};
    s.series = {{"1.2.3", "1.2.3.1"}, {"1.2.3", "1.2.3.2"}, {"9.9.9", "9.9.9.1"}, {"9.9.9", "9.9.9.2"}};
    return s;
}
}  // namespace

BOOST_AUTO_TEST_CASE(lanes_come_in_clinical_order_with_a_row_per_vital_sign_and_lab_test) {
    const auto c = build_timeline(sample());
    const std::vector<std::string> expected{"Encounters", "Conditions", "Medications", "Imaging",
                                            "Heart rate", "Systolic BP", "SpO2", "Temperature", "Consciousness",
                                            "Body Weight", "Glucose", "Glucose", "Other observations",
                                            "AI suggestions", "MDT decisions"};
    BOOST_TEST(labels(c) == expected, boost::test_tools::per_element());
    BOOST_TEST(c.undated == 1);
    BOOST_TEST(find_lane(c, "Heart rate")->group == "Vital signs");
    BOOST_TEST(find_lane(c, "Body Weight")->group == "Labs");
    BOOST_TEST(find_lane(c, "Encounters")->group == "");
    // The same test in another unit is another row: values are never drawn on the wrong scale.
    BOOST_TEST(c.lanes[10].unit == "mg/dL");
    BOOST_TEST(c.lanes[11].unit == "mmol/L");
    BOOST_TEST(c.lanes[10].range.has_value());
    BOOST_TEST(!c.lanes[11].range.has_value());
}

BOOST_AUTO_TEST_CASE(vital_signs_take_panel_components_ranges_and_tones) {
    const auto c = build_timeline(sample());
    const auto* sbp = find_lane(c, "Systolic BP");
    BOOST_REQUIRE(sbp);
    BOOST_REQUIRE(sbp->items.size() == 1u);
    BOOST_TEST(*sbp->items[0].value == 128.0);
    BOOST_TEST(*sbp->items[0].value2 == 84.0);
    BOOST_TEST(sbp->items[0].detail == "128/84 mm[Hg]");
    BOOST_TEST((sbp->style == LaneStyle::sparkline));
    // The scale holds the diastolic too; a wide reference range (NEWS2: 111-219) widens it by at
    // most the data's own spread (84-128), so the line is not flattened.
    BOOST_TEST(sbp->low < 84);
    BOOST_TEST(sbp->high > 128);
    BOOST_TEST(sbp->high < 219 - 20);
    const auto* hr = find_lane(c, "Heart rate");
    BOOST_TEST(hr->items.size() == 2u);
    BOOST_TEST((hr->items[0].tone == ItemTone::high));
    BOOST_TEST((hr->items[1].tone == ItemTone::normal));
    BOOST_TEST(hr->low < 51);   // the scale holds the reference band and the values
    BOOST_TEST(hr->high > 131);
    const auto* spo2 = find_lane(c, "SpO2");
    BOOST_TEST((spo2->items[0].tone == ItemTone::low));
    BOOST_TEST(spo2->high > 96);  // 88 % alone: the band's lower edge is still on the scale
    const auto* acvpu = find_lane(c, "Consciousness");
    BOOST_TEST((acvpu->style == LaneStyle::markers));
    BOOST_TEST(acvpu->items[0].mark == "C");
    BOOST_TEST((acvpu->items[0].tone == ItemTone::high));
    // The panel itself is not also an "other observation"; the smoking status is.
    const auto* other = find_lane(c, "Other observations");
    BOOST_REQUIRE(other->items.size() == 1u);
    BOOST_TEST(other->items[0].detail == "Never smoker");
}

BOOST_AUTO_TEST_CASE(intervals_open_ended_conditions_imaging_series_and_suggestions) {
    const auto c = build_timeline(sample());
    const auto* enc = find_lane(c, "Encounters");
    BOOST_TEST(enc->items[0].interval);
    BOOST_TEST(enc->items[0].end - enc->items[0].start == 2 * kDay + 2 * 3600);
    const auto* cond = find_lane(c, "Conditions");
    BOOST_REQUIRE(cond->items.size() == 2u);
    BOOST_TEST(cond->items[0].title == "Asthma");
    BOOST_TEST(cond->items[0].open_ended);
    // Runs to the end of the record (the latest event), not to the AI run in 2026.
    BOOST_TEST(cond->items[0].end == t("2026-11-27T01:00:00Z"));
    BOOST_TEST(cond->items[1].interval);
    BOOST_TEST(cond->items[1].track == 1);  // under the ongoing asthma bar
    const auto* img = find_lane(c, "Imaging");
    BOOST_REQUIRE(img->items.size() == 3u);
    BOOST_TEST(img->items[0].series_uid == "");        // a FHIR study with no images here
    BOOST_TEST(img->items[1].series_uid == "9.9.9.2"); // FHIR ImagingStudy: its own series, by UID
    BOOST_TEST(img->items[2].series_uid == "1.2.3.1"); // DICOM import: the study's first series
    const auto* ai = find_lane(c, "AI suggestions");
    BOOST_REQUIRE(ai->items.size() == 2u);
    BOOST_TEST(ai->items[0].suggestion_id == 42);  // the suggestion
    BOOST_TEST(ai->items[1].suggestion_id == 42);  // its review
    BOOST_TEST(ai->items[1].kind == "Review");
    BOOST_TEST((ai->items[1].tone == ItemTone::accepted));
    const auto lines = tooltip_lines(*ai, ai->items[0]);
    BOOST_TEST(lines[0] == "NEWS2 7 (high)");
    BOOST_TEST(lines[1] == "2026-11-27 00:59 UTC");
}

BOOST_AUTO_TEST_CASE(overlapping_intervals_get_tracks_and_free_tracks_are_reused) {
    TimelineSource s;
    s.events = {event(EventKind::medication, "1", "A", "2020-01-01", "2020-03-01"),
                event(EventKind::medication, "2", "B", "2020-02-01", "2020-04-01"),
                event(EventKind::medication, "3", "C", "2020-02-15", "2020-02-20"),
                event(EventKind::medication, "4", "D", "2020-03-05", "2020-03-10"),
                event(EventKind::medication, "5", "E", "2020-05-01")};
    const auto c = build_timeline(s);
    const auto& lane = c.lanes.at(0);
    std::vector<int> tracks;
    for (const auto& it : lane.items) tracks.push_back(it.track);
    BOOST_TEST(tracks == (std::vector<int>{0, 1, 2, 0, 0}), boost::test_tools::per_element());
    BOOST_TEST(lane.tracks == 3);
    BOOST_TEST(lane.longest == t("2020-04-01") - t("2020-02-01"));
}

BOOST_AUTO_TEST_CASE(hit_testing_finds_the_item_under_the_mouse_within_a_few_pixels) {
    TimelineLayout layout;
    layout.set_size(1180, 600);  // data area 1000 px wide
    layout.set_content(build_timeline(sample()), true);
    layout.axis().set_range(t("2020-02-25"), t("2020-03-15"));
    const auto& lanes = layout.lanes();
    // A heart-rate point: on it, 3 px off, and 7 px off (missed).
    std::size_t hr = 0;
    while (lanes[hr].label != "Heart rate") ++hr;
    const auto& item = lanes[hr].items[0];
    const double x = layout.x_of(item.start);
    const double y = layout.box(hr).top + layout.box(hr).height / 2.0;
    BOOST_TEST((layout.hit_test(x, y) == TimelineHit{hr, 0}));
    BOOST_TEST((layout.hit_test(x + 3, y) == TimelineHit{hr, 0}));
    BOOST_TEST(!layout.hit_test(x + 7, y));
    // Inside the encounter bar, and beyond its end.
    const auto& enc = lanes[0].items[0];
    const double ey = layout.track_top(0, 0) + layout.metrics().track_height / 2.0;
    BOOST_TEST((layout.hit_test((layout.x_of(enc.start) + layout.x_of(enc.end)) / 2, ey) == TimelineHit{0, 0}));
    BOOST_TEST(!layout.hit_test(layout.x_of(enc.end) + 10, ey));
    // Overlapping condition bars are told apart by their track.
    const std::size_t cond = 1;
    layout.axis().set_range(t("2018-12-01"), t("2019-02-01"));
    const double fx = layout.x_of(t("2019-01-10"));
    BOOST_TEST((layout.hit_test(fx, layout.track_top(cond, 0) + 3) == TimelineHit{cond, 0}));
    BOOST_TEST((layout.hit_test(fx, layout.track_top(cond, 1) + 3) == TimelineHit{cond, 1}));
    // Not over the labels or the axis.
    BOOST_TEST(!layout.hit_test(10, y));
    BOOST_TEST(!layout.hit_test(fx, 5));
}

BOOST_AUTO_TEST_CASE(lanes_scroll_under_the_fixed_axis_and_zoom_pans_fit_act_on_the_data_area) {
    TimelineLayout layout;
    layout.set_size(1180, 120);
    layout.set_content(build_timeline(sample()), true);
    BOOST_TEST(layout.content_height() > layout.lanes_height());
    BOOST_TEST(layout.box(0).top == layout.metrics().axis_height);
    layout.scroll_by(10000);
    BOOST_TEST(layout.scroll() == layout.content_height() - layout.lanes_height());
    const auto last = layout.lanes().size() - 1;
    BOOST_TEST(layout.box(last).top + layout.box(last).height == layout.height());
    layout.drag(0, 10000);
    BOOST_TEST(layout.scroll() == 0);
    // The group heading sits above the first vital sign.
    std::size_t hr = 0;
    while (layout.lanes()[hr].label != "Heart rate") ++hr;
    BOOST_TEST(layout.box(hr).heading_top == layout.box(hr).top - layout.metrics().group_height);
    BOOST_TEST(layout.box(hr + 1).heading_top == -1);
    // Fit all shows every item; zoom about the cursor keeps the time there.
    const auto extent = *layout.extent();
    BOOST_TEST(layout.x_of(extent.first) >= layout.metrics().label_width);
    BOOST_TEST(layout.x_of(extent.second) <= layout.width());
    const double under = layout.time_of(700);
    layout.zoom_at(3, 700);
    BOOST_TEST(close(layout.time_of(700), under));
    BOOST_TEST(layout.x_of(extent.first) < layout.metrics().label_width);
    layout.fit_all();
    BOOST_TEST(layout.x_of(extent.first) >= layout.metrics().label_width);
    BOOST_TEST(layout.x_of(extent.second) <= layout.width());
    // Large type scales rows and keeps the visible range.
    const double start = layout.axis().start();
    const int row = layout.lane_height(0);
    layout.set_metrics(TimelineMetrics{}.scaled(1.5));
    BOOST_TEST(layout.lane_height(0) > row);
    BOOST_TEST(close(layout.axis().start(), start));
    BOOST_TEST(layout.axis().width() == 1180 - TimelineMetrics{}.scaled(1.5).label_width);
}

BOOST_AUTO_TEST_CASE(a_timeline_without_dated_events_is_empty_and_undated_not_an_axis_in_1970) {
    // Only events with no time at all (a DICOM study without StudyDate, a FHIR resource without one).
    TimelineSource undated;
    auto procedure = event(EventKind::procedure, "X", "Undated procedure", "");
    procedure.start.reset();
    auto study = event(EventKind::imaging, "CT", "CT chest", "");
    study.start.reset();
    undated.events = {procedure, study};
    TimelineLayout layout;
    layout.set_size(1180, 240);
    layout.set_content(build_timeline(undated), true);
    BOOST_TEST(layout.empty());
    BOOST_TEST(layout.undated() == 2);
    BOOST_TEST(!layout.dated());
    BOOST_TEST(layout.ticks().empty());  // the axis's default range (1970) is never labelled
    BOOST_TEST(layout.context_label().empty());
    // Wheel and drag move no range nobody can see.
    const double start = layout.axis().start(), end = layout.axis().end();
    layout.zoom_at(40, 700);
    layout.drag(-300, 0);
    BOOST_TEST(layout.axis().start() == start);
    BOOST_TEST(layout.axis().end() == end);
    BOOST_TEST(layout.ticks().empty());
    // No events at all: the same, with nothing undated.
    layout.set_content(build_timeline({}), true);
    BOOST_TEST(!layout.dated());
    BOOST_TEST(layout.undated() == 0);
    BOOST_TEST(layout.ticks().empty());
    // After a patient with dates, an undated one keeps nothing of the other's range.
    layout.set_content(build_timeline(sample()), true);
    BOOST_TEST(layout.dated());
    BOOST_TEST(!layout.ticks().empty());
    layout.set_content(build_timeline(undated), true);
    BOOST_TEST(layout.ticks().empty());
    // A reload of the same patient that brings a first dated event (an import while it is open)
    // fits to that event, not to the range the undated timeline never showed.
    TimelineSource later = undated;
    later.events.push_back(event(EventKind::encounter, "E", "Visit", "2023-06-01T09:00:00Z"));
    layout.set_content(build_timeline(later), false);
    BOOST_TEST(layout.dated());
    BOOST_TEST(layout.undated() == 2);
    const auto ticks = layout.ticks();
    BOOST_TEST(!ticks.empty());
    for (const auto& tick : ticks) BOOST_TEST((tick.time > t("2023-05-31") && tick.time < t("2023-06-03")));
    const double visit = t("2023-06-01T09:00:00Z");
    BOOST_TEST(layout.x_of(visit) > layout.metrics().label_width);
    BOOST_TEST(layout.x_of(visit) < layout.width());
}

BOOST_AUTO_TEST_CASE(dense_sparklines_are_thinned_per_pixel_column_keeping_the_extremes) {
    TimelineSource s;
    for (int i = 0; i < 10000; ++i) {
        const double v = 70 + 10 * std::sin(i / 50.0) + (i == 4321 ? 90 : 0) - (i == 8765 ? 60 : 0);
        s.events.push_back(numeric("8867-4", "Heart rate", format_time(t("2020-01-01") + i * 900.0), v, "/min"));
        s.events.back().start = *s.events.back().start + ":00Z";
        s.events.back().start->replace(10, 1, "T");
    }
    TimelineLayout layout;
    layout.set_size(680, 300);  // 500 px of data
    layout.set_content(build_timeline(s), true);
    BOOST_REQUIRE(layout.lanes().size() == 1u);
    BOOST_REQUIRE(layout.lanes()[0].items.size() == 10000u);
    const auto points = layout.sparkline(0);
    BOOST_TEST(points.size() <= 2u * 500 + 4);
    BOOST_TEST(points.size() >= 500u);
    double lo = 1e9, hi = -1e9;
    for (std::size_t i = 0; i < points.size(); ++i) {
        lo = std::min(lo, points[i].value);
        hi = std::max(hi, points[i].value);
        if (i > 0) BOOST_TEST(points[i].x >= points[i - 1].x);
    }
    BOOST_TEST(hi > 150);  // the spike survives
    BOOST_TEST(lo < 30);   // and the dip
    // Zoomed in to a day: every point drawn, one beyond each edge.
    layout.axis().set_range(t("2020-02-01"), t("2020-02-02"));
    BOOST_TEST(layout.sparkline(0).size() == 97u + 2);
    // Hit-testing in the dense lane stays exact.
    const double x = layout.x_of(t("2020-02-01T12:00:00Z"));
    const auto hit = layout.hit_test(x, layout.box(0).top + 5);
    BOOST_REQUIRE(hit.has_value());
    BOOST_TEST(layout.item(*hit).start == t("2020-02-01T12:00:00Z"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(loader_reads_ten_thousand_events_off_the_ui_thread_and_drops_stale_results) {
    test::ScratchDir dir("timeline");
    auto ws = decision::Workspace::create(dir.path() / "ws");
    decision::Patient p;
    p.mrn = "TL-1";
    p.name = "Test Timeline";
    std::int64_t pid = 0, other = 0;
    {
        auto tx = ws.store().begin();
        pid = ws.store().patients().insert(p);
        p.mrn = "TL-2";
        other = ws.store().patients().insert(p);
        for (int i = 0; i < 10000; ++i) {
            auto e = numeric(i % 2 ? "8867-4" : "9279-1", "vital", format_time(t("2020-01-01") + i * 600.0, false), 60 + i % 40, "/min");
            e.patient_id = pid;
            e.source_ref = "Observation/" + std::to_string(i);
            ws.store().timeline().insert(e);
        }
        auto e = event(EventKind::encounter, "E", "Visit", "2019-01-01T10:00:00Z", "2019-01-01T11:00:00Z");
        e.patient_id = other;
        e.source_ref = "Encounter/1";
        ws.store().timeline().insert(e);
        tx->commit();
    }
    std::promise<std::shared_ptr<TimelineResult>> delivered;
    auto future = delivered.get_future();
    int deliveries = 0;
    std::mutex m;
    TimelineLoader loader(ws.database(), [&](std::shared_ptr<TimelineResult> r) {
        std::lock_guard lock(m);
        if (deliveries++ == 0) delivered.set_value(std::move(r));
    });
    // The first request is replaced before (or dropped after) it runs: only the latest arrives.
    loader.request({other, {}, {}});
    const auto ticket = loader.request({pid, {}, {}});
    BOOST_REQUIRE(future.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    auto result = future.get();
    BOOST_TEST(result->error == "");
    BOOST_TEST(result->ticket == ticket);
    BOOST_TEST(result->patient_id == pid);
    BOOST_TEST(result->events == 10000u);
    BOOST_REQUIRE(result->content.lanes.size() == 2u);
    BOOST_TEST(result->content.lanes[0].label == "Heart rate");
    BOOST_TEST(result->content.lanes[0].items.size() == 5000u);
    BOOST_TEST_MESSAGE("10,000 events loaded and laid out in " << result->load_ms << " ms");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::lock_guard lock(m);
    BOOST_TEST(deliveries == 1);
}

// Issue 12, item 10: immunizations and allergies (once skipped at import) have lanes of their own.
BOOST_AUTO_TEST_CASE(immunizations_and_allergies_have_their_own_lanes) {
    TimelineSource s;
    auto flu = event(EventKind::immunization, "140", "Influenza, seasonal, injectable", "2012-02-09T16:24:37Z");
    flu.status = "completed";
    auto peanuts = event(EventKind::allergy, "91935009", "Allergy to peanuts", "1991-01-02");
    peanuts.status = "active";
    peanuts.value_text = "food, criticality high; Anaphylaxis (severe)";
    s.events = {peanuts, flu};
    const auto c = build_timeline(s);
    const std::vector<std::string> expected{"Allergies", "Immunizations"};
    BOOST_TEST(labels(c) == expected, boost::test_tools::per_element());
    const auto* allergies = find_lane(c, "Allergies");
    BOOST_TEST(allergies->items[0].open_ended);  // active: drawn to the end of the record
    BOOST_TEST(allergies->items[0].end >= find_lane(c, "Immunizations")->items[0].start);
    const auto lines = tooltip_lines(*allergies, allergies->items[0]);
    BOOST_TEST(lines[2] == "Allergy");
    BOOST_TEST(lines[3] == "food, criticality high; Anaphylaxis (severe)");
    BOOST_TEST(tooltip_lines(*find_lane(c, "Immunizations"), find_lane(c, "Immunizations")->items[0])[2] == "Immunization");
}
