// `plugins list | info ID | run ID --patient P [--series UID] [--timeout S] | enable ID | disable ID [--reason TEXT]`:
// the plugins found along the search path (PLUGINS.md), their manifests, and whether they may run. Reads manifests;
// no plugin code runs here except through `run`, which runs it out of process (plugins/host/run.h).
#include "commands.h"
#include "cmd_plugin_stats.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/plugin_state.h"
#include "consilium/decision/patient_lookup.h"
#include "consilium/plugins/discovery.h"
#include "consilium/plugins/run.h"
#include "consilium/viewer/load.h"
#include "workspace_series.h"

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
using consilium::plugins::DiscoveredPlugin;
using nlohmann::json;

struct Listed {
    DiscoveredPlugin found;
    PluginState state;
    bool enabled() const { return state.enabled && !state.quarantined; }
    bool available() const { return found.available && !state.quarantined; }
    std::string reason() const {
        if (!found.available) return found.reason;
        if (state.quarantined) return "quarantined: " + state.reason.value_or("failed too often in a row");
        return {};
    }
};

std::vector<Listed> listing(Workspace& ws, const Context& ctx) {
    std::vector<Listed> out;
    for (auto& p : plugins::discover_plugins(plugins::SearchPath::standard(ws.folder(), ctx.executable))) {
        auto state = ws.store().plugin_states().find(p.id).value_or(default_plugin_state(p.id));
        out.push_back({std::move(p), std::move(state)});
    }
    return out;
}

// The winning entry for an id (the first on the search path); NotFound otherwise.
const Listed& find_plugin(const std::vector<Listed>& all, const std::string& id) {
    for (const auto& l : all)
        if (l.found.id == id) return l;
    throw NotFound("plugin '" + id + "': not found on the plugin search path");
}

json nullable(const std::string& s) { return s.empty() ? json() : json(s); }

json summary_json(const Listed& l) {
    const auto* m = l.found.manifest ? &*l.found.manifest : nullptr;
    return {{"id", l.found.id},
            {"name", m ? json(m->name) : json()},
            {"version", m ? json(m->version) : json()},
            {"kind", m ? json(std::string(to_string(m->kind))) : json()},
            {"enabled", l.enabled()},
            {"available", l.available()},
            {"reason", nullable(l.reason())},
            {"path", l.found.folder.string()}};
}

json info_json(const Listed& l) {
    json out = l.found.manifest ? json::parse(plugins::manifest_json(*l.found.manifest)) : json{{"id", l.found.id}};
    out["path"] = l.found.folder.string();
    out["enabled"] = l.enabled();
    out["available"] = l.available();
    out["reason"] = nullable(l.reason());
    return out;
}

void print_line(const Listed& l) {
    const auto* m = l.found.manifest ? &*l.found.manifest : nullptr;
    std::cout << l.found.id << "  " << (m ? m->version + "  " + std::string(to_string(m->kind)) : std::string("?"))
              << "  " << (l.enabled() ? "enabled" : "disabled") << "  "
              << (l.available() ? "available" : "unavailable: " + l.reason()) << "  " << l.found.folder.string() << '\n';
}

void print_info(const Listed& l) {
    print_line(l);
    if (!l.found.manifest) return;
    const auto& m = *l.found.manifest;
    std::cout << "name: " << m.name << "\noutputs:";
    for (const auto& o : m.outputs) std::cout << ' ' << o;
    std::cout << "\nlimits: " << m.limits.timeout_s << " s, " << m.limits.memory_mb << " MB memory, " << m.limits.output_mb
              << " MB output\nmodel " << m.model.version << "\n  intended use: " << m.model.intended_use
              << "\n  training data: " << m.model.training_data << "\n  performance: " << m.model.performance
              << "\n  limitations: " << m.model.limitations << '\n';
    for (const auto& r : m.model.references) std::cout << "  reference: " << r << '\n';
}

int list(const Context& ctx, const Args& args) {
    if (args.positional.size() > 1) throw UsageError("plugins list takes no arguments");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    auto all = listing(ws, ctx);
    if (ctx.json || args.flag("--json")) {
        auto out = json::array();
        for (const auto& l : all) out.push_back(summary_json(l));
        ctx.print_json(out);
    } else {
        if (all.empty()) std::cout << "no plugins found\n";
        for (const auto& l : all) print_line(l);
    }
    return 0;
}

int info(const Context& ctx, const Args& args) {
    const auto& id = args.at(1, "the plugin id: plugins info ID");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    auto all = listing(ws, ctx);
    const auto& l = find_plugin(all, id);
    if (ctx.json || args.flag("--json")) ctx.print_json(info_json(l));
    else print_info(l);
    return 0;
}

