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

PluginState approve_plugin(Store& store, const Session& session, const std::string& plugin_id, const std::string& sha256) {
    // Which code runs beside patient data is the site's decision: admins only, not developers.
    if (session.user.role != Role::admin)
        throw NotPermitted("approving a plugin's content needs the admin role; " + session.user.name + " is " +
                           std::string(to_string(session.user.role)));
    if (plugin_id.empty()) throw InputError("plugin", "no plugin id given");
    if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw InputError("plugin " + plugin_id, "the content hash must be 64 lower-case hex digits");

    auto tx = store.begin();
    auto state = store.plugin_states().find(plugin_id).value_or(default_plugin_state(plugin_id));
    const auto previous = state.approved_sha256;
    state.approved_sha256 = sha256;
    state.approved_by = session.user.name;
    state.approved_at = utc_now();
    store.plugin_states().put(state);
    store.audit().append(audit_record(session, "plugin.approve", "plugin", plugin_id,
                                      text::json_text(nlohmann::json{
                                          {"sha256", sha256},
                                          {"previous_sha256", previous ? nlohmann::json(*previous) : nlohmann::json()}})));
    tx->commit();
    return state;
}

}  // namespace consilium::decision
