#include "store_fixture.h"

#include "consilium/decision/database.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/migrations.h"

#include <boost/test/unit_test.hpp>

using namespace consilium::decision;
using consilium::test::ScratchDir;

namespace {

int count(Database& db, const char* sql) {
    auto& s = db.statement(sql);
    s.step();
    int n = static_cast<int>(s.int64(0));
    s.reset();
    return n;
}

// Rows that each schema version can hold, written before upgrading past it.
void fill_version(Database& db, int version) {
    if (version >= 1) {
        db.exec("INSERT INTO patient(id, mrn, name, created_at) VALUES (1, 'MRN1', 'Ada Test', '2020-01-01')");
        db.exec("INSERT INTO timeline_event(patient_id, kind, code, start_time) VALUES (1, 'observation', '8867-4', '2020-01-02')");
        db.exec("INSERT INTO user(name, role, password, created_at) VALUES ('u', 'admin', 'x', '2020-01-01')");
    }
    if (version >= 3) {
        db.exec("INSERT INTO imaging_study(id, patient_id, study_uid, created_at) VALUES (1, 1, '1.2.3', '2020-01-01')");
    }
    if (version >= 2) {
        db.exec("INSERT INTO plugin_run(id, plugin_id, plugin_version, user_name, started_at, status) "
                "VALUES (1, 'org.example.p', '1.0', 'u', '2020-01-01', 'succeeded')");
        db.exec("INSERT INTO suggestion(run_id, patient_id, kind, summary, plugin_id, plugin_version, created_at) "
                "VALUES (1, 1, 'risk', 's', 'org.example.p', '1.0', '2020-01-01')");
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(migrations)

BOOST_AUTO_TEST_CASE(from_empty_to_latest) {
    ScratchDir dir;
    Database db(dir / "m.db", Database::Mode::create);
    migrate(db);
    BOOST_TEST(db.user_version() == latest_schema_version());
    for (const char* table : {"patient", "patient_identifier", "timeline_event", "event_component", "user", "audit_entry",
                              "audit_head", "plugin_run", "suggestion", "review", "imaging_study", "imaging_series",
                              "mdt_meeting", "mdt_case"}) {
        auto& s = db.statement("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
        s.bind(1, table);
        s.step();
        BOOST_TEST(s.int64(0) == 1, table);
        s.reset();
    }
    migrate(db);  // a second run is a no-op
    BOOST_TEST(db.user_version() == latest_schema_version());
    BOOST_TEST(count(db, "SELECT count(*) FROM pending_repair") == 0);  // nothing to repair in a new workspace
}

BOOST_AUTO_TEST_CASE(from_each_earlier_version_keeping_data) {
    for (int from = 1; from < latest_schema_version(); ++from) {
        BOOST_TEST_CONTEXT("upgrading from version " << from) {
            ScratchDir dir;
            Database db(dir / "m.db", Database::Mode::create);
            migrate(db, from);
            BOOST_TEST(db.user_version() == from);
            fill_version(db, from);
            migrate(db);
            BOOST_TEST(db.user_version() == latest_schema_version());
            BOOST_TEST(count(db, "SELECT count(*) FROM patient WHERE mrn = 'MRN1'") == 1);
            BOOST_TEST(count(db, "SELECT count(*) FROM timeline_event") == 1);
            BOOST_TEST(count(db, "SELECT count(*) FROM suggestion") == (from >= 2 ? 1 : 0));
            // DICOM text stored before version 9 is decoded again by the program on opening; a
            // workspace already at 9 or later stored it decoded.
            BOOST_TEST(count(db, "SELECT count(*) FROM pending_repair WHERE name = 'dicom-text'") ==
                       (from >= 3 && from < 9 ? 1 : 0));
            BOOST_TEST(count(db, "SELECT count(*) FROM measurement") == 0);  // v11: none measured yet
            auto& check = db.statement("PRAGMA integrity_check");
            check.step();
            BOOST_TEST(check.text(0) == "ok");
            check.reset();
        }
    }
}

BOOST_AUTO_TEST_CASE(a_newer_schema_is_refused_untouched) {
    ScratchDir dir;
    {
        Database db(dir / "consilium.db", Database::Mode::create);
        migrate(db);
        db.exec("PRAGMA user_version = 999");
    }
    auto before = consilium::test::read_file(dir / "consilium.db");
    try {
        open_sqlite_store(dir / "consilium.db");
        BOOST_FAIL("a schema newer than the program was opened");
    } catch (const StoreError& e) {
        BOOST_TEST(std::string(e.what()).find("newer") != std::string::npos, e.what());
    }
    BOOST_TEST((consilium::test::read_file(dir / "consilium.db") == before));
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_database_is_refused_untouched) {
    ScratchDir dir;
    const std::string garbage(10000, 'G');
    consilium::test::write_file(dir / "consilium.db", garbage);
    try {
        open_sqlite_store(dir / "consilium.db");
        BOOST_FAIL("garbage opened as a store");
    } catch (const StoreError& e) {
        BOOST_TEST(std::string(e.what()).find("consilium.db") != std::string::npos, e.what());
    }
    BOOST_TEST((consilium::test::read_file(dir / "consilium.db") == garbage));
}

BOOST_AUTO_TEST_CASE(wal_and_foreign_keys_are_on) {
    consilium::test::StoreFixture f;
    BOOST_TEST(f.raw_count("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1);
    TimelineEvent orphan;
    orphan.patient_id = 4242;
    orphan.kind = EventKind::observation;
    auto tx = f.store->begin();
    BOOST_CHECK_THROW(f.store->timeline().insert(orphan), StoreError);
}

BOOST_AUTO_TEST_SUITE_END()
