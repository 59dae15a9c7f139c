// Reading and exporting the audit trail for a user: administrators only, the viewer's search
// fields, and each read or export audited - an export only when it was delivered.
#include "store_fixture.h"

#include "consilium/decision/audit_access.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/record_access.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <stdexcept>

using namespace consilium::decision;
using consilium::test::StoreFixture;

namespace {

struct AuditFixture : StoreFixture {
    std::int64_t patient = 0;
    AuditFixture() {
        Patient p;
        p.mrn = "MRN-77";
        p.name = "Jane Doe";
        auto tx = store->begin();
        patient = store->patients().insert(p);
        tx->commit();
        open_patient_record(*store, physician, patient);
        record_logout(*store, physician);
    }
    long long audited(const std::string& action) const {
        return raw_count("SELECT count(*) FROM audit_entry WHERE action = '" + action + "'");
    }
};

std::vector<std::string> actions(const std::vector<AuditEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.record.action);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_access)

BOOST_FIXTURE_TEST_CASE(only_administrators_read_and_each_read_is_audited, AuditFixture) {
    const auto before = content_digest();
    BOOST_CHECK_THROW(read_audit_log(*store, physician, {}), NotPermitted);
    BOOST_CHECK_THROW(read_audit_log(*store, developer, {}), NotPermitted);
    BOOST_TEST(content_digest() == before);

    auto all = read_audit_log(*store, admin, {});
    BOOST_TEST(!all.empty());
    BOOST_TEST(audited("audit.read") == 1);
    AuditFilter by_text;
    by_text.text = "mrn-77";  // found in the details, whatever the case
    read_audit_log(*store, admin, by_text);
    auto reads = store->audit().entries([] {
        AuditFilter f;
        f.action = "audit.read";
        return f;
    }());
    BOOST_REQUIRE(reads.size() == 2u);
    auto details = nlohmann::json::parse(reads[1].record.details);
    BOOST_TEST(details["text"] == "mrn-77");
    BOOST_TEST(details["entries"] == 1);
}

BOOST_FIXTURE_TEST_CASE(the_viewers_search_fields, AuditFixture) {
    AuditFilter f;
    f.text = "MRN-77";
    BOOST_TEST(actions(store->audit().entries(f)) == std::vector<std::string>{"patient.open"}, boost::test_tools::per_element());

    AuditFilter prefix;
    prefix.action_prefix = "log";  // any action starting so: login and logout
    prefix.user = "physician";
    BOOST_TEST(actions(store->audit().entries(prefix)) == (std::vector<std::string>{"login", "logout"}),
               boost::test_tools::per_element());

    const auto newest = store->audit().entries({}).back().time;
    AuditFilter until_day;
    until_day.until = newest.substr(0, 10);  // a date bound covers its whole day
    BOOST_TEST(store->audit().entries(until_day).size() == store->audit().entries({}).size());
    AuditFilter until_before;
    until_before.until = "2000-01-01";
    BOOST_TEST(store->audit().entries(until_before).empty());
    AuditFilter since_later;
    since_later.since = "2999-01-01";
    BOOST_TEST(store->audit().entries(since_later).empty());
}

BOOST_FIXTURE_TEST_CASE(an_export_is_audited_only_when_delivered, AuditFixture) {
    const auto entries_before = raw_count("SELECT count(*) FROM audit_entry");
    BOOST_CHECK_THROW(export_audit_log(*store, physician, "fhir", "/tmp/x", [](const std::string&) {}), NotPermitted);
    BOOST_CHECK_THROW(export_audit_log(*store, admin, "csv", "/tmp/x", [](const std::string&) {}), std::invalid_argument);
    BOOST_CHECK_THROW(export_audit_log(*store, admin, "fhir", "/full/disk",
                                       [](const std::string&) { throw std::runtime_error("disk full"); }),
                      std::runtime_error);
    BOOST_TEST(raw_count("SELECT count(*) FROM audit_entry") == entries_before);

    std::string delivered;
    auto result = export_audit_log(*store, admin, "syslog", "/tmp/audit.log", [&](const std::string& text) { delivered = text; });
    BOOST_TEST(result.entries == entries_before);  // the export holds the entries before its own
    BOOST_TEST(std::count(delivered.begin(), delivered.end(), '\n') == entries_before);
    BOOST_TEST(audited("audit.export") == 1);
    auto last = store->audit().entries({}).back();
    BOOST_TEST(last.record.action == "audit.export");
    auto details = nlohmann::json::parse(last.record.details);
    BOOST_TEST(details["destination"] == "/tmp/audit.log");
    BOOST_TEST(details["sha256"] == result.sha256);
    BOOST_TEST(store->audit().verify().intact);
}

BOOST_AUTO_TEST_SUITE_END()
