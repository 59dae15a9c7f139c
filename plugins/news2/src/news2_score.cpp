#include "news2_score.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace consilium::news2 {

namespace {

struct Row {
    double upper;  // inclusive
    int points;
};

template <std::size_t N>
int by_rows(double v, const Row (&rows)[N]) {
    for (const auto& r : rows)
        if (v <= r.upper) return r.points;
    return rows[N - 1].points;
}

constexpr double kInf = 1e300;

}  // namespace

int respiratory_rate_points(double v) {
    static const Row rows[] = {{8, 3}, {11, 1}, {20, 0}, {24, 2}, {kInf, 3}};
    return by_rows(v, rows);
}

int spo2_scale1_points(double v) {
    static const Row rows[] = {{91, 3}, {93, 2}, {95, 1}, {kInf, 0}};
    return by_rows(v, rows);
}

int spo2_scale2_points(double v, std::optional<bool> on_oxygen) {
    static const Row low[] = {{83, 3}, {85, 2}, {87, 1}, {92, 0}};
    if (v <= 92) return by_rows(v, low);
    if (!on_oxygen.value_or(false)) return 0;  // >= 93 on air
    static const Row oxygen[] = {{94, 1}, {96, 2}, {kInf, 3}};
    return by_rows(v, oxygen);
}

int oxygen_points(bool on_oxygen) { return on_oxygen ? 2 : 0; }

int systolic_bp_points(double v) {
    static const Row rows[] = {{90, 3}, {100, 2}, {110, 1}, {219, 0}, {kInf, 3}};
    return by_rows(v, rows);
}

int pulse_points(double v) {
    static const Row rows[] = {{40, 3}, {50, 1}, {90, 0}, {110, 1}, {130, 2}, {kInf, 3}};
    return by_rows(v, rows);
}

int consciousness_points(Consciousness c) { return c == Consciousness::alert ? 0 : 3; }

int temperature_points(double v) {
    // Compared in tenths of a degree (the chart's resolution), free of binary rounding.
    const long long t = std::llround(v * 10.0);
    if (t <= 350) return 3;
    if (t <= 360) return 1;
    if (t <= 380) return 0;
    if (t <= 390) return 1;
    return 2;
}

Band band_of(int total, bool any_single_three) {
    if (total >= 7) return Band::high;
    if (total >= 5) return Band::medium;
    if (any_single_three) return Band::low_medium;
    return Band::low;
}

Result score(const Inputs& in) {
    Result r;
    r.scale2 = in.spo2_scale2;
    auto set = [&](Parameter p, std::optional<int> pts) {
        r.points[static_cast<std::size_t>(p)] = pts;
        if (pts) r.total += *pts;
        else r.missing.push_back(p);
    };
    auto map = [](const auto& v, auto f) -> std::optional<int> {
        if (!v) return std::nullopt;
        return f(*v);
    };
    set(Parameter::respiratory_rate, map(in.respiratory_rate, respiratory_rate_points));
    if (in.spo2)
        set(Parameter::spo2, in.spo2_scale2 ? spo2_scale2_points(*in.spo2, in.on_oxygen) : spo2_scale1_points(*in.spo2));
    else
        set(Parameter::spo2, std::nullopt);
    set(Parameter::oxygen, map(in.on_oxygen, oxygen_points));
    set(Parameter::systolic_bp, map(in.systolic_bp, systolic_bp_points));
    set(Parameter::pulse, map(in.pulse, pulse_points));
    set(Parameter::consciousness, map(in.consciousness, consciousness_points));
    set(Parameter::temperature, map(in.temperature, temperature_points));
    r.complete = r.missing.empty();
    const bool three = std::any_of(r.points.begin(), r.points.end(), [](const auto& p) { return p && *p == 3; });
    r.band = band_of(r.total, three);
    r.upper_total = r.total;
    r.upper_band = r.band;
    if (!r.complete) {
        // The highest the missing parameters could score: each at its chart's worst row (oxygen
        // given, which on Scale 2 also raises the SpO2 points). Bands only rise with points, so every
        // possible value lies between this and the lower bound.
        Inputs worst = in;
        if (!worst.respiratory_rate) worst.respiratory_rate = 30;
        if (!worst.spo2) worst.spo2 = worst.spo2_scale2 ? 100 : 80;
        if (!worst.on_oxygen) worst.on_oxygen = true;
        if (!worst.systolic_bp) worst.systolic_bp = 80;
        if (!worst.pulse) worst.pulse = 140;
        if (!worst.consciousness) worst.consciousness = Consciousness::unresponsive;
        if (!worst.temperature) worst.temperature = 34;
        const auto upper = score(worst);
        r.upper_total = upper.total;
        r.upper_band = upper.band;
    }
    return r;
}

