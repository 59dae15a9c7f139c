#pragma once
// Exports of the audit trail for systems outside the workspace: FHIR R4 AuditEvent (one resource
// per line, NDJSON) and RFC 5424 syslog lines, the form IHE ATNA forwards to an audit repository.
// Every line carries the entry's sequence number and chain hashes, so a copy kept elsewhere can be
// matched against the workspace's chain.
#include "consilium/decision/audit.h"

#include <iosfwd>
#include <string>

namespace consilium::decision {

class AuditTrail;

// One FHIR R4 AuditEvent as compact JSON, without a newline.
std::string to_fhir_audit_event(const AuditEntry& e, const std::string& source_host);

// One RFC 5424 syslog line (facility authpriv), without a newline. Control characters in any
// field (user data) are replaced by spaces, so one entry is always exactly one line.
std::string to_syslog_line(const AuditEntry& e, const std::string& host);

// Writes every entry in sequence order, one '\n'-terminated line each. `format` is "fhir" or
// "syslog"; anything else throws std::invalid_argument before anything is written.
void export_audit(AuditTrail& trail, const std::string& format, std::ostream& out, const std::string& host);

// This machine's name for the exports' source/HOSTNAME field; "-" if it cannot be had.
std::string local_host_name();

}  // namespace consilium::decision
