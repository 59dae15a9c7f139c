// build_timeline: the store's events and the AI suggestions sorted into lanes in clinical order.
#include "model/timeline_layout.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace consilium::gui {
namespace {

using decision::EventKind;
using decision::TimelineEvent;

// The vital-sign rows, each its own sparkline; a row takes every code measuring the same thing.
struct VitalRow {
    const char* key;
    const char* label;
    std::vector<const char*> codes;
};
const VitalRow kVitals[] = {
    {"pulse", N_("Heart rate"), {"8867-4"}},
    {"resp", N_("Respiratory rate"), {"9279-1"}},
    {"sbp", N_("Systolic BP"), {"8480-6"}},  // also the systolic component of a panel (85354-9, 55284-4)
    {"spo2", N_("SpO2"), {"59408-5", "2708-6", "20564-1"}},
    {"temp", N_("Temperature"), {"8310-5", "8331-1"}},
    {"acvpu", N_("Consciousness"), {"80288-4"}},  // ACVPU, a coded answer: markers, not a line
};
constexpr const char* kSystolic = "8480-6";
constexpr const char* kDiastolic = "8462-4";

int vital_index(const std::string& code) {
    for (std::size_t i = 0; i < std::size(kVitals); ++i)
        for (const char* c : kVitals[i].codes)
            if (code == c) return static_cast<int>(i);
    return -1;
}

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string with_unit(const std::string& value, const std::optional<std::string>& unit) {
    if (!unit || unit->empty()) return value;
    return value + " " + *unit;
}

// "Leukocytes [#/volume] in Blood by Automated count" -> "Leukocytes": the row label; the
// tooltip keeps the whole name.
std::string short_name(const std::string& display) {
    auto cut = display.find(" [");
    std::string s = cut == std::string::npos ? display : display.substr(0, cut);
    return s.empty() ? display : s;
}

ItemTone tone_of(const std::optional<ReferenceRange>& range, double v) {
    if (!range) return ItemTone::normal;
    if (range->low && v < *range->low) return ItemTone::low;
    if (range->high && v > *range->high) return ItemTone::high;
    return ItemTone::normal;
}

ItemTone tone_of(decision::ReviewStatus s) {
    switch (s) {
    case decision::ReviewStatus::proposed: return ItemTone::proposed;
    case decision::ReviewStatus::accepted: return ItemTone::accepted;
    case decision::ReviewStatus::modified: return ItemTone::modified;
    case decision::ReviewStatus::rejected: return ItemTone::rejected;
    }
    return ItemTone::normal;
}

std::string kind_name(EventKind k) {
    switch (k) {
    case EventKind::encounter: return N_("Encounter");
    case EventKind::condition: return N_("Condition");
    case EventKind::observation: return N_("Observation");
    case EventKind::medication: return N_("Medication");
    case EventKind::procedure: return N_("Procedure");
    case EventKind::imaging: return N_("Imaging study");
    case EventKind::report: return N_("Report");
    case EventKind::suggestion: return N_("AI suggestion");
    case EventKind::review: return N_("Review");
    case EventKind::mdt: return N_("MDT decision");
    case EventKind::immunization: return N_("Immunization");
    case EventKind::allergy: return N_("Allergy");
    }
    return N_("Event");
}

// The first letter of an ACVPU answer ("Alert", "New confusion", "Voice", "Pain", "Unresponsive").
std::string acvpu_letter(const std::string& text) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("confus") != std::string::npos) return "C";
    if (lower.empty()) return "?";
    return std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(text[0]))));
}

// The DICOM study and series UIDs an imaging event refers to: a DICOM import's study, or a FHIR
// ImagingStudy's identifier (urn:oid:...) and series uids.
void imaging_uids(const TimelineEvent& e, std::vector<std::string>& studies, std::vector<std::string>& series) {
    const std::string ref = e.source_ref.value_or("");
    if (ref.rfind("dicom-study/", 0) == 0) studies.push_back(ref.substr(12));
    if (!e.resource_json) return;
    const auto json = nlohmann::json::parse(*e.resource_json, nullptr, false);
    if (!json.is_object()) return;
    auto strip = [](std::string v) { return v.rfind("urn:oid:", 0) == 0 ? v.substr(8) : v; };
    if (auto it = json.find("identifier"); it != json.end() && it->is_array())
        for (const auto& id : *it)
            if (id.is_object() && id.contains("value") && id["value"].is_string()) studies.push_back(strip(id["value"]));
    if (auto it = json.find("series"); it != json.end() && it->is_array())
        for (const auto& s : *it)
            if (s.is_object() && s.contains("uid") && s["uid"].is_string()) series.push_back(strip(s["uid"]));
}

