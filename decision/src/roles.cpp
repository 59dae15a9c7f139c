#include "consilium/decision/roles.h"

namespace consilium::decision {

std::string_view to_string(Role role) {
    switch (role) {
        case Role::radiologist: return "radiologist";
        case Role::physician: return "physician";
        case Role::developer: return "developer";
        case Role::admin: return "admin";
    }
    return "unknown";
}

std::optional<Role> role_from_string(std::string_view text) {
    for (Role r : {Role::radiologist, Role::physician, Role::developer, Role::admin})
        if (to_string(r) == text) return r;
    return std::nullopt;
}

bool allowed(Role role, Permission p) {
    const bool clinician = role == Role::radiologist || role == Role::physician;
    switch (p) {
        case Permission::read_patients: return true;
        case Permission::import_data:
        case Permission::run_plugins: return true;  // every role; clinicians' core work, others' testing
        case Permission::review_suggestions:
        case Permission::hold_meetings:
        // Applying a model outside its population is a clinical decision about one patient.
        case Permission::run_outside_intended_use: return clinician;
        // Clinicians send what they reviewed; admins may resend after a PACS outage. Developers
        // test models and never send patient data out.
        case Permission::export_findings: return clinician || role == Role::admin;
        case Permission::manage_plugins: return role == Role::developer || role == Role::admin;
        case Permission::manage_users:
        case Permission::read_audit:
        case Permission::manage_pacs:
        case Permission::set_site_policy: return role == Role::admin;
    }
    return false;
}

std::string_view describe(Permission p) {
    switch (p) {
        case Permission::read_patients: return "read patient data";
        case Permission::import_data: return "import data";
        case Permission::run_plugins: return "run plugins";
        case Permission::review_suggestions: return "review AI suggestions";
        case Permission::manage_plugins: return "manage plugins";
        case Permission::manage_users: return "manage users";
        case Permission::read_audit: return "read or export the audit log";
        case Permission::manage_pacs: return "configure PACS nodes";
        case Permission::hold_meetings: return "hold MDT meetings (add cases, record board decisions)";
        case Permission::export_findings: return "export reviewed findings (DICOM SR/SEG)";
        case Permission::run_outside_intended_use: return "run a model outside its intended use";
        case Permission::set_site_policy: return "set the site policy";
    }
    return "do this";
}

}  // namespace consilium::decision
