#pragma once
// The plugin's own check of its intended use (chest CT of adults, 18 years and over): it declines
// a child's scan even under a host that does not enforce the manifest's model.population. The age
// is taken on today's date in UTC, as the host does.
#include <string>

namespace consilium::lung {

inline constexpr int kMinimumAge = 18;

// "" when the patient of the context Bundle (FHIR R4 JSON text) is an adult today, or when the
// host says a clinician asked for the run although they are not (Bundle meta.tag
// urn:consilium:plugin-run|outside-intended-use); else why not, e.g. "outside intended use: age 9
// years is below the minimum 18 (the detector is for adults)".
std::string why_not_applicable(const std::string& context_json);

}  // namespace consilium::lung
