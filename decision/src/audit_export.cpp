#include "consilium/decision/audit_export.h"

#include "consilium/decision/store.h"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <ostream>
#include <stdexcept>
#include <string_view>

namespace consilium::decision {
namespace {

using Json = nlohmann::ordered_json;  // keeps resourceType first, as FHIR JSON is usually read

constexpr std::string_view kFailedSuffix = ".failed";

bool failed(std::string_view action) { return action.ends_with(kFailedSuffix); }

// The action without ".failed": a failed export is still an export.
std::string_view base_action(std::string_view action) {
    return failed(action) ? action.substr(0, action.size() - kFailedSuffix.size()) : action;
}

struct DicomCode {
    const char* code;
    const char* display;
};

// DICOM PS3.16 CID 400 audit event IDs.
DicomCode event_type(std::string_view a) {
    if (a == "export" || a.ends_with(".export")) return {"110106", "Export"};
    if (a == "login" || a == "logout") return {"110114", "User Authentication"};
    if (a.starts_with("patient.") || a.starts_with("timeline.")) return {"110110", "Patient Record"};
    if (a.starts_with("import.")) return {"110107", "Import"};
    if (a == "user.add") return {"110136", "Security Roles Changed"};
    if (a.starts_with("user.")) return {"110137", "User Security Attributes Changed"};
    if (a.starts_with("plugin.")) return {"110112", "Query"};
    return {"110100", "Application Activity"};
}

// FHIR audit-event-action: the last word of the action that names a verb decides
// ("import.fhir" -> import -> C); an action naming none is taken as executed.
std::string_view action_code(std::string_view a) {
    static constexpr std::pair<std::string_view, std::string_view> kVerbs[] = {
        {"open", "R"},   {"view", "R"},    {"read", "R"},   {"list", "R"},    {"search", "R"},
        {"show", "R"},   {"verify", "R"},  {"add", "C"},    {"create", "C"},  {"import", "C"},
        {"review", "C"},  // a review decision is a new record
        {"update", "U"}, {"change", "U"},  {"edit", "U"},   {"set", "U"},     {"enable", "U"},
        {"disable", "U"}, {"rename", "U"}, {"role", "U"},   {"password", "U"}, {"delete", "D"},
        {"remove", "D"}, {"export", "E"},  {"run", "E"},    {"login", "E"},   {"logout", "E"},
    };
    while (!a.empty()) {
        const auto dot = a.rfind('.');
        const auto word = dot == std::string_view::npos ? a : a.substr(dot + 1);
        for (const auto& [verb, code] : kVerbs)
            if (word == verb) return code;
        a = dot == std::string_view::npos ? std::string_view{} : a.substr(0, dot);
    }
    return "E";
}

bool is_control(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
}

// One entry must stay one line: a CR/LF in user data could otherwise forge a second entry.
// Replacing with a space (not an escape) keeps a JSON MSG valid JSON; the exact text is in
// the store, found by the line's seq and hash.
std::string flatten(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (is_control(c)) c = ' ';
    return out;
}

// RFC 5424 section 6.3.3: '"', '\' and ']' are backslash-escaped inside PARAM-VALUE.
std::string param_value(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '"' || c == '\\' || c == ']') out += '\\';
        out += is_control(c) ? ' ' : c;
    }
    return out;
}

// Header fields (HOSTNAME, MSGID) are 1..max printable US-ASCII characters or the NILVALUE "-".
std::string header_field(std::string_view s, std::size_t max) {
    if (s.empty()) return "-";
    std::string out(s.substr(0, max));
    for (char& c : out)
        if (c < '!' || c > '~') c = '_';  // also catches bytes >= 0x80 (char may be signed)
    return out;
}

// The stored time is already RFC 3339 UTC; anything else (a damaged row) must not break the header.
std::string timestamp_field(std::string_view t) {
    if (t.empty() || t.find_first_not_of("0123456789-T:.Z+") != std::string_view::npos) return "-";
    return std::string(t);
}

}  // namespace

