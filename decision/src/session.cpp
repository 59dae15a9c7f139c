#include "consilium/decision/session.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/password.h"

#include <nlohmann/json.hpp>

namespace consilium::decision {

Session login(Store& store, std::string_view name, std::string_view password) {
    auto stored = store.users().password_hash(name);
    bool ok = false;
    if (stored)
        ok = verify_password(password, *stored);
    else
        burn_password_time(password);
    auto user = ok ? store.users().find(name) : std::nullopt;

    auto tx = store.begin();
    if (!user) {
        store.audit().append({std::string(name), "-", "login.failed", "user", std::string(name),
                              text::json_text(nlohmann::json{{"reason", stored ? "wrong password" : "unknown user"}})});
        tx->commit();
        throw NotPermitted("login refused for user '" + std::string(name) + "': unknown user or wrong password");
    }
    store.audit().append({user->name, std::string(to_string(user->role)), "login", "user", user->name, "{}"});
    tx->commit();
    return Session{*user};
}

void require(const Session& session, Permission permission) {
    if (!allowed(session.user.role, permission))
        throw NotPermitted("user '" + session.user.name + "' (" + std::string(to_string(session.user.role)) +
                           ") may not " + std::string(describe(permission)));
}

AuditRecord audit_record(const Session& session, std::string action, std::string object_type, std::string object_id,
                         std::string details) {
    return {session.user.name, std::string(to_string(session.user.role)), std::move(action), std::move(object_type),
            std::move(object_id), std::move(details)};
}

User add_user(Store& store, const Session* actor, const std::string& name, Role role, std::string_view password,
              bool demo) {
    if (name.empty() || name.size() > 64 || name.find_first_of(" \t\r\n/\\:") != std::string::npos)
        throw InputError("user name '" + name + "'", "must be 1-64 characters without spaces, slashes or colons");
    if (password.empty()) throw InputError("user '" + name + "'", "the password is empty");
    // Hash before the transaction: the KDF is slow on purpose and must not hold the write lock.
    const std::string hash = hash_password(password);

    auto tx = store.begin();
    const bool first = store.users().count() == 0;
    if (!first) {
        if (!actor)
            throw NotPermitted("adding user '" + name + "' needs an administrator's login (the workspace has users)");
        require(*actor, Permission::manage_users);
    }
    if (store.users().find(name)) throw InputError("user '" + name + "'", "already exists");
    User u;
    u.name = name;
    u.role = role;
    u.demo = demo;
    u.id = store.users().add(u, hash);
    nlohmann::json details{{"role", to_string(role)}, {"demo", demo}, {"first_user", first}};
    AuditRecord record = actor ? audit_record(*actor, "user.add", "user", name, text::json_text(details))
                               : AuditRecord{"-", "-", "user.add", "user", name, text::json_text(details)};
    store.audit().append(record);
    tx->commit();
    return *store.users().find(name);
}

}  // namespace consilium::decision
