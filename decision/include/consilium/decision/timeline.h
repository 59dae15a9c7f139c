#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::decision {

// immunization and allergy came with schema 12 (FHIR Immunization, AllergyIntolerance).
enum class EventKind { encounter, condition, observation, medication, procedure, imaging, report, suggestion, review, mdt,
                       immunization, allergy };

std::string_view to_string(EventKind kind);
std::optional<EventKind> event_kind_from_string(std::string_view text);

struct Coding {
    std::string system;   // e.g. http://loinc.org
    std::string code;
    std::string display;
};

// One part of a panel observation, e.g. the systolic value of a blood pressure.
struct EventComponent {
    Coding code;
    std::optional<double> value_num;
    std::optional<std::string> value_text;
    std::optional<std::string> unit;
};

struct TimelineEvent {
    std::int64_t id = 0;
    std::int64_t patient_id = 0;
    EventKind kind = EventKind::observation;
    Coding code;
    std::optional<std::string> start;  // store time form (see clinical_time.h)
    std::optional<std::string> end;
    std::optional<double> value_num;
    std::optional<std::string> value_text;
    std::optional<std::string> unit;
    std::optional<std::string> status;
    std::string resource_type;               // FHIR type it came from, e.g. MedicationRequest
    std::optional<std::string> source_ref;   // resource identity, e.g. Observation/<id>
    std::optional<std::string> content_hash; // SHA-256 of the source resource as received
    std::optional<std::string> resource_json;
    std::vector<EventComponent> components;
};

struct TimelineFilter {
    std::vector<EventKind> kinds;     // empty: all
    std::optional<std::string> from;  // inclusive, store time form
    std::optional<std::string> to;    // inclusive (a date bound covers the whole day)
    bool with_resource_json = false;
};

}  // namespace consilium::decision
