#pragma once
// plugin.json (../shared/PLUGINS.md), read and checked without running any plugin code.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::plugins {

// The only SDK ABI version the host can run (consilium_plugin.h, CONSILIUM_PLUGIN_ABI_VERSION).
inline constexpr int kSupportedAbiVersion = 1;

enum class PluginKind { native, command };
std::string_view to_string(PluginKind kind);

struct ManifestInputs {
    bool volume = false;
    std::vector<std::string> modalities;         // empty: any
    bool timeline = false;
    std::vector<std::string> observation_codes;  // LOINC codes it reads; empty: none named
};

struct ManifestLimits {
    int timeout_s = 60;
    int memory_mb = 2048;
    int output_mb = 16;
};

// A condition whose presence puts a patient outside the model's population, e.g. pregnancy
// (SNOMED CT 77386006). Matched with its listed descendants and equivalents (intended_use.h).
struct ExcludedCondition {
    std::string system;   // e.g. http://snomed.info/sct, http://hl7.org/fhir/sid/icd-10
    std::string code;     // ICD-10 also as a category ("O24") or a range of categories ("O00-O9A")
    std::string display;  // as the manifest names it, for messages
};

// model.population: who the model was made for, enforced by the host before a run. Every field
// is optional; an absent one restricts nothing.
struct Population {
    std::optional<int> age_min_years;  // inclusive: 16 admits a patient from their 16th birthday
    std::optional<int> age_max_years;  // inclusive: 90 admits a patient until their 91st birthday
    std::vector<std::string> sexes;    // FHIR gender codes (male, female, other, unknown); empty: any
    std::vector<ExcludedCondition> exclude_conditions;
};

struct ModelCard {
    std::string version;
    std::string intended_use;
    std::string training_data;
    std::string performance;
    std::string limitations;
    std::vector<std::string> references;
    std::optional<Population> population;  // nullopt: the manifest does not state one (no restriction)
};

struct Manifest {
    std::string id;       // reverse-DNS
    std::string name;
    std::string version;  // the plugin's own version
    PluginKind kind = PluginKind::native;
    std::string library;               // native: a file inside the plugin folder (relative)
    std::vector<std::string> command;  // command: argv, run in the plugin folder
    int abi_version = kSupportedAbiVersion;  // native: the SDK ABI it was built against
    ManifestInputs inputs;
    std::vector<std::string> outputs;  // finding | diagnosis | treatment | risk
    ManifestLimits limits;
    ModelCard model;
    std::string raw_json;  // the file as read (unknown keys included), for `plugins info`
};

// Reads and checks `plugin_json`. Throws decision::InputError naming the file and the key for a
// missing required key (id, name, version, kind, library|command, outputs, model.version,
// model.intended_use), a wrong type, a bad id, an unknown output kind, or a library path leaving
// the plugin folder. Unknown keys are kept in raw_json and otherwise ignored.
Manifest parse_manifest(const std::filesystem::path& plugin_json);

// Two or more dot-separated labels of a-z, 0-9 and '-'.
bool valid_plugin_id(std::string_view id);

// The manifest as JSON text: everything in the file (unknown keys too) with every documented
// default filled in, so `inputs.volume`, `limits.timeout_s` etc. are always present.
std::string manifest_json(const Manifest& manifest);

// The "id" string of a manifest that failed to parse, when one can still be read ("" otherwise).
std::string manifest_id_hint(const std::filesystem::path& plugin_json);

}  // namespace consilium::plugins
