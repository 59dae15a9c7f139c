// Least data: the context Bundle holds what the manifest's inputs ask for, and a series goes
// only with its own patient. See run_scope.h and run.h (patient_context_bundle).
#include "run_scope.h"

#include "consilium/text/json_text.h"

#include "consilium/decision/errors.h"

#include <algorithm>

namespace consilium::plugins {

using nlohmann::json;
using namespace consilium::decision;

namespace detail {

namespace {

bool has_code(const json& codeable, const std::vector<std::string>& codes) {
    if (!codeable.is_object()) return false;
    auto coding = codeable.find("coding");
    if (coding == codeable.end() || !coding->is_array()) return false;
    for (const auto& c : *coding)
        if (c.is_object() && c.contains("code") && c["code"].is_string() &&
            std::find(codes.begin(), codes.end(), c["code"].get<std::string>()) != codes.end())
            return true;
    return false;
}

std::string patient_words(Store& store, std::int64_t patient_id) {
    auto p = store.patients().find(patient_id);
    std::string name = p ? p->family + (p->given.empty() ? "" : ", " + p->given) : std::string();
    return "patient " + std::to_string(patient_id) + (name.empty() || name == ", " ? "" : " (" + name + ")");
}

}  // namespace

bool wanted_resource(const json& resource, const ManifestInputs& inputs) {
    if (inputs.observation_codes.empty() || resource.value("resourceType", "") != "Observation") return true;
    if (has_code(resource.value("code", json()), inputs.observation_codes)) return true;
    auto components = resource.find("component");
    if (components != resource.end() && components->is_array())
        for (const auto& c : *components)
            if (c.is_object() && has_code(c.value("code", json()), inputs.observation_codes)) return true;
    return false;
}

std::string series_refusal(Store& store, std::int64_t patient_id, const std::optional<VolumeInput>& volume) {
    if (!volume || volume->series_uid.empty()) return "";
    auto series = store.imaging().find_series(volume->series_uid);
    if (!series) return "";
    auto study = store.imaging().find_study_by_id(series->study_id);
    if (!study || study->patient_id == patient_id) return "";
    return "series " + volume->series_uid + " belongs to " + patient_words(store, study->patient_id) + ", not to " +
           patient_words(store, patient_id) + ": a plugin reads only the images of the patient it runs for";
}

}  // namespace detail

std::string patient_context_bundle(Store& store, std::int64_t patient_id, const ManifestInputs* inputs,
                                   const std::string& outside_intended_use) {
    auto patient = store.patients().find(patient_id);
    if (!patient) throw NotFound("patient " + std::to_string(patient_id) + " not found");
    json entries = json::array();
    json p = patient->resource_json ? json::parse(*patient->resource_json, nullptr, false) : json();
    if (!p.is_object()) {
        p = json{{"resourceType", "Patient"}, {"id", std::to_string(patient->id)}};
        if (!patient->family.empty() || !patient->given.empty())
            p["name"] = json::array({json{{"family", patient->family}, {"given", json::array({patient->given})}}});
        if (patient->birth_date) p["birthDate"] = *patient->birth_date;
        if (patient->sex) p["gender"] = *patient->sex;
    }
    entries.push_back(json{{"resource", p}});
    // Without inputs.timeline the plugin gets the Patient alone: nothing is read that it did not ask for.
    if (!inputs || inputs->timeline) {
        TimelineFilter filter;
        filter.with_resource_json = true;
        for (const auto& e : store.timeline().events(patient_id, filter)) {
            if (!e.resource_json) continue;
            json r = json::parse(*e.resource_json, nullptr, false);
            if (r.is_object() && (!inputs || detail::wanted_resource(r, *inputs))) entries.push_back(json{{"resource", std::move(r)}});
        }
    }
    json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}};
    if (!outside_intended_use.empty())
        bundle["meta"] = {{"tag", json::array({{{"system", kRunTagSystem},
                                                 {"code", kOutsideIntendedUseTag},
                                                 {"display", outside_intended_use}}})}};
    bundle["entry"] = std::move(entries);
    return text::json_text(bundle);
}

}  // namespace consilium::plugins
