// Intended use and a failed run's own words in the workstation's model: the Plugins panel names a
// patient outside a plugin's population and lets only a clinician run it anyway; a failed run's
// exit code and stderr lines reach the panel's log and its "last run" line; suggestions made
// outside the intended use say so on their card; the worklist never ranks by such a NEWS2 score.
#include "model/plugin_runs.h"
#include "model/suggestion_card.h"
#include "model/workstation.h"

#include "consilium/decision/plugin_state.h"
#include "consilium/decision/session.h"
#include "consilium/decision/workspace.h"
#include "consilium/plugins/intended_use.h"

#include "test_support.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>

using namespace consilium;
using namespace consilium::gui;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const json kAdults = json{{"age_min_years", 16}};

// <folder>/<name>/: a command plugin (run.sh finds --input and --output, then runs `script`).
plugins::DiscoveredPlugin command_plugin(const fs::path& folder, const std::string& id, const std::string& script,
                                         const json& population = nullptr) {
    json m = {{"id", id},          {"name", "Test score"}, {"version", "1.0.0"}, {"kind", "command"},
              {"command", {"sh", "run.sh"}}, {"outputs", {"risk"}},
              {"model", {{"version", "TS-1"}, {"intended_use", "adults"}}}};
    if (!population.is_null()) m["model"]["population"] = population;
    fs::create_directories(folder / id);
    test::write_file(folder / id / "plugin.json", m.dump(2));
    test::write_file(folder / id / "run.sh",
                     "while [ $# -gt 0 ]; do case $1 in --input) in=$2;; --output) out=$2;; esac; shift; done\n" + script);
    for (auto& p : plugins::discover_plugins(plugins::SearchPath{{folder}}))
        if (p.id == id) return p;
    BOOST_FAIL("plugin " + id + " not discovered");
    return {};
}

PluginRow row_for(const plugins::DiscoveredPlugin& p) {
    PluginRow r;
    r.plugin = p;
    r.id = p.id;
    r.name = p.manifest->name;
    r.version = p.manifest->version;
    r.available = true;
    return r;
}

// 1 January, `years` years ago: the patient is that old all year.
std::string years_ago(int years) { return std::to_string(std::stoi(plugins::today_utc().substr(0, 4)) - years) + "-01-01"; }

// A workspace with an admin, a developer, a radiologist, a child and an adult.
struct Ward {
    test::ScratchDir dir{"gui-intended-use"};
    fs::path ws = dir / "ws";
    std::int64_t child = 0, adult = 0;
    Ward() {
        auto w = decision::Workspace::create(ws);
        decision::add_user(w.store(), nullptr, "admin", decision::Role::admin, "admin");
        auto admin = decision::login(w.store(), "admin", "admin");
        decision::add_user(w.store(), &admin, "dev", decision::Role::developer, "dev");
        decision::add_user(w.store(), &admin, "rad", decision::Role::radiologist, "rad");
        auto tx = w.store().begin();
        // The child's name sorts first: only the intended-use rule puts the adult above her.
        child = w.store().patients().insert(patient("KID", "Anna Klein", years_ago(9)));
        adult = w.store().patients().insert(patient("ADULT", "Zora Groot", "1960-02-03"));
        tx->commit();
    }
    static decision::Patient patient(const std::string& mrn, const std::string& name, const std::string& born) {
        decision::Patient p;
        p.mrn = mrn;
        p.name = name;
        p.family = name.substr(name.find(' ') + 1);
        p.given = name.substr(0, name.find(' '));
        p.birth_date = born;
        return p;
    }
    decision::Session session(const std::string& who) {
        auto w = decision::Workspace::open(ws);
        return decision::login(w.store(), who, who);
    }
    // Runs a plugin on the worker thread as the panel does and waits for its outcome.
    RunOutcome run(const plugins::DiscoveredPlugin& p, std::int64_t patient, bool anyway = false) {
        RunRequest request;
        request.workspace = ws;
        request.session = session("rad");
        request.plugin = p;
        {  // an admin approved its content (content_hash.h)
            auto w = decision::Workspace::open(ws);
            decision::approve_plugin(w.store(), decision::login(w.store(), "admin", "admin"), p.id, p.sha256);
        }
        request.patient_id = patient;
        request.outside_intended_use = anyway;
        std::mutex m;
        std::condition_variable cv;
        std::optional<RunOutcome> outcome;
        RunCallbacks callbacks;
        callbacks.done = [&](const RunOutcome& o) {
            std::lock_guard lock(m);
            outcome = o;
            cv.notify_all();
        };
        PluginRunner runner;
        BOOST_REQUIRE(runner.start(request, callbacks));
        {
            std::unique_lock lock(m);
            BOOST_REQUIRE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return outcome.has_value(); }));
        }
        runner.wait();
        return *outcome;
    }
};

const char* kScores = R"SH(printf '%s' '{"suggestions":[{"kind":"risk","score":9,"band":"high","summary":"NEWS2 9","rationale":"r"}]}' > "$out/suggestions.json"
)SH";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(intended_use_in_the_workstation, Ward)

