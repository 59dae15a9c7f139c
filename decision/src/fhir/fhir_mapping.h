#pragma once
// One FHIR resource -> a patient or a timeline event (or a reason it is skipped).
#include "consilium/decision/patient.h"
#include "consilium/decision/timeline.h"
#include "json_access.h"

#include <optional>
#include <string>
#include <vector>

namespace consilium::decision::fhir {

struct MappedPatient {
    Patient patient;
    std::vector<std::string> aliases;  // every reference form that names it: fullUrl, Patient/id, urn:uuid:id
};

struct MappedEvent {
    TimelineEvent event;
    std::string subject;  // the reference to resolve to a patient, normalised (see normalize_reference)
    Place place;
};

struct Mapped {
    std::optional<MappedPatient> patient;
    std::optional<MappedEvent> event;
    std::string skipped;  // resource type when neither (not a timeline type, or no subject)
    bool no_subject = false;
};

// `resource` has been checked to be an object with a string resourceType.
Mapped map_resource(const Json& resource, const std::string& full_url, const Place& at);

// "urn:uuid:x" stays; "http://host/fhir/Patient/x/_history/2" and "Patient/x" become "Patient/x".
std::string normalize_reference(const std::string& reference);

}  // namespace consilium::decision::fhir
