#include "model/plugin_runs.h"

#include <consilium/viewer/thread_priority.h>

#include "model/review_form.h"
#include "model/suggestion_card.h"
#include "model/translate.h"

#include "consilium/decision/plugin_state.h"
#include "consilium/plugins/content_hash.h"
#include "consilium/decision/workspace.h"
#include "consilium/plugins/intended_use.h"
#include "consilium/viewer/voxel_buffer.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <system_error>

#include <unistd.h>


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

std::vector<PluginRow> plugin_rows(const std::vector<plugins::DiscoveredPlugin>& found, decision::PluginStateRepository& states,
                                   const Translate& t) {
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
        std::string disabled = tr(t, N_("disabled"));
        if (state.changed_by)
            disabled = state.changed_at ? fill(tr(t, N_("disabled by %s, %s")), {*state.changed_by, readable_time(*state.changed_at)})
                                        : fill(tr(t, N_("disabled by %s")), {*state.changed_by});
        const std::string quarantined = fill(tr(t, N_("quarantined: %s")), {why.empty() ? tr(t, N_("failed too often in a row")) : why});
        if (!p.available) r.reason = tr(t, p.reason);
        else if (state.quarantined) r.reason = quarantined;
        else if (!state.enabled) r.reason = tr(t, N_("disabled")) + (why.empty() ? std::string() : ": " + why);
        if (state.quarantined) r.state_text = quarantined;
        else if (!state.enabled) r.state_text = disabled + (why.empty() ? std::string() : ": " + why);
        else r.state_text = N_("enabled");
        // A plugin is its content: new or changed since an admin approved it, it does not run.
        if (const auto approval = plugins::approval_refusal(p, state); r.available && !approval.empty()) {
            r.available = false;
            r.needs_approval = true;
            r.reason = fill(tr(t, N_("needs approval: %s")), {approval.substr(approval.find(':') + 2)});
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

ModelCardView make_model_card(const plugins::DiscoveredPlugin* plugin, const std::string& plugin_id,
                              const std::string& made_by_version, const std::string& made_by_model, const Translate& t) {
    ModelCardView v;
    const plugins::Manifest* m = plugin && plugin->manifest ? &*plugin->manifest : nullptr;
    if (!m) {
        v.title = plugin_id + (made_by_version.empty() ? "" : " " + made_by_version);
        v.subtitle = made_by_model.empty() ? plugin_id : fill(tr(t, N_("%s - model %s")), {plugin_id, made_by_model});
        v.warning = plugin ? fill(tr(t, N_("The plugin's manifest cannot be read (%s), so its model card cannot be shown.")),
                                  {tr(t, plugin->reason)})
                           : fill(tr(t, N_("The plugin %s is not installed on this workstation any more, so its model card cannot be shown.")),
                                  {plugin_id});
        return v;
    }
    v.title = m->name + " " + m->version;
    v.subtitle = fill(tr(t, N_("%s - model %s")), {m->id, m->model.version});
    if (!made_by_version.empty() && (made_by_version != m->version || (!made_by_model.empty() && made_by_model != m->model.version)))
        v.warning = made_by_model.empty()
                        ? fill(tr(t, N_("This suggestion was made by version %s; the card below is that of the installed version %s "
                                        "(model %s) and may differ.")),
                               {made_by_version, m->version, m->model.version})
                        : fill(tr(t, N_("This suggestion was made by version %s (model %s); the card below is that of the installed "
                                        "version %s (model %s) and may differ.")),
                               {made_by_version, made_by_model, m->version, m->model.version});
    // The headings stay English here: the dialog translates them.
    auto section = [&](const char* heading, const std::string& text) {
        v.sections.emplace_back(heading, text.empty() ? tr(t, N_("(not stated by the plugin)")) : text);
    };
    section(N_("Intended use"), m->model.intended_use);
    section(N_("Training data"), m->model.training_data);
    section(N_("Performance"), m->model.performance);
    section(N_("Limitations"), m->model.limitations);
    std::string inputs = m->inputs.volume ? tr(t, N_("an image series")) : "";
    if (m->inputs.volume && !m->inputs.modalities.empty()) {
        inputs += " (";
        for (std::size_t i = 0; i < m->inputs.modalities.size(); ++i) inputs += (i ? ", " : "") + m->inputs.modalities[i];
        inputs += ")";
    }
    if (m->inputs.timeline)
        inputs = inputs.empty() ? tr(t, N_("the patient's record (timeline)"))
                                : fill(tr(t, N_("%s and the patient's record (timeline)")), {inputs});
    std::string outputs;
    for (const auto& o : m->outputs) outputs += (outputs.empty() ? "" : ", ") + o;
    section(N_("Reads"), inputs.empty() ? tr(t, N_("nothing from the patient's record")) : inputs);
    section(N_("Suggests"), outputs);
    v.references = m->model.references;
    return v;
}

std::string why_cannot_manage(decision::Role role, const Translate& t) {
    if (decision::allowed(role, decision::Permission::manage_plugins)) return "";
    return fill(tr(t, N_("only developers and administrators enable or disable plugins (you are %s)")), {role_name(role, t)});
}

std::string why_cannot_run(const PluginRow& row, decision::Role role, const RunTarget& target, bool a_run_is_going,
                          const Translate& t) {
    if (!decision::allowed(role, decision::Permission::run_plugins))
        return fill(tr(t, N_("you may not run plugins (%s)")), {role_name(role, t)});
    if (!row.available) return fill(tr(t, N_("not available: %s")), {tr(t, row.reason)});
    if (!row.enabled) return row.reason.empty() ? tr(t, N_("disabled")) : tr(t, row.reason);
    if (a_run_is_going) return tr(t, N_("a plugin is running; wait for it or cancel it"));
    if (!target.patient_id) return tr(t, N_("open a patient first"));
    if (!target.outside_intended_use.empty()) {
        if (!decision::allowed(role, decision::Permission::run_outside_intended_use))
            return fill(tr(t, N_("%s; only a clinician may run it anyway")), {target.outside_intended_use});
        if (!target.run_anyway) return fill(tr(t, N_("%s; a clinician may run it anyway (recorded)")), {target.outside_intended_use});
    }
    if (row.takes_volume) {
        std::string wanted;
        for (const auto& m : row.modalities) wanted = wanted.empty() ? m : fill(tr(t, N_("%s or %s")), {wanted, m});
        if (!target.volume)
            return wanted.empty() ? tr(t, N_("it reads an image series: open a series first"))
                                  : fill(tr(t, N_("it reads an image series: open a %s series first")), {wanted});
        if (!target.volume_complete) return tr(t, N_("the series is still loading"));
        if (!row.modalities.empty() &&
            std::find(row.modalities.begin(), row.modalities.end(), target.volume->modality) == row.modalities.end())
            return target.volume->modality.empty()
                       ? fill(tr(t, N_("it reads %s series; the series shown is of no modality")), {wanted})
                       : fill(tr(t, N_("it reads %s series; the series shown is %s")), {wanted, target.volume->modality});
    }
    return "";
}

std::string intended_use_of(const PluginRow& row, decision::Store& store, std::int64_t patient_id) {
    if (!row.plugin.manifest || !row.plugin.manifest->model.population) return "";
    const auto today = plugins::today_utc();
    return plugins::outside_intended_use(*row.plugin.manifest->model.population, plugins::patient_facts(store, patient_id, today),
                                         today);
}

std::string run_target_text(const PluginRow& row, const RunTarget& target, const Translate& t) {
    std::string text = fill(tr(t, N_("Run %s on %s")), {row.name.empty() ? row.id : row.name,
                                                         target.patient_name.empty() ? tr(t, N_("the open patient")) : target.patient_name});
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
    if (!volume.voxels) throw std::runtime_error(N_("the series has no voxels"));  // translated where shown (run_summary)
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

std::string run_status_name(decision::RunStatus status, const Translate& t) {
    // The run states' words, listed for the translators.
    static constexpr const char* kWords[] = {N_("running"), N_("succeeded"), N_("failed"),   N_("timeout"),   N_("crashed"),
                                             N_("invalid_output"), N_("rejected"), N_("cancelled"), N_("abandoned")};
    (void)kWords;
    return tr(t, std::string(decision::to_string(status)));
}

std::string run_summary(const std::string& name, const std::string& version, const RunOutcome& o, const Translate& t) {
    std::string text = name + (version.empty() ? "" : " " + version) + ": ";
    if (!o.error.empty()) return text + fill(tr(t, N_("could not run: %s")), {tr(t, o.error)});
    const auto& r = o.result;
    if (r.status == decision::RunStatus::succeeded) {
        const auto n = r.suggestions.size();
        return text + fill(tr(t, N_("succeeded, %s")),
                           {n == 0   ? tr(t, N_("no suggestions"))
                            : n == 1 ? tr(t, N_("1 suggestion"))
                                     : fill(tr(t, N_("%s suggestions")), {std::to_string(n)})});
    }
    const std::string first_line = r.reason.substr(0, r.reason.find('\n'));
    if (r.status == decision::RunStatus::cancelled) return text + (r.reason.empty() ? run_status_name(r.status, t) : first_line);
    text += run_status_name(r.status, t);
    if (!r.reason.empty()) text += ": " + first_line;
    return text;
}

std::vector<std::string> run_details(const RunOutcome& o, const Translate& t) {
    std::vector<std::string> lines;
    if (!o.error.empty()) return lines;
    const auto& r = o.result;
    if (r.status != decision::RunStatus::succeeded) {
        if (r.exit_signal) {
            const char* name = strsignal(*r.exit_signal);
            lines.push_back(fill(tr(t, N_("ended by signal %s")), {std::to_string(*r.exit_signal)}) +
                            (name ? " (" + std::string(name) + ")" : ""));
        } else if (r.exit_code) {
            lines.push_back(fill(tr(t, N_("exit code %s")), {std::to_string(*r.exit_code)}));
        }
        if (!r.stderr_tail.empty()) {
            lines.push_back(tr(t, N_("last lines of its stderr:")));
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
        lines.push_back(fill(tr(t, N_("run outside the model's intended use at a clinician's request (%s): every suggestion of this "
                                      "run is marked so")),
                             {r.outside_intended_use}));
    return lines;
}

std::string last_run_text(const std::optional<decision::PluginRun>& run, const Translate& t) {
    if (!run) return "";
    std::string text = fill(tr(t, N_("Last run on this patient: %s, %s")), {run_status_name(run->status, t), readable_time(run->started_at)});
    if (run->reason && !run->reason->empty()) text += ": " + run->reason->substr(0, run->reason->find('\n'));
    if (run->status != decision::RunStatus::succeeded && run->status != decision::RunStatus::rejected) {
        if (run->exit_signal) text += fill(tr(t, N_(" (signal %s)")), {std::to_string(*run->exit_signal)});
        else if (run->exit_code) text += fill(tr(t, N_(" (exit code %s)")), {std::to_string(*run->exit_code)});
    }
    if (run->outside_intended_use) text += tr(t, N_("; run outside the model's intended use at a clinician's request"));
    return text + fill(tr(t, N_(" (run %s)")), {std::to_string(run->id)});
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
            outcome.error = N_("unknown error");  // translated where shown (run_summary)
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
