// Output validation: nothing a plugin returns reaches a clinician unless it has the shape of
// PLUGINS.md - kinds from the manifest, confidence 0..1, bounded texts, ROIs inside the volume.
#include "consilium/text/json_text.h"
#include "output_validation.h"

#include "bounded_json.h"

#include "consilium/text/utf8.h"

#include "consilium/plugins/run.h"

#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <string_view>

namespace consilium::plugins {
namespace {

using nlohmann::json;
using namespace consilium::decision;
namespace fs = std::filesystem;

constexpr std::size_t kSummaryMax = 140;
constexpr std::size_t kRationaleMax = 4000;
constexpr std::size_t kDeclinedMax = 1000;

std::size_t utf8_length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xc0) != 0x80) ++n;
    return n;
}

bool is_string_or_absent(const json& o, const char* key) { return !o.contains(key) || o[key].is_string(); }

// The schema of PLUGINS.md is closed: a key it does not name is a mistake (or a channel for data
// nobody checks) and makes the output invalid. "" when every key is known, else why not.
std::string unknown_key(const json& o, std::initializer_list<std::string_view> known, const char* where) {
    for (auto it = o.begin(); it != o.end(); ++it) {
        bool listed = false;
        for (auto k : known) listed = listed || it.key() == k;
        if (listed) continue;
        std::string name = text::valid_utf8(it.key().substr(0, 64));
        std::string names;
        for (auto k : known) names += (names.empty() ? "" : ", ") + std::string(k);
        return std::string(where) + " has an unknown key '" + name + "' (known: " + names + ")";
    }
    return {};
}

bool number_triple(const json& v) {
    if (!v.is_array() || v.size() != 3) return false;
    for (const auto& x : v)
        if (!x.is_number() || !std::isfinite(x.get<double>())) return false;
    return true;
}

std::string validate_evidence(const json& e, const std::optional<VolumeInput>& volume) {
    if (!e.is_object() || !e.contains("type") || !e["type"].is_string()) return "an evidence item without a string \"type\"";
    const auto type = e["type"].get<std::string>();
    if (type == "observation") {
        if (auto why = unknown_key(e, {"type", "ref"}, "observation evidence"); !why.empty()) return why;
        if (!e.contains("ref") || !e["ref"].is_string() || e["ref"].get<std::string>().empty())
            return "observation evidence without a \"ref\" string";
    } else if (type == "roi") {
        if (auto why = unknown_key(e, {"type", "center_lps", "size_mm"}, "roi evidence"); !why.empty()) return why;
        if (!e.contains("center_lps") || !number_triple(e["center_lps"])) return "roi evidence: center_lps must be 3 numbers";
        if (!e.contains("size_mm") || !number_triple(e["size_mm"])) return "roi evidence: size_mm must be 3 numbers";
        for (const auto& x : e["size_mm"])
            if (x.get<double>() < 0) return "roi evidence: size_mm must not be negative";
        if (volume) {
            const auto& v = *volume;
            double d[3];
            for (int k = 0; k < 3; ++k) d[k] = e["center_lps"][static_cast<std::size_t>(k)].get<double>() - v.origin_lps[static_cast<std::size_t>(k)];
            for (int axis = 0; axis < 3; ++axis) {
                // The axis is column `axis` of the row-major direction; its inverse is the transpose.
                double along = 0;
                for (int r = 0; r < 3; ++r) along += v.direction[static_cast<std::size_t>(r * 3 + axis)] * d[r];
                const double idx = along / v.spacing_mm[static_cast<std::size_t>(axis)];
                if (idx < -0.5 || idx > v.dims[static_cast<std::size_t>(axis)] - 0.5)
                    return "roi evidence: center_lps " + text::json_text(e["center_lps"]) + " lies outside the volume";
            }
        }
    } else if (type == "mask") {
        if (auto why = unknown_key(e, {"type", "file"}, "mask evidence"); !why.empty()) return why;
        if (!e.contains("file") || !e["file"].is_string()) return "mask evidence without a \"file\" string";
        fs::path f = e["file"].get<std::string>();
        if (f.empty() || f.is_absolute()) return "mask evidence: file must be relative to the work folder";
        for (const auto& part : f)
            if (part == "..") return "mask evidence: file must stay inside the work folder";
    } else if (type == "reference") {
        if (auto why = unknown_key(e, {"type", "text", "url"}, "reference evidence"); !why.empty()) return why;
        if (!e.contains("text") || !e["text"].is_string() || e["text"].get<std::string>().empty())
            return "reference evidence without a \"text\" string";
        if (!is_string_or_absent(e, "url")) return "reference evidence: url must be a string";
    } else {
        return "unknown evidence type '" + text::valid_utf8(type.substr(0, 64)) + "'";
    }
    return {};
}