BOOST_AUTO_TEST_CASE(a_patient_outside_the_intended_use_is_named_and_only_a_clinician_may_run_it_anyway) {
    const auto row = row_for(command_plugin(dir / "plugins", "org.test.adults", kScores, kAdults));
    auto w = decision::Workspace::open(ws);
    RunTarget t;
    t.patient_id = child;
    t.outside_intended_use = intended_use_of(row, w.store(), child);
    BOOST_TEST(t.outside_intended_use == "outside intended use: age 9 years is below the minimum 16");
    BOOST_TEST(why_cannot_run(row, decision::Role::radiologist, t, false) ==
               "outside intended use: age 9 years is below the minimum 16; a clinician may run it anyway (recorded)");
    t.run_anyway = true;
    BOOST_TEST(why_cannot_run(row, decision::Role::radiologist, t, false).empty());
    BOOST_TEST(why_cannot_run(row, decision::Role::developer, t, false) ==
               "outside intended use: age 9 years is below the minimum 16; only a clinician may run it anyway");
    BOOST_TEST(intended_use_of(row, w.store(), adult).empty());
    const auto unstated = row_for(command_plugin(dir / "plugins", "org.test.unstated", kScores));
    BOOST_TEST(intended_use_of(unstated, w.store(), child).empty());
}

BOOST_AUTO_TEST_CASE(a_failed_run_shows_its_exit_code_and_last_stderr_lines_in_the_log_and_the_last_run_line) {
    const auto p = command_plugin(dir / "plugins", "org.test.broken",
                                  "echo 'loading weights' >&2\necho 'model weights missing: weights-7f3a.pt' >&2\nexit 3\n");
    const auto o = run(p, adult);
    BOOST_TEST_INFO(o.error << " / " << o.result.reason);
    BOOST_TEST((o.result.status == decision::RunStatus::failed));
    BOOST_TEST(run_summary("Test score", "1.0.0", o) ==
               "Test score 1.0.0: failed: the plugin exited with code 3: model weights missing: weights-7f3a.pt");
    BOOST_TEST(run_details(o) == (std::vector<std::string>{"exit code 3", "last lines of its stderr:", "  loading weights",
                                                           "  model weights missing: weights-7f3a.pt"}),
               boost::test_tools::per_element());
    auto w = decision::Workspace::open(ws);
    const auto last = last_run_text(w.store().suggestions().latest_run(p.id, adult));
    BOOST_TEST(last.rfind("Last run on this patient: failed, ", 0) == 0u);
    BOOST_TEST(last.find(": the plugin exited with code 3: model weights missing: weights-7f3a.pt (exit code 3) (run ") !=
               std::string::npos);
    BOOST_TEST(last_run_text(w.store().suggestions().latest_run(p.id, child)).empty());
}

BOOST_AUTO_TEST_CASE(a_clinicians_run_anyway_marks_its_suggestions_and_their_cards_say_so) {
    const auto p = command_plugin(dir / "plugins", "org.test.adults", kScores, kAdults);
    const auto refused = run(p, child);
    BOOST_TEST((refused.result.status == decision::RunStatus::rejected));
    const auto ran = run(p, child, true);
    BOOST_TEST((ran.result.status == decision::RunStatus::succeeded));
    BOOST_TEST(run_details(ran).back() ==
               "run outside the model's intended use at a clinician's request (outside intended use: age 9 years is below the "
               "minimum 16): every suggestion of this run is marked so");
    auto w = decision::Workspace::open(ws);
    const auto stored = w.store().suggestions().list_for_patient(child);
    BOOST_REQUIRE(stored.size() == 1u);
    const auto card = make_card(stored[0], decision::Role::radiologist);
    BOOST_TEST(card.outside_intended_use == "Outside the model's intended use: run at a clinician's request");
    const auto ordinary = run(p, adult);
    BOOST_TEST(make_card(w.store().suggestions().list_for_patient(adult).at(0), decision::Role::radiologist)
                   .outside_intended_use.empty());
    BOOST_TEST(last_run_text(w.store().suggestions().latest_run(p.id, child)).find("outside the model's intended use") !=
               std::string::npos);
    (void)ordinary;
}

BOOST_AUTO_TEST_CASE(the_worklist_never_ranks_a_patient_by_a_news2_score_outside_its_intended_use) {
    // A NEWS2 plugin in the workspace's plugin folder, for adults.
    const auto p = command_plugin(ws / "plugins", "org.test.news2", kScores, kAdults);
    BOOST_TEST((run(p, child, true).result.status == decision::RunStatus::succeeded));  // high, for a child
    BOOST_TEST((run(p, adult).result.status == decision::RunStatus::succeeded));        // high, for an adult
    Workstation station(ws);
    BOOST_REQUIRE(station.login("rad", "rad").empty());
    const auto& rows = station.patients().visible();
    BOOST_REQUIRE(rows.size() == 2u);
    BOOST_TEST(rows[0].id == adult);  // ranked first by its score
    BOOST_TEST(rows[0].news2_band.value_or("") == "high");
    BOOST_TEST(rows[0].news2_not_applicable.empty());
    BOOST_TEST(rows[1].id == child);
    BOOST_TEST(!rows[1].news2_band);
    BOOST_TEST(rows[1].news2_not_applicable == "outside intended use: age 9 years is below the minimum 16");
    BOOST_TEST(risk_rank(rows[1].news2_band) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