int set_enabled(const Context& ctx, const Args& args, bool enabled) {
    const auto& id = args.at(1, enabled ? "the plugin id: plugins enable ID" : "the plugin id: plugins disable ID");
    if (args.positional.size() > 2) throw UsageError("plugins enable/disable take one plugin id");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::manage_plugins);  // before revealing whether the id exists
    auto all = listing(ws, ctx);
    find_plugin(all, id);
    auto state = set_plugin_enabled(ws.store(), session, id, enabled, args.value("--reason"));
    Listed after = find_plugin(all, id);
    after.state = state;
    if (ctx.json || args.flag("--json")) ctx.print_json(summary_json(after));
    else std::cout << "plugin " << id << (enabled ? " enabled" : " disabled") << " by " << session.user.name << '\n';
    return 0;
}

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

// `plugins run ID --patient PATIENT [--series UID] [--timeout S]`: out of process; exit 0 only
// for a succeeded run, 2 for any other (a refused or cancelled one included).
int run(const Context& ctx, const Args& args) {
    const auto& id = args.at(1, "the plugin id: plugins run ID --patient PATIENT");
    if (args.positional.size() > 2) throw UsageError("plugins run takes one plugin id");
    auto who = args.value("--patient");
    if (!who) throw UsageError("plugins run needs --patient PATIENT");
    std::optional<std::chrono::milliseconds> timeout;
    if (auto t = args.value("--timeout")) {
        char* end = nullptr;
        const double seconds = std::strtod(t->c_str(), &end);
        if (end == t->c_str() || *end || !(seconds > 0)) throw UsageError("--timeout takes a number of seconds > 0");
        timeout = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
    }
    // The series first: open_workspace_series checks the login and audits the viewing itself.
    std::optional<viewer::Volume> volume;
    if (auto uid = args.value("--series")) {
        auto folder = open_workspace_series(ctx, *uid);
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
    }
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::run_plugins);
    auto patient = find_patient(ws.store(), *who);
    auto all = listing(ws, ctx);
    const auto& l = find_plugin(all, id);
    std::optional<plugins::VolumeInput> input;
    if (volume) {
        plugins::VolumeInput v;
        v.dims = volume->dims;
        v.spacing_mm = volume->spacing_mm;
        v.origin_lps = {volume->origin_lps[0], volume->origin_lps[1], volume->origin_lps[2]};
        v.direction = volume->direction;
        v.float32 = volume->pixel_type == viewer::PixelType::float32;
        v.fd = volume->voxels->descriptor();
        v.bytes = volume->voxels->size();
        v.modality = volume->modality;
        v.series_uid = volume->series_uid;
        input = v;
    }
    plugins::RunOptions options;
    options.timeout = timeout;
    // The patient's context is written for the plugin: inside the workspace, never in /tmp
    // (patient data leaves the workspace only by an audited export). Removed after the run.
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
    if (ctx.json || args.flag("--json")) {
        ctx.print_json(json{{"run_id", r.run_id},
                            {"status", std::string(to_string(r.status))},
                            {"reason", nullable(r.reason)},
                            {"duration_ms", r.duration_ms},
                            {"suggestions", r.suggestions}});
    } else {
        std::cout << "run " << r.run_id << ": " << to_string(r.status) << (r.reason.empty() ? "" : " - " + r.reason) << " ("
                  << r.duration_ms << " ms, " << r.suggestions.size() << " suggestions)\n";
    }
    return r.status == RunStatus::succeeded ? 0 : 2;
}

}  // namespace

int cmd_plugins(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--reason", "--patient", "--series", "--timeout"}, {"--json"});
    const auto& verb = args.at(0, "what to do: plugins list | info ID | run ID --patient P | enable ID | disable ID [--reason TEXT] | stats ID");
    if (args.value("--reason") && verb != "disable" && verb != "enable")
        throw UsageError("--reason goes with plugins enable/disable");
    if ((args.value("--patient") || args.value("--series") || args.value("--timeout")) && verb != "run")
        throw UsageError("--patient, --series and --timeout go with plugins run");
    if (verb == "run") return run(ctx, args);
    if (verb == "list") return list(ctx, args);
    if (verb == "info") return info(ctx, args);
    if (verb == "enable") return set_enabled(ctx, args, true);
    if (verb == "disable") return set_enabled(ctx, args, false);
    if (verb == "stats") return plugins_stats(ctx, args);
    throw UsageError("'" + verb + "' is not a plugins command: list, info, run, enable, disable, stats");
}

}  // namespace consilium::cli
