#pragma once
// Who may do what. One table, here, so the CLI, the GUI and the plugin host ask the same question.
#include <optional>
#include <string>
#include <string_view>

namespace consilium::decision {

enum class Role { radiologist, physician, developer, admin };

enum class Permission {
    read_patients,     // patients, timeline, suggestions, images
    import_data,       // FHIR and DICOM import, PACS retrieve
    run_plugins,
    review_suggestions,
    manage_plugins,    // enable, disable, statistics
    manage_users,
    read_audit,        // audit log and export
    manage_pacs,
    hold_meetings,     // MDT: create meetings, add cases, record board decisions
    export_findings,   // reviewed findings out of the workspace as DICOM SR/SEG (files or a PACS)
    run_outside_intended_use,  // run a model on a patient outside its stated population (a clinical judgement)
    set_site_policy,   // the site's limits for plugins and whether they run sandboxed
};

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);
bool allowed(Role role, Permission permission);
std::string_view describe(Permission permission);  // "review suggestions", for messages

}  // namespace consilium::decision
