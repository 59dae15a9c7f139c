#pragma once
// Whether each plugin may run: enabled/disabled by a developer or an admin, quarantined after
// failing too often in a row. Plain data keyed by plugin id; decision/ knows no plugin types.
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <optional>
#include <string>

namespace consilium::decision {

// Enables or disables a plugin (Permission::manage_plugins). Enabling also lifts a quarantine
// and resets the failure count. The change and its audit entry (`plugin.enable` /
// `plugin.disable`, with the reason) commit together. Returns the new state.
PluginState set_plugin_enabled(Store& store, const Session& session, const std::string& plugin_id, bool enabled,
                               const std::optional<std::string>& reason = std::nullopt);

// Approves a plugin's content (admins only): `sha256` is the hash of its folder as the host
// computed it; a plugin whose folder hashes otherwise does not run until approved again. The
// approval and its audit entry (`plugin.approve`, with the hash and the one it replaces) commit
// together. Returns the new state.
PluginState approve_plugin(Store& store, const Session& session, const std::string& plugin_id, const std::string& sha256);

// The state of a plugin never touched: enabled, not quarantined.
PluginState default_plugin_state(const std::string& plugin_id);

}  // namespace consilium::decision
