// `plugins list | info ID | enable ID | disable ID [--reason TEXT]`, and the dispatch of `run`
// (cmd_plugin_run.cpp) and `stats` (cmd_plugin_stats.cpp): the plugins found along the search path
// (PLUGINS.md), their manifests, and whether they may run. Reads manifests; no plugin code runs here.
#include "commands.h"
#include "cmd_plugin_run.h"
#include "cmd_plugin_stats.h"
#include "plugin_listing.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/plugin_state.h"
#include "consilium/decision/patient_lookup.h"
#include "consilium/plugins/discovery.h"
#include "consilium/plugins/intended_use.h"
#include "consilium/plugins/limits.h"
#include "consilium/decision/site_policy.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace consilium::cli {
namespace {

using namespace consilium::decision;
using nlohmann::json;
using Listed = ListedPlugin;

const char* kPopulationNotStated =
    "the manifest does not state model.population: the host cannot keep this model to its intended use";

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

// The manifest's limits within the site's caps, as a run gets them (CLI.md).
json limits_effective(const plugins::Manifest& m, const decision::SitePolicy& policy) {
    const auto e = plugins::effective_limits(m, policy);
    return {{"timeout_s", e.timeout_s}, {"memory_mb", e.memory_mb}, {"output_mb", e.output_mb}, {"cpu_s", e.cpu_s},
            {"processes", e.processes}, {"file_size_mb", e.file_size_mb}, {"sandbox", e.sandbox}};
}

json info_json(const Listed& l, const decision::SitePolicy& policy) {
    json out = l.found.manifest ? json::parse(plugins::manifest_json(*l.found.manifest)) : json{{"id", l.found.id}};
    out["path"] = l.found.folder.string();
    out["enabled"] = l.enabled();
    out["available"] = l.available();
    out["reason"] = nullable(l.reason());
    const bool stated = l.found.manifest && l.found.manifest->model.population;
    out["population_stated"] = stated;
    out["population_text"] = plugins::describe_population(l.found.manifest ? l.found.manifest->model.population : std::nullopt);
    out["warnings"] = l.found.manifest && !stated ? json::array({kPopulationNotStated}) : json::array();
    out["sha256"] = nullable(l.found.sha256);
    out["approved"] = l.approval().empty();
    out["limits_effective"] = l.found.manifest ? limits_effective(*l.found.manifest, policy) : json();
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
    std::cout << "  intended population: " << plugins::describe_population(m.model.population) << '\n';
}

int list(const Context& ctx, const Args& args) {
    if (args.positional.size() > 1) throw UsageError("plugins list takes no arguments");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    auto all = list_plugins(ws, ctx);
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
    auto all = list_plugins(ws, ctx);
    const auto& l = find_listed_plugin(all, id);
    if (ctx.json || args.flag("--json")) ctx.print_json(info_json(l, decision::read_site_policy(ws.store())));
    else print_info(l);
    if (l.found.manifest && !l.found.manifest->model.population) std::cerr << "warning: " << id << ": " << kPopulationNotStated << '\n';
    return 0;
}

// Approves the plugin's content as found now (its folder's hash), so that it may run.
int approve(const Context& ctx, const Args& args) {
    const auto& id = args.at(1, "the plugin id: plugins approve ID");
    if (args.positional.size() > 2) throw UsageError("plugins approve takes one plugin id");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    auto all = list_plugins(ws, ctx);
    const auto& l = find_listed_plugin(all, id);
    if (l.found.sha256.empty())
        throw InputError(l.found.folder.string(), "cannot be approved: " + l.found.reason);
    auto state = approve_plugin(ws.store(), session, id, l.found.sha256);
    Listed after = l;
    after.state = state;
    if (ctx.json || args.flag("--json")) {
        auto out = summary_json(after);
        out["sha256"] = l.found.sha256;
        out["approved"] = after.approval().empty();
        ctx.print_json(out);
    } else {
        std::cout << "plugin " << id << " approved by " << session.user.name << ": sha256 " << l.found.sha256 << '\n';
        if (!after.available()) std::cerr << "note: it is still unavailable: " << after.reason() << '\n';
    }
    return 0;
}

int set_enabled(const Context& ctx, const Args& args, bool enabled) {
    const auto& id = args.at(1, enabled ? "the plugin id: plugins enable ID" : "the plugin id: plugins disable ID");
    if (args.positional.size() > 2) throw UsageError("plugins enable/disable take one plugin id");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::manage_plugins);  // before revealing whether the id exists
    auto all = list_plugins(ws, ctx);
    find_listed_plugin(all, id);
    auto state = set_plugin_enabled(ws.store(), session, id, enabled, args.value("--reason"));
    Listed after = find_listed_plugin(all, id);
    after.state = state;
    if (ctx.json || args.flag("--json")) ctx.print_json(summary_json(after));
    else std::cout << "plugin " << id << (enabled ? " enabled" : " disabled") << " by " << session.user.name << '\n';
    return 0;
}

}  // namespace

int cmd_plugins(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--reason", "--patient", "--series", "--timeout"}, {"--json", "--outside-intended-use"});
    const auto& verb = args.at(0, "what to do: plugins list | info ID | run ID --patient P | approve ID | enable ID | disable ID [--reason TEXT] | stats ID");
    if (args.value("--reason") && verb != "disable" && verb != "enable")
        throw UsageError("--reason goes with plugins enable/disable");
    if ((args.value("--patient") || args.value("--series") || args.value("--timeout")) && verb != "run")
        throw UsageError("--patient, --series and --timeout go with plugins run");
    if (args.flag("--outside-intended-use") && verb != "run") throw UsageError("--outside-intended-use goes with plugins run");
    if (verb == "run") return plugins_run(ctx, args);
    if (verb == "list") return list(ctx, args);
    if (verb == "info") return info(ctx, args);
    if (verb == "approve") return approve(ctx, args);
    if (verb == "enable") return set_enabled(ctx, args, true);
    if (verb == "disable") return set_enabled(ctx, args, false);
    if (verb == "stats") return plugins_stats(ctx, args);
    throw UsageError("'" + verb + "' is not a plugins command: list, info, run, approve, enable, disable, stats");
}

}  // namespace consilium::cli
