// `plugins run ID --patient PATIENT [--series UID] [--timeout S] [--outside-intended-use]`: one
// run out of process (plugins/host/run.h). A failed run says why in the plugin's own words (its
// exit code or signal and the end of its stderr); a patient outside the model's intended use is
// refused unless a clinician asks for the run anyway, which marks its suggestions.
#include "cmd_plugin_run.h"

#include "plugin_listing.h"
#include "workspace_series.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/patient_lookup.h"
#include "consilium/plugins/run.h"
#include "consilium/viewer/load.h"

#include "suggestion_json.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>

#include <unistd.h>

namespace consilium::cli {
namespace {

using namespace consilium::decision;
using nlohmann::json;

json nullable(const std::string& s) { return s.empty() ? json() : json(s); }

// While alive, SIGINT and SIGTERM cancel the plugin run (recorded, audited) instead of ending
// the program with the run left open.
std::atomic<bool>* g_cancel_run = nullptr;
void cancel_run(int) { g_cancel_run->store(true); }  // lock-free: safe in a signal handler
struct CancelOnSignal {
    struct sigaction old_int {}, old_term {};
    explicit CancelOnSignal(std::atomic<bool>* flag) {
        g_cancel_run = flag;
        struct sigaction sa {};
        sa.sa_handler = cancel_run;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
    }
    ~CancelOnSignal() {
        sigaction(SIGINT, &old_int, nullptr);
        sigaction(SIGTERM, &old_term, nullptr);
    }
};

std::optional<std::chrono::milliseconds> timeout_of(const Args& args) {
    auto t = args.value("--timeout");
    if (!t) return std::nullopt;
    char* end = nullptr;
    const double seconds = std::strtod(t->c_str(), &end);
    if (end == t->c_str() || *end || !(seconds > 0)) throw UsageError("--timeout takes a number of seconds > 0");
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

// The series named by --series, loaded and in shared memory (its viewing audited); none without it.
std::optional<viewer::Volume> series_volume(const Context& ctx, const Args& args) {
    auto uid = args.value("--series");
    if (!uid) return std::nullopt;
    auto folder = open_workspace_series(ctx, *uid);
    std::optional<viewer::Volume> volume;
    try {
        volume = viewer::load_path(folder, *uid);
    } catch (const viewer::LoadError& e) {
        throw InputError("", e.what());
    }
    if (volume->voxels->descriptor() < 0) {  // not in shared memory: one copy into a memfd
        auto shared = viewer::make_shared_buffer(volume->voxels->size());
        std::memcpy(shared->data(), volume->voxels->data(), volume->voxels->size());
        volume->voxels = shared;
    }
    return volume;
}

plugins::VolumeInput volume_input(const viewer::Volume& volume) {
    plugins::VolumeInput v;
    v.dims = volume.dims;
    v.spacing_mm = volume.spacing_mm;
    v.origin_lps = {volume.origin_lps[0], volume.origin_lps[1], volume.origin_lps[2]};
    v.direction = volume.direction;
    v.float32 = volume.pixel_type == viewer::PixelType::float32;
    v.fd = volume.voxels->descriptor();
    v.bytes = volume.voxels->size();
    v.modality = volume.modality;
    v.series_uid = volume.series_uid;
    return v;
}

json result_json(const plugins::RunResult& r) {
    json decided = json::array();
    for (const auto& d : r.already_decided) decided.push_back(earlier_decision_json(d));
    return {{"run_id", r.run_id},
            {"already_decided", decided},
            {"status", std::string(to_string(r.status))},
            {"reason", nullable(r.reason)},
            {"duration_ms", r.duration_ms},
            {"suggestions", r.suggestions},
            {"exit_code", r.exit_code ? json(*r.exit_code) : json()},
            {"signal", r.exit_signal ? json(*r.exit_signal) : json()},
            {"stderr", nullable(r.stderr_tail)},
            {"outside_intended_use", nullable(r.outside_intended_use)},
            {"marked_outside_intended_use", !r.outside_intended_use.empty() && r.status != RunStatus::rejected}};
}

void print_result(const plugins::RunResult& r) {
    std::cout << "run " << r.run_id << ": " << to_string(r.status);
    // The reason's first line on the status line, the plugin's stderr (when quoted) indented below.
    const auto nl = r.reason.find('\n');
    if (!r.reason.empty()) std::cout << " - " << r.reason.substr(0, nl);
    std::cout << " (" << r.duration_ms << " ms, " << r.suggestions.size() << " suggestions)\n";
    if (nl != std::string::npos) {
        std::size_t start = nl + 1;
        while (start <= r.reason.size()) {
            const auto end = r.reason.find('\n', start);
            std::cout << "  " << r.reason.substr(start, end == std::string::npos ? std::string::npos : end - start) << '\n';
            if (end == std::string::npos) break;
            start = end + 1;
        }
    }
    for (const auto& d : r.already_decided)
        std::cout << "already decided, not proposed again: suggestion " << d.suggestion_id << " (" << d.summary << ") "
                  << to_string(d.status) << " by " << d.by << " at " << d.at << '\n';
    if (!r.outside_intended_use.empty() && r.status != RunStatus::rejected)
        std::cout << "run outside the model's intended use at the clinician's request (" << r.outside_intended_use
                  << "); every suggestion of this run is marked so\n";
}

}  // namespace

// Exit 0 only for a succeeded run, 2 for any other (a refused or cancelled one included).
int plugins_run(const Context& ctx, const Args& args) {
    const auto& id = args.at(1, "the plugin id: plugins run ID --patient PATIENT");
    if (args.positional.size() > 2) throw UsageError("plugins run takes one plugin id");
    auto who = args.value("--patient");
    if (!who) throw UsageError("plugins run needs --patient PATIENT");
    plugins::RunOptions options;
    options.timeout = timeout_of(args);
    options.outside_intended_use = args.flag("--outside-intended-use");
    // The series first: open_workspace_series checks the login and audits the viewing itself.
    const auto volume = series_volume(ctx, args);
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::run_plugins);
    if (options.outside_intended_use) require(session, Permission::run_outside_intended_use);
    auto patient = find_patient(ws.store(), *who);
    auto all = list_plugins(ws, ctx);
    const auto& l = find_listed_plugin(all, id);
    std::optional<plugins::VolumeInput> input;
    if (volume) input = volume_input(*volume);
    // The patient's context is written for the plugin: inside the workspace, never in /tmp
    // (patient data leaves the workspace only by an audited export). Removed after the run.
    // ws.folder() is absolute, whatever --workspace said.
    options.work_dir = ws.folder() / "plugin-work" / std::to_string(::getpid());
    options.evidence_dir = ws.folder() / "evidence";  // masks outlive the work folder: evidence/run-<id>/
    std::error_code cleanup;
    std::filesystem::remove_all(options.work_dir, cleanup);
    options.cancel = std::make_shared<std::atomic<bool>>(false);
    auto r = [&] {
        CancelOnSignal on_signal(options.cancel.get());
        return plugins::run_plugin(ws.store(), session, l.found, patient.id, input, options);
    }();
    std::filesystem::remove_all(options.work_dir, cleanup);
    if (ctx.json || args.flag("--json")) ctx.print_json(result_json(r));
    else print_result(r);
    return r.status == RunStatus::succeeded ? 0 : 2;
}

}  // namespace consilium::cli
