#include "consilium/decision/plugin_state.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

namespace consilium::decision {

PluginState default_plugin_state(const std::string& plugin_id) {
    PluginState p;
    p.plugin_id = plugin_id;
    return p;
}

PluginState set_plugin_enabled(Store& store, const Session& session, const std::string& plugin_id, bool enabled,
                               const std::optional<std::string>& reason) {
    require(session, Permission::manage_plugins);
    if (plugin_id.empty()) throw InputError("plugin", "no plugin id given");
    if (reason && reason->size() > 4000) throw InputError("plugin " + plugin_id, "the reason is limited to 4000 bytes");

    auto tx = store.begin();
    auto state = store.plugin_states().find(plugin_id).value_or(default_plugin_state(plugin_id));
    const bool was_quarantined = state.quarantined;
    state.enabled = enabled;
    if (enabled) {
        state.quarantined = false;
        state.failures_in_a_row = 0;
    }
    state.reason = reason;
    state.changed_by = session.user.name;
    state.changed_at = utc_now();
    store.plugin_states().put(state);

    nlohmann::json details{{"reason", reason ? nlohmann::json(*reason) : nlohmann::json()}};
    if (enabled) details["was_quarantined"] = was_quarantined;
    store.audit().append(audit_record(session, enabled ? "plugin.enable" : "plugin.disable", "plugin", plugin_id,
                                      text::json_text(details)));
    tx->commit();
    return state;
}

}  // namespace consilium::decision
