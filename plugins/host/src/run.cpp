// run_plugin: whether a run may go ahead (availability, state, intended use), the run itself
// out of process (run_process.cpp), and what is kept of it: suggestions, the run's record with
// how its process ended, the audit entry and the plugin's failure count. See run.h.
#include "consilium/text/json_text.h"
#include "consilium/plugins/run.h"

#include "mask_evidence.h"
#include "run_inputs.h"
#include "run_process.h"
#include "run_scope.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/crypto.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/finding_match.h"
#include "consilium/decision/plugin_state.h"
#include "consilium/plugins/content_hash.h"
#include "consilium/plugins/intended_use.h"
#include "consilium/plugins/stale_runs.h"
#include "consilium/plugins/limits.h"
#include "consilium/decision/site_policy.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace consilium::plugins {
namespace {

using namespace consilium::decision;
using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

fs::path absolute_path(const fs::path& p) {
    std::error_code ec;
    auto a = fs::absolute(p, ec);
    return ec ? p : a.lexically_normal();
}

// Why the run may not start at all ("" when it may), before intended use is looked at.
std::string refusal_of(const DiscoveredPlugin& plugin, const Manifest* m, const PluginState& state,
                       const std::optional<VolumeInput>& volume) {
    if (!plugin.available || !m) return "plugin unavailable: " + (plugin.reason.empty() ? "no manifest" : plugin.reason);
    if (state.quarantined) return "plugin quarantined: " + state.reason.value_or("failed too often in a row");
    if (!state.enabled) return "plugin disabled" + (state.reason ? ": " + *state.reason : std::string());
    if (m->kind == PluginKind::command && m->command.empty()) return "the manifest has an empty command";
    if (m->inputs.volume && !volume) return "the plugin needs a volume (--series)";
    if (m->inputs.volume && volume && !m->inputs.modalities.empty() &&
        std::find(m->inputs.modalities.begin(), m->inputs.modalities.end(), volume->modality) == m->inputs.modalities.end()) {
        std::string wanted;
        for (const auto& x : m->inputs.modalities) wanted += (wanted.empty() ? "" : " or ") + x;
        return "the plugin reads " + wanted + " series; this series is " +
               (volume->modality.empty() ? std::string("of no modality") : volume->modality);
    }
    return "";
}

// Stores the run's suggestions, except what a clinician has already decided: a suggestion repeating
// a decided one (finding_match.h) from the same plugin and model version on the same inputs is only
// reported (result.already_decided); from another version or other inputs it is stored, naming
// the earlier suggestion so its decision is shown beside it.
void store_suggestions(Store& store, const json& output, const PluginRun& run, std::int64_t patient_id, RunResult& result) {
    const auto existing = store.suggestions().list_for_patient(patient_id);
    for (const auto& s : output["suggestions"]) {
        Suggestion sg;
        sg.run_id = run.id;
        sg.patient_id = patient_id;
        sg.plugin_id = run.plugin_id;  // provenance for matching; add_suggestion takes it from the run anyway
        sg.plugin_version = run.plugin_version;
        sg.model_version = run.model_version;
        sg.inputs_hash = run.inputs_hash;
        sg.kind = *suggestion_kind_from_string(s["kind"].get<std::string>());
        if (s.contains("code")) {
            sg.coding.system = s["code"].value("system", "");
            sg.coding.code = s["code"].value("code", "");
            sg.coding.display = s["code"].value("display", "");
        }
        if (s.contains("confidence") && s["confidence"].is_number()) sg.confidence = s["confidence"].get<double>();
        if (s.contains("score") && s["score"].is_number()) sg.score = s["score"].get<double>();
        if (s.contains("band") && s["band"].is_string()) sg.band = s["band"].get<std::string>();
        if (s.contains("complete")) sg.complete = s["complete"].get<bool>();
        sg.summary = s["summary"].get<std::string>();
        sg.rationale = s.value("rationale", "");
        sg.evidence_json = s.contains("evidence") ? text::json_text(s["evidence"]) : "[]";
        if (auto earlier = earlier_decided(existing, sg)) {
            if (same_model_and_inputs(*earlier, sg)) {
                result.already_decided.push_back(earlier_decision_of(*earlier));
                continue;
            }
            sg.earlier_suggestion_id = earlier->id;
        }
        result.suggestions.push_back(store.suggestions().add_suggestion(sg));
    }
}

json nullable(const std::string& s) { return s.empty() ? json() : json(s); }

json already_decided_ids(const RunResult& result) {
    json ids = json::array();
    for (const auto& d : result.already_decided) ids.push_back(d.suggestion_id);
    return ids;
}

// What a run yields besides its RunResult (run_and_validate), for record_run.
struct Ran {
    json output;
    std::optional<std::string> outputs_hash;
    bool process_ran = false;  // the plugin's process ran (its end is kept)
    fs::path work_dir;
    bool own_work_dir = false;  // made here: removed after the run
};

// Run and validate: the plugin's process, then what it returned (declined, masks checked against
// the volume and kept as evidence). Never throws: a set-up failure is the host's fault.
void run_and_validate(const Manifest& m, const DiscoveredPlugin& plugin, const std::string& context, std::int64_t run_id,
                      const std::optional<VolumeInput>& volume, const RunOptions& options, const EffectiveLimits& limits,
                      RunResult& result, Ran& ran) {
    try {
        ran.work_dir = options.work_dir.empty() ? detail::fresh_work_dir() : options.work_dir;
        ran.own_work_dir = options.work_dir.empty();
        fs::create_directories(ran.work_dir);
        auto proc = detail::run_process(m, plugin, context, run_id, volume, ran.work_dir, options, limits);
        ran.process_ran = proc.outcome.exit_code || proc.outcome.exit_signal || !proc.outcome.stderr_tail.empty();
        result.status = proc.outcome.status;
        result.reason = proc.outcome.reason;
        result.exit_code = proc.outcome.exit_code;
        result.exit_signal = proc.outcome.exit_signal;
        result.stderr_tail = proc.outcome.stderr_tail;
        result.host_fault = proc.outcome.host_fault;
        ran.output = std::move(proc.output);
        ran.outputs_hash = proc.outputs_hash;
        if (result.status == RunStatus::succeeded && ran.output.contains("declined")) {
            // The plugin's own refusal: nothing to store, and not a failure of the plugin.
            result.status = RunStatus::rejected;
            result.reason = "the plugin declined: " + ran.output["declined"].get<std::string>();
        }
        // Masks: geometry checked against the volume, then kept in the workspace (mask_evidence.h).
        if (result.status == RunStatus::succeeded) {
            if (auto why = check_masks(ran.output, proc.output_folder, volume); !why.empty()) {
                result.status = RunStatus::invalid_output;
                result.reason = why;
                ran.outputs_hash.reset();
            } else {
                try {
                    keep_masks(ran.output, proc.output_folder, options.evidence_dir, run_id);
                } catch (const std::exception& e) {
                    result.status = RunStatus::failed;
                    result.reason = std::string("the evidence could not be kept: ") + e.what();
                    result.host_fault = true;
                }
            }
        }
    } catch (const std::exception& e) {
        result.status = RunStatus::failed;
        result.reason = std::string("the run could not be set up: ") + e.what();
        result.host_fault = true;
    }
}

// Store: the suggestions (a success only), the run's end, the audit entry and the plugin's
// failure count, in one transaction.
void record_run(Store& store, const Session& session, const DiscoveredPlugin& plugin, const PluginRun& run,
                std::int64_t patient_id, const std::optional<VolumeInput>& volume, const Ran& ran, const decision::SitePolicy& policy,
                bool marked, PluginState& state, RunResult& result) {
    auto txn = store.begin();
    if (result.status == RunStatus::succeeded) store_suggestions(store, ran.output, run, patient_id, result);
    store.suggestions().finish_run(run.id, result.status,
                                   result.reason.empty() ? std::nullopt : std::optional<std::string>(result.reason),
                                   result.duration_ms, ran.outputs_hash);
    if (ran.process_ran)
        store.suggestions().record_process_end(run.id, {result.exit_code, result.exit_signal, result.stderr_tail});
    json details = {{"run_id", run.id},
                    {"plugin_id", plugin.id},
                    {"plugin_version", run.plugin_version},
                    {"plugin_sha256", nullable(plugin.sha256)},
                    {"model_version", run.model_version ? json(*run.model_version) : json()},
                    {"patient_id", patient_id},
                    {"series_uid", volume ? json(volume->series_uid) : json()},
                    {"inputs_hash", run.inputs_hash.value_or("")},
                    {"outputs_hash", ran.outputs_hash ? json(*ran.outputs_hash) : json()},
                    {"status", std::string(to_string(result.status))},
                    {"reason", nullable(result.reason)},
                    {"suggestions", result.suggestions.size()},
                    {"already_decided", already_decided_ids(result)},
                    {"duration_ms", result.duration_ms},
                    {"outside_intended_use", nullable(result.outside_intended_use)},
                    {"run_outside_intended_use", marked}};
    if (result.status != RunStatus::succeeded && ran.process_ran) {
        details["exit_code"] = result.exit_code ? json(*result.exit_code) : json();
        details["exit_signal"] = result.exit_signal ? json(*result.exit_signal) : json();
        details["stderr_tail"] = nullable(result.stderr_tail);
    }
    if (result.host_fault) details["host_fault"] = true;
    if (!policy.sandbox) details["sandbox"] = "off";
    store.audit().append(audit_record(session, "plugin.run", "plugin", plugin.id, text::json_text(details)));
    // Failures in a row; quarantine after kQuarantineAfter. A refusal, a cancellation or a fault
    // of the host's is not the plugin's failure.
    const bool plugins_failure = result.status != RunStatus::succeeded && result.status != RunStatus::rejected &&
                                 result.status != RunStatus::cancelled && !result.host_fault;
    if (result.status == RunStatus::succeeded && state.failures_in_a_row != 0) {
        state.failures_in_a_row = 0;
        store.plugin_states().put(state);
    } else if (plugins_failure) {
        ++state.failures_in_a_row;
        if (state.failures_in_a_row >= kQuarantineAfter && !state.quarantined) {
            state.quarantined = true;
            state.reason = "quarantined after " + std::to_string(state.failures_in_a_row) + " failed runs";
            state.changed_by = session.user.name;
            state.changed_at = utc_now();
            store.audit().append(audit_record(session, "plugin.quarantine", "plugin", plugin.id,
                                              text::json_text(json{{"failures_in_a_row", state.failures_in_a_row},
                                                   {"reason", *state.reason}})));
        }
        store.plugin_states().put(state);
    }
    txn->commit();
}

}  // namespace