std::string to_fhir_audit_event(const AuditEntry& e, const std::string& source_host) {
    const AuditRecord& r = e.record;
    const DicomCode type = event_type(base_action(r.action));
    const std::string user = r.user.empty() ? "-" : r.user;

    Json agent = {{"who", {{"identifier", {{"value", user}}}}}, {"name", user}, {"requestor", true}};
    if (!r.role.empty()) agent["role"] = Json::array({{{"text", r.role}}});

    // FHIR forbids empty strings, so absent parts of the object are left out rather than "".
    Json entity = Json::object();
    if (!r.object_id.empty()) entity["what"] = {{"identifier", {{"value", r.object_id}}}};
    if (!r.object_type.empty()) entity["type"] = {{"system", "urn:consilium:object-type"}, {"code", r.object_type}};
    if (!r.details.empty()) entity["detail"] = Json::array({{{"type", "details"}, {"valueString", r.details}}});

    Json event = {
        {"resourceType", "AuditEvent"},
        {"id", "consilium-audit-" + std::to_string(e.seq)},
        {"extension",
         Json::array({{{"url", "urn:consilium:audit-chain"},
                       {"extension", Json::array({{{"url", "seq"}, {"valueInteger", e.seq}},
                                                  {{"url", "prev_hash"}, {"valueString", e.prev_hash}},
                                                  {{"url", "hash"}, {"valueString", e.hash}}})}}})},
        {"type",
         {{"system", "http://dicom.nema.org/resources/ontology/DCM"}, {"code", type.code}, {"display", type.display}}},
        {"subtype", Json::array({{{"system", "urn:consilium:audit-action"}, {"code", r.action}}})},
        {"action", action_code(base_action(r.action))},
        {"recorded", e.time},
        {"outcome", failed(r.action) ? "4" : "0"},
        {"agent", Json::array({agent})},
        {"source",
         {{"observer", {{"display", "Consilium@" + source_host}}},
          {"type", Json::array({{{"system", "http://terminology.hl7.org/CodeSystem/security-source-type"},
                                 {"code", "4"},
                                 {"display", "Application Server"}}})}}},
    };
    if (!entity.empty()) event["entity"] = Json::array({entity});
    // User data may hold invalid UTF-8; replace it rather than fail the whole export.
    return event.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string to_syslog_line(const AuditEntry& e, const std::string& host) {
    const AuditRecord& r = e.record;
    constexpr int kAuthpriv = 10, kWarning = 4, kNotice = 5;
    const int pri = kAuthpriv * 8 + (failed(r.action) ? kWarning : kNotice);

    std::string line = "<" + std::to_string(pri) + ">1 " + timestamp_field(e.time) + ' ' + header_field(host, 255) +
                       " consilium - " + header_field(r.action, 32) + " [consilium@32473";
    const auto param = [&line](std::string_view name, std::string_view value) {
        line += ' ';
        line += name;
        line += "=\"";
        line += param_value(value);
        line += '"';
    };
    param("seq", std::to_string(e.seq));
    param("user", r.user);
    param("role", r.role);
    param("object_type", r.object_type);
    param("object_id", r.object_id);
    param("prev_hash", e.prev_hash);
    param("hash", e.hash);
    line += ']';
    if (!r.details.empty()) {
        line += ' ';
        line += flatten(r.details);
    }
    return line;
}

void export_audit(AuditTrail& trail, const std::string& format, std::ostream& out, const std::string& host) {
    std::string (*format_line)(const AuditEntry&, const std::string&) = nullptr;
    if (format == "fhir")
        format_line = to_fhir_audit_event;
    else if (format == "syslog")
        format_line = to_syslog_line;
    else
        throw std::invalid_argument("audit export format '" + format + "' is unknown (use fhir or syslog)");
    trail.for_each([&](const AuditEntry& e) { out << format_line(e, host) << '\n'; });
}

std::string local_host_name() {
    char name[256] = {};
    // The last byte stays 0: POSIX leaves termination unspecified when the name is truncated.
    if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "-";
    return name;
}

}  // namespace consilium::decision
