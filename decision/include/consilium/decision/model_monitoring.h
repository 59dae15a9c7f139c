#pragma once
// Model monitoring: per version of a plugin, how its runs ended and what clinicians decided about
// its suggestions, with their reasons - so that a developer or an admin sees a model going wrong.
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace consilium::decision {

struct PluginVersionMonitoring {
    std::string plugin_version;
    std::map<std::string, std::int64_t> runs;  // every run status (to_string(RunStatus)) -> count, zeros included
    std::int64_t run_total = 0;
    std::int64_t proposed = 0, accepted = 0, modified = 0, rejected = 0;
    // Every reason code -> count over modified and rejected suggestions, zeros included; a reason
    // given only as text counts as "other".
    std::map<std::string, std::int64_t> reasons;
    std::vector<ReviewReason> free_text;  // the decisions with a text reason, oldest first
    std::int64_t suggestion_total() const { return proposed + accepted + modified + rejected; }
};

struct PluginMonitoring {
    std::string plugin_id;
    std::vector<PluginVersionMonitoring> versions;  // in order of first run
};

// Needs Permission::manage_plugins (developer, admin). The reading is audited (`plugin.stats`),
// since clinicians' free-text reasons may speak of patients. An id never run gives no versions.
PluginMonitoring plugin_monitoring(Store& store, const Session& session, const std::string& plugin_id);

}  // namespace consilium::decision
