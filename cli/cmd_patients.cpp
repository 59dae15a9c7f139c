#include "commands.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/patient_lookup.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iomanip>
#include <iostream>

namespace consilium::cli {
namespace {

using namespace consilium::decision;

nlohmann::json optional(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

nlohmann::json event_json(const TimelineEvent& e) {
    nlohmann::json value;
    if (e.value_num) value = *e.value_num;
    else if (e.value_text) value = *e.value_text;
    nlohmann::json out{{"id", e.id},
                       {"kind", to_string(e.kind)},
                       {"start", optional(e.start)},
                       {"end", optional(e.end)},
                       {"code", {{"system", e.code.system}, {"code", e.code.code}, {"display", e.code.display}}},
                       {"value", value},
                       {"unit", optional(e.unit)},
                       {"status", optional(e.status)},
                       {"source", optional(e.source_ref)}};
    if (!e.components.empty()) {
        auto parts = nlohmann::json::array();
        for (const auto& c : e.components)
            parts.push_back({{"code", {{"system", c.code.system}, {"code", c.code.code}, {"display", c.code.display}}},
                             {"value", c.value_num ? nlohmann::json(*c.value_num) : optional(c.value_text)},
                             {"unit", optional(c.unit)}});
        out["components"] = parts;
    }
    return out;
}

std::string value_text(const TimelineEvent& e) {
    std::string v;
    if (e.value_text) v = *e.value_text;
    else if (e.value_num) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", *e.value_num);
        v = buf;
    }
    if (!v.empty() && e.unit) v += " " + *e.unit;
    return v;
}

// The name as a person reads it: every recorded form, never blank.
std::string shown_name(const Patient& p) {
    std::string name = p.name.empty() ? "(no name recorded)" : p.name;
    for (const auto* other : {&p.name_ideographic, &p.name_phonetic})
        if (!other->empty() && *other != p.name) name += " / " + *other;
    return name;
}

// Pads to `width` characters as a terminal shows them (setw counts bytes; UTF-8 letters take more).
std::string padded(const std::string& s, std::size_t width) {
    std::size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    return s + std::string(chars < width ? width - chars : 1, ' ');
}

}  // namespace

int cmd_patients(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {});
    if (!args.positional.empty()) throw UsageError("patients takes no arguments");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::read_patients);
    auto tx = ws.store().begin();
    auto patients = ws.store().patients().list();
    ws.store().audit().append(audit_record(session, "patient.list", "patient", "*",
                                           text::json_text(nlohmann::json{{"count", patients.size()}})));
    tx->commit();
    if (ctx.json) {
        auto out = nlohmann::json::array();
        for (const auto& p : patients)
            out.push_back({{"id", p.id}, {"mrn", p.mrn}, {"name", p.name}, {"name_ideographic", p.name_ideographic},
                           {"name_phonetic", p.name_phonetic}, {"birth_date", optional(p.birth_date)},
                           {"sex", optional(p.sex)}, {"events", p.event_count}, {"studies", p.study_count}});
        ctx.print_json(out);
        return 0;
    }
    std::cout << std::left << std::setw(6) << "ID" << std::setw(38) << "MRN" << std::setw(32) << "NAME" << std::setw(12)
              << "BORN" << std::setw(8) << "SEX" << std::setw(8) << "EVENTS" << "STUDIES\n";
    for (const auto& p : patients)
        std::cout << std::left << std::setw(6) << p.id << std::setw(38) << p.mrn << padded(shown_name(p), 32)
                  << std::setw(12) << p.birth_date.value_or("") << std::setw(8) << p.sex.value_or("") << std::setw(8)
                  << p.event_count << p.study_count << '\n';
    return 0;
}

int cmd_timeline(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--kind", "--from", "--to"});
    const auto& who = args.at(0, "the patient (id or MRN): timeline PATIENT");
    if (args.positional.size() > 1) throw UsageError("timeline takes one patient");
    TimelineFilter filter;
    for (const auto& k : args.all("--kind")) {
        auto kind = event_kind_from_string(k);
        if (!kind) throw UsageError("unknown event kind '" + k + "'");
        filter.kinds.push_back(*kind);
    }
    if (auto from = args.value("--from")) {
        filter.from = normalize_query_time(*from);
        if (!filter.from) throw UsageError("--from '" + *from + "' is not a date (YYYY-MM-DD) or ISO date-time");
    }
    if (auto to = args.value("--to")) {
        filter.to = normalize_query_time(*to);
        if (!filter.to) throw UsageError("--to '" + *to + "' is not a date (YYYY-MM-DD) or ISO date-time");
    }
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::read_patients);
    auto patient = find_patient(ws.store(), who);
    auto tx = ws.store().begin();
    auto events = ws.store().timeline().events(patient.id, filter);
    ws.store().audit().append(audit_record(session, "patient.open", "patient", std::to_string(patient.id),
                                           text::json_text(nlohmann::json{{"view", "timeline"}, {"events", events.size()}})));
    tx->commit();
    if (ctx.json) {
        auto out = nlohmann::json::array();
        for (const auto& e : events) out.push_back(event_json(e));
        ctx.print_json(out);
        return 0;
    }
    std::cout << patient.name << "  (id " << patient.id << ", MRN " << patient.mrn << ", born "
              << patient.birth_date.value_or("?") << ", " << patient.sex.value_or("?") << ")\n";
    for (const auto& e : events)
        std::cout << std::left << std::setw(26) << e.start.value_or("?") << std::setw(12) << to_string(e.kind)
                  << std::setw(60) << e.code.display.substr(0, 58) << value_text(e) << '\n';
    return 0;
}

}  // namespace consilium::cli
