// policy list / policy set: the site's caps on plugin limits and the sandbox switch. Setting is
// for admins and audited (`policy.set`); listing is for every logged-in user.
#include "cmd_policy.h"

#include "args.h"

#include "consilium/decision/site_policy.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace consilium::cli {

int cmd_policy(const Context& ctx, const std::vector<std::string>& words) {
    auto args = parse_args(words, {}, {"--json"});
    const auto& verb = args.at(0, "what to do: policy list | policy set KEY VALUE");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    if (verb == "set") {
        if (args.positional.size() != 3) throw UsageError("policy set takes a KEY and a VALUE, e.g. policy set plugin.timeout_s 300");
        decision::set_site_policy(ws.store(), session, args.positional[1], args.positional[2]);
        if (args.positional[1] == "plugin.sandbox" && args.positional[2] == "off")
            std::cerr << "warning: plugins now run WITHOUT the sandbox: they can read the workspace and reach the network\n";
    } else if (verb != "list") {
        throw UsageError("'" + verb + "' is not a policy command: list, set");
    }
    const auto keys = decision::site_policy_keys(ws.store());
    if (ctx.json || args.flag("--json")) {
        auto out = nlohmann::json::object();
        for (const auto& k : keys) out[k.key] = {{"value", k.value}, {"default", k.is_default}, {"description", k.description}};
        ctx.print_json(out);
    } else {
        for (const auto& k : keys)
            std::cout << k.key << " = " << k.value << (k.is_default ? "  (default)" : "") << "    " << k.description << '\n';
    }
    return 0;
}

}  // namespace consilium::cli
