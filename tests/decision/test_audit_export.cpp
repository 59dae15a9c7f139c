// Audit trail exports: FHIR R4 AuditEvent and RFC 5424 syslog lines, built from hand-made entries.
#include "consilium/decision/audit_export.h"
#include "consilium/decision/store.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>
#include <stdexcept>
#include <vector>

using namespace consilium::decision;

namespace {

AuditEntry entry(std::int64_t seq, AuditRecord record, const std::string& prev_hash = kGenesisHash) {
    AuditEntry e;
    e.seq = seq;
    e.time = "2024-03-05T14:07:09.123Z";
    e.record = std::move(record);
    e.prev_hash = prev_hash;
    e.hash = audit_hash(prev_hash, e);
    return e;
}

AuditEntry entry(const std::string& action, const std::string& user = "alice") {
    return entry(7, {user, "clinician", action, "patient", "42", R"({"reason":"test"})"});
}

nlohmann::json fhir(const AuditEntry& e) {
    const std::string line = to_fhir_audit_event(e, "ward-3");
    BOOST_TEST_REQUIRE(line.find('\n') == std::string::npos);
    return nlohmann::json::parse(line);
}

std::string dcm_code(const std::string& action) { return fhir(entry(action))["type"]["code"].get<std::string>(); }

// <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG
const std::regex kSyslogShape(R"(^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z) ([!-~]{1,255}) )"
                              R"(consilium - ([!-~]{1,32}) \[consilium@32473( [a-z_]+="([^"\\\]]|\\["\\\]])*")+\])"
                              R"(( .*)?$)");

int pri(const std::string& line) {
    std::smatch m;
    BOOST_TEST_REQUIRE(std::regex_match(line, m, kSyslogShape), line);
    return std::stoi(m[1].str());
}

