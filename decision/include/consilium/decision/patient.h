#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace consilium::decision {

struct PatientIdentifier {
    std::string system;
    std::string value;
    std::string type_code;  // "MR" for a medical record number, as FHIR types it
};

struct Patient {
    std::int64_t id = 0;           // the store's
    std::string mrn;               // medical record number: the identifier typed MR, else the first one
    std::string family;
    std::string given;             // given names, space-separated
    std::string name;              // as shown: "Given Family" (may be empty: nothing was recorded)
    // The other forms of a DICOM person name, as shown ("山田 太郎", "やまだ たろう"); "" when absent.
    std::string name_ideographic;
    std::string name_phonetic;
    std::optional<std::string> birth_date;  // YYYY-MM-DD (or partial)
    std::optional<std::string> sex;         // FHIR gender: male | female | other | unknown
    std::optional<std::string> source_ref;  // Patient/<id> of the source record
    std::optional<std::string> content_hash;
    std::optional<std::string> resource_json;
    std::vector<PatientIdentifier> identifiers;
    // Filled by listings:
    std::int64_t event_count = 0;
    std::int64_t study_count = 0;
};

}  // namespace consilium::decision
