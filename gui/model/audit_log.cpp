#include "model/audit_log.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"

#include <nlohmann/json.hpp>

namespace consilium::gui {
namespace {

std::optional<std::string> blank_to_none(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return std::nullopt;
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool valid_time(const std::string& text) {
    const auto t = blank_to_none(text);
    return !t || decision::normalize_query_time(*t).has_value();
}

}  // namespace

AuditSearch::Field AuditSearch::invalid_field() const {
    if (!valid_time(from)) return Field::from;
    if (!valid_time(to)) return Field::to;
    return Field::none;
}

decision::AuditFilter AuditSearch::to_filter() const {
    decision::AuditFilter f;
    f.user = blank_to_none(user);
    f.action_prefix = blank_to_none(action);
    f.text = blank_to_none(text);
    if (auto t = blank_to_none(from)) f.since = decision::normalize_query_time(*t);
    if (auto t = blank_to_none(to)) f.until = decision::normalize_query_time(*t);
    return f;
}

void AuditLog::set_entries(std::vector<decision::AuditEntry> entries) { entries_ = std::move(entries); }

const decision::AuditEntry& AuditLog::at(std::size_t row) const {
    return entries_.at(newest_first_ ? entries_.size() - 1 - row : row);
}

std::string AuditLog::cell(std::size_t row, AuditColumn column) const {
    if (row >= entries_.size()) return "";
    const auto& e = at(row);
    switch (column) {
        case AuditColumn::seq: return std::to_string(e.seq);
        case AuditColumn::time: return audit_time_text(e.time);
        case AuditColumn::user: return e.record.user;
        case AuditColumn::role: return e.record.role;
        case AuditColumn::action: return e.record.action;
        case AuditColumn::object: return e.record.object_type + " " + e.record.object_id;
        case AuditColumn::details: return audit_details_text(e.record.details);
    }
    return "";
}

std::string AuditLog::describe(std::size_t row) const {
    if (row >= entries_.size()) return "";
    const auto& e = at(row);
    auto details = nlohmann::json::parse(e.record.details, nullptr, false);
    const std::string shown = details.is_discarded() ? e.record.details : text::json_text(details, 2);
    return "#" + std::to_string(e.seq) + "  " + e.time + "  " + e.record.user + " (" + e.record.role + ")  " +
           e.record.action + "  " + e.record.object_type + " " + e.record.object_id + "\n" + shown +
           "\nprev_hash " + e.prev_hash + "\nhash      " + e.hash;
}

std::string audit_time_text(const std::string& stored) {
    std::string t = stored;
    if (t.size() > 10 && t[10] == 'T') t[10] = ' ';
    if (!t.empty() && t.back() == 'Z') t.pop_back();
    return t;
}

std::string audit_details_text(const std::string& details_json) {
    auto details = nlohmann::json::parse(details_json, nullptr, false);
    if (details.is_discarded() || !details.is_object()) return details_json;  // shown as stored, never hidden
    std::string out;
    for (const auto& [key, value] : details.items()) {
        if (!out.empty()) out += ", ";
        out += key + ": " + (value.is_string() ? value.get<std::string>() : text::json_text(value));
    }
    return out;
}

std::string audit_export_file_name(const std::string& format, const std::string& today) {
    return "consilium-audit-" + today + (format == "fhir" ? ".ndjson" : ".log");
}

}  // namespace consilium::gui
