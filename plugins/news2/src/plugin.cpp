// plugin.cpp - the NEWS2 plugin: reads the patient's FHIR R4 Bundle (context_json), picks the
// latest observation of each NEWS2 parameter taken within 24 h of the newest vital sign, scores it
// with news2_score and emits one `risk` suggestion, and one `treatment` suggestion when the missing
// parameters (if any) cannot change the band and its clinical response.
//
// Built against the plugin SDK alone (plus nlohmann_json to read the Bundle).
//
// A patient outside NEWS2's intended use (under 16, pregnancy recorded; intended_use.h) is declined
// ({"suggestions": [], "declined": why}) unless the host says a clinician asked for the run anyway.
//
// With no vital sign at all the plugin emits a single `risk` suggestion without score or band,
// complete=false, summary "NEWS2 not computable: no vital signs recorded" (so the clinician sees
// that it ran and why there is no score), and logs "not computable: no vital signs".
#include "intended_use.h"
#include "news2_score.h"

#include <consilium_plugin.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
namespace n2 = consilium::news2;

constexpr std::int64_t kWindowSeconds = 24 * 3600;

const char* kReference =
    "Royal College of Physicians. National Early Warning Score (NEWS) 2: Standardising the assessment of "
    "acute-illness severity in the NHS. Updated report of a working party. London: RCP, 2017.";
const char* kReferenceUrl = "https://www.rcp.ac.uk/improving-care/resources/national-early-warning-score-news-2/";

// ISO 8601 date-time ("2020-03-01", "2020-03-01T10:15:30.123+01:00", "...Z") to seconds since the
// epoch (UTC); no zone is read as UTC. Empty on anything else.
std::optional<std::int64_t> parse_time(const std::string& s) {
    int y = 0, mo = 1, d = 1, h = 0, mi = 0, se = 0;
    if (s.size() < 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &mo, &d) != 3) return std::nullopt;
    std::size_t i = 10;
    std::int64_t offset = 0;
    if (i < s.size() && s[i] == 'T') {
        if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &h, &mi) != 2) return std::nullopt;
        i += 6;
        if (i < s.size() && s[i] == ':') {
            if (std::sscanf(s.c_str() + i + 1, "%2d", &se) != 1) return std::nullopt;
            i += 3;
        }
        if (i < s.size() && s[i] == '.')
            for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {}
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
            int oh = 0, om = 0;
            if (std::sscanf(s.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
            offset = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
        }
    }
    // days from civil (H. Hinnant)
    y -= mo <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = era * 146097 + static_cast<std::int64_t>(doe) - 719468;
    return days * 86400 + h * 3600 + mi * 60 + se - offset;
}

struct Reading {
    std::int64_t t = 0;
    std::string time_text;
    std::string ref;  // FHIR id
    double value = 0;
    std::optional<n2::Consciousness> acvpu;
    std::string shown;  // the value as the rationale shows it
};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

bool has_code(const json& concept_, const std::string& code) {
    if (!concept_.is_object() || !concept_.contains("coding") || !concept_["coding"].is_array()) return false;
    for (const auto& c : concept_["coding"])
        if (c.is_object() && c.value("code", "") == code) return true;
    return false;
}

std::optional<double> quantity(const json& q) {
    if (!q.is_object() || !q.contains("value") || !q["value"].is_number()) return std::nullopt;
    return q["value"].get<double>();
}

std::optional<n2::Consciousness> acvpu_of(const json& r) {
    std::string text;
    if (r.contains("valueCodeableConcept") && r["valueCodeableConcept"].is_object()) {
        const auto& v = r["valueCodeableConcept"];
        // SNOMED CT: alert 248234008, new confusion 130987000 (acute confusion), voice 300202002,
        // pain 450847001, unresponsive 422768004.
        if (has_code(v, "248234008")) return n2::Consciousness::alert;
        if (has_code(v, "130987000")) return n2::Consciousness::new_confusion;
        if (has_code(v, "300202002")) return n2::Consciousness::voice;
        if (has_code(v, "450847001")) return n2::Consciousness::pain;
        if (has_code(v, "422768004")) return n2::Consciousness::unresponsive;
        text = v.value("text", "");
        if (v.contains("coding") && v["coding"].is_array())
            for (const auto& c : v["coding"])
                if (c.is_object()) text += " " + c.value("display", "");
    } else if (r.contains("valueString") && r["valueString"].is_string()) {
        text = r["valueString"].get<std::string>();
    }
    text = lower(text);
    if (text.find("unrespons") != std::string::npos) return n2::Consciousness::unresponsive;
    if (text.find("pain") != std::string::npos) return n2::Consciousness::pain;
    if (text.find("voice") != std::string::npos || text.find("verbal") != std::string::npos) return n2::Consciousness::voice;
    if (text.find("confus") != std::string::npos) return n2::Consciousness::new_confusion;
    if (text.find("alert") != std::string::npos) return n2::Consciousness::alert;
    return std::nullopt;
}