class VectorTrail final : public AuditTrail {
public:
    std::vector<AuditEntry> all;
    AuditEntry append(const AuditRecord&) override { throw std::logic_error("read-only"); }
    std::vector<AuditEntry> entries(const AuditFilter&) override { return all; }
    void for_each(const std::function<void(const AuditEntry&)>& visit) override {
        for (const auto& e : all) visit(e);
    }
    AuditVerification verify() override { return {}; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_export)

BOOST_AUTO_TEST_CASE(fhir_line_is_an_audit_event) {
    const AuditEntry e = entry("patient.open");
    const auto j = fhir(e);
    BOOST_TEST(j["resourceType"] == "AuditEvent");
    BOOST_TEST(j["id"] == "consilium-audit-7");
    BOOST_TEST(j["type"]["system"] == "http://dicom.nema.org/resources/ontology/DCM");
    BOOST_TEST(j["subtype"][0]["code"] == "patient.open");
    BOOST_TEST(j["action"] == "R");
    BOOST_TEST(j["recorded"] == e.time);
    BOOST_TEST(j["outcome"] == "0");
    BOOST_TEST(j["agent"][0]["who"]["identifier"]["value"] == "alice");
    BOOST_TEST(j["agent"][0]["requestor"] == true);
    BOOST_TEST(j["agent"][0]["role"][0]["text"] == "clinician");
    BOOST_TEST(j["source"]["observer"]["display"] == "Consilium@ward-3");
    BOOST_TEST(j["source"]["type"][0]["code"] == "4");
    BOOST_TEST(j["entity"][0]["what"]["identifier"]["value"] == "42");
    BOOST_TEST(j["entity"][0]["type"]["code"] == "patient");
    BOOST_TEST(j["entity"][0]["detail"][0]["valueString"] == e.record.details);
}

BOOST_AUTO_TEST_CASE(fhir_type_follows_dicom_event_ids) {
    BOOST_TEST(dcm_code("login") == "110114");
    BOOST_TEST(dcm_code("logout") == "110114");
    BOOST_TEST(dcm_code("patient.open") == "110110");
    BOOST_TEST(dcm_code("import.fhir") == "110107");
    BOOST_TEST(dcm_code("audit.export") == "110106");
    BOOST_TEST(dcm_code("user.add") == "110136");
    BOOST_TEST(dcm_code("user.role") == "110137");
    BOOST_TEST(dcm_code("plugin.run") == "110112");
    BOOST_TEST(dcm_code("review.accept") == "110100");
}

BOOST_AUTO_TEST_CASE(fhir_action_codes) {
    BOOST_TEST(fhir(entry("import.fhir"))["action"] == "C");
    BOOST_TEST(fhir(entry("user.add"))["action"] == "C");
    BOOST_TEST(fhir(entry("audit.export"))["action"] == "E");
    BOOST_TEST(fhir(entry("plugin.run"))["action"] == "E");
}

BOOST_AUTO_TEST_CASE(fhir_failed_login_is_minor_failure) {
    const auto j = fhir(entry("login.failed"));
    BOOST_TEST(j["outcome"] == "4");
    BOOST_TEST(j["type"]["code"] == "110114");
    BOOST_TEST(j["subtype"][0]["code"] == "login.failed");
}

BOOST_AUTO_TEST_CASE(fhir_carries_the_chain) {
    const AuditEntry first = entry(1, {"alice", "admin", "login", "user", "alice", "{}"});
    const AuditEntry second = entry(2, {"alice", "admin", "audit.export", "audit", "", "{}"}, first.hash);
    const auto j = fhir(second);
    const auto& chain = j["extension"][0];
    BOOST_TEST(chain["url"] == "urn:consilium:audit-chain");
    BOOST_TEST(chain["extension"][0]["url"] == "seq");
    BOOST_TEST(chain["extension"][0]["valueInteger"] == 2);
    BOOST_TEST(chain["extension"][1]["url"] == "prev_hash");
    BOOST_TEST(chain["extension"][1]["valueString"] == first.hash);
    BOOST_TEST(chain["extension"][2]["url"] == "hash");
    BOOST_TEST(chain["extension"][2]["valueString"] == second.hash);
    BOOST_TEST(second.hash.size() == 64u);
    BOOST_TEST(!j["entity"][0].contains("what"));  // FHIR has no empty strings
}

BOOST_AUTO_TEST_CASE(fhir_survives_invalid_utf8) {
    const std::string line = to_fhir_audit_event(entry("login", "bad\xff"), "h");
    BOOST_CHECK_NO_THROW(nlohmann::json::parse(line));
}

BOOST_AUTO_TEST_CASE(syslog_header_shape_and_priority) {
    const AuditEntry e = entry("login");
    const std::string line = to_syslog_line(e, "ward-3");
    BOOST_TEST(pri(line) == 85);
    BOOST_TEST(line.starts_with("<85>1 2024-03-05T14:07:09.123Z ward-3 consilium - login [consilium@32473 seq=\"7\""));
    BOOST_TEST(line.find(" hash=\"" + e.hash + "\"]") != std::string::npos);
    BOOST_TEST(line.ends_with(R"(] {"reason":"test"})"));
    BOOST_TEST(pri(to_syslog_line(entry("login.failed"), "ward-3")) == 84);
}

BOOST_AUTO_TEST_CASE(syslog_nil_and_truncated_header_fields) {
    const std::string line = to_syslog_line(entry(std::string(40, 'x')), "");
    BOOST_TEST(pri(line) == 85);
    BOOST_TEST(line.find(" - consilium - " + std::string(32, 'x') + " [") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(syslog_escapes_param_values) {
    const std::string line = to_syslog_line(entry("login", R"(a"b]c\d)"), "h");
    BOOST_TEST(pri(line) == 85);
    BOOST_TEST(line.find(R"( user="a\"b\]c\\d" )") != std::string::npos, line);
}

BOOST_AUTO_TEST_CASE(syslog_line_never_contains_a_newline) {
    AuditEntry e = entry(3, {"bob\r\nmallory", "clinician", "patient.open", "patient", "42\n<85>1 forged",
                             "{\"note\":\"one\ntwo\"}"});
    const std::string line = to_syslog_line(e, "h");
    BOOST_TEST(line.find('\n') == std::string::npos);
    BOOST_TEST(line.find('\r') == std::string::npos);
    BOOST_TEST(pri(line) == 85);
    BOOST_TEST(to_fhir_audit_event(e, "h").find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(export_writes_one_line_per_entry) {
    VectorTrail trail;
    trail.all.push_back(entry(1, {"alice", "admin", "login", "user", "alice", "{}"}));
    trail.all.push_back(entry(2, {"alice", "admin", "audit.export", "audit", "", "{}"}, trail.all[0].hash));
    for (const std::string format : {"fhir", "syslog"}) {
        std::ostringstream out;
        export_audit(trail, format, out, "h");
        std::istringstream in(out.str());
        std::vector<std::string> lines;
        for (std::string l; std::getline(in, l);) lines.push_back(l);
        BOOST_TEST_REQUIRE(lines.size() == 2u);
        BOOST_TEST(out.str().back() == '\n');
        if (format == "fhir") BOOST_TEST(nlohmann::json::parse(lines[1])["id"] == "consilium-audit-2");
        else BOOST_TEST(pri(lines[1]) == 85);
    }
    std::ostringstream out;
    BOOST_CHECK_THROW(export_audit(trail, "csv", out, "h"), std::invalid_argument);
    BOOST_TEST(out.str().empty());
}

BOOST_AUTO_TEST_CASE(local_host_name_is_printable) {
    const std::string name = local_host_name();
    BOOST_TEST(!name.empty());
    BOOST_TEST(name.find_first_of(" \r\n") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
