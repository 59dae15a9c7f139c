#pragma once
// Runs in the plugin suites as an admin would have allowed them: the plugin's content hash is
// approved in the store first (plugins are their content, content_hash.h), then run_plugin.
#include "consilium/decision/plugin_state.h"
#include "consilium/plugins/run.h"

namespace consilium::test {

inline void approve_content(decision::Store& store, const plugins::DiscoveredPlugin& plugin) {
    auto state = store.plugin_states().find(plugin.id).value_or(decision::default_plugin_state(plugin.id));
    state.approved_sha256 = plugin.sha256;
    auto tx = store.begin();
    store.plugin_states().put(state);
    tx->commit();
}

inline plugins::RunResult run_approved(decision::Store& store, const decision::Session& session,
                                       const plugins::DiscoveredPlugin& plugin, std::int64_t patient_id,
                                       const std::optional<plugins::VolumeInput>& volume,
                                       const plugins::RunOptions& options = {}) {
    approve_content(store, plugin);
    return plugins::run_plugin(store, session, plugin, patient_id, volume, options);
}

}  // namespace consilium::test
