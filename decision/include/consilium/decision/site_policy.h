#pragma once
// The site's policy for plugins: caps on every run's limits and whether runs are sandboxed. Set
// by an administrator (audited `policy.set`), stored in the workspace; a key never set has its
// documented default. A plugin's manifest may ask for less than a cap, never more.
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <string>
#include <vector>

namespace consilium::decision {

struct SitePolicy {
    int timeout_s = 600;      // plugin.timeout_s: wall time of one run
    int cpu_s = 600;          // plugin.cpu_s: CPU time (RLIMIT_CPU)
    int memory_mb = 4096;     // plugin.memory_mb: address space (RLIMIT_AS)
    int processes = 64;       // plugin.processes: processes of the run (RLIMIT_NPROC)
    int file_size_mb = 1024;  // plugin.file_size_mb: largest file it may write (RLIMIT_FSIZE)
    int output_mb = 256;      // plugin.output_mb: its output
    bool sandbox = true;      // plugin.sandbox: "on" | "off" (off: runs unconfined; admins only, audited)
};

struct SitePolicyKey {
    std::string key;          // "plugin.timeout_s"
    std::string value;        // as stored or defaulted ("600", "on")
    bool is_default = true;
    std::string description;
};

// The policy in force (defaults for keys never set). Any logged-in user may read it.
SitePolicy read_site_policy(Store& store);

// Every key with its value, in a fixed order (`policy list`).
std::vector<SitePolicyKey> site_policy_keys(Store& store);

// Sets one key (NotPermitted without Permission::set_site_policy; InputError for an unknown key
// or a value out of range: whole numbers 1..10^7, or on/off for plugin.sandbox), audited
// `policy.set` with the old and new value in the same transaction.
void set_site_policy(Store& store, const Session& session, const std::string& key, const std::string& value);

}  // namespace consilium::decision
