#include "sqlite_store.h"

#include "consilium/text/utf8.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace consilium::decision::sqlite {
namespace {

std::optional<std::string> readable(std::optional<std::string> v) {
    if (v) *v = text::valid_utf8(*v);
    return v;
}

}  // namespace

std::vector<TimelineEvent> Timeline::events(std::int64_t patient_id, const TimelineFilter& filter) {
    // Kinds are filtered with a bitmask (bit = EventKind's value, as the CASE below spells out), so
    // the statement text never varies with the filter.
    std::int64_t kind_mask = 0;
    for (auto k : filter.kinds) kind_mask |= std::int64_t{1} << static_cast<int>(k);
    // A date-only upper bound includes that whole day: compare against the bound + "~" (sorts after 'T...').
    std::optional<std::string> to = filter.to;
    if (to && to->size() <= 10) *to += "~";
    auto& s = db_.statement(
        "SELECT id, kind, code_system, code, display, start_time, end_time, value_num, value_text, unit, status, "
        "resource_type, source_ref, CASE WHEN ?5 THEN content_hash END, "
        "CASE WHEN ?5 THEN (SELECT resource_json FROM event_resource r WHERE r.event_id = e.id) END "
        "FROM timeline_event e WHERE patient_id = ?1 "
        "AND (?2 = 0 OR (?2 >> (CASE kind WHEN 'encounter' THEN 0 WHEN 'condition' THEN 1 WHEN 'observation' THEN 2 "
        "  WHEN 'medication' THEN 3 WHEN 'procedure' THEN 4 WHEN 'imaging' THEN 5 WHEN 'report' THEN 6 "
        "  WHEN 'suggestion' THEN 7 WHEN 'review' THEN 8 WHEN 'mdt' THEN 9 WHEN 'immunization' THEN 10 "
        "  WHEN 'allergy' THEN 11 ELSE 62 END)) & 1) "
        "AND (?3 IS NULL OR coalesce(end_time, start_time) >= ?3) AND (?4 IS NULL OR start_time <= ?4) "
        "ORDER BY start_time, id");
    s.bind(1, patient_id).bind(2, kind_mask).bind(3, filter.from).bind(4, to).bind(5, filter.with_resource_json ? 1 : 0);
    std::vector<TimelineEvent> out;
    {
        // Sized once: growing a vector of events moves every event already read, each time.
        auto& count = db_.statement("SELECT count(*) FROM timeline_event WHERE patient_id = ?1");
        count.bind(1, patient_id);
        if (count.step()) out.reserve(static_cast<std::size_t>(count.int64(0)));
        count.reset();
    }
    std::int64_t min_id = INT64_MAX, max_id = 0;
    while (s.step()) {
        TimelineEvent e;
        e.id = s.int64(0);
        e.patient_id = patient_id;
        e.kind = event_kind_from_string(s.text_view(1)).value_or(EventKind::observation);
        // What people read is UTF-8 even where a damaged or older record holds other bytes.
        e.code = {s.text(2), s.text(3), text::valid_utf8(s.text(4))};
        e.start = s.optional_text(5);
        e.end = s.optional_text(6);
        e.value_num = s.optional_real(7);
        e.value_text = readable(s.optional_text(8));
        e.unit = readable(s.optional_text(9));
        e.status = s.optional_text(10);
        e.resource_type = s.text(11);
        e.source_ref = s.optional_text(12);
        e.content_hash = s.optional_text(13);
        e.resource_json = s.optional_text(14);
        min_id = std::min(min_id, e.id);
        max_id = std::max(max_id, e.id);
        out.push_back(std::move(e));
    }
    s.reset();
    if (out.empty()) return out;
    // The components of every listed event in one range scan (a patient's events are mostly
    // contiguous by id), rather than one query per panel.
    std::unordered_map<std::int64_t, std::size_t> index;
    index.reserve(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) index.emplace(out[i].id, i);
    auto& c = db_.statement(
        "SELECT event_id, code_system, code, display, value_num, value_text, unit FROM event_component "
        "WHERE event_id BETWEEN ?1 AND ?2 ORDER BY event_id, seq");
    c.bind(1, min_id).bind(2, max_id);
    while (c.step()) {
        auto it = index.find(c.int64(0));
        if (it == index.end()) continue;  // filtered out
        out[it->second].components.push_back(
            {{c.text(1), c.text(2), text::valid_utf8(c.text(3))}, c.optional_real(4), readable(c.optional_text(5)), readable(c.optional_text(6))});
    }
    c.reset();
    return out;
}