// A Goal (or CarePlan goal) with an SpO2 target of 88-92 %: NEWS2 Scale 2.
bool documents_scale2_target(const json& r) {
    if (r.value("resourceType", "") != "Goal" || !r.contains("target") || !r["target"].is_array()) return false;
    const std::string status = r.value("lifecycleStatus", "active");
    if (status == "cancelled" || status == "entered-in-error" || status == "rejected" || status == "completed")
        return false;
    for (const auto& t : r["target"]) {
        if (!t.is_object() || !t.contains("measure")) continue;
        const auto& m = t["measure"];
        if (!has_code(m, "59408-5") && !has_code(m, "2708-6") && !has_code(m, "20564-1")) continue;
        if (!t.contains("detailRange") || !t["detailRange"].is_object()) continue;
        const auto lo = t["detailRange"].contains("low") ? quantity(t["detailRange"]["low"]) : std::nullopt;
        const auto hi = t["detailRange"].contains("high") ? quantity(t["detailRange"]["high"]) : std::nullopt;
        if (lo && hi && std::fabs(*lo - 88) < 0.5 && std::fabs(*hi - 92) < 0.5) return true;
    }
    return false;
}

class News2Plugin : public consilium::sdk::Plugin {
public:
    void run(consilium::sdk::Context& ctx) override {
        const json bundle = json::parse(ctx.context_json(), nullptr, false);
        if (!bundle.is_object()) throw std::runtime_error("the patient context is not a JSON object");
        // Adults only, not in pregnancy: declined here too, unless a clinician asked for the run anyway.
        const std::string override_reason = consilium::news2::clinicians_override(bundle);
        if (override_reason.empty()) {
            if (auto why = consilium::news2::why_not_applicable(bundle, consilium::news2::today_utc()); !why.empty()) {
                ctx.info("declined: " + why);
                ctx.emit_json(json{{"suggestions", json::array()}, {"declined", why}}.dump());
                return;
            }
        }
        std::map<n2::Parameter, std::vector<Reading>> readings;
        bool scale2 = false;
        if (bundle.contains("entry") && bundle["entry"].is_array())
            for (const auto& e : bundle["entry"]) {
                ctx.throw_if_cancelled();
                if (!e.is_object() || !e.contains("resource") || !e["resource"].is_object()) continue;
                const auto& r = e["resource"];
                if (documents_scale2_target(r)) scale2 = true;
                if (r.value("resourceType", "") == "Observation") collect(r, readings);
            }
        ctx.progress(0.5);

        // The newest vital sign anchors the 24-hour window.
        std::optional<std::int64_t> newest;
        for (const auto& [p, list] : readings)
            for (const auto& x : list) newest = newest ? std::max(*newest, x.t) : x.t;
        if (!newest) {
            ctx.info("not computable: no vital signs");
            consilium::sdk::Suggestion s("risk");
            code(s).summary("NEWS2 not computable: no vital signs recorded")
                .rationale("No observation of any NEWS2 parameter (respiratory rate, SpO2, supplemental oxygen, "
                           "systolic blood pressure, pulse, consciousness, temperature) is in the record, so no "
                           "score can be given.")
                .reference(kReference, kReferenceUrl);
            emit(ctx, {{s, false}});
            return;
        }

        n2::Inputs in;
        in.spo2_scale2 = scale2;
        std::map<n2::Parameter, Reading> used;
        std::map<n2::Parameter, Reading> stale;
        for (auto& [p, list] : readings) {
            const auto latest = *std::max_element(list.begin(), list.end(),
                                                  [](const Reading& a, const Reading& b) { return a.t < b.t; });
            if (latest.t < *newest - kWindowSeconds) {
                stale[p] = latest;
                continue;
            }
            used[p] = latest;
            switch (p) {
            case n2::Parameter::respiratory_rate: in.respiratory_rate = latest.value; break;
            case n2::Parameter::spo2: in.spo2 = latest.value; break;
            case n2::Parameter::oxygen: in.on_oxygen = latest.value > 0; break;
            case n2::Parameter::systolic_bp: in.systolic_bp = latest.value; break;
            case n2::Parameter::pulse: in.pulse = latest.value; break;
            case n2::Parameter::consciousness: in.consciousness = latest.acvpu; break;
            case n2::Parameter::temperature: in.temperature = latest.value; break;
            }
        }
        const auto result = n2::score(in);

        std::string why = "RCP NEWS2 (2017), SpO2 Scale " + std::string(scale2 ? "2 (an SpO2 target of 88-92 % is documented)"
                                                                                 : "1 (no SpO2 target of 88-92 % documented)") +
                          ". Latest value of each parameter within 24 h of the newest vital sign:";
        consilium::sdk::Suggestion risk("risk");
        for (std::size_t i = 0; i < n2::kParameterCount; ++i) {
            const auto p = static_cast<n2::Parameter>(i);
            why += "\n- " + n2::to_string(p) + ": ";
            if (auto it = used.find(p); it != used.end() && result.points[i]) {
                why += it->second.shown + " at " + it->second.time_text + " -> " + std::to_string(*result.points[i]) +
                       (*result.points[i] == 1 ? " point" : " points");
                if (!it->second.ref.empty()) risk.observation(it->second.ref);
            } else if (auto st = stale.find(p); st != stale.end()) {
                why += "not recorded within 24 h (last " + st->second.shown + " at " + st->second.time_text +
                       "); counted as 0";
            } else {
                why += "not recorded; counted as 0";
            }
        }
        const auto band = n2::determined_band(result);
        why += "\nTotal " + std::to_string(result.total) + ", band " +
               (band ? n2::to_string(*band) : std::string("undetermined")) + ".";
        if (!override_reason.empty())
            why += " Computed at a clinician's request outside NEWS2's intended use (" + override_reason +
                   "): the RCP chart and its clinical response were not made for this patient.";
        if (!result.complete)
            why += " The score is a lower bound: " + n2::missing_list(result) + " could add up to " +
                   std::to_string(result.upper_total - result.total) + " points" +
                   (band ? std::string(" without changing the band")
                         : " (up to " + std::to_string(result.upper_total) + ", " + n2::to_string(result.upper_band) +
                               "), so the band is undetermined and no response is suggested") +
                   "; record them for a complete score.";

        // "undetermined" rather than no band: the card and the worklist say so in words.
        code(risk)
            .score(result.total)
            .band(band ? n2::to_string(*band) : "undetermined")
            .summary(n2::summary(result))
            .rationale(why)
            .reference(kReference, kReferenceUrl);

        // A response only from a band (and, for low, a monitoring interval) the missing values cannot change.
        std::vector<std::pair<consilium::sdk::Suggestion, bool>> out{{risk, result.complete}};
        if (const auto response = n2::determined_response(result)) {
            consilium::sdk::Suggestion treatment("treatment");
            std::string tsum = "NEWS2 " + std::string(result.complete ? "" : "\u2265 ") + std::to_string(result.total) +
                               " (" + n2::to_string(result.band) + "): ";
            switch (result.band) {
            case n2::Band::high: tsum += "emergency assessment by a critical-care competent team"; break;
            case n2::Band::medium: tsum += "urgent assessment by a clinician competent in acute illness"; break;
            case n2::Band::low_medium: tsum += "urgent ward-based review by the medical team"; break;
            case n2::Band::low:
                tsum += result.total == 0 ? "routine monitoring, at least 12-hourly" : "nurse assessment, monitoring 4-6-hourly";
                break;
            }
            treatment.summary(tsum)
                .rationale("RCP 2017 clinical response to the NEWS2 score (chart 2): " + *response +
                           (result.complete ? std::string()
                                            : " The score is a lower bound (" + n2::missing_list(result) +
                                                  " not recorded); no value of theirs changes this response."))
                .reference(kReference, kReferenceUrl);
            for (const auto& [p, r] : used)
                if (!r.ref.empty()) treatment.observation(r.ref);
            out.emplace_back(treatment, result.complete);
        }
        ctx.progress(1.0);
        emit(ctx, out);
    }

private:
    // SNOMED CT 1104051000000101 "Royal College of Physicians National Early Warning Score 2 (NEWS2)
    // total score" is a concept of the UK extension (namespace 1000000), not the international edition.
    static consilium::sdk::Suggestion& code(consilium::sdk::Suggestion& s) {
        return s.code("http://snomed.info/sct", "1104051000000101",
                      "Royal College of Physicians National Early Warning Score 2 (NEWS2) total score");
    }

