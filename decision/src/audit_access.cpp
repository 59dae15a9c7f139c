#include "consilium/decision/audit_access.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/audit_export.h"
#include "consilium/decision/crypto.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace consilium::decision {
namespace {

nlohmann::json or_empty(const std::optional<std::string>& v) { return v.value_or(""); }

}  // namespace

std::vector<AuditEntry> read_audit_log(Store& store, const Session& session, const AuditFilter& filter) {
    require(session, Permission::read_audit);
    auto tx = store.begin();
    auto entries = store.audit().entries(filter);
    // The same fields the CLI's `audit log` records, and the viewer's extra search fields.
    nlohmann::json query{{"since", or_empty(filter.since)}, {"user", or_empty(filter.user)},
                         {"action", or_empty(filter.action)}, {"entries", entries.size()}};
    if (filter.until) query["until"] = *filter.until;
    if (filter.action_prefix) query["action_prefix"] = *filter.action_prefix;
    if (filter.text) query["text"] = *filter.text;
    store.audit().append(audit_record(session, "audit.read", "audit", "log", text::json_text(query)));
    tx->commit();
    return entries;
}

AuditExportResult export_audit_log(Store& store, const Session& session, const std::string& format,
                                   const std::string& destination, const std::function<void(const std::string&)>& deliver) {
    require(session, Permission::read_audit);
    if (format != "fhir" && format != "syslog")
        throw std::invalid_argument("audit export format '" + format + "' is unknown (use fhir or syslog)");
    auto tx = store.begin();
    std::ostringstream buffer;
    export_audit(store.audit(), format, buffer, local_host_name());
    const std::string text = buffer.str();
    AuditExportResult result;
    result.entries = std::count(text.begin(), text.end(), '\n');
    result.sha256 = sha256_hex(text);
    nlohmann::json details{{"format", format}, {"destination", destination}, {"entries", result.entries},
                           {"sha256", result.sha256}};
    store.audit().append(audit_record(session, "audit.export", "audit", format, text::json_text(details)));
    deliver(text);
    tx->commit();
    return result;
}

}  // namespace consilium::decision
