#pragma once
// The Plugins panel without wx: the rows (what was found on the search path and whether it may
// run), the model card of a plugin, who may enable, disable or run what on the open patient, and
// the run itself on a worker thread with its own store connection, progress, log and cancel.
#include "consilium/decision/plugin_state_record.h"
#include "consilium/decision/roles.h"
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"
#include "consilium/plugins/discovery.h"
#include "consilium/plugins/run.h"
#include "consilium/viewer/volume.h"

#include "model/translate.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace consilium::gui {

// This program's own file (/proc/self/exe): the shipped plugins are found beside it.
std::filesystem::path current_executable();

// The plugins of PLUGINS.md's search path for this workspace, as `consilium-cli plugins list` finds them.
std::vector<plugins::DiscoveredPlugin> discover_workspace_plugins(const std::filesystem::path& workspace,
                                                                  const std::filesystem::path& executable = current_executable());

struct PluginRow {
    plugins::DiscoveredPlugin plugin;
    std::string id, name, version, kind;  // name/version/kind "" when the manifest could not be read
    bool enabled = true;      // enabled and not quarantined
    bool available = false;   // found with a usable manifest and not quarantined
    bool quarantined = false;
    bool needs_approval = false;  // new or changed since an admin approved its content (plugins approve ID)
    std::string reason;       // why not available, or why disabled ("" when neither)
    std::string state_text;   // "enabled", "disabled by dev, 2026-05-01 10:22 UTC: too slow", "quarantined: ..."
    bool takes_volume = false;
    std::vector<std::string> modalities;  // empty: any
};

// One row per discovered plugin, in search order, with its enable/quarantine state from the store.
// `translate` (here and below): the words in the reader's language (none: English); what a plugin
// or a user wrote stays as written.
std::vector<PluginRow> plugin_rows(const std::vector<plugins::DiscoveredPlugin>& found, decision::PluginStateRepository& states,
                                   const Translate& translate = {});

// The model card as the dialog shows it.
struct ModelCardView {
    std::string title;     // "NEWS2 early warning score 1.0.0"
    std::string subtitle;  // "org.consilium.news2 - model RCP-NEWS2-2017"
    std::string warning;   // the card shown is not the one of the version that made the suggestion, or none at all
    std::vector<std::pair<std::string, std::string>> sections;  // heading, text (intended use, training data, ...)
    std::vector<std::string> references;
};
// `plugin`: the installed plugin (nullptr: not found). `made_by_*`: the suggestion's provenance,
// when the card is opened from a suggestion ("" from the Plugins panel).
ModelCardView make_model_card(const plugins::DiscoveredPlugin* plugin, const std::string& plugin_id,
                              const std::string& made_by_version = "", const std::string& made_by_model = "",
                              const Translate& translate = {});

// "" when this role may enable and disable plugins, else why not (shown as tooltip and line).
std::string why_cannot_manage(decision::Role role, const Translate& translate = {});

// What a run would be given: the open patient and, for a plugin that takes a volume, the series shown.
struct RunTarget {
    std::optional<std::int64_t> patient_id;
    std::string patient_name;
    std::shared_ptr<const viewer::Volume> volume;  // the viewer's; null when none is shown
    bool volume_complete = false;                   // false while the series is still loading
    std::string series_label;                       // "2024-03-01 CT Chest (120 images)"
    // Why the patient is outside the plugin's intended population ("" when inside or none is
    // stated: intended_use_of), and whether the clinician chose to run it anyway.
    std::string outside_intended_use;
    bool run_anyway = false;
};
// "" when the row may be run on the target now, else why not, in words for the panel. A patient
// outside the intended use may be run only when a clinician chose `run_anyway`.
std::string why_cannot_run(const PluginRow& row, decision::Role role, const RunTarget& target, bool a_run_is_going,
                          const Translate& translate = {});

// Why the patient is outside the plugin's stated population today, as the host would refuse the
// run ("outside intended use: age 9 years is below the minimum 16"); "" when inside or unstated.
std::string intended_use_of(const PluginRow& row, decision::Store& store, std::int64_t patient_id);
// "Run NEWS2 early warning score on Louis Erdman" / "... on Louis Erdman, CT Chest (120 images)".
std::string run_target_text(const PluginRow& row, const RunTarget& target, const Translate& translate = {});

// A volume for run_plugin: its geometry and the descriptor of its shared memory. A volume whose
// voxels are not in shared memory is copied into a new memfd, which `keep` then holds.
plugins::VolumeInput volume_input(const viewer::Volume& volume, std::shared_ptr<viewer::VoxelBuffer>& keep);

struct RunOutcome {
    plugins::RunResult result;
    std::string error;  // the run could not even start (the store could not be opened, ...); "" otherwise
};
// "NEWS2 early warning score 1.0.0: succeeded, 2 suggestions" / "...: crashed: the plugin crashed: ..." (the
// reason's first line; run_details gives the rest).
std::string run_summary(const std::string& name, const std::string& version, const RunOutcome& outcome,
                        const Translate& translate = {});
// A run's state ("failed") in the reader's language.
std::string run_status_name(decision::RunStatus status, const Translate& translate = {});

// What the panel's log adds after a run, line by line: how the plugin's process ended ("exit code 3",
// "ended by signal 11 (Segmentation fault)"), the last lines of its stderr for a run that did not
// succeed, and the mark of a run made outside the intended use.
std::vector<std::string> run_details(const RunOutcome& outcome, const Translate& translate = {});

// "Last run on this patient: failed, 2026-05-01 10:22 UTC: the plugin exited with code 3: ..." for the
// newest stored run of the plugin (its reason's first line); "" when there is none.
std::string last_run_text(const std::optional<decision::PluginRun>& run, const Translate& translate = {});

struct RunRequest {
    std::filesystem::path workspace;  // opened again on the worker thread: SQLite connections stay on their thread
    decision::Session session;
    plugins::DiscoveredPlugin plugin;
    std::int64_t patient_id = 0;
    std::shared_ptr<const viewer::Volume> volume;  // null unless the plugin takes one
    std::optional<std::chrono::milliseconds> timeout;  // default: the manifest's
    bool outside_intended_use = false;  // a clinician runs it although the patient is outside its population
};

// Called on the worker thread; a GUI forwards them to its own thread.
struct RunCallbacks {
    std::function<void(double fraction)> progress;
    std::function<void(const std::string& level, const std::string& text)> log;
    std::function<void(const RunOutcome&)> done;  // always called once, last
};

// One plugin run at a time, on its own thread. The run's scratch folder is
// <workspace>/plugin-work/gui-<pid>-<n> (patient data stays in the workspace), removed afterwards;
// mask evidence is kept under <workspace>/evidence.
class PluginRunner {
public:
    PluginRunner() = default;
    ~PluginRunner();  // cancels a run still going and waits for it
    PluginRunner(const PluginRunner&) = delete;
    PluginRunner& operator=(const PluginRunner&) = delete;

    // false (and nothing started) while a run is going.
    bool start(RunRequest request, RunCallbacks callbacks);
    // Stops the run going, if any: the worker is ended, the run recorded as cancelled.
    void cancel();
    bool running() const { return running_; }
    // Waits for the run going, if any, to end (tests; the GUI never blocks on it).
    void wait();

private:
    std::thread thread_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::atomic<bool> running_{false};
    int count_ = 0;
};

}  // namespace consilium::gui