std::optional<StoredEventIdentity> Timeline::find_by_source(std::string_view source_ref) {
    auto& s = db_.statement("SELECT id, patient_id, coalesce(content_hash, '') FROM timeline_event WHERE source_ref = ?1");
    s.bind(1, source_ref);
    std::optional<StoredEventIdentity> out;
    if (s.step()) out = StoredEventIdentity{s.int64(0), s.int64(1), s.text(2)};
    s.reset();
    return out;
}

std::int64_t Timeline::insert(const TimelineEvent& e) {
    db_.statement(
           "INSERT INTO timeline_event(patient_id, kind, code_system, code, display, start_time, end_time, value_num, "
           "value_text, unit, status, resource_type, source_ref, content_hash) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")
        .bind(1, e.patient_id).bind(2, to_string(e.kind)).bind(3, e.code.system).bind(4, e.code.code)
        .bind(5, e.code.display).bind(6, e.start).bind(7, e.end).bind(8, e.value_num).bind(9, e.value_text)
        .bind(10, e.unit).bind(11, e.status).bind(12, e.resource_type).bind(13, e.source_ref).bind(14, e.content_hash)
        .run();
    auto id = db_.last_insert_rowid();
    write_components(id, e);
    if (e.resource_json)
        db_.statement("INSERT INTO event_resource(event_id, resource_json) VALUES (?1, ?2)").bind(1, id).bind(2, *e.resource_json).run();
    return id;
}

void Timeline::replace(std::int64_t id, const TimelineEvent& e) {
    db_.statement(
           "UPDATE timeline_event SET patient_id = ?2, kind = ?3, code_system = ?4, code = ?5, display = ?6, "
           "start_time = ?7, end_time = ?8, value_num = ?9, value_text = ?10, unit = ?11, status = ?12, "
           "resource_type = ?13, source_ref = ?14, content_hash = ?15 WHERE id = ?1")
        .bind(1, id).bind(2, e.patient_id).bind(3, to_string(e.kind)).bind(4, e.code.system).bind(5, e.code.code)
        .bind(6, e.code.display).bind(7, e.start).bind(8, e.end).bind(9, e.value_num).bind(10, e.value_text)
        .bind(11, e.unit).bind(12, e.status).bind(13, e.resource_type).bind(14, e.source_ref).bind(15, e.content_hash)
        .run();
    db_.statement("DELETE FROM event_component WHERE event_id = ?1").bind(1, id).run();
    db_.statement("DELETE FROM event_resource WHERE event_id = ?1").bind(1, id).run();
    if (e.resource_json)
        db_.statement("INSERT INTO event_resource(event_id, resource_json) VALUES (?1, ?2)").bind(1, id).bind(2, *e.resource_json).run();
    write_components(id, e);
}

void Timeline::write_components(std::int64_t id, const TimelineEvent& e) {
    if (e.components.empty()) return;
    auto& s = db_.statement(
        "INSERT INTO event_component(event_id, seq, code_system, code, display, value_num, value_text, unit) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    int seq = 0;
    for (const auto& c : e.components)
        s.bind(1, id).bind(2, seq++).bind(3, c.code.system).bind(4, c.code.code).bind(5, c.code.display)
            .bind(6, c.value_num).bind(7, c.value_text).bind(8, c.unit).run();
}

}  // namespace consilium::decision::sqlite
