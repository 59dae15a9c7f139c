#pragma once
// The tamper-evident audit trail: an append-only hash chain. Each entry's hash is SHA-256 over
// the previous entry's hash and this entry's canonical form, so an edited, deleted, inserted or
// reordered entry breaks the chain at that point.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::decision {

inline constexpr const char* kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// What the caller records; sequence, time and hashes are added on append.
struct AuditRecord {
    std::string user;         // who acted ("-" for no login, e.g. the first user add)
    std::string role;         // their role at the time
    std::string action;       // dotted verb: login, login.failed, patient.open, import.fhir, user.add ...
    std::string object_type;  // patient, user, file, audit, workspace ...
    std::string object_id;
    std::string details = "{}";  // a JSON object, canonical (keys sorted, no spaces)
};

struct AuditEntry {
    std::int64_t seq = 0;
    std::string time;  // UTC, ISO-8601 with milliseconds
    AuditRecord record;
    std::string prev_hash;
    std::string hash;
};

// The canonical byte string an entry's hash covers (length-prefixed fields, so no separator
// inside a value can make two different entries hash alike).
std::string audit_canonical(const AuditEntry& entry);
// The same bytes appended to `out`, from views (verification reuses one buffer for millions of rows).
struct AuditFields {
    std::int64_t seq;
    std::string_view time, user, role, action, object_type, object_id, details;
};
void append_audit_canonical(std::string& out, const AuditFields& fields);
std::string audit_hash(const std::string& prev_hash, const AuditEntry& entry);

struct AuditFilter {
    std::optional<std::string> since;   // UTC ISO time, inclusive
    std::optional<std::string> user;
    std::optional<std::string> action;  // exact, or a prefix ending in '.' ("plugin.")
    // For the audit viewer's search fields:
    std::optional<std::string> until;          // UTC ISO time or date, inclusive (a date covers its whole day)
    std::optional<std::string> action_prefix;  // any prefix: "login" finds login and login.failed
    std::optional<std::string> text;           // found in the object type, object id or details (case-insensitive)
};

struct AuditVerification {
    bool intact = true;
    std::int64_t entries = 0;
    std::int64_t first_broken = 0;  // sequence number of the first entry found wrong, 0 if none
    std::string problem;            // what is wrong, in words
    std::string head_hash;          // hash of the last entry: an anchor worth keeping elsewhere
};

}  // namespace consilium::decision
