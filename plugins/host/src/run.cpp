// run_plugin: the out-of-process run of a plugin (native worker or command), its limits,
// storage and audit. What a plugin may return is checked in output_validation.cpp. See run.h.
#include "consilium/plugins/run.h"

#include "mask_evidence.h"
#include "output_validation.h"
#include "worker_process.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/crypto.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/plugin_state.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace consilium::plugins {
namespace {

using namespace consilium::decision;
using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

fs::path default_worker() {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto beside = self.parent_path() / "consilium-plugin-worker";
        if (fs::exists(beside)) return beside;
        auto libexec = self.parent_path().parent_path() / "lib" / "consilium" / "consilium-plugin-worker";
        if (fs::exists(libexec)) return libexec;
    }
    return "consilium-plugin-worker";
}

std::string join(const std::array<double, 3>& v) {
    std::ostringstream s;
    s.precision(17);
    s << v[0] << ',' << v[1] << ',' << v[2];
    return s.str();
}

// input/volume.nrrd (LPS, raw little-endian voxels copied from the shared buffer) and
// input/series.json for a command plugin.
void write_volume_inputs(const VolumeInput& v, const fs::path& input_dir) {
    if (v.fd < 0) throw std::runtime_error("the volume has no shared-memory descriptor");
    std::ostringstream h;
    h.precision(17);
    h << "NRRD0004\n"
      << "type: " << (v.float32 ? "float" : "short") << "\n"
      << "dimension: 3\n"
      << "space: left-posterior-superior\n"
      << "sizes: " << v.dims[0] << ' ' << v.dims[1] << ' ' << v.dims[2] << "\n"
      << "space directions:";
    for (std::size_t axis = 0; axis < 3; ++axis) {
        h << " (";
        for (std::size_t r = 0; r < 3; ++r) h << (r ? "," : "") << v.direction[r * 3 + axis] * v.spacing_mm[axis];
        h << ')';
    }
    h << "\nkinds: domain domain domain\n"
      << "endian: little\n"
      << "encoding: raw\n"
      << "space origin: (" << v.origin_lps[0] << ',' << v.origin_lps[1] << ',' << v.origin_lps[2] << ")\n\n";
    std::ofstream f(input_dir / "volume.nrrd", std::ios::binary);
    f << h.str();
    std::vector<char> buf(1 << 20);
    std::size_t done = 0;
    while (done < v.bytes) {
        const auto want = std::min(buf.size(), v.bytes - done);
        const ssize_t n = ::pread(v.fd, buf.data(), want, static_cast<off_t>(done));
        if (n <= 0) throw std::runtime_error("cannot read the volume from shared memory");
        f.write(buf.data(), n);
        done += static_cast<std::size_t>(n);
    }
    if (!f) throw std::runtime_error("cannot write volume.nrrd");
    json series = {{"modality", v.modality},
                   {"series_uid", v.series_uid},
                   {"pixel", v.float32 ? "float32" : "int16"},
                   {"geometry",
                    {{"dims", v.dims},
                     {"spacing_mm", v.spacing_mm},
                     {"origin_lps", v.origin_lps},
                     {"direction", v.direction}}}};
    std::ofstream(input_dir / "series.json", std::ios::binary) << series.dump(2);
}

fs::path fresh_work_dir() {
    std::random_device rd;
    for (int i = 0; i < 100; ++i) {
        auto dir = fs::temp_directory_path() / ("consilium-run-" + std::to_string(rd()));
        if (fs::create_directory(dir)) return dir;
    }
    throw StoreError("cannot create a work folder for the plugin run");
}

}  // namespace

