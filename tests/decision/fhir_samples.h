#pragma once
// Small FHIR R4 documents written by the tests themselves.
#include <nlohmann/json.hpp>

#include <string>

namespace consilium::test::fhir {

using Json = nlohmann::json;

inline Json patient(const std::string& id, const std::string& mrn, const std::string& given, const std::string& family) {
    return {{"resourceType", "Patient"},
            {"id", id},
            {"identifier",
             Json::array({{{"system", "urn:test:synthea"}, {"value", "S-" + id}},
                          {{"type", {{"coding", Json::array({{{"system", "http://terminology.hl7.org/CodeSystem/v2-0203"},
                                                              {"code", "MR"}}})}}},
                           {"system", "urn:test:mrn"},
                           {"value", mrn}}})},
            {"name", Json::array({{{"use", "official"}, {"family", family}, {"given", Json::array({given})}}})},
            {"gender", "female"},
            {"birthDate", "1950-02-03"}};
}

inline Json observation(const std::string& id, const std::string& subject, const std::string& when, double value,
                        const std::string& loinc = "8867-4", const std::string& unit = "/min") {
    return {{"resourceType", "Observation"},
            {"id", id},
            {"status", "final"},
            {"code", {{"coding", Json::array({{{"system", "http://loinc.org"}, {"code", loinc}, {"display", "Heart rate"}}})}}},
            {"subject", {{"reference", subject}}},
            {"effectiveDateTime", when},
            {"valueQuantity", {{"value", value}, {"unit", unit}}}};
}

inline Json blood_pressure(const std::string& id, const std::string& subject, const std::string& when, double sys, double dia) {
    auto component = [](const char* code, double v) {
        return Json{{"code", {{"coding", Json::array({{{"system", "http://loinc.org"}, {"code", code}}})}}},
                    {"valueQuantity", {{"value", v}, {"unit", "mm[Hg]"}}}};
    };
    return {{"resourceType", "Observation"},
            {"id", id},
            {"code", {{"coding", Json::array({{{"system", "http://loinc.org"}, {"code", "85354-9"}, {"display", "Blood pressure panel"}}})}}},
            {"subject", {{"reference", subject}}},
            {"effectiveDateTime", when},
            {"component", Json::array({component("8480-6", sys), component("8462-4", dia)})}};
}

inline Json simple(const std::string& type, const std::string& id, const std::string& subject, const std::string& time_key,
                   const std::string& when) {
    Json r{{"resourceType", type}, {"id", id}, {"subject", {{"reference", subject}}}};
    if (time_key == "period") r["period"] = {{"start", when}};
    else r[time_key] = when;
    return r;
}

// As Synthea writes them: the subject is `patient`, not `subject`.
inline Json immunization(const std::string& id, const std::string& patient_ref, const std::string& when) {
    return {{"resourceType", "Immunization"}, {"id", id}, {"status", "completed"},
            {"vaccineCode", {{"coding", Json::array({{{"system", "http://hl7.org/fhir/sid/cvx"}, {"code", "140"},
                                                      {"display", "Influenza, seasonal, injectable, preservative free"}}})}}},
            {"patient", {{"reference", patient_ref}}}, {"occurrenceDateTime", when}, {"primarySource", true}};
}

inline Json allergy(const std::string& id, const std::string& patient_ref, const std::string& recorded) {
    return {{"resourceType", "AllergyIntolerance"}, {"id", id},
            {"clinicalStatus", {{"coding", Json::array({{{"system", "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"},
                                                         {"code", "active"}}})}}},
            {"type", "allergy"}, {"category", Json::array({"food"})}, {"criticality", "high"},
            {"code", {{"coding", Json::array({{{"system", "http://snomed.info/sct"}, {"code", "91935009"},
                                               {"display", "Allergy to peanuts"}}})}}},
            {"patient", {{"reference", patient_ref}}}, {"recordedDate", recorded},
            {"reaction", Json::array({{{"manifestation", Json::array({{{"coding", Json::array({{{"system", "http://snomed.info/sct"},
                                                                                               {"code", "39579001"},
                                                                                               {"display", "Anaphylaxis"}}})}}})},
                                       {"severity", "severe"}}})}};
}

inline Json bundle(const std::string& type, const Json& entries) {
    return {{"resourceType", "Bundle"}, {"type", type}, {"entry", entries}};
}

inline Json entry(const Json& resource, const std::string& full_url = "") {
    Json e{{"resource", resource}};
    if (!full_url.empty()) e["fullUrl"] = full_url;
    return e;
}

}  // namespace consilium::test::fhir
