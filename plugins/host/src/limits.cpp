// Effective limits: the manifest's wishes within the site's caps. See limits.h.
#include "consilium/plugins/limits.h"

#include "consilium/launch/launcher.h"

#include <algorithm>

namespace consilium::plugins {

EffectiveLimits effective_limits(const Manifest& m, const decision::SitePolicy& p) {
    EffectiveLimits e;
    e.timeout_s = std::min(m.limits.timeout_s, p.timeout_s);
    e.memory_mb = std::min(m.limits.memory_mb, p.memory_mb);
    e.output_mb = std::min(m.limits.output_mb, p.output_mb);
    e.cpu_s = p.cpu_s;
    e.processes = p.processes;
    e.file_size_mb = p.file_size_mb;
    e.sandbox = p.sandbox;
    return e;
}

std::string limits_refusal(const Manifest& m, const decision::SitePolicy& p) {
    struct Field {
        const char* name;
        int asked, cap;
    };
    for (const auto& f : {Field{"timeout_s", m.limits.timeout_s, p.timeout_s}, Field{"memory_mb", m.limits.memory_mb, p.memory_mb},
                          Field{"output_mb", m.limits.output_mb, p.output_mb}})
        if (f.asked > f.cap)
            return "limits." + std::string(f.name) + " " + std::to_string(f.asked) + " is above the site's cap of " +
                   std::to_string(f.cap) + " (policy plugin." + f.name + ")";
    return "";
}

std::string site_refusal(const Manifest& m, const decision::SitePolicy& p) {
    if (auto why = limits_refusal(m, p); !why.empty()) return why;
    if (p.sandbox && !launch::sandbox_unavailable_reason().empty())
        return "plugins run only in the sandbox, which cannot work here: " + launch::sandbox_unavailable_reason() +
               " (an administrator may turn it off with `policy set plugin.sandbox off`: not safe, see docs/security.md)";
    return "";
}

std::string sandbox_warning(const decision::SitePolicy& p) {
    if (!p.sandbox)
        return "Plugins run WITHOUT the sandbox (site policy plugin.sandbox off): a plugin can read the workspace "
               "and reach the network.";
    if (const auto& why = launch::sandbox_unavailable_reason(); !why.empty())
        return "Plugins cannot run: the sandbox does not work here (" + why + ").";
    return "";
}

void apply_site_policy(DiscoveredPlugin& plugin, const decision::SitePolicy& policy) {
    if (!plugin.available || !plugin.manifest) return;
    if (auto why = limits_refusal(*plugin.manifest, policy); !why.empty()) {
        plugin.available = false;
        plugin.reason = why;
    }
}

}  // namespace consilium::plugins
