// The site policy: keys, defaults, checks and the audited setter. See site_policy.h.
#include "consilium/decision/site_policy.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <charconv>

namespace consilium::decision {
namespace {

struct Key {
    const char* name;
    int SitePolicy::*number;  // null for plugin.sandbox
    const char* description;
};

const Key kKeys[] = {
    {"plugin.timeout_s", &SitePolicy::timeout_s, "wall time of one plugin run, seconds"},
    {"plugin.cpu_s", &SitePolicy::cpu_s, "CPU time of one plugin run, seconds"},
    {"plugin.memory_mb", &SitePolicy::memory_mb, "address space of a plugin's process, MB"},
    {"plugin.processes", &SitePolicy::processes, "processes a plugin run may start"},
    {"plugin.file_size_mb", &SitePolicy::file_size_mb, "largest file a plugin may write, MB"},
    {"plugin.output_mb", &SitePolicy::output_mb, "a plugin's output, MB"},
    {"plugin.sandbox", nullptr, "on: every plugin runs in the sandbox; off: unconfined (not safe)"},
};

const Key* find_key(const std::string& name) {
    for (const auto& k : kKeys)
        if (name == k.name) return &k;
    return nullptr;
}

std::optional<int> whole_number(const std::string& v) {
    int n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < 1 || n > 10'000'000) return std::nullopt;
    return n;
}

// Applies a stored value; a value a newer program stored and this one cannot read keeps the default.
void apply(SitePolicy& p, const Key& k, const std::string& value) {
    if (k.number) {
        if (auto n = whole_number(value)) p.*k.number = *n;
    } else if (value == "on" || value == "off") {
        p.sandbox = value == "on";
    }
}

std::string value_of(const SitePolicy& p, const Key& k) {
    return k.number ? std::to_string(p.*k.number) : std::string(p.sandbox ? "on" : "off");
}

}  // namespace

SitePolicy read_site_policy(Store& store) {
    SitePolicy p;
    for (const auto& k : kKeys)
        if (auto v = store.site_policy().find(k.name)) apply(p, k, *v);
    return p;
}

std::vector<SitePolicyKey> site_policy_keys(Store& store) {
    const auto p = read_site_policy(store);
    std::vector<SitePolicyKey> out;
    for (const auto& k : kKeys)
        out.push_back({k.name, value_of(p, k), !store.site_policy().find(k.name).has_value(), k.description});
    return out;
}

void set_site_policy(Store& store, const Session& session, const std::string& key, const std::string& value) {
    require(session, Permission::set_site_policy);
    const Key* k = find_key(key);
    if (!k) {
        std::string known;
        for (const auto& x : kKeys) known += (known.empty() ? "" : ", ") + std::string(x.name);
        throw InputError("policy key '" + key + "'", "unknown; the keys are " + known);
    }
    if (k->number ? !whole_number(value) : (value != "on" && value != "off"))
        throw InputError("policy " + key, k->number ? "a whole number from 1 to 10000000, not '" + value + "'"
                                                    : "on or off, not '" + value + "'");
    auto tx = store.begin();
    const std::string old = value_of(read_site_policy(store), *k);
    store.site_policy().put(key, value, session.user.name, utc_now());
    nlohmann::json details = {{"key", key}, {"old", old}, {"new", value}};
    store.audit().append(audit_record(session, "policy.set", "policy", key, text::json_text(details)));
    tx->commit();
}

}  // namespace consilium::decision
