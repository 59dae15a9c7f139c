#include "plugin_listing.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/plugin_state.h"
#include "consilium/decision/site_policy.h"
#include "consilium/plugins/limits.h"

namespace consilium::cli {

std::string ListedPlugin::reason() const {
    if (!found.available) return found.reason;
    if (state.quarantined) return "quarantined: " + state.reason.value_or("failed too often in a row");
    return approval();
}

std::vector<ListedPlugin> list_plugins(decision::Workspace& ws, const Context& ctx) {
    std::vector<ListedPlugin> out;
    const auto policy = decision::read_site_policy(ws.store());
    for (auto& p : plugins::discover_plugins(plugins::SearchPath::standard(ws.folder(), ctx.executable))) {
        plugins::apply_site_policy(p, policy);  // a manifest over the site's caps is refused here
        auto state = ws.store().plugin_states().find(p.id).value_or(decision::default_plugin_state(p.id));
        out.push_back({std::move(p), std::move(state)});
    }
    return out;
}

const ListedPlugin& find_listed_plugin(const std::vector<ListedPlugin>& all, const std::string& id) {
    for (const auto& l : all)  // a shipped plugin's id is its own, wherever it is on the path
        if (l.found.id == id && l.found.shipped) return l;
    for (const auto& l : all)
        if (l.found.id == id) return l;
    throw decision::NotFound("plugin '" + id + "': not found on the plugin search path");
}

}  // namespace consilium::cli
