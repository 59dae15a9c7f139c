#pragma once
// The NEWS2 plugin's own check of its intended use (RCP 2017: adults, 16 years and over, not in
// pregnancy), so that it declines a child or a pregnant woman even under a host that does not
// enforce the manifest's model.population. Ages are taken on today's date in UTC, as the host does.
#include <nlohmann/json.hpp>

#include <string>

namespace consilium::news2 {

inline constexpr int kMinimumAge = 16;

// Today, UTC, YYYY-MM-DD.
std::string today_utc();

// The reason the host gave when a clinician asked for the run although the patient is outside
// the intended use (the Bundle's meta.tag urn:consilium:plugin-run|outside-intended-use); "" when
// the run was not asked for so.
std::string clinicians_override(const nlohmann::json& bundle);

// "" when NEWS2 applies to the patient of the context Bundle on `today`, else why not:
// "outside intended use: age 9 years is below the minimum 16 (NEWS2 is for adults)".
std::string why_not_applicable(const nlohmann::json& bundle, const std::string& today);

}  // namespace consilium::news2