std::string series_for(const TimelineEvent& e, const std::vector<StudySeries>& held) {
    std::vector<std::string> studies, series;
    imaging_uids(e, studies, series);
    for (const auto& uid : series)
        for (const auto& h : held)
            if (h.series_uid == uid) return uid;
    for (const auto& uid : studies)
        for (const auto& h : held)
            if (h.study_uid == uid) return h.series_uid;
    return "";
}

class Builder {
public:
    explicit Builder(const TimelineSource& source) : source_(source) {}

    TimelineContent build() {
        for (const auto& e : source_.events) add_event(e);
        for (const auto& s : source_.suggestions) add_suggestion(s);
        return finish();
    }

private:
    struct Pending {
        TimelineLane lane;
        double first_time = 0;
        std::int64_t first_id = 0;
    };

    TimelineLane& lane(LaneKind kind, const std::string& label) {
        auto& l = fixed_[kind];
        if (l.label.empty()) {
            l.kind = kind;
            l.label = label;
        }
        return l;
    }

    TimelineItem base(const TimelineEvent& e, double start) {
        TimelineItem it;
        it.start = it.end = start;
        it.when = e.start.value_or(e.end.value_or(""));
        it.kind = kind_name(e.kind);
        it.title = e.code.display.empty() ? e.code.code : e.code.display;
        it.status = e.status.value_or("");
        it.event_id = e.id;
        if (e.end && e.start) {
            if (auto end = parse_store_time(*e.end); end && *end > start) {
                it.end = *end;
                it.interval = true;
                it.when_end = *e.end;
            }
        }
        record_end_ = std::max(record_end_, it.end);
        return it;
    }

    void add_event(const TimelineEvent& e) {
        const auto start = parse_store_time(e.start.value_or(e.end.value_or("")));
        if (!start) {
            ++undated_;
            return;
        }
        TimelineItem it = base(e, *start);
        switch (e.kind) {
        case EventKind::encounter: lane(LaneKind::encounters, N_("Encounters")).items.push_back(std::move(it)); break;
        case EventKind::condition: {
            const std::string& st = it.status;
            it.open_ended = !it.interval && (st == "active" || st == "recurrence" || st == "relapse");
            lane(LaneKind::conditions, N_("Conditions")).items.push_back(std::move(it));
            break;
        }
        case EventKind::medication:
            if (e.value_text) it.detail = *e.value_text;
            lane(LaneKind::medications, N_("Medications")).items.push_back(std::move(it));
            break;
        case EventKind::procedure: lane(LaneKind::procedures, N_("Procedures")).items.push_back(std::move(it)); break;
        case EventKind::imaging:
            it.series_uid = series_for(e, source_.series);
            it.detail = e.value_text.value_or("");
            lane(LaneKind::imaging, N_("Imaging")).items.push_back(std::move(it));
            break;
        case EventKind::report:
            it.detail = e.value_text.value_or("");
            lane(LaneKind::reports, N_("Reports")).items.push_back(std::move(it));
            break;
        case EventKind::observation: add_observation(e, std::move(it)); break;
        case EventKind::suggestion:
        case EventKind::review: {
            const std::string ref = e.source_ref.value_or("");
            if (auto slash = ref.find('/'); slash != std::string::npos) {
                try {
                    it.suggestion_id = std::stoll(ref.substr(slash + 1));
                } catch (...) {
                }
            }
            if (e.kind == EventKind::review) {
                it.by = e.value_text.value_or("");
                it.tone = tone_of(decision::review_status_from_string(it.status).value_or(decision::ReviewStatus::proposed));
            }
            lane(LaneKind::ai, N_("AI suggestions")).items.push_back(std::move(it));
            break;
        }
        case EventKind::mdt:
            it.detail = e.value_text.value_or("");
            lane(LaneKind::mdt, N_("MDT decisions")).items.push_back(std::move(it));
            break;
        case EventKind::immunization:
            it.detail = e.value_text.value_or("");
            lane(LaneKind::immunizations, N_("Immunizations")).items.push_back(std::move(it));
            break;
        case EventKind::allergy: {
            // An active allergy runs to the end of the record, as an active condition does.
            const std::string& st = it.status;
            it.open_ended = !it.interval && st == "active";
            it.detail = e.value_text.value_or("");
            lane(LaneKind::allergies, N_("Allergies")).items.push_back(std::move(it));
            break;
        }
        }
    }

