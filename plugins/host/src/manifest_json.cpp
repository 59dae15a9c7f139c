// The manifest as `plugins info` shows it: the file's keys, documented defaults filled in.
#include "consilium/text/json_text.h"
#include "consilium/plugins/manifest.h"

#include "bounded_json.h"

#include <nlohmann/json.hpp>

namespace consilium::plugins {

std::string manifest_json(const Manifest& m) {
    using nlohmann::json;
    json out = detail::parse_bounded(m.raw_json).value;  // read bounded once already; bounded again
    if (!out.is_object()) out = json::object();
    out["id"] = m.id;
    out["name"] = m.name;
    out["version"] = m.version;
    out["kind"] = std::string(to_string(m.kind));
    if (m.kind == PluginKind::native) {
        out["library"] = m.library;
        out["abi_version"] = m.abi_version;
    } else {
        out["command"] = m.command;
    }
    auto merge = [&](const char* key, const json& values) {
        json& slot = out[key];
        if (!slot.is_object()) slot = json::object();
        for (auto it = values.begin(); it != values.end(); ++it) slot[it.key()] = it.value();
    };
    merge("inputs", {{"volume", m.inputs.volume},
                     {"modalities", m.inputs.modalities},
                     {"timeline", m.inputs.timeline},
                     {"observation_codes", m.inputs.observation_codes}});
    out["outputs"] = m.outputs;
    merge("limits", {{"timeout_s", m.limits.timeout_s}, {"memory_mb", m.limits.memory_mb}, {"output_mb", m.limits.output_mb}});
    merge("model", {{"version", m.model.version},
                    {"intended_use", m.model.intended_use},
                    {"training_data", m.model.training_data},
                    {"performance", m.model.performance},
                    {"limitations", m.model.limitations},
                    {"references", m.model.references}});
    return text::json_text(out);
}

}  // namespace consilium::plugins
