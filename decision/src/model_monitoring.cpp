// plugin_monitoring: puts the store's run counts, decision counts and review reasons together
// per plugin version (model_monitoring.h).
#include "consilium/text/json_text.h"
#include "consilium/decision/model_monitoring.h"

#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace consilium::decision {
namespace {

constexpr RunStatus kRunStatuses[] = {RunStatus::running, RunStatus::succeeded, RunStatus::failed,
                                      RunStatus::timeout, RunStatus::crashed, RunStatus::invalid_output,
                                      RunStatus::rejected, RunStatus::cancelled, RunStatus::abandoned};
constexpr ReasonCode kReasonCodes[] = {ReasonCode::clinically_incorrect, ReasonCode::not_applicable,
                                       ReasonCode::insufficient_evidence, ReasonCode::already_known, ReasonCode::other,
                                       ReasonCode::size_corrected, ReasonCode::location_corrected,
                                       ReasonCode::different_finding};

PluginVersionMonitoring& version(PluginMonitoring& m, const std::string& v) {
    auto it = std::find_if(m.versions.begin(), m.versions.end(), [&](const auto& x) { return x.plugin_version == v; });
    if (it != m.versions.end()) return *it;
    PluginVersionMonitoring fresh;
    fresh.plugin_version = v;
    for (auto s : kRunStatuses) fresh.runs[std::string(to_string(s))] = 0;
    for (auto c : kReasonCodes) fresh.reasons[std::string(to_string(c))] = 0;
    return m.versions.emplace_back(std::move(fresh));
}

}  // namespace

PluginMonitoring plugin_monitoring(Store& store, const Session& session, const std::string& plugin_id) {
    require(session, Permission::manage_plugins);
    if (plugin_id.empty()) throw InputError("plugin", "no plugin id given");

    PluginMonitoring m;
    m.plugin_id = plugin_id;
    // One write transaction: the three reads see one state, and the audit entry commits with them.
    auto tx = store.begin();
    auto& repo = store.suggestions();
    for (const auto& r : repo.run_counts(plugin_id)) {
        auto& v = version(m, r.plugin_version);
        v.runs[std::string(to_string(r.status))] += r.count;
        v.run_total += r.count;
    }
    for (const auto& s : repo.stats(plugin_id)) {  // a suggestion always belongs to a run, so its version is known
        auto& v = version(m, s.plugin_version);
        v.proposed = s.proposed;
        v.accepted = s.accepted;
        v.modified = s.modified;
        v.rejected = s.rejected;
    }
    std::int64_t free_text = 0;
    for (auto& r : repo.review_reasons(plugin_id)) {
        auto& v = version(m, r.plugin_version);
        v.reasons[std::string(to_string(r.code.value_or(ReasonCode::other)))] += 1;
        if (r.text && !r.text->empty()) {
            v.free_text.push_back(std::move(r));
            ++free_text;
        }
    }
    nlohmann::json details{{"versions", m.versions.size()}, {"free_text_reasons", free_text}};
    store.audit().append(audit_record(session, "plugin.stats", "plugin", plugin_id, text::json_text(details)));
    tx->commit();
    return m;
}

}  // namespace consilium::decision
