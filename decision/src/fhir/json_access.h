#pragma once
// Type-checked reads from FHIR JSON. A field of the wrong type is an InputError naming the
// file, the entry and the field path - never a silent default.
#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace consilium::decision::fhir {

using Json = nlohmann::json;

// Where a resource sits: "file.json: entry 12 (Observation/abc)".
struct Place {
    std::string file;
    std::string locus;  // "entry 12", "line 7", or "" for a single resource
    std::string resource;

    std::string describe() const;
    [[noreturn]] void fail(const std::string& field, const std::string& what) const;
};

const char* type_name(const Json& j);

// Absent or null: nullopt. Present with another type: InputError.
const Json* object(const Json& parent, const char* key, const Place& at, const std::string& path);
const Json* array(const Json& parent, const char* key, const Place& at, const std::string& path);
std::optional<std::string> string(const Json& parent, const char* key, const Place& at, const std::string& path);
std::optional<double> number(const Json& parent, const char* key, const Place& at, const std::string& path);
std::optional<bool> boolean(const Json& parent, const char* key, const Place& at, const std::string& path);

// A FHIR date/dateTime/instant field, normalised; InputError if present but not a valid time.
std::optional<std::string> time(const Json& parent, const char* key, const Place& at, const std::string& path);

}  // namespace consilium::decision::fhir
