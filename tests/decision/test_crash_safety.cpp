// A writer killed with SIGKILL at many points of a large import: afterwards the database passes
// PRAGMA integrity_check, the bundle is wholly present or wholly absent, and the audit chain holds.
#include "fhir_samples.h"
#include "store_fixture.h"

#include "consilium/decision/database.h"
#include "consilium/decision/fhir_import.h"

#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace consilium::decision;
using namespace consilium::test::fhir;

namespace {

constexpr int kEvents = 20000;

std::string large_bundle() {
    Json entries = Json::array({entry(patient("crash", "MRN-CRASH", "Kill", "Nine"), "urn:uuid:crash")});
    for (int i = 0; i < kEvents; ++i) {
        char when[32];
        std::snprintf(when, sizeof when, "2020-%02d-%02dT%02d:00:00Z", 1 + i % 12, 1 + i % 28, i % 24);
        entries.push_back(i % 5 == 0 ? entry(blood_pressure("bp" + std::to_string(i), "urn:uuid:crash", when, 120 + i % 30, 80))
                                     : entry(observation("o" + std::to_string(i), "urn:uuid:crash", when, 60 + i % 50)));
    }
    return bundle("transaction", entries).dump();
}

// Runs the import in a child process; the parent kills it after `delay`. Returns true if the
// child finished before the kill.
bool import_in_child(const std::filesystem::path& db, const std::filesystem::path& file, std::chrono::microseconds delay) {
    pid_t pid = fork();
    if (pid == 0) {
        try {
            auto store = open_sqlite_store(db);
            auto session = login(*store, "physician", "physician");
            FhirImport import(*store);
            import.read_file(file);
            import.commit(session);
        } catch (...) {
            _exit(3);
        }
        _exit(0);
    }
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < deadline) {
        if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crash_safety)

BOOST_AUTO_TEST_CASE(sigkill_during_a_large_import) {
    consilium::test::ScratchDir dir("crash");
    auto bundle_file = dir / "large.json";
    consilium::test::write_file(bundle_file, large_bundle());

    // A template workspace with users, copied for every kill.
    consilium::test::StoreFixture base;
    base.store.reset();  // closed: checkpointed, no WAL left

    // Calibrate: how long an uninterrupted import takes here.
    auto calibrate = dir / "calibrate.db";
    std::filesystem::copy_file(base.db_path, calibrate);
    auto t0 = std::chrono::steady_clock::now();
    BOOST_REQUIRE(import_in_child(calibrate, bundle_file, std::chrono::seconds(120)));
    auto full = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
    BOOST_TEST_MESSAGE("uninterrupted import of " << kEvents << " events: " << full.count() / 1000 << " ms");

    int present = 0, absent = 0;
    constexpr int kPoints = 24;
    for (int k = 0; k < kPoints; ++k) {
        auto db = dir / ("kill-" + std::to_string(k) + ".db");
        std::filesystem::copy_file(base.db_path, db);
        // Spread the kills over the whole run, denser in the second half where the writing is; the
        // last points come so late that the import has finished even on a loaded machine.
        double fraction = k < kPoints / 4 ? 0.5 * k / (kPoints / 4) : 0.5 + 0.7 * (k - kPoints / 4) / (kPoints - kPoints / 4);
        if (k >= kPoints - 2) fraction = 3.0 * (k - kPoints + 3);
        auto delay = std::chrono::microseconds(static_cast<long long>(full.count() * fraction));
        bool finished = import_in_child(db, bundle_file, delay);

        auto store = open_sqlite_store(db);
        consilium::decision::Database raw(db, consilium::decision::Database::Mode::open_existing);
        auto& check = raw.statement("PRAGMA integrity_check");
        BOOST_REQUIRE(check.step());
        BOOST_TEST(check.text(0) == "ok", "kill point " << k);
        check.reset();
        auto& events = raw.statement("SELECT count(*) FROM timeline_event");
        events.step();
        auto n = events.int64(0);
        events.reset();
        BOOST_TEST((n == 0 || n == kEvents), "kill point " << k << ": " << n << " events stored");
        auto p = store->patients().find_by_mrn("MRN-CRASH");
        BOOST_TEST(p.has_value() == (n == kEvents), "kill point " << k);
        auto imports = store->audit().entries({.action = "import.fhir"});
        BOOST_TEST(imports.size() == (n == kEvents ? 1u : 0u), "kill point " << k);
        BOOST_TEST(store->audit().verify().intact, "kill point " << k);
        if (finished) BOOST_TEST(n == kEvents);
        (n == kEvents ? present : absent)++;
    }
    BOOST_TEST_MESSAGE("kill points: " << present << " wholly present, " << absent << " wholly absent");
    // The kills must really have landed on both sides, or the test proved nothing.
    BOOST_TEST(present > 0);
    BOOST_TEST(absent > 0);
}

BOOST_AUTO_TEST_SUITE_END()
