// `plugins stats ID`: model monitoring for developers and admins - per plugin version, the runs by
// status, the suggestions by decision and the clinicians' reasons (decision/model_monitoring.h).
// The JSON shape is documented in docs/cli.md.
#include "cmd_plugin_stats.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/model_monitoring.h"
#include "consilium/plugins/discovery.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace consilium::cli {
namespace {

using namespace consilium::decision;
using nlohmann::json;

json version_json(const PluginVersionMonitoring& v) {
    json runs(v.runs);
    runs["total"] = v.run_total;
    json free_text = json::array();
    for (const auto& r : v.free_text)
        free_text.push_back({{"suggestion_id", r.suggestion_id},
                             {"decision", std::string(to_string(r.decision))},
                             {"code", r.code ? json(std::string(to_string(*r.code))) : json()},
                             {"text", *r.text},
                             {"reviewed_by", r.reviewed_by},
                             {"decided_at", r.decided_at}});
    return {{"version", v.plugin_version},
            {"runs", runs},
            {"suggestions",
             {{"total", v.suggestion_total()},
              {"proposed", v.proposed},
              {"accepted", v.accepted},
              {"modified", v.modified},
              {"rejected", v.rejected}}},
            {"reasons", json(v.reasons)},
            {"free_text_reasons", free_text}};
}

void print_table(const PluginMonitoring& m) {
    std::cout << "plugin " << m.plugin_id << '\n';
    if (m.versions.empty()) {
        std::cout << "no runs recorded\n";
        return;
    }
    const auto row = [](const std::string& version, const std::vector<std::string>& cells) {
        std::cout << std::left << std::setw(12) << version << std::right;
        for (const auto& c : cells) std::cout << std::setw(11) << c;
        std::cout << '\n';
    };
    row("version", {"runs", "succeeded", "failed", "refused", "proposed", "accepted", "modified", "rejected"});
    for (const auto& v : m.versions) {
        const auto n = [&](const char* status) { return v.runs.at(status); };
        const auto failed = n("failed") + n("timeout") + n("crashed") + n("invalid_output") + n("cancelled");
        row(v.plugin_version, {std::to_string(v.run_total), std::to_string(n("succeeded")), std::to_string(failed),
                               std::to_string(n("rejected")), std::to_string(v.proposed), std::to_string(v.accepted),
                               std::to_string(v.modified), std::to_string(v.rejected)});
    }
    std::cout << "(failed: failed, timeout, crashed, invalid output or cancelled; refused: not started)\n";
    for (const auto& v : m.versions) {
        if (v.modified + v.rejected == 0) continue;
        std::cout << "\nreasons for modify/reject, version " << v.plugin_version << ":";
        for (const auto& [code, count] : v.reasons) std::cout << "  " << code << ' ' << count;
        std::cout << '\n';
        for (const auto& r : v.free_text)
            std::cout << "  suggestion " << r.suggestion_id << ' ' << to_string(r.decision) << " by " << r.reviewed_by
                      << " at " << r.decided_at << " [" << (r.code ? to_string(*r.code) : "text only") << "]: " << *r.text
                      << '\n';
    }
}

}  // namespace

int plugins_stats(const Context& ctx, const Args& args) {
    const auto& id = args.at(1, "the plugin id: plugins stats ID");
    if (args.positional.size() > 2) throw UsageError("plugins stats takes one plugin id");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::manage_plugins);  // before revealing whether the id exists
    auto m = plugin_monitoring(ws.store(), session, id);
    if (m.versions.empty()) {  // never run: known only if it is installed
        bool installed = false;
        for (const auto& p : plugins::discover_plugins(plugins::SearchPath::standard(ws.folder(), ctx.executable)))
            installed = installed || p.id == id;
        if (!installed) throw NotFound("plugin '" + id + "': no runs recorded and not found on the plugin search path");
    }
    if (ctx.json || args.flag("--json")) {
        json versions = json::array();
        for (const auto& v : m.versions) versions.push_back(version_json(v));
        ctx.print_json(json{{"plugin_id", m.plugin_id}, {"versions", versions}});
    } else {
        print_table(m);
    }
    return 0;
}

}  // namespace consilium::cli
