#include "commands.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/audit_export.h"
#include "consilium/decision/clinical_time.h"
#include "consilium/decision/crypto.h"
#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace consilium::cli {
namespace {

using namespace consilium::decision;

// Needs no login: the chain's hashes and counts reveal no patient data.
int audit_verify(const Context& ctx) {
    auto ws = ctx.open_workspace();
    auto v = ws.store().audit().verify();
    if (ctx.json) {
        ctx.print_json({{"intact", v.intact}, {"entries", v.entries}, {"first_broken", v.first_broken},
                        {"problem", v.problem}, {"head", v.head_hash}});
    } else if (v.intact) {
        std::cout << "audit chain intact: " << v.entries << " entries, head " << v.head_hash << '\n';
    } else {
        std::cout << "audit chain broken at entry " << v.first_broken << ": " << v.problem << '\n';
    }
    return v.intact ? 0 : 1;
}

nlohmann::json entry_json(const AuditEntry& e) {
    nlohmann::json details = nlohmann::json::parse(e.record.details, nullptr, false);
    if (details.is_discarded()) details = e.record.details;  // shown as stored, never hidden
    return {{"seq", e.seq},           {"time", e.time},
            {"user", e.record.user},  {"role", e.record.role},
            {"action", e.record.action}, {"object_type", e.record.object_type},
            {"object_id", e.record.object_id}, {"details", details},
            {"prev_hash", e.prev_hash}, {"hash", e.hash}};
}

int audit_log(const Context& ctx, const Args& args) {
    AuditFilter filter;
    if (auto since = args.value("--since")) {
        filter.since = normalize_query_time(*since);
        if (!filter.since) throw UsageError("--since '" + *since + "' is not a date or ISO date-time");
    }
    filter.user = args.value("--user");
    filter.action = args.value("--action");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::read_audit);
    auto tx = ws.store().begin();
    auto entries = ws.store().audit().entries(filter);
    nlohmann::json query{{"since", filter.since ? *filter.since : ""}, {"user", filter.user.value_or("")},
                         {"action", filter.action.value_or("")}, {"entries", entries.size()}};
    ws.store().audit().append(audit_record(session, "audit.read", "audit", "log", text::json_text(query)));
    tx->commit();
    if (ctx.json) {
        auto out = nlohmann::json::array();
        for (const auto& e : entries) out.push_back(entry_json(e));
        ctx.print_json(out);
        return 0;
    }
    for (const auto& e : entries)
        std::cout << e.seq << "  " << e.time << "  " << e.record.user << " (" << e.record.role << ")  " << e.record.action
                  << "  " << e.record.object_type << ":" << e.record.object_id << "  " << e.record.details << '\n';
    return 0;
}

// The export and its audit entry commit together: a file is only left behind for an audited export.
int audit_export(const Context& ctx, const Args& args) {
    auto format = args.value("--format");
    if (!format || (*format != "fhir" && *format != "syslog"))
        throw UsageError("audit export needs --format fhir or --format syslog");
    auto out_path = args.value("--out");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::read_audit);
    auto tx = ws.store().begin();
    std::ostringstream buffer;
    std::int64_t count = 0;
    {
        export_audit(ws.store().audit(), *format, buffer, local_host_name());
    }
    const std::string text = buffer.str();
    for (char c : text) count += c == '\n';
    nlohmann::json details{{"format", *format}, {"destination", out_path ? *out_path : "stdout"},
                           {"entries", count}, {"sha256", sha256_hex(text)}};
    ws.store().audit().append(audit_record(session, "audit.export", "audit", *format, text::json_text(details)));
    if (out_path) {
        std::ofstream out(*out_path, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) throw InputError(*out_path, "cannot write the export");
        tx->commit();
        if (!ctx.json) std::cerr << "Exported " << count << " audit entries to " << *out_path << '\n';
    } else {
        tx->commit();
        std::cout << text;
    }
    return 0;
}

}  // namespace

int cmd_audit(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--since", "--user", "--action", "--format", "--out"});
    const auto& sub = args.at(0, "an audit command (verify, log or export)");
    if (sub == "verify") return audit_verify(ctx);
    if (sub == "log") return audit_log(ctx, args);
    if (sub == "export") return audit_export(ctx, args);
    throw UsageError("unknown audit command '" + sub + "' (verify, log or export)");
}

}  // namespace consilium::cli