std::string patient_context_bundle(Store& store, std::int64_t patient_id) {
    auto patient = store.patients().find(patient_id);
    if (!patient) throw NotFound("patient " + std::to_string(patient_id) + " not found");
    json entries = json::array();
    json p = patient->resource_json ? json::parse(*patient->resource_json, nullptr, false) : json();
    if (!p.is_object()) {
        p = json{{"resourceType", "Patient"}, {"id", std::to_string(patient->id)}};
        if (!patient->family.empty() || !patient->given.empty())
            p["name"] = json::array({json{{"family", patient->family}, {"given", json::array({patient->given})}}});
        if (patient->birth_date) p["birthDate"] = *patient->birth_date;
        if (patient->sex) p["gender"] = *patient->sex;
    }
    entries.push_back(json{{"resource", p}});
    TimelineFilter filter;
    filter.with_resource_json = true;
    for (const auto& e : store.timeline().events(patient_id, filter)) {
        if (!e.resource_json) continue;
        json r = json::parse(*e.resource_json, nullptr, false);
        if (r.is_object()) entries.push_back(json{{"resource", std::move(r)}});
    }
    return json{{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", std::move(entries)}}.dump();
}


RunResult run_plugin(Store& store, const Session& session, const DiscoveredPlugin& plugin, std::int64_t patient_id,
                     const std::optional<VolumeInput>& volume, const RunOptions& options) {
    require(session, Permission::run_plugins);
    const auto context = patient_context_bundle(store, patient_id);  // NotFound for an unknown patient
    const auto series_uid = volume ? volume->series_uid : std::string();
    const auto inputs_hash = sha256_hex(context + '\0' + series_uid);
    const Manifest* m = plugin.manifest ? &*plugin.manifest : nullptr;
    auto state = store.plugin_states().find(plugin.id).value_or(default_plugin_state(plugin.id));

    std::string refusal;
    if (!plugin.available || !m) refusal = "plugin unavailable: " + (plugin.reason.empty() ? "no manifest" : plugin.reason);
    else if (state.quarantined) refusal = "plugin quarantined: " + state.reason.value_or("failed too often in a row");
    else if (!state.enabled) refusal = "plugin disabled" + (state.reason ? ": " + *state.reason : std::string());
    else if (m->kind == PluginKind::command && m->command.empty()) refusal = "the manifest has an empty command";
    else if (m->inputs.volume && !volume) refusal = "the plugin needs a volume (--series)";

    PluginRun run;
    run.plugin_id = plugin.id;
    run.plugin_version = m ? m->version : "";
    if (m) run.model_version = m->model.version;
    run.patient_id = patient_id;
    if (volume) run.series_uid = volume->series_uid;
    run.user_name = session.user.name;
    run.inputs_hash = inputs_hash;
    {
        auto txn = store.begin();
        run.id = store.suggestions().start_run(run);
        txn->commit();
    }

    RunResult result;
    result.run_id = run.id;
    std::optional<std::string> outputs_hash;
    json output;
    const auto started = Clock::now();
    fs::path work_dir;
    bool own_work_dir = false;

    if (!refusal.empty()) {
        result.status = RunStatus::rejected;
        result.reason = refusal;
    } else {
        try {
            work_dir = options.work_dir.empty() ? fresh_work_dir() : options.work_dir;
            own_work_dir = options.work_dir.empty();
            fs::create_directories(work_dir);
            const std::uint64_t output_limit = static_cast<std::uint64_t>(m->limits.output_mb) << 20;
            const auto timeout = options.timeout.value_or(std::chrono::milliseconds(std::int64_t{m->limits.timeout_s} * 1000));
            if (m->kind == PluginKind::command) {
                const auto run_dir = work_dir / "plugin-runs" / std::to_string(run.id);
                const auto input_dir = run_dir / "input", output_dir = run_dir / "output";
                fs::create_directories(input_dir);
                fs::create_directories(output_dir);
                std::ofstream(input_dir / "context.json", std::ios::binary) << context;
                if (m->inputs.volume && volume) write_volume_inputs(*volume, input_dir);
                // A /bin/sh shim sets the address-space limit, then execs the argv (resolved via PATH).
                std::vector<std::string> args = {
                    "/bin/sh", "-c",
                    "ulimit -v " + std::to_string(std::int64_t{m->limits.memory_mb} * 1024) + " && exec \"$@\"", "sh"};
                args.insert(args.end(), m->command.begin(), m->command.end());
                args.insert(args.end(), {"--input", input_dir.string(), "--output", output_dir.string()});
                auto outcome = run_worker(args, volume, timeout, options, true, plugin.folder);
                result.status = outcome.status;
                result.reason = outcome.reason;
                const auto output_file = output_dir / "suggestions.json";
                if (result.status == RunStatus::succeeded) {
                    std::error_code ec;
                    if (!fs::is_regular_file(output_file, ec)) {
                        result.status = RunStatus::failed;
                        result.reason = "the plugin wrote no suggestions.json";
                    } else if (fs::file_size(output_file, ec) > output_limit) {
                        result.status = RunStatus::invalid_output;
                        result.reason = "the output exceeds its limit of " + std::to_string(m->limits.output_mb) + " MB";
                    } else {
                        std::ifstream in(output_file, std::ios::binary);
                        std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                        if (auto why = validate_output(raw, m->outputs, volume); !why.empty()) {
                            result.status = RunStatus::invalid_output;
                            result.reason = why;
                        } else {
                            output = json::parse(raw);
                            outputs_hash = sha256_hex(output.dump());
                        }
                    }
                }
            } else {
            const auto context_file = work_dir / "context.json";
            const auto output_file = work_dir / "suggestions.out";
            {
                std::ofstream f(context_file, std::ios::binary);
                f << context;
            }
            std::vector<std::string> args = {
                (options.worker.empty() ? default_worker() : options.worker).string(),
                "--library", (plugin.folder / m->library).string(), "--context", context_file.string(),
                "--work-dir", work_dir.string(), "--output", output_file.string(),
                "--output-limit", std::to_string(output_limit), "--memory-mb", std::to_string(m->limits.memory_mb)};
            if (volume) {
                std::ostringstream dir;
                dir.precision(17);
                for (std::size_t i = 0; i < 9; ++i) dir << (i ? "," : "") << volume->direction[i];
                args.insert(args.end(), {"--volume-fd", "3", "--volume-bytes", std::to_string(volume->bytes), "--dims",
                                         std::to_string(volume->dims[0]) + "," + std::to_string(volume->dims[1]) + "," +
                                             std::to_string(volume->dims[2]),
                                         "--spacing", join(volume->spacing_mm), "--origin", join(volume->origin_lps),
                                         "--direction", dir.str(), "--pixel", volume->float32 ? "float32" : "int16",
                                         "--modality", volume->modality, "--series-uid", volume->series_uid});
            }
            auto outcome = run_worker(args, volume, timeout, options);
            result.status = outcome.status;
            result.reason = outcome.reason;
            if (result.status == RunStatus::succeeded) {
                std::error_code ec;
                const auto size = fs::exists(output_file) ? fs::file_size(output_file, ec) : 0;
                if (size > output_limit) {
                    result.status = RunStatus::invalid_output;
                    result.reason = "the output exceeds its limit of " + std::to_string(m->limits.output_mb) + " MB";
                } else {
                    std::ifstream in(output_file, std::ios::binary);
                    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                    try {
                        output = merge_output(raw);
                        if (auto why = validate_output(output.dump(), m->outputs, volume); !why.empty()) {
                            result.status = RunStatus::invalid_output;
                            result.reason = why;
                        } else {
                            outputs_hash = sha256_hex(output.dump());
                        }
                    } catch (const BadOutput& e) {
                        result.status = RunStatus::invalid_output;
                        result.reason = e.what();
                    }
                }
            }
            }
            // Masks: geometry checked against the volume, then kept in the workspace (mask_evidence.h).
            if (result.status == RunStatus::succeeded) {
                const auto folder = m->kind == PluginKind::command ? work_dir / "plugin-runs" / std::to_string(run.id) / "output"
                                                                   : work_dir;
                if (auto why = check_masks(output, folder, volume); !why.empty()) {
                    result.status = RunStatus::invalid_output;
                    result.reason = why;
                    outputs_hash.reset();
                } else {
                    try {
                        keep_masks(output, folder, options.evidence_dir, run.id);
                    } catch (const std::exception& e) {
                        result.status = RunStatus::failed;
                        result.reason = e.what();
                    }
                }
            }
        } catch (const std::exception& e) {
            result.status = RunStatus::failed;
            result.reason = std::string("the run could not be set up: ") + e.what();
        }
    }
    if (result.status == RunStatus::cancelled) result.reason = "cancelled by " + session.user.name;
    result.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    if (own_work_dir) {
        std::error_code ec;
        fs::remove_all(work_dir, ec);
    }

    auto txn = store.begin();
    if (result.status == RunStatus::succeeded) {
        for (const auto& s : output["suggestions"]) {
            Suggestion sg;
            sg.run_id = run.id;
            sg.patient_id = patient_id;
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
            sg.evidence_json = s.contains("evidence") ? s["evidence"].dump() : "[]";
            result.suggestions.push_back(store.suggestions().add_suggestion(sg));
        }
    }
    store.suggestions().finish_run(run.id, result.status,
                                   result.reason.empty() ? std::nullopt : std::optional<std::string>(result.reason),
                                   result.duration_ms, outputs_hash);
    json details = {{"run_id", run.id},
                    {"plugin_id", plugin.id},
                    {"plugin_version", run.plugin_version},
                    {"model_version", run.model_version ? json(*run.model_version) : json()},
                    {"patient_id", patient_id},
                    {"series_uid", volume ? json(volume->series_uid) : json()},
                    {"inputs_hash", inputs_hash},
                    {"outputs_hash", outputs_hash ? json(*outputs_hash) : json()},
                    {"status", std::string(to_string(result.status))},
                    {"reason", result.reason.empty() ? json() : json(result.reason)},
                    {"suggestions", result.suggestions.size()},
                    {"duration_ms", result.duration_ms}};
    store.audit().append(audit_record(session, "plugin.run", "plugin", plugin.id, details.dump()));
    // Failures in a row; quarantine after kQuarantineAfter. A refusal or a cancellation is not the plugin's failure.
    if (result.status == RunStatus::succeeded && state.failures_in_a_row != 0) {
        state.failures_in_a_row = 0;
        store.plugin_states().put(state);
    } else if (result.status != RunStatus::succeeded && result.status != RunStatus::rejected &&
               result.status != RunStatus::cancelled) {
        ++state.failures_in_a_row;
        if (state.failures_in_a_row >= kQuarantineAfter && !state.quarantined) {
            state.quarantined = true;
            state.reason = "quarantined after " + std::to_string(state.failures_in_a_row) + " failed runs";
            state.changed_by = session.user.name;
            state.changed_at = utc_now();
            store.audit().append(audit_record(session, "plugin.quarantine", "plugin", plugin.id,
                                              json{{"failures_in_a_row", state.failures_in_a_row},
                                                   {"reason", *state.reason}}.dump()));
        }
        store.plugin_states().put(state);
    }
    txn->commit();
    return result;
}

}  // namespace consilium::plugins
