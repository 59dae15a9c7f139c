#include "model/plugin_runs.h"

#include <consilium/viewer/thread_priority.h>

#include "model/suggestion_card.h"

#include "consilium/decision/plugin_state.h"
#include "consilium/decision/workspace.h"
#include "consilium/plugins/intended_use.h"
#include "consilium/viewer/voxel_buffer.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <system_error>

#include <unistd.h>

// Marks messages the views show for the catalogue (xgettext -kN_); they translate them where shown.
#define N_(text) text

namespace consilium::gui {

namespace fs = std::filesystem;

fs::path current_executable() {
    std::error_code ec;
    auto exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe;
}

std::vector<plugins::DiscoveredPlugin> discover_workspace_plugins(const fs::path& workspace, const fs::path& executable) {
    return plugins::discover_plugins(plugins::SearchPath::standard(workspace, executable));
}

std::vector<PluginRow> plugin_rows(const std::vector<plugins::DiscoveredPlugin>& found, decision::PluginStateRepository& states) {
    std::vector<PluginRow> rows;
    for (const auto& p : found) {
        PluginRow r;
        r.plugin = p;
        r.id = p.id;
        const auto state = states.find(p.id).value_or(decision::default_plugin_state(p.id));
        if (p.manifest) {
            const auto& m = *p.manifest;
            r.name = m.name;
            r.version = m.version;
            r.kind = std::string(plugins::to_string(m.kind));
            r.takes_volume = m.inputs.volume;
            r.modalities = m.inputs.modalities;
        }
        r.quarantined = state.quarantined;
        r.enabled = state.enabled && !state.quarantined;
        r.available = p.available && !state.quarantined;
        const std::string why = state.reason.value_or("");
        std::string by;
        if (state.changed_by) {
            by = " by " + *state.changed_by;
            if (state.changed_at) by += ", " + readable_time(*state.changed_at);
        }
        if (!p.available) r.reason = p.reason;
        else if (state.quarantined) r.reason = "quarantined: " + (why.empty() ? std::string("failed too often in a row") : why);
        else if (!state.enabled) r.reason = "disabled" + (why.empty() ? std::string() : ": " + why);
        if (state.quarantined) r.state_text = "quarantined: " + (why.empty() ? std::string("failed too often in a row") : why);
        else if (!state.enabled) r.state_text = "disabled" + by + (why.empty() ? std::string() : ": " + why);
        else r.state_text = N_("enabled");
        rows.push_back(std::move(r));
    }
    return rows;
}

ModelCardView make_model_card(const plugins::DiscoveredPlugin* plugin, const std::string& plugin_id,
                              const std::string& made_by_version, const std::string& made_by_model) {
    ModelCardView v;
    const plugins::Manifest* m = plugin && plugin->manifest ? &*plugin->manifest : nullptr;
    if (!m) {
        v.title = plugin_id + (made_by_version.empty() ? "" : " " + made_by_version);
        v.subtitle = made_by_model.empty() ? plugin_id : plugin_id + " - model " + made_by_model;
        v.warning = plugin ? "The plugin's manifest cannot be read (" + plugin->reason + "), so its model card cannot be shown."
                           : "The plugin " + plugin_id +
                                 " is not installed on this workstation any more, so its model card cannot be shown.";
        return v;
    }
    v.title = m->name + " " + m->version;
    v.subtitle = m->id + " - model " + m->model.version;
    if (!made_by_version.empty() && (made_by_version != m->version || (!made_by_model.empty() && made_by_model != m->model.version)))
        v.warning = "This suggestion was made by version " + made_by_version +
                    (made_by_model.empty() ? "" : " (model " + made_by_model + ")") + "; the card below is that of the installed version " +
                    m->version + " (model " + m->model.version + ") and may differ.";
    auto section = [&](const char* heading, const std::string& text) {
        v.sections.emplace_back(heading, text.empty() ? std::string("(not stated by the plugin)") : text);
    };
    section("Intended use", m->model.intended_use);
    section("Training data", m->model.training_data);
    section("Performance", m->model.performance);
    section("Limitations", m->model.limitations);
    std::string inputs = m->inputs.volume ? "an image series" : "";
    if (m->inputs.volume && !m->inputs.modalities.empty()) {
        inputs += " (";
        for (std::size_t i = 0; i < m->inputs.modalities.size(); ++i) inputs += (i ? ", " : "") + m->inputs.modalities[i];
        inputs += ")";
    }
    if (m->inputs.timeline) inputs += std::string(inputs.empty() ? "" : " and ") + "the patient's record (timeline)";
    std::string outputs;
    for (const auto& o : m->outputs) outputs += (outputs.empty() ? "" : ", ") + o;
    section("Reads", inputs.empty() ? "nothing from the patient's record" : inputs);
    section("Suggests", outputs);
    v.references = m->model.references;
    return v;
}

std::string why_cannot_manage(decision::Role role) {
    if (decision::allowed(role, decision::Permission::manage_plugins)) return "";
    return "only developers and administrators enable or disable plugins (you are " + std::string(decision::to_string(role)) + ")";
}

std::string why_cannot_run(const PluginRow& row, decision::Role role, const RunTarget& target, bool a_run_is_going) {
    if (!decision::allowed(role, decision::Permission::run_plugins))
        return "you may not run plugins (" + std::string(decision::to_string(role)) + ")";
    if (!row.available) return "not available: " + row.reason;
    if (!row.enabled) return row.reason.empty() ? std::string(N_("disabled")) : row.reason;
    if (a_run_is_going) return N_("a plugin is running; wait for it or cancel it");
    if (!target.patient_id) return N_("open a patient first");
    if (!target.outside_intended_use.empty()) {
        if (!decision::allowed(role, decision::Permission::run_outside_intended_use))
            return target.outside_intended_use + "; only a clinician may run it anyway";
        if (!target.run_anyway) return target.outside_intended_use + "; a clinician may run it anyway (recorded)";
    }
    if (row.takes_volume) {
        std::string wanted;
        for (const auto& m : row.modalities) wanted += (wanted.empty() ? "" : " or ") + m;
        if (!target.volume) return "it reads an image series: open a " + (wanted.empty() ? std::string("") : wanted + " ") + "series first";
        if (!target.volume_complete) return N_("the series is still loading");
        if (!row.modalities.empty() &&
            std::find(row.modalities.begin(), row.modalities.end(), target.volume->modality) == row.modalities.end())
            return "it reads " + wanted + " series; the series shown is " +
                   (target.volume->modality.empty() ? std::string("of no modality") : target.volume->modality);
    }
    return "";
}

std::string intended_use_of(const PluginRow& row, decision::Store& store, std::int64_t patient_id) {
    if (!row.plugin.manifest || !row.plugin.manifest->model.population) return "";
    const auto today = plugins::today_utc();
    return plugins::outside_intended_use(*row.plugin.manifest->model.population, plugins::patient_facts(store, patient_id, today),
                                         today);
}

std::string run_target_text(const PluginRow& row, const RunTarget& target) {
    std::string text = "Run " + (row.name.empty() ? row.id : row.name) + " on " +
                       (target.patient_name.empty() ? std::string("the open patient") : target.patient_name);
    if (row.takes_volume && target.volume) text += ", " + (target.series_label.empty() ? target.volume->series_uid : target.series_label);
    return text;
}

plugins::VolumeInput volume_input(const viewer::Volume& volume, std::shared_ptr<viewer::VoxelBuffer>& keep) {
    plugins::VolumeInput v;
    v.dims = volume.dims;
    v.spacing_mm = volume.spacing_mm;
    v.origin_lps = {volume.origin_lps[0], volume.origin_lps[1], volume.origin_lps[2]};
    v.direction = volume.direction;
    v.float32 = volume.pixel_type == viewer::PixelType::float32;
    v.modality = volume.modality;
    v.series_uid = volume.series_uid;
    if (!volume.voxels) throw std::runtime_error("the series has no voxels");
    if (volume.voxels->descriptor() >= 0) {
        v.fd = volume.voxels->descriptor();
        v.bytes = volume.voxels->size();
    } else {  // not in shared memory (read from a file): one copy into a memfd
        keep = viewer::make_shared_buffer(volume.voxels->size());
        std::memcpy(keep->data(), volume.voxels->data(), volume.voxels->size());
        v.fd = keep->descriptor();
        v.bytes = keep->size();
    }
    return v;
}

std::string run_summary(const std::string& name, const std::string& version, const RunOutcome& o) {
    std::string text = name + (version.empty() ? "" : " " + version) + ": ";
    if (!o.error.empty()) return text + "could not run: " + o.error;
    const auto& r = o.result;
    if (r.status == decision::RunStatus::succeeded) {
        const auto n = r.suggestions.size();
        return text + "succeeded, " + (n == 0 ? std::string("no suggestions") : std::to_string(n) + (n == 1 ? " suggestion" : " suggestions"));
    }
    const std::string first_line = r.reason.substr(0, r.reason.find('\n'));
    if (r.status == decision::RunStatus::cancelled) return text + (r.reason.empty() ? std::string("cancelled") : first_line);
    text += std::string(decision::to_string(r.status));
    if (!r.reason.empty()) text += ": " + first_line;
    return text;
}

std::vector<std::string> run_details(const RunOutcome& o) {
    std::vector<std::string> lines;
    if (!o.error.empty()) return lines;
    const auto& r = o.result;
    if (r.status != decision::RunStatus::succeeded) {
        if (r.exit_signal) {
            const char* name = strsignal(*r.exit_signal);
            lines.push_back("ended by signal " + std::to_string(*r.exit_signal) + (name ? " (" + std::string(name) + ")" : ""));
        } else if (r.exit_code) {
            lines.push_back("exit code " + std::to_string(*r.exit_code));
        }
        if (!r.stderr_tail.empty()) {
            lines.push_back("last lines of its stderr:");
            std::size_t start = 0;
            while (start <= r.stderr_tail.size()) {
                const auto nl = r.stderr_tail.find('\n', start);
                lines.push_back("  " + r.stderr_tail.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
                if (nl == std::string::npos) break;
                start = nl + 1;
            }
        } else if (r.reason.find('\n') != std::string::npos) {
            lines.push_back(r.reason.substr(r.reason.find('\n') + 1));
        }
    }
    if (!r.outside_intended_use.empty() && r.status != decision::RunStatus::rejected)
        lines.push_back("run outside the model's intended use at a clinician's request (" + r.outside_intended_use +
                        "): every suggestion of this run is marked so");
    return lines;
}

std::string last_run_text(const std::optional<decision::PluginRun>& run) {
    if (!run) return "";
    std::string text = "Last run on this patient: " + std::string(decision::to_string(run->status)) + ", " +
                       readable_time(run->started_at);
    if (run->reason && !run->reason->empty()) text += ": " + run->reason->substr(0, run->reason->find('\n'));
    if (run->status != decision::RunStatus::succeeded && run->status != decision::RunStatus::rejected) {
        if (run->exit_signal) text += " (signal " + std::to_string(*run->exit_signal) + ")";
        else if (run->exit_code) text += " (exit code " + std::to_string(*run->exit_code) + ")";
    }
    if (run->outside_intended_use) text += "; run outside the model's intended use at a clinician's request";
    return text + " (run " + std::to_string(run->id) + ")";
}

PluginRunner::~PluginRunner() {
    cancel();
    wait();
}

void PluginRunner::cancel() {
    if (cancel_) cancel_->store(true);
}

void PluginRunner::wait() {
    if (thread_.joinable()) thread_.join();
}

bool PluginRunner::start(RunRequest request, RunCallbacks callbacks) {
    if (running_) return false;
    wait();  // the previous run's thread has ended (or is about to): it said `done` already
    running_ = true;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const int n = ++count_;
    thread_ = std::thread([this, request = std::move(request), callbacks = std::move(callbacks), cancel = cancel_, n] {
        viewer::lower_thread_priority();  // the plugin's worker process inherits it: the UI stays first
        RunOutcome outcome;
        fs::path work_dir;
        try {
            // Its own connection: the GUI thread's is never used here.
            auto ws = decision::Workspace::open(request.workspace);
            plugins::RunOptions options;
            options.timeout = request.timeout;
            options.outside_intended_use = request.outside_intended_use;
            options.cancel = cancel;
            options.progress = callbacks.progress;
            options.log = callbacks.log;
            // As the CLI does: the patient's context is written inside the workspace, never in /tmp.
            work_dir = ws.folder() / "plugin-work" / ("gui-" + std::to_string(::getpid()) + "-" + std::to_string(n));
            std::error_code ec;
            fs::remove_all(work_dir, ec);
            options.work_dir = work_dir;
            options.evidence_dir = ws.folder() / "evidence";
            std::shared_ptr<viewer::VoxelBuffer> copy;
            std::optional<plugins::VolumeInput> input;
            if (request.volume) input = volume_input(*request.volume, copy);
            outcome.result = plugins::run_plugin(ws.store(), request.session, request.plugin, request.patient_id, input, options);
        } catch (const std::exception& e) {
            outcome.error = e.what();
        } catch (...) {
            outcome.error = "unknown error";
        }
        if (!work_dir.empty()) {
            std::error_code ec;
            fs::remove_all(work_dir, ec);
        }
        running_ = false;
        if (callbacks.done) callbacks.done(outcome);
    });
    return true;
}

}  // namespace consilium::gui
