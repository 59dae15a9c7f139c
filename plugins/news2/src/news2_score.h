// news2_score.h - the Royal College of Physicians National Early Warning Score 2 (NEWS2, 2017),
// as pure arithmetic: parameter values in; points per parameter, total, band, the parameters that
// are missing and the clinical response out. No JSON, no SDK, no clock.
//
// Values between chart rows (e.g. a respiratory rate of 8.5) fall into the row whose upper limit
// they do not exceed (8.5 -> 9-11); temperature is rounded to one decimal first (the chart's
// resolution). A missing parameter scores 0, so the total is then a lower bound (complete=false).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace consilium::news2 {

// In the chart's order.
enum class Parameter { respiratory_rate, spo2, oxygen, systolic_bp, pulse, consciousness, temperature };
inline constexpr std::size_t kParameterCount = 7;

// ACVPU: alert, new confusion, responds to voice, to pain, unresponsive.
enum class Consciousness { alert, new_confusion, voice, pain, unresponsive };

enum class Band { low, low_medium, medium, high };

struct Inputs {
    std::optional<double> respiratory_rate;  // breaths/min
    std::optional<double> spo2;              // %
    std::optional<bool> on_oxygen;           // true: supplemental oxygen, false: air
    std::optional<double> systolic_bp;       // mmHg
    std::optional<double> pulse;             // beats/min
    std::optional<Consciousness> consciousness;
    std::optional<double> temperature;       // degrees Celsius
    // SpO2 Scale 2: only when a target saturation of 88-92 % is documented (hypercapnic
    // respiratory failure). Otherwise Scale 1.
    bool spo2_scale2 = false;
};

struct Result {
    std::array<std::optional<int>, kParameterCount> points{};  // by Parameter; empty when missing
    int total = 0;                      // sum of the present parameters' points
    Band band = Band::low;              // of the total (a lower bound too when !complete)
    bool complete = true;               // every parameter present
    std::vector<Parameter> missing;     // in the chart's order
    bool scale2 = false;
    // The highest total and band the missing parameters could bring (= total/band when complete).
    int upper_total = 0;
    Band upper_band = Band::low;
};

// Single-parameter points (the chart's rows).
int respiratory_rate_points(double breaths_per_min);
int spo2_scale1_points(double percent);
// Scale 2: >= 93 % scores 0 on air but 1/2/3 on oxygen (93-94 / 95-96 / >= 97). Oxygen unknown
// is taken as air (the lower bound).
int spo2_scale2_points(double percent, std::optional<bool> on_oxygen);
int oxygen_points(bool on_oxygen);
int systolic_bp_points(double mmhg);
int pulse_points(double beats_per_min);
int consciousness_points(Consciousness c);
int temperature_points(double celsius);

// Low: 0-4 without a single 3; low-medium: a single parameter scoring 3 (total <= 4);
// medium: 5-6; high: >= 7.
Band band_of(int total, bool any_single_three);

Result score(const Inputs& in);

std::string to_string(Band b);          // "low", "low-medium", "medium", "high"
std::string to_string(Parameter p);     // "respiratory rate", "SpO2", "oxygen", ...
std::string to_string(Consciousness c); // "alert", "new confusion", ...

// The RCP 2017 clinical response to the score (chart 2), one paragraph. For total 0 (low) the
// routine-monitoring response, for 1-4 the ward-based response.
std::string clinical_response(int total, Band band);

// The band when no value of the missing parameters could change it (always when complete), as the
// CHA2DS2-VASc plugin states its band; nullopt: undetermined.
std::optional<Band> determined_band(const Result& r);
// The clinical response when no value of the missing parameters could change it; nullopt otherwise
// (then no treatment is suggested).
std::optional<std::string> determined_response(const Result& r);

// "NEWS2 5 (medium)"; incomplete: "NEWS2 ≥ 3 (band undetermined); consciousness and oxygen not
// recorded", or "NEWS2 ≥ 8 (high); ..." when the band is certain.
std::string summary(const Result& r);

// "a", "a and b", "a, b and c"; the missing parameters' names sorted alphabetically.
std::string missing_list(const Result& r);

}  // namespace consilium::news2