std::string validate_one(const json& s, const std::vector<std::string>& kinds, const std::optional<VolumeInput>& volume) {
    if (!s.is_object()) return "a suggestion is not a JSON object";
    if (!s.contains("kind") || !s["kind"].is_string()) return "a suggestion without a string \"kind\"";
    const auto kind = s["kind"].get<std::string>();
    if (!suggestion_kind_from_string(kind)) return "unknown kind '" + text::valid_utf8(kind.substr(0, 64)) + "'";
    if (auto why = unknown_key(s, {"kind", "code", "confidence", "score", "band", "complete", "summary", "rationale", "evidence"},
                               "the suggestion");
        !why.empty())
        return why;
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
        return "kind '" + kind + "' is not among the manifest's outputs";
    if (s.contains("code")) {
        const auto& c = s["code"];
        if (!c.is_object() || !is_string_or_absent(c, "system") || !is_string_or_absent(c, "code") ||
            !is_string_or_absent(c, "display"))
            return "code must be an object of strings (system, code, display)";
        if (auto why = unknown_key(c, {"system", "code", "display"}, "code"); !why.empty()) return why;
    }
    if (s.contains("confidence") && !s["confidence"].is_null()) {
        if (!s["confidence"].is_number()) return "confidence must be a number in 0..1 or null";
        const double c = s["confidence"].get<double>();
        if (!(c >= 0 && c <= 1)) return "confidence " + text::json_text(s["confidence"]) + " is outside 0..1";
    }
    if (s.contains("score") && !s["score"].is_null() && !(s["score"].is_number() && std::isfinite(s["score"].get<double>())))
        return "score must be a number or null";
    if (s.contains("band") && !s["band"].is_null() && !s["band"].is_string()) return "band must be a string or null";
    if (s.contains("complete") && !s["complete"].is_boolean()) return "complete must be true or false";
    if (!s.contains("summary") || !s["summary"].is_string() || s["summary"].get<std::string>().empty())
        return "a suggestion without a summary";
    if (utf8_length(s["summary"].get<std::string>()) > kSummaryMax)
        return "summary longer than " + std::to_string(kSummaryMax) + " characters";
    if (s.contains("rationale")) {
        if (!s["rationale"].is_string()) return "rationale must be a string";
        if (utf8_length(s["rationale"].get<std::string>()) > kRationaleMax)
            return "rationale longer than " + std::to_string(kRationaleMax) + " characters";
    }
    if (s.contains("evidence")) {
        if (!s["evidence"].is_array()) return "evidence must be an array";
        for (const auto& e : s["evidence"])
            if (auto why = validate_evidence(e, volume); !why.empty()) return why;
    }
    return {};
}

}  // namespace

json merge_output(const std::string& raw) {
    json all = json::array();
    json declined = json::object();  // and then the suggestions
    std::size_t pos = 0;
    int texts = 0;
    while (pos < raw.size()) {
        if (raw[pos] != '\x1e') throw BadOutput("the output is not what the worker writes");
        auto next = raw.find('\x1e', pos + 1);
        auto text = raw.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
        pos = next == std::string::npos ? raw.size() : next;
        ++texts;
        auto parsed = detail::parse_bounded(text);
        if (!parsed.error.empty()) throw BadOutput("the output is " + parsed.error);
        json& j = parsed.value;
        if (!j.is_object() || !j.contains("suggestions") || !j["suggestions"].is_array())
            throw BadOutput("the output is not a JSON object with a \"suggestions\" array");
        for (auto& s : j["suggestions"]) all.push_back(std::move(s));
        if (j.contains("declined")) {
            if (declined.contains("declined")) throw BadOutput("the output declines the patient twice");
            declined["declined"] = j["declined"];
        }
    }
    declined["suggestions"] = std::move(all);
    return declined;
}

std::string validate_output(const std::string& json_text, const std::vector<std::string>& allowed_kinds,
                            const std::optional<VolumeInput>& volume) {
    auto parsed = detail::parse_bounded(json_text);
    if (!parsed.error.empty()) return "the output is " + parsed.error;
    return validate_output_value(parsed.value, allowed_kinds, volume);
}

std::string validate_output_value(const json& j, const std::vector<std::string>& allowed_kinds,
                                  const std::optional<VolumeInput>& volume) {
    if (!j.is_object() || !j.contains("suggestions") || !j["suggestions"].is_array())
        return "the output is not a JSON object with a \"suggestions\" array";
    if (j.contains("declined")) {
        const auto& d = j["declined"];
        if (!d.is_string() || d.get<std::string>().empty()) return "declined must be a non-empty string saying why";
        if (utf8_length(d.get<std::string>()) > kDeclinedMax)
            return "declined longer than " + std::to_string(kDeclinedMax) + " characters";
        if (!j["suggestions"].empty()) return "the output declines the patient but holds suggestions";
    }
    if (auto why = unknown_key(j, {"suggestions", "declined"}, "the output"); !why.empty()) return why;
    std::size_t i = 0;
    for (const auto& s : j["suggestions"]) {
        if (auto why = validate_one(s, allowed_kinds, volume); !why.empty())
            return "suggestion " + std::to_string(i) + ": " + why;
        ++i;
    }
    return {};
}

}  // namespace consilium::plugins
