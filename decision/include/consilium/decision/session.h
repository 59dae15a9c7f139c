#pragma once
// A logged-in user, and the checks every command makes before acting for them.
#include "consilium/decision/audit.h"
#include "consilium/decision/store.h"
#include "consilium/decision/user.h"

#include <string>
#include <string_view>

namespace consilium::decision {

struct Session {
    User user;
};

// Checks the password (constant time, same cost for unknown names) and audits the attempt,
// successful or not. Throws NotPermitted naming the user on failure.
Session login(Store& store, std::string_view name, std::string_view password);

// Throws NotPermitted: "user 'doc' (physician) may not manage users".
void require(const Session& session, Permission permission);

// An audit record made by this session's user.
AuditRecord audit_record(const Session& session, std::string action, std::string object_type, std::string object_id,
                         std::string details = "{}");

// Adds a user. The first user of an empty workspace needs no session; every later one needs an
// administrator's. The addition and its audit entry commit together.
User add_user(Store& store, const Session* actor, const std::string& name, Role role, std::string_view password,
              bool demo = false);

}  // namespace consilium::decision