    Pending& row(LaneKind kind, const std::string& key, const std::string& label, const std::string& unit,
                 const TimelineItem& first) {
        auto& p = rows_[key];
        if (p.lane.label.empty()) {
            p.lane.kind = kind;
            p.lane.style = LaneStyle::sparkline;
            p.lane.key = key;
            p.lane.label = label;
            p.lane.unit = unit;
            p.first_time = first.start;
            p.first_id = first.event_id;
        }
        return p;
    }

    void add_numeric(LaneKind kind, const std::string& code, const std::string& display, double value,
                     const std::optional<std::string>& unit, TimelineItem it, std::optional<double> value2 = {}) {
        const int vital = kind == LaneKind::vital ? vital_index(code) : -1;
        const std::string u = unit.value_or("");
        const std::string key = vital >= 0 ? std::string("vital:") + kVitals[vital].key : "lab:" + code + "|" + u;
        const std::string label = vital >= 0 ? kVitals[vital].label : short_name(display);
        auto& p = row(kind, key, label, u, it);
        // Judged against the range for the patient's age (and sex) on the day it was measured.
        it.reference = reference_range_for(code, u, source_.patient, it.start);
        it.value = value;
        it.value2 = value2;
        it.mark = number_text(value);
        it.tone = tone_of(it.reference.range, value);
        if (it.detail.empty()) it.detail = with_unit(number_text(value), unit);
        if (it.title.empty()) it.title = display;
        p.lane.items.push_back(std::move(it));
    }

    void add_observation(const TimelineEvent& e, TimelineItem it) {
        const std::string& code = e.code.code;
        const int vital = vital_index(code);
        if (vital >= 0 && std::string(kVitals[vital].key) == "acvpu") {
            auto& p = row(LaneKind::vital, "vital:acvpu", kVitals[vital].label, "", it);
            p.lane.style = LaneStyle::markers;
            const std::string text = e.value_text.value_or(e.value_num ? number_text(*e.value_num) : "");
            it.mark = acvpu_letter(text);
            it.detail = text;
            it.tone = it.mark == "A" ? ItemTone::normal : ItemTone::high;
            p.lane.items.push_back(std::move(it));
            return;
        }
        if (e.value_num) {
            add_numeric(vital >= 0 ? LaneKind::vital : LaneKind::lab, code, it.title, *e.value_num, e.unit, it);
            return;
        }
        // A panel: the systolic pressure is a vital sign (the diastolic goes with it), other numeric
        // parts are lab rows of their own.
        bool used = false;
        std::optional<double> diastolic;
        for (const auto& c : e.components)
            if (c.code.code == kDiastolic && c.value_num) diastolic = c.value_num;
        for (const auto& c : e.components) {
            if (!c.value_num || (c.code.code == kDiastolic && diastolic && has_systolic(e))) continue;
            TimelineItem part = it;
            const bool is_vital = vital_index(c.code.code) >= 0;
            part.title = it.title;
            if (c.code.code == kSystolic && e.value_text)
                part.detail = with_unit(*e.value_text, e.unit);  // "128/84 mm[Hg]"
            add_numeric(is_vital ? LaneKind::vital : LaneKind::lab, c.code.code,
                        c.code.display.empty() ? c.code.code : c.code.display, *c.value_num, c.unit, std::move(part),
                        c.code.code == kSystolic ? diastolic : std::nullopt);
            used = true;
        }
        if (used) return;
        it.detail = with_unit(e.value_text.value_or(""), e.unit);
        lane(LaneKind::observations, N_("Other observations")).items.push_back(std::move(it));
    }

    static bool has_systolic(const TimelineEvent& e) {
        return std::any_of(e.components.begin(), e.components.end(),
                           [](const auto& c) { return c.code.code == kSystolic && c.value_num; });
    }

    void add_suggestion(const decision::Suggestion& s) {
        const auto t = parse_store_time(s.created_at);
        if (!t) {
            ++undated_;
            return;
        }
        TimelineItem it;
        it.start = it.end = *t;
        it.when = s.created_at;
        it.kind = N_("AI suggestion");
        it.title = s.summary.empty() ? s.coding.display : s.summary;
        it.detail = std::string(decision::to_string(s.kind)) + " - " + s.plugin_id + " " + s.plugin_version;
        it.confidence = s.confidence;
        if (s.score) it.score = std::string(s.complete ? "" : ">= ") + number_text(*s.score);
        if (s.band) it.score += (it.score.empty() ? "" : " ") + std::string("(") + *s.band + ")";
        it.status = std::string(decision::to_string(s.status));
        it.by = s.reviewed_by.value_or("");
        it.suggestion_id = s.id;
        it.tone = tone_of(s.status);
        lane(LaneKind::ai, N_("AI suggestions")).items.push_back(std::move(it));
    }

