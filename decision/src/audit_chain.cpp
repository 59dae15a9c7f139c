#include "consilium/decision/audit.h"

#include "consilium/decision/crypto.h"

namespace consilium::decision {
namespace {

void field(std::string& out, std::string_view value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
    out += ';';
}

}  // namespace

std::string audit_canonical(const AuditEntry& e) {
    std::string out;
    out.reserve(128 + e.record.details.size());
    out += "consilium-audit-v1;";
    field(out, std::to_string(e.seq));
    field(out, e.time);
    field(out, e.record.user);
    field(out, e.record.role);
    field(out, e.record.action);
    field(out, e.record.object_type);
    field(out, e.record.object_id);
    field(out, e.record.details);
    return out;
}

std::string audit_hash(const std::string& prev_hash, const AuditEntry& entry) {
    Sha256 h;
    h.update(prev_hash);
    h.update(audit_canonical(entry));
    return h.hex();
}

}  // namespace consilium::decision
