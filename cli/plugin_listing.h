#pragma once
// The plugins along the search path with their state in this workspace, as every `plugins`
// command sees them (cmd_plugins.cpp, cmd_plugin_run.cpp).
#include "context.h"

#include "consilium/decision/plugin_state_record.h"
#include "consilium/decision/workspace.h"
#include "consilium/plugins/content_hash.h"
#include "consilium/plugins/discovery.h"

#include <string>
#include <vector>

namespace consilium::cli {

struct ListedPlugin {
    plugins::DiscoveredPlugin found;
    decision::PluginState state;
    bool enabled() const { return state.enabled && !state.quarantined; }
    bool available() const { return found.available && !state.quarantined && approval().empty(); }
    std::string reason() const;  // why not available ("" when available)
    // "" when its content is approved (by installation or an admin), else why it needs approval.
    std::string approval() const { return plugins::approval_refusal(found, state); }
};

std::vector<ListedPlugin> list_plugins(decision::Workspace& ws, const Context& ctx);

// The winning entry for an id (the shipped plugin's, else the first on the search path); NotFound otherwise.
const ListedPlugin& find_listed_plugin(const std::vector<ListedPlugin>& all, const std::string& id);

}  // namespace consilium::cli
