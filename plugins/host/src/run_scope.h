#pragma once
// Least data (private to plugins/host): what a run may see of the record - the resources its
// manifest's inputs ask for, and only a series of the patient it runs for.
#include "consilium/decision/store.h"
#include "consilium/plugins/manifest.h"
#include "consilium/plugins/run.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace consilium::plugins::detail {

// "" when the volume may go with this patient; else why not, naming both patients. A series the
// workspace does not hold (a volume made by the caller) cannot be checked and is let through.
std::string series_refusal(decision::Store& store, std::int64_t patient_id, const std::optional<VolumeInput>& volume);

// Whether a FHIR resource passes the manifest's observation_codes: anything but an Observation
// does; an Observation does when a code or a component's code is among them (none listed: all).
bool wanted_resource(const nlohmann::json& resource, const ManifestInputs& inputs);

}  // namespace consilium::plugins::detail
