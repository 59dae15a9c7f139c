#pragma once
// Reading and exporting the audit trail for a logged-in user: administrators only
// (Permission::read_audit), and every read and every export is itself audited, in the same
// transaction as the reading, so the log records who looked at it and what left the workspace.
#include "consilium/decision/audit.h"
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace consilium::decision {

// The entries the filter selects, oldest first; audited `audit.read` with the filter and the count.
std::vector<AuditEntry> read_audit_log(Store& store, const Session& session, const AuditFilter& filter);

struct AuditExportResult {
    std::int64_t entries = 0;
    std::string sha256;  // of the exported text, as recorded in the audit entry
};

// The whole trail as `format` ("fhir": FHIR AuditEvent NDJSON, "syslog": RFC 5424 lines; else
// std::invalid_argument before anything is read). Within one transaction: the text is made, the
// `audit.export` entry (format, destination, entry count, SHA-256 of the text) appended, and the
// text handed to `deliver` (which writes the file). If `deliver` throws, the entry is rolled back:
// the log holds an export entry only for an export that was delivered.
AuditExportResult export_audit_log(Store& store, const Session& session, const std::string& format,
                                   const std::string& destination, const std::function<void(const std::string&)>& deliver);

}  // namespace consilium::decision
