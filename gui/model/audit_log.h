#pragma once
// The audit viewer, wx-free: the administrator's search fields, the entries found and how each
// cell reads. The view is a virtual list, so a log of millions of entries costs one visible row's
// text at a time; the entries themselves are loaded on a worker thread (read_audit_log, audited).
#include "consilium/decision/audit.h"

#include <cstddef>
#include <string>
#include <vector>

namespace consilium::gui {

// What the administrator typed; blank means "any".
struct AuditSearch {
    std::string user;
    std::string action;  // a prefix: "login" finds login and login.failed
    std::string text;    // in the object or the details: a patient id, an MRN, a file name
    std::string from;    // YYYY-MM-DD or an ISO date-time (UTC), inclusive
    std::string to;      // the same; a date covers its whole day

    enum class Field { none, from, to };
    Field invalid_field() const;  // a date that is not one
    decision::AuditFilter to_filter() const;  // call when invalid_field() is none
};

enum class AuditColumn { seq, time, user, role, action, object, details };
inline constexpr int kAuditColumns = 7;

class AuditLog {
public:
    void set_entries(std::vector<decision::AuditEntry> entries);
    void set_newest_first(bool newest_first) { newest_first_ = newest_first; }
    bool newest_first() const { return newest_first_; }
    std::size_t size() const { return entries_.size(); }
    const decision::AuditEntry& at(std::size_t row) const;  // row as shown
    std::string cell(std::size_t row, AuditColumn column) const;
    // The whole entry for the detail pane: chain fields and the details JSON laid out.
    std::string describe(std::size_t row) const;

private:
    std::vector<decision::AuditEntry> entries_;  // oldest first, as read
    bool newest_first_ = true;
};

// "2024-05-02 10:11:12.345" from the stored "2024-05-02T10:11:12.345Z" (the column says UTC).
std::string audit_time_text(const std::string& stored);
// Details JSON as "key: value, key: value" (nested values as compact JSON); the text as stored if it is not JSON.
std::string audit_details_text(const std::string& details_json);

// The export's file name: consilium-audit-<date>.ndjson (FHIR) or .log (syslog).
std::string audit_export_file_name(const std::string& format, const std::string& today);

}  // namespace consilium::gui