std::optional<Band> determined_band(const Result& r) {
    if (r.band != r.upper_band) return std::nullopt;
    return r.band;
}

std::optional<std::string> determined_response(const Result& r) {
    if (!determined_band(r)) return std::nullopt;
    const auto lowest = clinical_response(r.total, r.band), highest = clinical_response(r.upper_total, r.upper_band);
    if (lowest != highest) return std::nullopt;  // low band: routine (0) or ward-based (1-4) monitoring
    return lowest;
}

std::string to_string(Band b) {
    switch (b) {
    case Band::low: return "low";
    case Band::low_medium: return "low-medium";
    case Band::medium: return "medium";
    case Band::high: return "high";
    }
    return "low";
}

std::string to_string(Parameter p) {
    switch (p) {
    case Parameter::respiratory_rate: return "respiratory rate";
    case Parameter::spo2: return "SpO2";
    case Parameter::oxygen: return "oxygen";
    case Parameter::systolic_bp: return "systolic blood pressure";
    case Parameter::pulse: return "pulse";
    case Parameter::consciousness: return "consciousness";
    case Parameter::temperature: return "temperature";
    }
    return "?";
}

std::string to_string(Consciousness c) {
    switch (c) {
    case Consciousness::alert: return "alert";
    case Consciousness::new_confusion: return "new confusion";
    case Consciousness::voice: return "responds to voice";
    case Consciousness::pain: return "responds to pain";
    case Consciousness::unresponsive: return "unresponsive";
    }
    return "?";
}

std::string clinical_response(int total, Band band) {
    switch (band) {
    case Band::high:
        return "Emergency response: the registered nurse immediately informs the medical team caring for the "
               "patient (at least specialist registrar level); emergency assessment by a clinical team or "
               "critical care outreach team with critical-care competencies, including airway management; "
               "consider transfer to a level 2 or 3 clinical care facility; continuous monitoring of vital signs.";
    case Band::medium:
        return "Urgent response: the registered nurse immediately informs the medical team caring for the "
               "patient; urgent assessment by a clinician or team with core competencies in the care of acutely "
               "ill patients; provide clinical care in an environment with monitoring facilities; monitoring at "
               "least hourly.";
    case Band::low_medium:
        return "Urgent ward-based response: the registered nurse informs the medical team caring for the "
               "patient, who reviews and decides whether escalation of care is necessary; monitoring at least "
               "hourly.";
    case Band::low:
        break;
    }
    if (total == 0) return "Continue routine NEWS monitoring, at least every 12 hours.";
    return "Ward-based response: a registered nurse assesses the patient and decides whether monitoring "
           "should be more frequent or care escalated; monitoring at least every 4-6 hours.";
}

std::string missing_list(const Result& r) {
    std::vector<std::string> names;
    for (auto p : r.missing) names.push_back(to_string(p));
    std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                            [](char x, char y) { return std::tolower(x) < std::tolower(y); });
    });
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += i + 1 == names.size() ? " and " : ", ";
        out += names[i];
    }
    return out;
}

std::string summary(const Result& r) {
    if (r.complete) return "NEWS2 " + std::to_string(r.total) + " (" + to_string(r.band) + ")";
    const auto band = determined_band(r);
    return "NEWS2 \u2265 " + std::to_string(r.total) + " (" + (band ? to_string(*band) : "band undetermined") + "); " +
           missing_list(r) + " not recorded";
}

}  // namespace consilium::news2
