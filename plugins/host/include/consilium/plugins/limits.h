#pragma once
// A plugin's limits as the site allows them: the manifest may ask for less than the site
// policy's caps (decision/site_policy.h), never more. A manifest asking for more is refused at
// discovery (apply_site_policy) and again by run_plugin.
#include "consilium/decision/site_policy.h"
#include "consilium/plugins/discovery.h"

#include <string>

namespace consilium::plugins {

struct EffectiveLimits {
    int timeout_s = 0;     // the manifest's (<= plugin.timeout_s)
    int memory_mb = 0;     // the manifest's (<= plugin.memory_mb)
    int output_mb = 0;     // the manifest's (<= plugin.output_mb)
    int cpu_s = 0;         // the site's plugin.cpu_s
    int processes = 0;     // the site's plugin.processes
    int file_size_mb = 0;  // the site's plugin.file_size_mb
    bool sandbox = true;   // the site's plugin.sandbox
};

EffectiveLimits effective_limits(const Manifest& manifest, const decision::SitePolicy& policy);

// "" when every limit the manifest asks for is within the site's caps, else a message naming the
// first field over its cap and the cap: "limits.timeout_s 604800 is above the site's cap of 600
// (policy plugin.timeout_s)".
std::string limits_refusal(const Manifest& manifest, const decision::SitePolicy& policy);

// limits_refusal, or why no run can start: the policy wants the sandbox and it does not work here.
std::string site_refusal(const Manifest& manifest, const decision::SitePolicy& policy);

// What the workstation shows in red above its plugins: "" when runs are sandboxed; else that the
// site turned the sandbox off (runs are unconfined), or that it does not work here (runs refused).
std::string sandbox_warning(const decision::SitePolicy& policy);

// Marks an available plugin whose manifest asks for more than the caps unavailable, with that reason.
void apply_site_policy(DiscoveredPlugin& plugin, const decision::SitePolicy& policy);

}  // namespace consilium::plugins
