#pragma once
// One row of plugin_state: plain data, no plugin types.
#include <optional>
#include <string>

namespace consilium::decision {

struct PluginState {
    std::string plugin_id;
    bool enabled = true;        // a plugin found on the search path runs unless disabled
    bool quarantined = false;   // set after too many failures in a row; cleared by enabling
    int failures_in_a_row = 0;
    std::optional<std::string> reason;      // why disabled or quarantined
    std::optional<std::string> changed_by;  // user name
    std::optional<std::string> changed_at;  // UTC ISO-8601
    // The content hash (SHA-256 of the plugin folder) an admin approved, by whom and when; a
    // plugin whose folder hashes otherwise does not run.
    std::optional<std::string> approved_sha256;
    std::optional<std::string> approved_by;
    std::optional<std::string> approved_at;
};

}  // namespace consilium::decision
