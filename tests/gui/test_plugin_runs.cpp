// The Plugins panel's model: rows and their state, model cards, who may manage or run what on
// the open patient, the volume handed to a plugin, the words of an outcome, and a run on its own
// thread and store connection, with cancel.
#include "model/plugin_runs.h"
#include "model/workstation.h"

#include "consilium/decision/plugin_state.h"
#include "consilium/decision/session.h"
#include "consilium/decision/workspace.h"
#include "consilium/viewer/voxel_buffer.h"

#include "test_support.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <unistd.h>

using namespace consilium;
using namespace consilium::gui;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json command_manifest(const std::string& id, const std::string& version = "2.0.0") {
    return json{{"id", id},
                {"name", "Test score"},
                {"version", version},
                {"kind", "command"},
                {"command", {"sh", "run.sh"}},
                {"inputs", {{"volume", false}, {"modalities", json::array()}, {"timeline", true}}},
                {"outputs", {"risk"}},
                {"limits", {{"timeout_s", 30}, {"memory_mb", 512}}},
                {"model",
                 {{"version", "TS-1"},
                  {"intended_use", "testing the workstation"},
                  {"training_data", "none"},
                  {"performance", "n/a"},
                  {"limitations", "tests only"},
                  {"references", {"The test suite"}}}}};
}

// <folder>/<name>/plugin.json and run.sh (which finds --input and --output, then runs `script`).
void write_command_plugin(const fs::path& folder, const std::string& name, const json& manifest, const std::string& script) {
    fs::create_directories(folder / name);
    test::write_file(folder / name / "plugin.json", manifest.dump(2));
    test::write_file(folder / name / "run.sh",
                     "while [ $# -gt 0 ]; do case $1 in --input) in=$2;; --output) out=$2;; esac; shift; done\n" + script);
}

plugins::DiscoveredPlugin discovered(const fs::path& folder, const std::string& id) {
    for (auto& p : plugins::discover_plugins(plugins::SearchPath{{folder}}))
        if (p.id == id) return p;
    BOOST_FAIL("plugin " + id + " not discovered");
    return {};
}

// An admin's approval of the plugin's content (content_hash.h): only then does it run.
void approve(const fs::path& workspace, const plugins::DiscoveredPlugin& p) {
    auto w = decision::Workspace::open(workspace);
    auto admin = decision::login(w.store(), "admin", "admin");
    decision::approve_plugin(w.store(), admin, p.id, p.sha256);
}

// A workspace with an admin, a developer, a radiologist and one patient.
struct WorkspaceFixture {
    test::ScratchDir dir{"gui-plugins"};
    fs::path ws = dir / "ws";
    std::int64_t patient = 0;
    WorkspaceFixture() {
        auto w = decision::Workspace::create(ws);
        decision::add_user(w.store(), nullptr, "admin", decision::Role::admin, "admin");
        auto admin = decision::login(w.store(), "admin", "admin");
        decision::add_user(w.store(), &admin, "dev", decision::Role::developer, "dev");
        decision::add_user(w.store(), &admin, "rad", decision::Role::radiologist, "rad");
        decision::Patient p;
        p.mrn = "MRN1";
        p.family = "Erdman";
        p.given = "Louis";
        p.name = "Louis Erdman";
        auto tx = w.store().begin();
        patient = w.store().patients().insert(p);
        tx->commit();
    }
    decision::Session session(const std::string& who) {
        auto w = decision::Workspace::open(ws);
        return decision::login(w.store(), who, who);
    }
};

// Waits for a runner's `done`, on the test's thread.
struct Done {
    std::mutex m;
    std::condition_variable cv;
    std::optional<RunOutcome> outcome;
    std::vector<double> progress;
    RunCallbacks callbacks() {
        RunCallbacks c;
        c.progress = [this](double f) {
            std::lock_guard lock(m);
            progress.push_back(f);
        };
        c.done = [this](const RunOutcome& o) {
            std::lock_guard lock(m);
            outcome = o;
            cv.notify_all();
        };
        return c;
    }
    bool wait(std::chrono::seconds limit) {
        std::unique_lock lock(m);
        return cv.wait_for(lock, limit, [this] { return outcome.has_value(); });
    }
    bool progressed() {
        std::lock_guard lock(m);
        return !progress.empty();
    }
};

