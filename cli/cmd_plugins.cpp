// `plugins list | info ID | enable ID | disable ID [--reason TEXT]`: the plugins found along the
// search path (PLUGINS.md), their manifests, and whether they may run. Reads manifests only;
// no plugin code runs here.
#include "commands.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/plugin_state.h"
#include "consilium/plugins/discovery.h"

#include <nlohmann/json.hpp>

#include <iostream>

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

}  // namespace

int cmd_plugins(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--reason"}, {"--json"});
    const auto& verb = args.at(0, "what to do: plugins list | info ID | enable ID | disable ID [--reason TEXT]");
    if (args.value("--reason") && verb != "disable" && verb != "enable")
        throw UsageError("--reason goes with plugins enable/disable");
    if (verb == "list") return list(ctx, args);
    if (verb == "info") return info(ctx, args);
    if (verb == "enable") return set_enabled(ctx, args, true);
    if (verb == "disable") return set_enabled(ctx, args, false);
    throw UsageError("'" + verb + "' is not a plugins command: list, info, enable, disable");
}

}  // namespace consilium::cli