RunResult run_plugin(Store& store, const Session& session, const DiscoveredPlugin& found, std::int64_t patient_id,
                     const std::optional<VolumeInput>& volume, const RunOptions& given) {
    require(session, Permission::run_plugins);
    if (given.outside_intended_use) require(session, Permission::run_outside_intended_use);
    // Absolute paths only: a command plugin runs in its own folder, so a path relative to ours
    // would name something else there.
    DiscoveredPlugin plugin = found;
    plugin.folder = absolute_path(plugin.folder);
    RunOptions options = given;
    if (!options.work_dir.empty()) options.work_dir = absolute_path(options.work_dir);
    if (!options.evidence_dir.empty()) options.evidence_dir = absolute_path(options.evidence_dir);
    if (!options.worker.empty()) options.worker = absolute_path(options.worker);

    const Manifest* m = plugin.manifest ? &*plugin.manifest : nullptr;
    auto state = store.plugin_states().find(plugin.id).value_or(default_plugin_state(plugin.id));
    std::string refusal = refusal_of(plugin, m, state, volume);
    if (refusal.empty()) refusal = approval_refusal(plugin, state);
    if (refusal.empty()) refusal = detail::series_refusal(store, patient_id, volume);
    // The site's limits and sandbox (limits.h): a manifest over a cap, or no sandbox here, refuses the run.
    const auto policy = read_site_policy(store);
    if (refusal.empty() && m) refusal = site_refusal(*m, policy);
    RunResult result;
    if (refusal.empty() && m && m->model.population) {
        const auto today = today_utc();
        result.outside_intended_use = outside_intended_use(*m->model.population, patient_facts(store, patient_id, today), today);
        if (!result.outside_intended_use.empty() && !options.outside_intended_use) refusal = result.outside_intended_use;
    }
    const bool marked = refusal.empty() && !result.outside_intended_use.empty();
    const auto context = patient_context_bundle(store, patient_id, m ? &m->inputs : nullptr,
                                                marked ? result.outside_intended_use : "");
    const auto series_uid = volume ? volume->series_uid : std::string();
    const auto inputs_hash = sha256_hex(context + '\0' + series_uid);

    PluginRun run;
    run.plugin_id = plugin.id;
    run.plugin_version = m ? m->version : "";
    if (m) run.model_version = m->model.version;
    run.patient_id = patient_id;
    if (volume) run.series_uid = volume->series_uid;
    run.user_name = session.user.name;
    run.inputs_hash = inputs_hash;
    run.outside_intended_use = marked;
    if (!plugin.sha256.empty()) run.plugin_sha256 = plugin.sha256;
    run.host = this_host();
    {
        auto txn = store.begin();
        run.id = store.suggestions().start_run(run);
        txn->commit();
    }
    result.run_id = run.id;

    // Refused, or run and validated; then stored.
    Ran ran;
    const auto started = Clock::now();
    if (!refusal.empty()) {
        result.status = RunStatus::rejected;
        result.reason = refusal;
    } else {
        run_and_validate(*m, plugin, context, run.id, volume, options, effective_limits(*m, policy), result, ran);
    }
    if (result.status == RunStatus::cancelled) result.reason = "cancelled by " + session.user.name;
    result.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    if (ran.own_work_dir) {
        std::error_code ec;
        fs::remove_all(ran.work_dir, ec);
    }

    record_run(store, session, plugin, run, patient_id, volume, ran, policy, marked, state, result);
    return result;
}

}  // namespace consilium::plugins
