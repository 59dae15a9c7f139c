// The audit viewer's model: the search fields, how each cell reads, newest first, and the
// filter reaching the store.
#include "mdt_workspace.h"

#include "model/audit_log.h"

#include "consilium/decision/audit_access.h"

#include <boost/test/unit_test.hpp>

using namespace consilium;
using namespace consilium::gui;
using consilium::test::MdtWorkspace;

namespace {
decision::AuditEntry entry(std::int64_t seq, const std::string& action, const std::string& details) {
    decision::AuditEntry e;
    e.seq = seq;
    e.time = "2024-05-02T10:11:12.345Z";
    e.record = {"physician", "physician", action, "patient", "3", details};
    e.prev_hash = std::string(64, '0');
    e.hash = std::string(64, 'a');
    return e;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(audit_viewer)

BOOST_AUTO_TEST_CASE(search_fields_become_the_store_filter) {
    AuditSearch s;
    s.user = " physician ";
    s.action = "patient.";
    s.text = "  ";
    s.from = "2024-05-01";
    s.to = "2024-05-02T17:00:00Z";
    BOOST_TEST((s.invalid_field() == AuditSearch::Field::none));
    auto f = s.to_filter();
    BOOST_TEST(*f.user == "physician");
    BOOST_TEST(*f.action_prefix == "patient.");
    BOOST_TEST(!f.action.has_value());  // the exact-action field is the CLI's
    BOOST_TEST(!f.text.has_value());
    BOOST_TEST(*f.since == "2024-05-01");
    BOOST_TEST(*f.until == "2024-05-02T17:00:00Z");

    s.from = "yesterday";
    BOOST_TEST((s.invalid_field() == AuditSearch::Field::from));
    s.from = "";
    s.to = "2024-02-30";
    BOOST_TEST((s.invalid_field() == AuditSearch::Field::to));
}

BOOST_AUTO_TEST_CASE(cells_read_as_the_columns_say) {
    AuditLog log;
    log.set_entries({entry(1, "login", "{}"), entry(2, "patient.open", R"({"mrn":"MRN-3","n":{"a":1}})"),
                     entry(3, "odd", "not json")});
    BOOST_TEST(log.size() == 3u);
    BOOST_TEST(log.newest_first());
    BOOST_TEST(log.cell(0, AuditColumn::seq) == "3");
    BOOST_TEST(log.cell(1, AuditColumn::time) == "2024-05-02 10:11:12.345");
    BOOST_TEST(log.cell(1, AuditColumn::action) == "patient.open");
    BOOST_TEST(log.cell(1, AuditColumn::object) == "patient 3");
    BOOST_TEST(log.cell(1, AuditColumn::details) == R"(mrn: MRN-3, n: {"a":1})");
    BOOST_TEST(log.cell(0, AuditColumn::details) == "not json");  // shown as stored, never hidden
    BOOST_TEST(log.cell(7, AuditColumn::user) == "");
    log.set_newest_first(false);
    BOOST_TEST(log.cell(0, AuditColumn::seq) == "1");
    BOOST_TEST(log.at(2).seq == 3);
    const auto described = log.describe(1);
    BOOST_TEST(described.find("#2") == 0u);
    BOOST_TEST(described.find("\"mrn\": \"MRN-3\"") != std::string::npos);
    BOOST_TEST(described.find("hash      " + std::string(64, 'a')) != std::string::npos);
    BOOST_TEST(audit_export_file_name("fhir", "2024-05-02") == "consilium-audit-2024-05-02.ndjson");
    BOOST_TEST(audit_export_file_name("syslog", "2024-05-02") == "consilium-audit-2024-05-02.log");
}

BOOST_AUTO_TEST_CASE(the_filter_finds_entries_in_the_workspace) {
    MdtWorkspace w;
    w.login("physician");
    w.workstation->open_patient(w.jane);
    w.login("admin");
    AuditSearch s;
    s.action = "patient";
    s.text = "mrn-1";
    auto found = decision::read_audit_log(w.workstation->store(), w.workstation->session(), s.to_filter());
    BOOST_REQUIRE(found.size() == 1u);
    BOOST_TEST(found[0].record.action == "patient.open");
    BOOST_TEST(found[0].record.user == "physician");
    s = {};
    s.action = "login";
    s.to = "2000-01-01";
    BOOST_TEST(decision::read_audit_log(w.workstation->store(), w.workstation->session(), s.to_filter()).empty());
    BOOST_TEST(w.audit_count("audit.read") == 2);
}

BOOST_AUTO_TEST_SUITE_END()