    // The SDK's builder has no `complete`; it is added here to each object.
    static void emit(consilium::sdk::Context& ctx,
                     const std::vector<std::pair<consilium::sdk::Suggestion, bool>>& items) {
        json out = {{"suggestions", json::array()}};
        for (const auto& [s, complete] : items) {
            json j = json::parse(s.to_json());
            j["complete"] = complete;
            out["suggestions"].push_back(std::move(j));
        }
        ctx.emit_json(out.dump());
    }

    static void collect(const json& r, std::map<n2::Parameter, std::vector<Reading>>& out) {
        const std::string status = r.value("status", "final");
        if (status == "entered-in-error" || status == "cancelled" || status == "registered") return;
        if (!r.contains("code")) return;
        Reading base;
        std::string when;
        if (r.contains("effectiveDateTime") && r["effectiveDateTime"].is_string())
            when = r["effectiveDateTime"].get<std::string>();
        else if (r.contains("effectivePeriod") && r["effectivePeriod"].is_object())
            when = r["effectivePeriod"].value("start", "");
        else if (r.contains("effectiveInstant") && r["effectiveInstant"].is_string())
            when = r["effectiveInstant"].get<std::string>();
        else if (r.contains("issued") && r["issued"].is_string())
            when = r["issued"].get<std::string>();
        const auto t = parse_time(when);
        if (!t) return;
        base.t = *t;
        base.time_text = when;
        base.ref = r.value("id", "");
        const auto& c = r["code"];
        auto add = [&](n2::Parameter p, std::optional<double> v, const std::string& unit) {
            if (!v) return;
            Reading x = base;
            x.value = *v;
            x.shown = number(*v) + unit;
            out[p].push_back(x);
        };
        const auto vq = r.contains("valueQuantity") ? quantity(r["valueQuantity"]) : std::nullopt;
        if (has_code(c, "9279-1")) add(n2::Parameter::respiratory_rate, vq, " /min");
        else if (has_code(c, "59408-5") || has_code(c, "2708-6")) add(n2::Parameter::spo2, vq, " %");
        else if (has_code(c, "8867-4")) add(n2::Parameter::pulse, vq, " /min");
        else if (has_code(c, "8310-5")) add(n2::Parameter::temperature, vq, " \u00b0C");
        else if (has_code(c, "8480-6")) add(n2::Parameter::systolic_bp, vq, " mmHg");
        else if (has_code(c, "3151-8")) add(n2::Parameter::oxygen, vq, " L/min");  // flow > 0: oxygen
        else if (has_code(c, "3150-0") && vq) {
            // Inhaled oxygen concentration: above room air (21 %, or 0.21 as a fraction) is oxygen.
            const double fio2 = *vq <= 1.0 ? *vq * 100 : *vq;
            Reading x = base;
            x.value = fio2 > 21.5 ? 1 : 0;
            x.shown = "FiO2 " + number(fio2) + " %";
            out[n2::Parameter::oxygen].push_back(x);
        } else if (has_code(c, "80288-4")) {
            if (auto a = acvpu_of(r)) {
                Reading x = base;
                x.acvpu = a;
                x.shown = n2::to_string(*a);
                out[n2::Parameter::consciousness].push_back(x);
            }
        }
        // Systolic pressure as a component of a blood-pressure panel (85354-9, 55284-4).
        if ((has_code(c, "85354-9") || has_code(c, "55284-4")) && r.contains("component") && r["component"].is_array())
            for (const auto& comp : r["component"])
                if (comp.is_object() && comp.contains("code") && has_code(comp["code"], "8480-6"))
                    add(n2::Parameter::systolic_bp, comp.contains("valueQuantity") ? quantity(comp["valueQuantity"])
                                                                                    : std::nullopt,
                        " mmHg");
        // Oxygen flow as a component, 0 for air ("3151-8" in an oxygen-therapy panel).
        if (r.contains("component") && r["component"].is_array() && !has_code(c, "3151-8"))
            for (const auto& comp : r["component"])
                if (comp.is_object() && comp.contains("code") && has_code(comp["code"], "3151-8"))
                    add(n2::Parameter::oxygen,
                        comp.contains("valueQuantity") ? quantity(comp["valueQuantity"]) : std::nullopt, " L/min");
    }
};

}  // namespace

CONSILIUM_PLUGIN(News2Plugin, "org.consilium.news2", "1.0.0", "RCP-NEWS2-2017");