    static int max_tracks(LaneKind k) {
        switch (k) {
        case LaneKind::conditions: return 6;
        case LaneKind::medications: return 4;
        case LaneKind::encounters: return 3;
        default: return 2;
        }
    }

    static void sort_items(TimelineLane& l) {
        std::stable_sort(l.items.begin(), l.items.end(), [](const TimelineItem& a, const TimelineItem& b) {
            return a.start < b.start;
        });
    }

    // Greedy tracks: each item goes on the first track free at its start; past the limit, on the
    // track that frees first (it then overlaps - rare, and hit-testing still finds the nearest).
    static void assign_tracks(TimelineLane& l) {
        const int limit = max_tracks(l.kind);
        std::vector<double> free_at;
        for (auto& it : l.items) {
            std::size_t chosen = free_at.size();
            for (std::size_t t = 0; t < free_at.size(); ++t)
                if (free_at[t] <= it.start) {
                    chosen = t;
                    break;
                }
            if (chosen == free_at.size()) {
                if (static_cast<int>(free_at.size()) < limit) free_at.push_back(it.end);
                else chosen = static_cast<std::size_t>(std::min_element(free_at.begin(), free_at.end()) - free_at.begin());
            }
            it.track = static_cast<int>(chosen);
            // An instant leaves its track free for the next item at the same time: dots may share a row.
            free_at[chosen] = std::max(free_at[chosen], it.interval || it.open_ended ? it.end : it.start);
        }
        l.tracks = std::max(1, static_cast<int>(free_at.size()));
    }

    static void finish_lane(TimelineLane& l) {
        sort_items(l);
        l.longest = 0;
        for (const auto& it : l.items) l.longest = std::max(l.longest, it.end - it.start);
        if (l.style == LaneStyle::bars) assign_tracks(l);
        if (l.style != LaneStyle::sparkline) return;
        // The band shows the range that applies now - at the newest value - so a child's row is
        // drawn against their current age's band, each value's tone against its own day's.
        l.range.reset();
        for (auto it = l.items.rbegin(); it != l.items.rend(); ++it)
            if (it->value) {
                l.range = it->reference.range;
                break;
            }
        double lo = INFINITY, hi = -INFINITY;
        for (const auto& it : l.items) {
            if (!it.value) continue;
            lo = std::min(lo, *it.value);
            hi = std::max(hi, *it.value);
            if (it.value2) {
                lo = std::min(lo, *it.value2);
                hi = std::max(hi, *it.value2);
            }
        }
        if (l.range) {
            // The band widens the scale by at most the data's own spread, so a wide range (NEWS2's
            // systolic 111-219) does not flatten the line; beyond that the band runs off the row
            // (the label column gives its numbers). A band wholly above or below the data still
            // shows its near edge, so an SpO2 of 86 is seen against the 96-100 band.
            const double spread = std::max(hi - lo, std::max(std::abs(hi), 1.0) * 0.1);
            const auto& r = *l.range;
            double new_lo = lo, new_hi = hi;
            if (r.low && *r.low < lo) new_lo = std::max(*r.low, lo - spread);
            if (r.high && *r.high > hi) new_hi = std::min(*r.high, hi + spread);
            if (r.low && *r.low > hi) new_hi = std::max(new_hi, *r.low + spread / 4);
            if (r.high && *r.high < lo) new_lo = std::min(new_lo, *r.high - spread / 4);
            lo = new_lo;
            hi = new_hi;
        }
        if (!(hi > lo)) {
            const double pad = std::abs(lo) > 0 ? std::abs(lo) * 0.1 : 1;
            lo -= pad;
            hi += pad;
        }
        const double pad = (hi - lo) * 0.08;
        l.low = lo - pad;
        l.high = hi + pad;
    }

