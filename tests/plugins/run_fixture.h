#pragma once
// The fixture of the run_plugin suites (test_run.cpp, test_cancel.cpp): a scratch store with a
// physician logged in and one patient; test plugins laid out in plugin folders and discovered.
#include "approval_fixture.h"
#include "manifest_fixture.h"

#include "consilium/decision/plugin_state.h"
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"
#include "consilium/plugins/discovery.h"
#include "consilium/plugins/run.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <ostream>

namespace consilium::decision {
inline std::ostream& operator<<(std::ostream& os, RunStatus s) { return os << to_string(s); }
inline std::ostream& operator<<(std::ostream& os, SuggestionKind k) { return os << to_string(k); }
}  // namespace consilium::decision

namespace consilium::test::runtest {

using namespace consilium::test::plugintest;
using namespace consilium::decision;
using consilium::plugins::RunResult;
using consilium::test::ScratchDir;
namespace cp = consilium::plugins;

struct RunFixture {
    ScratchDir dir{"run"};
    std::unique_ptr<Store> store;
    std::optional<Session> session;
    std::int64_t patient = 0;

    RunFixture() {
        store = open_sqlite_store(dir / "ws.db", {.create = true});
        add_user(*store, nullptr, "admin", Role::admin, "admin");
        auto admin = login(*store, "admin", "admin");
        add_user(*store, &admin, "doc", Role::physician, "doc");
        session = login(*store, "doc", "doc");
        Patient p;
        p.mrn = "MRN1";
        p.family = "Test";
        p.given = "Pat";
        p.name = "Pat Test";
        auto tx = store->begin();
        patient = store->patients().insert(p);
        tx->commit();
    }

    // Lays out <dir>/plugins/<behaviour>/ with the test library and a manifest, and discovers it.
    // `population`: the manifest's model.population (none when null).
    cp::DiscoveredPlugin plugin(const std::string& behaviour, int timeout_s = 30, int memory_mb = 512,
                                const json& population = nullptr) {
        const char* libs = std::getenv("CONSILIUM_TEST_PLUGINS");
        BOOST_REQUIRE(libs);
        auto m = valid_native("org.test." + behaviour);
        m["library"] = behaviour + ".so";
        m["limits"] = {{"timeout_s", timeout_s}, {"memory_mb", memory_mb}};
        if (!population.is_null()) m["model"]["population"] = population;
        auto folder = dir / "plugins";
        auto file = write_plugin(folder, behaviour, m);
        fs::copy_file(fs::path(libs) / (behaviour + ".so"), file.parent_path() / (behaviour + ".so"),
                      fs::copy_options::overwrite_existing);
        for (auto& p : cp::discover_plugins(cp::SearchPath{{folder}}))
            if (p.id == "org.test." + behaviour) return p;
        BOOST_FAIL("plugin not discovered");
        return {};
    }

    // A command plugin: <dir>/cmdplugins/<name>/ with run.sh as given, run as ["sh","run.sh"].
    cp::DiscoveredPlugin command_plugin(const std::string& name, const std::string& script, int timeout_s = 30,
                                        const json& population = nullptr) {
        auto m = valid_command("org.test.cmd." + name);
        m["command"] = {"sh", "run.sh"};
        m["limits"] = {{"timeout_s", timeout_s}, {"memory_mb", 512}};
        if (!population.is_null()) m["model"]["population"] = population;
        auto folder = dir / "cmdplugins";
        auto file = write_plugin(folder, name, m);
        consilium::test::write_file(file.parent_path() / "run.sh",
                                    "while [ $# -gt 0 ]; do case $1 in --input) in=$2;; --output) out=$2;; esac; "
                                    "shift; done\n" + script);
        for (auto& p : cp::discover_plugins(cp::SearchPath{{folder}}))
            if (p.id == "org.test.cmd." + name) return p;
        BOOST_FAIL("command plugin not discovered");
        return {};
    }

    RunResult run(const cp::DiscoveredPlugin& p, const std::optional<cp::VolumeInput>& v = std::nullopt) {
        return consilium::test::run_approved(*store, *session, p, patient, v);
    }

    std::vector<AuditEntry> runs_audited() { return store->audit().entries({.action = "plugin.run"}); }

    // The fixture's patient born on `date` ("" : no birth date recorded).
    void set_birth_date(const std::string& date) {
        auto tx = store->begin();
        auto p = *store->patients().find(patient);
        p.birth_date = date.empty() ? std::nullopt : std::optional<std::string>(date);
        store->patients().update(p);
        tx->commit();
    }

    // Failures in a row the store counts for the plugin (0 without a row), and whether it is quarantined.
    int failures_in_a_row(const std::string& id) {
        auto s = store->plugin_states().find(id);
        return s ? s->failures_in_a_row : 0;
    }
    bool quarantined(const std::string& id) {
        auto s = store->plugin_states().find(id);
        return s && s->quarantined;
    }

    // A failed run: the status, a reason containing `words`, nothing stored, the failure audited.
    void expect_failure(const RunResult& r, RunStatus status, const std::string& words) {
        BOOST_TEST_INFO("reason: " << r.reason);
        BOOST_TEST(std::string(to_string(r.status)) == std::string(to_string(status)));
        BOOST_TEST(r.reason.find(words) != std::string::npos);
        BOOST_TEST(r.suggestions.empty());
        BOOST_TEST(store->suggestions().list_for_patient(patient).empty());
        auto run = store->suggestions().find_run(r.run_id);
        BOOST_REQUIRE(run);
        BOOST_TEST(run->status == status);
        BOOST_TEST(run->reason.value_or("") == r.reason);
        auto audited = runs_audited();
        BOOST_REQUIRE(!audited.empty());
        auto details = json::parse(audited.back().record.details);
        BOOST_TEST(details["status"] == std::string(to_string(status)));
        BOOST_TEST(details["reason"] == r.reason);
        BOOST_TEST(details["inputs_hash"].get<std::string>().size() == 64u);
    }
};

}  // namespace consilium::test::runtest
