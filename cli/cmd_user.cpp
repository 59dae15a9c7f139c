#include "commands.h"

#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace consilium::cli {
namespace {

using namespace consilium::decision;

// The new user's password: the first line of standard input, or typed twice on a terminal.
std::string new_password(const std::string& name) {
    if (stdin_is_terminal()) {
        auto first = read_secret_from_terminal("New password for " + name + ": ");
        auto second = read_secret_from_terminal("Repeat the password: ");
        if (!first || !second) throw UsageError("cannot read the password from the terminal");
        if (*first != *second) throw InputError("user '" + name + "'", "the two passwords differ");
        return *first;
    }
    std::string line;
    if (!std::getline(std::cin, line)) throw InputError("user '" + name + "'", "no password on standard input");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

int user_add(const Context& ctx, const Args& args) {
    const auto& name = args.at(1, "the user name (user add NAME --role ROLE)");
    auto role_text = args.value("--role");
    if (!role_text) throw UsageError("user add needs --role radiologist|physician|developer|admin");
    auto role = role_from_string(*role_text);
    if (!role) throw UsageError("unknown role '" + *role_text + "' (radiologist, physician, developer or admin)");
    auto ws = ctx.open_workspace();
    std::optional<Session> actor;
    // Only the first user of an empty workspace is added without a login.
    if (ws.store().users().count() > 0) {
        actor = ctx.login(ws.store());
        require(*actor, Permission::manage_users);
    }
    auto password = new_password(name);
    auto user = add_user(ws.store(), actor ? &*actor : nullptr, name, *role, password);
    if (ctx.json)
        ctx.print_json({{"name", user.name}, {"role", to_string(user.role)}, {"demo", user.demo}});
    else
        std::cout << "Added user " << user.name << " (" << to_string(user.role) << ")\n";
    return 0;
}

int user_list(const Context& ctx) {
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::manage_users);
    auto users = ws.store().users().list();
    {
        auto tx = ws.store().begin();
        ws.store().audit().append(audit_record(session, "user.list", "user", "*"));
        tx->commit();
    }
    if (ctx.json) {
        auto out = nlohmann::json::array();
        for (const auto& u : users) out.push_back({{"name", u.name}, {"role", to_string(u.role)}, {"demo", u.demo}});
        ctx.print_json(out);
    } else {
        for (const auto& u : users)
            std::cout << std::left << std::setw(20) << u.name << std::setw(13) << to_string(u.role)
                      << (u.demo ? "demo" : "") << '\n';
    }
    return 0;
}

}  // namespace

int cmd_user(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--role"});
    const auto& sub = args.at(0, "a user command (add or list)");
    if (sub == "add") return user_add(ctx, args);
    if (sub == "list") {
        if (args.positional.size() > 1) throw UsageError("user list takes no arguments");
        return user_list(ctx);
    }
    throw UsageError("unknown user command '" + sub + "' (add or list)");
}

}  // namespace consilium::cli