    TimelineContent finish() {
        // Open-ended conditions run to the end of the record.
        for (LaneKind k : {LaneKind::conditions, LaneKind::allergies})
            if (auto it = fixed_.find(k); it != fixed_.end())
                for (auto& c : it->second.items)
                    if (c.open_ended) c.end = std::max(c.start, record_end_);

        TimelineContent out;
        out.undated = undated_;
        auto take_fixed = [&](LaneKind k) {
            if (auto it = fixed_.find(k); it != fixed_.end() && !it->second.items.empty()) {
                finish_lane(it->second);
                out.lanes.push_back(std::move(it->second));
            }
        };
        for (LaneKind k : {LaneKind::encounters, LaneKind::conditions, LaneKind::allergies, LaneKind::medications,
                           LaneKind::immunizations, LaneKind::procedures, LaneKind::imaging, LaneKind::reports})
            take_fixed(k);
        // Vital signs in the fixed order; labs in the order they first appear (a panel's tests stay together).
        for (const auto& v : kVitals)
            if (auto it = rows_.find(std::string("vital:") + v.key); it != rows_.end()) {
                it->second.lane.group = N_("Vital signs");
                finish_lane(it->second.lane);
                out.lanes.push_back(std::move(it->second.lane));
            }
        std::vector<Pending*> labs;
        for (auto& [key, p] : rows_)
            if (p.lane.kind == LaneKind::lab) labs.push_back(&p);
        std::sort(labs.begin(), labs.end(), [](const Pending* a, const Pending* b) {
            return a->first_time != b->first_time ? a->first_time < b->first_time : a->first_id < b->first_id;
        });
        for (auto* p : labs) {
            p->lane.group = N_("Labs");
            finish_lane(p->lane);
            out.lanes.push_back(std::move(p->lane));
        }
        for (LaneKind k : {LaneKind::observations, LaneKind::ai, LaneKind::mdt}) take_fixed(k);
        return out;
    }

    const TimelineSource& source_;
    std::map<LaneKind, TimelineLane> fixed_;
    std::map<std::string, Pending> rows_;
    double record_end_ = -INFINITY;
    int undated_ = 0;
};

}  // namespace

TimelineContent build_timeline(const TimelineSource& source) { return Builder(source).build(); }

std::vector<std::string> tooltip_lines(const TimelineLane& lane, const TimelineItem& item, const Translate& translate) {
    auto tr = [&translate](const std::string& text) { return translate ? translate(text) : text; };
    std::vector<std::string> lines;
    lines.push_back(item.title.empty() ? tr(lane.label) : item.title);
    auto when = [&tr](const std::string& stored, double t) {
        // A date (or partial date) as stored; a time of day in UTC, as the store keeps it.
        return stored.size() <= 10 && !stored.empty() ? stored : format_time(t) + " " + tr(N_("UTC"));
    };
    std::string w = when(item.when, item.start);
    if (item.open_ended) w += " - " + tr(N_("ongoing"));
    else if (item.interval) w += " - " + when(item.when_end, item.end);
    lines.push_back(w);
    std::string kind = tr(item.kind);
    if (lane.kind == LaneKind::vital || lane.kind == LaneKind::lab) kind += " - " + tr(lane.label);
    lines.push_back(kind);
    if (!item.detail.empty()) lines.push_back(item.detail);
    if (item.confidence)
        lines.push_back(tr(N_("confidence")) + " " + std::to_string(static_cast<int>(std::lround(*item.confidence * 100))) + " %");
    if (!item.score.empty()) lines.push_back(tr(N_("score")) + " " + item.score);
    if (item.value && item.reference.range) {
        const auto& range = *item.reference.range;
        std::string r = tr(N_("reference")) + " ";
        if (range.low && range.high) r += number_text(*range.low) + "-" + number_text(*range.high);
        else if (range.low) r += ">= " + number_text(*range.low);
        else r += "<= " + number_text(*range.high);
        if (item.tone == ItemTone::low) r += " (" + tr(N_("low")) + ")";
        if (item.tone == ItemTone::high) r += " (" + tr(N_("high")) + ")";
        r += " - " + item.reference.describe(translate);  // whose range: "APLS, age 2", "NEWS2"
        lines.push_back(r);
    } else if (item.value) {
        if (auto why = item.reference.describe(translate); !why.empty()) lines.push_back(why);
    }
    if (!item.status.empty()) {
        std::string st = tr(N_("status")) + ": " + item.status;
        if (!item.by.empty()) st += " (" + item.by + ")";
        lines.push_back(st);
    }
    if (lane.kind == LaneKind::imaging && item.series_uid.empty()) lines.push_back(tr(N_("no images in the workspace")));
    if (!item.series_uid.empty()) lines.push_back(tr(N_("click to open the images")));
    else if (item.suggestion_id != 0) lines.push_back(tr(N_("click to show the suggestion")));
    return lines;
}

}  // namespace consilium::gui
