#include "consilium/decision/audit.h"

#include "consilium/decision/crypto.h"

#include <charconv>

namespace consilium::decision {
namespace {

void field(std::string& out, std::string_view value) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, value.size()).ptr;
    out.append(digits, end);
    out += ':';
    out += value;
    out += ';';
}

}  // namespace

void append_audit_canonical(std::string& out, const AuditFields& f) {
    char seq[24];
    auto end = std::to_chars(seq, seq + sizeof seq, f.seq).ptr;
    out += "consilium-audit-v1;";
    field(out, std::string_view(seq, static_cast<std::size_t>(end - seq)));
    field(out, f.time);
    field(out, f.user);
    field(out, f.role);
    field(out, f.action);
    field(out, f.object_type);
    field(out, f.object_id);
    field(out, f.details);
}

std::string audit_canonical(const AuditEntry& e) {
    std::string out;
    out.reserve(128 + e.record.details.size());
    append_audit_canonical(out, {e.seq, e.time, e.record.user, e.record.role, e.record.action, e.record.object_type,
                                 e.record.object_id, e.record.details});
    return out;
}

std::string audit_hash(const std::string& prev_hash, const AuditEntry& entry) {
    Sha256 h;
    h.update(prev_hash);
    h.update(audit_canonical(entry));
    return h.hex();
}

}  // namespace consilium::decision