viewer::Volume small_ct(bool shared) {
    viewer::Volume v;
    v.dims = {4, 3, 2};
    v.spacing_mm = {0.7, 0.7, 1.25};
    v.origin_lps = {-10, -20, 30};
    v.modality = "CT";
    v.series_uid = "1.2.3.4";
    const std::size_t bytes = 4 * 3 * 2 * 2;
    if (shared) {
        v.voxels = viewer::make_shared_buffer(bytes);
    } else {
        void* memory = std::malloc(bytes);
        v.voxels = viewer::adopt_buffer(memory, bytes, [](void* p) { std::free(p); });
    }
    auto* voxels = static_cast<std::int16_t*>(v.voxels->data());
    for (int i = 0; i < 24; ++i) voxels[i] = static_cast<std::int16_t>(i * 10 - 100);
    return v;
}

PluginRow row_of(const json& manifest_json, const fs::path& folder) {
    write_command_plugin(folder, manifest_json["id"], manifest_json, "exit 0\n");
    PluginRow r;
    r.plugin = discovered(folder, manifest_json["id"]);
    r.id = r.plugin.id;
    r.name = r.plugin.manifest->name;
    r.version = r.plugin.manifest->version;
    r.available = true;
    r.takes_volume = r.plugin.manifest->inputs.volume;
    r.modalities = r.plugin.manifest->inputs.modalities;
    return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_model_card_has_its_sections_and_warns_when_the_version_differs) {
    test::ScratchDir dir{"gui-plugins"};
    const auto folder = dir / "plugins";
    write_command_plugin(folder, "a", command_manifest("org.test.a"), "exit 0\n");
    const auto p = discovered(folder, "org.test.a");
    auto card = make_model_card(&p, p.id);
    BOOST_TEST(card.title == "Test score 2.0.0");
    BOOST_TEST(card.subtitle == "org.test.a - model TS-1");
    BOOST_TEST(card.warning.empty());
    BOOST_REQUIRE(card.sections.size() >= 4u);
    BOOST_TEST(card.sections[0].first == "Intended use");
    BOOST_TEST(card.sections[0].second == "testing the workstation");
    BOOST_TEST(card.sections[1].first == "Training data");
    BOOST_TEST(card.sections[2].first == "Performance");
    BOOST_TEST(card.sections[3].first == "Limitations");
    BOOST_TEST(card.references == (std::vector<std::string>{"The test suite"}), boost::test_tools::per_element());
    BOOST_TEST(make_model_card(&p, p.id, "2.0.0", "TS-1").warning.empty());
    BOOST_TEST(make_model_card(&p, p.id, "1.0.0", "TS-0").warning.find("made by version 1.0.0 (model TS-0)") != std::string::npos);
    const auto gone = make_model_card(nullptr, "org.test.gone", "1.0.0");
    BOOST_TEST(gone.sections.empty());
    BOOST_TEST(gone.warning.find("not installed") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(only_developers_and_admins_manage_plugins) {
    BOOST_TEST(why_cannot_manage(decision::Role::developer).empty());
    BOOST_TEST(why_cannot_manage(decision::Role::admin).empty());
    BOOST_TEST(why_cannot_manage(decision::Role::radiologist) ==
               "only developers and administrators enable or disable plugins (you are radiologist)");
    BOOST_TEST(!why_cannot_manage(decision::Role::physician).empty());
}

BOOST_AUTO_TEST_CASE(a_run_needs_a_patient_and_for_image_plugins_a_complete_series_of_its_modality) {
    test::ScratchDir dir{"gui-plugins"};
    const auto folder = dir / "plugins";
    const auto news = row_of(command_manifest("org.test.score"), folder);
    auto image_manifest = command_manifest("org.test.nodules");
    image_manifest["inputs"] = {{"volume", true}, {"modalities", {"CT"}}, {"timeline", false}};
    const auto nodules = row_of(image_manifest, folder);
    const auto role = decision::Role::radiologist;

    RunTarget none;
    BOOST_TEST(why_cannot_run(news, role, none, false) == "open a patient first");
    RunTarget patient_only;
    patient_only.patient_id = 3;
    patient_only.patient_name = "Louis Erdman";
    BOOST_TEST(why_cannot_run(news, role, patient_only, false).empty());
    BOOST_TEST(why_cannot_run(news, decision::Role::developer, patient_only, false).empty());  // every role runs plugins
    BOOST_TEST(why_cannot_run(news, role, patient_only, true) == "a plugin is running; wait for it or cancel it");
    BOOST_TEST(run_target_text(news, patient_only) == "Run Test score on Louis Erdman");
    BOOST_TEST(why_cannot_run(nodules, role, patient_only, false) == "it reads an image series: open a CT series first");

    auto ct = std::make_shared<const viewer::Volume>(small_ct(true));
    RunTarget loading = patient_only;
    loading.volume = ct;
    BOOST_TEST(why_cannot_run(nodules, role, loading, false) == "the series is still loading");
    RunTarget ready = loading;
    ready.volume_complete = true;
    ready.series_label = "2024-03-01 CT Chest (2 images)";
    BOOST_TEST(why_cannot_run(nodules, role, ready, false).empty());
    BOOST_TEST(run_target_text(nodules, ready) == "Run Test score on Louis Erdman, 2024-03-01 CT Chest (2 images)");
    BOOST_TEST(run_target_text(news, ready) == "Run Test score on Louis Erdman");  // reads no images: none named
    auto mr_volume = small_ct(true);
    mr_volume.modality = "MR";
    RunTarget mr = ready;
    mr.volume = std::make_shared<const viewer::Volume>(mr_volume);
    BOOST_TEST(why_cannot_run(nodules, role, mr, false) == "it reads CT series; the series shown is MR");

    auto disabled = news;
    disabled.enabled = false;
    disabled.reason = "disabled: too slow";
    BOOST_TEST(why_cannot_run(disabled, role, patient_only, false) == "disabled: too slow");
    auto unavailable = news;
    unavailable.available = false;
    unavailable.reason = "unsupported plugin ABI version 99";
    BOOST_TEST(why_cannot_run(unavailable, role, patient_only, false) == "not available: unsupported plugin ABI version 99");
}

BOOST_AUTO_TEST_CASE(a_volume_outside_shared_memory_is_copied_into_a_memfd_once) {
    const auto shared = small_ct(true);
    std::shared_ptr<viewer::VoxelBuffer> keep;
    auto in = volume_input(shared, keep);
    BOOST_TEST(!keep);
    BOOST_TEST(in.fd == shared.voxels->descriptor());
    BOOST_TEST(in.bytes == 48u);
    BOOST_TEST(in.dims[0] == 4);
    BOOST_TEST(in.spacing_mm[2] == 1.25);
    BOOST_TEST(in.origin_lps[1] == -20.0);
    BOOST_TEST(in.modality == "CT");
    BOOST_TEST(in.series_uid == "1.2.3.4");
    BOOST_TEST(!in.float32);

    const auto heap = small_ct(false);
    BOOST_REQUIRE(heap.voxels->descriptor() < 0);
    in = volume_input(heap, keep);
    BOOST_REQUIRE(keep);
    BOOST_TEST(in.fd == keep->descriptor());
    BOOST_TEST(in.fd >= 0);
    BOOST_TEST(in.bytes == 48u);
    BOOST_TEST(std::memcmp(keep->data(), heap.voxels->data(), 48) == 0);
}

BOOST_AUTO_TEST_CASE(outcomes_are_said_plainly) {
    RunOutcome o;
    o.result.status = decision::RunStatus::succeeded;
    o.result.suggestions = {5};
    BOOST_TEST(run_summary("NEWS2", "2.0.0", o) == "NEWS2 2.0.0: succeeded, 1 suggestion");
    o.result.suggestions = {5, 6};
    BOOST_TEST(run_summary("NEWS2", "2.0.0", o) == "NEWS2 2.0.0: succeeded, 2 suggestions");
    o.result.suggestions.clear();
    BOOST_TEST(run_summary("NEWS2", "2.0.0", o) == "NEWS2 2.0.0: succeeded, no suggestions");
    o.result.status = decision::RunStatus::crashed;
    o.result.reason = "the plugin process ended with Segmentation fault (SIGSEGV)";
    BOOST_TEST(run_summary("NEWS2", "2.0.0", o) == "NEWS2 2.0.0: crashed: the plugin process ended with Segmentation fault (SIGSEGV)");
    o.result.status = decision::RunStatus::cancelled;
    o.result.reason = "cancelled by rad";
    BOOST_TEST(run_summary("NEWS2", "2.0.0", o) == "NEWS2 2.0.0: cancelled by rad");
    o.error = "no workspace at /x";
    BOOST_TEST(run_summary("NEWS2", "", o) == "NEWS2: could not run: no workspace at /x");
}

BOOST_FIXTURE_TEST_SUITE(plugins_panel_runs, WorkspaceFixture)

BOOST_AUTO_TEST_CASE(rows_show_enabled_disabled_quarantined_and_unavailable_with_the_reason) {
    const auto folder = dir / "plugins";
    write_command_plugin(folder, "a", command_manifest("org.test.a"), "exit 0\n");
    write_command_plugin(folder, "b", command_manifest("org.test.b"), "exit 0\n");
    write_command_plugin(folder, "c", command_manifest("org.test.c"), "exit 0\n");
    fs::create_directories(folder / "d");
    test::write_file(folder / "d" / "plugin.json", R"({"id": "org.test.d", "name": "broken"})");
    auto w = decision::Workspace::open(ws);
    auto dev = decision::login(w.store(), "dev", "dev");
    decision::set_plugin_enabled(w.store(), dev, "org.test.b", false, std::string("too slow"));
    auto q = decision::default_plugin_state("org.test.c");
    q.quarantined = true;
    q.reason = "quarantined after 3 failed runs";
    w.store().plugin_states().put(q);

    const auto unapproved = plugin_rows(plugins::discover_plugins(plugins::SearchPath{{folder}}), w.store().plugin_states());
    BOOST_REQUIRE(unapproved.size() == 4u);
    BOOST_TEST(!unapproved[0].available);
    BOOST_TEST(unapproved[0].needs_approval);
    BOOST_TEST(unapproved[0].reason.rfind("needs approval: a new plugin (sha256 ", 0) == 0u);
    for (const char* id : {"org.test.a", "org.test.b", "org.test.c"}) approve(ws, discovered(folder, id));
    const auto rows = plugin_rows(plugins::discover_plugins(plugins::SearchPath{{folder}}), w.store().plugin_states());
    BOOST_REQUIRE(rows.size() == 4u);
    BOOST_TEST(rows[0].id == "org.test.a");
    BOOST_TEST(rows[0].name == "Test score");
    BOOST_TEST(rows[0].version == "2.0.0");
    BOOST_TEST(rows[0].kind == "command");
    BOOST_TEST(rows[0].enabled);
    BOOST_TEST(rows[0].available);
    BOOST_TEST(rows[0].state_text == "enabled");
    BOOST_TEST(rows[0].reason.empty());
    BOOST_TEST(!rows[1].enabled);
    BOOST_TEST(rows[1].available);
    BOOST_TEST(rows[1].reason == "disabled: too slow");
    BOOST_TEST(rows[1].state_text.rfind("disabled by dev, ", 0) == 0);
    BOOST_TEST(rows[1].state_text.find(": too slow") != std::string::npos);
    BOOST_TEST(rows[2].quarantined);
    BOOST_TEST(!rows[2].enabled);
    BOOST_TEST(!rows[2].available);
    BOOST_TEST(rows[2].state_text == "quarantined: quarantined after 3 failed runs");
    BOOST_TEST(!rows[3].available);
    BOOST_TEST(rows[3].name.empty());
    BOOST_TEST(!rows[3].reason.empty());
}

BOOST_AUTO_TEST_CASE(a_run_on_the_worker_thread_stores_its_suggestion_and_cleans_up) {
    const auto folder = dir / "plugins";
    write_command_plugin(folder, "score", command_manifest("org.test.score"), R"(test -f "$in/context.json" || exit 9
echo "PROGRESS 0.5"
printf '%s' '{"suggestions":[{"kind":"risk","confidence":null,"score":4,"band":"low-medium","complete":false,"summary":"Score 4","rationale":"r"}]}' > "$out/suggestions.json"
)");
    RunRequest request;
    request.workspace = ws;
    request.session = session("rad");
    request.plugin = discovered(folder, "org.test.score");
    approve(ws, request.plugin);
    request.patient_id = patient;
    Done done;
    PluginRunner runner;
    BOOST_TEST(runner.start(request, done.callbacks()));
    BOOST_REQUIRE(done.wait(std::chrono::seconds(60)));
    runner.wait();
    BOOST_TEST(!runner.running());
    const auto& o = *done.outcome;
    BOOST_TEST_INFO("error: " << o.error << " reason: " << o.result.reason);
    BOOST_TEST(o.error.empty());
    BOOST_TEST((o.result.status == decision::RunStatus::succeeded));
    BOOST_TEST(o.result.suggestions.size() == 1u);
    BOOST_TEST(done.progressed());
    BOOST_TEST(run_summary("Test score", "2.0.0", o) == "Test score 2.0.0: succeeded, 1 suggestion");
    // Seen through another connection, as the GUI thread sees it.
    auto w = decision::Workspace::open(ws);
    const auto stored = w.store().suggestions().list_for_patient(patient);
    BOOST_REQUIRE(stored.size() == 1u);
    BOOST_TEST(stored[0].summary == "Score 4");
    BOOST_TEST(!stored[0].complete);
    BOOST_TEST(w.store().suggestions().find_run(o.result.run_id)->user_name == "rad");
    // The scratch folder was inside the workspace and is gone.
    std::size_t left = 0;
    if (fs::exists(ws / "plugin-work"))
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(ws / "plugin-work")) ++left;
    BOOST_TEST(left == 0u);
}

BOOST_AUTO_TEST_CASE(cancel_stops_a_hanging_run_which_is_recorded_and_stores_nothing) {
    const auto folder = dir / "plugins";
    write_command_plugin(folder, "hang", command_manifest("org.test.hang"), "echo \"PROGRESS 0.1\"\nsleep 60\n");
    RunRequest request;
    request.workspace = ws;
    request.session = session("rad");
    request.plugin = discovered(folder, "org.test.hang");
    approve(ws, request.plugin);
    request.patient_id = patient;
    Done done;
    PluginRunner runner;
    BOOST_TEST(runner.start(request, done.callbacks()));
    BOOST_TEST(runner.running());
    BOOST_TEST(!runner.start(request, RunCallbacks{}));  // one run at a time
    for (int i = 0; i < 200 && !done.progressed(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    BOOST_TEST(done.progressed());
    const auto asked = std::chrono::steady_clock::now();
    runner.cancel();
    BOOST_REQUIRE(done.wait(std::chrono::seconds(20)));
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - asked);
    BOOST_TEST(took.count() < 10000);
    const auto& o = *done.outcome;
    BOOST_TEST_INFO("reason: " << o.result.reason);
    BOOST_TEST((o.result.status == decision::RunStatus::cancelled));
    BOOST_TEST(run_summary("Hang", "2.0.0", o) == "Hang 2.0.0: cancelled by rad");
    auto w = decision::Workspace::open(ws);
    BOOST_TEST(w.store().suggestions().list_for_patient(patient).empty());
    BOOST_TEST((w.store().suggestions().find_run(o.result.run_id)->status == decision::RunStatus::cancelled));
}

BOOST_AUTO_TEST_CASE(a_run_that_cannot_start_says_why_instead_of_throwing) {
    const auto folder = dir / "plugins";
    write_command_plugin(folder, "score", command_manifest("org.test.score"), "exit 0\n");
    RunRequest request;
    request.workspace = dir / "no-such-workspace";
    request.session = session("rad");
    request.plugin = discovered(folder, "org.test.score");
    approve(ws, request.plugin);
    request.patient_id = patient;
    Done done;
    PluginRunner runner;
    runner.start(request, done.callbacks());
    BOOST_REQUIRE(done.wait(std::chrono::seconds(30)));
    BOOST_TEST(!done.outcome->error.empty());
    BOOST_TEST(run_summary("Test score", "2.0.0", *done.outcome).rfind("Test score 2.0.0: could not run: ", 0) == 0);
}

BOOST_AUTO_TEST_CASE(the_workstation_lists_plugins_and_lets_only_developers_and_admins_disable_them) {
    const auto folder = ws / "plugins";  // the workspace's own plugin folder is on the search path
    write_command_plugin(folder, "score", command_manifest("org.test.score"), "exit 0\n");
    approve(ws, discovered(folder, "org.test.score"));
    Workstation station(ws);
    int changed = 0;
    station.plugins_changed.connect([&] { ++changed; });
    BOOST_TEST(station.login("rad", "rad").empty());
    BOOST_REQUIRE(station.find_plugin("org.test.score"));
    BOOST_TEST(!station.find_plugin("org.test.none"));
    const auto msg = station.set_plugin_enabled("org.test.score", false, "testing");
    BOOST_TEST(msg.find("may not manage plugins") != std::string::npos);
    BOOST_TEST(changed == 0);
    station.logout();
    BOOST_TEST(station.login("dev", "dev").empty());
    BOOST_TEST(station.set_plugin_enabled("org.test.score", false, "testing").empty());
    BOOST_TEST(changed == 1);
    for (const auto& r : station.plugin_rows())
        if (r.id == "org.test.score") {
            BOOST_TEST(!r.enabled);
            BOOST_TEST(r.reason == "disabled: testing");
        }
    BOOST_TEST(station.set_plugin_enabled("org.test.score", true).empty());
    // A plugin added while the workstation runs is found when it looks again.
    write_command_plugin(folder, "later", command_manifest("org.test.later"), "exit 0\n");
    BOOST_TEST(!station.find_plugin("org.test.later"));
    station.refresh_plugins();
    BOOST_TEST(station.find_plugin("org.test.later"));
    BOOST_TEST(changed == 3);
}

BOOST_AUTO_TEST_SUITE_END()
