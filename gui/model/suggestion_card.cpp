#include "model/suggestion_card.h"

#include "consilium/decision/review.h"

#include "model/review_form.h"
#include "model/translate.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>

// Marks a string for the translators (scripts/update-translations); the view translates it.
#ifndef N_
#define N_(text) text
#endif

namespace consilium::gui {

namespace {

using nlohmann::json;

std::string trim(std::string s) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

std::string number(double v, int decimals = 1) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// A score as the clinician reads it: 5, not 5.0; 2.5 stays 2.5.
std::string score_number(double v) {
    if (std::abs(v - std::round(v)) < 1e-9) return number(v, 0);
    return number(v, 1);
}

std::optional<viewer::Vec3> triple(const json& item, const char* key) {
    if (!item.contains(key) || !item[key].is_array() || item[key].size() != 3) return std::nullopt;
    viewer::Vec3 v{};
    for (std::size_t i = 0; i < 3; ++i) {
        if (!item[key][i].is_number()) return std::nullopt;
        v[i] = item[key][i].get<double>();
    }
    return v;
}

std::string text_of(const json& item, const char* key) {
    return item.contains(key) && item[key].is_string() ? item[key].get<std::string>() : std::string();
}

std::string capitalised(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

std::string kind_label(decision::SuggestionKind kind) {
    switch (kind) {
        case decision::SuggestionKind::finding: return N_("Finding");
        case decision::SuggestionKind::diagnosis: return N_("Diagnosis");
        case decision::SuggestionKind::treatment: return N_("Treatment");
        case decision::SuggestionKind::risk: return N_("Risk score");
    }
    return N_("Suggestion");
}

std::string coded(const decision::Coding& c) {
    std::string code = c.system.empty() ? std::string() : code_system_name(c.system);
    if (!c.code.empty()) code += (code.empty() ? "" : " ") + c.code;
    return code;
}

}  // namespace

std::vector<Evidence> parse_evidence(const std::string& evidence_json, const Translate& t) {
    std::vector<Evidence> out;
    const json all = json::parse(evidence_json, nullptr, false);
    if (!all.is_array()) {
        if (!trim(evidence_json).empty()) out.push_back({Evidence::Type::other, tr(t, N_("evidence could not be read")), {}, {}, {}, {}, {}});
        return out;
    }
    for (const auto& item : all) {
        Evidence e;
        const std::string type = item.is_object() ? text_of(item, "type") : std::string();
        if (type == "observation") {
            e.type = Evidence::Type::observation;
            e.ref = item.contains("ref") && item["ref"].is_number_integer() ? std::to_string(item["ref"].get<std::int64_t>())
                                                                              : text_of(item, "ref");
            e.text = fill(tr(t, N_("Observation %s")), {e.ref});
        } else if (type == "roi") {
            e.type = Evidence::Type::roi;
            e.centre_lps = triple(item, "center_lps");
            e.size_mm = triple(item, "size_mm");
            if (!e.centre_lps) {
                e.type = Evidence::Type::other;
                e.text = tr(t, N_("region without a position"));
            } else {
                const auto& c = *e.centre_lps;
                if (e.size_mm) {
                    const auto& s = *e.size_mm;
                    e.text = fill(tr(t, N_("Region %s × %s × %s mm at LPS (%s, %s, %s) mm")),
                                  {number(s[0]), number(s[1]), number(s[2]), number(c[0]), number(c[1]), number(c[2])});
                } else {
                    e.text = fill(tr(t, N_("Region at LPS (%s, %s, %s) mm")), {number(c[0]), number(c[1]), number(c[2])});
                }
            }
        } else if (type == "mask") {
            e.type = Evidence::Type::mask;
            e.file = text_of(item, "file");
            e.text = fill(tr(t, N_("Outline (label mask) %s")), {e.file});
        } else if (type == "reference") {
            e.type = Evidence::Type::reference;
            e.text = text_of(item, "text");
            e.url = text_of(item, "url");
            if (e.text.empty()) e.text = e.url;
        } else {
            e.type = Evidence::Type::other;
            e.text = type.empty() ? tr(t, N_("evidence item without a type")) : fill(tr(t, N_("evidence of type \"%s\"")), {type});
        }
        out.push_back(std::move(e));
    }
    return out;
}

std::optional<std::filesystem::path> evidence_file(const std::filesystem::path& workspace, const std::string& file) {
    const std::filesystem::path relative(file);
    if (file.empty() || relative.is_absolute() || relative.has_root_name()) return std::nullopt;
    for (const auto& part : relative)
        if (part == "..") return std::nullopt;
    return workspace / relative;
}

std::string describe_observation(const std::string& ref, const std::vector<decision::TimelineEvent>& events) {
    if (ref.empty()) return "";
    for (const auto& e : events) {
        bool match = std::to_string(e.id) == ref;
        if (!match && e.source_ref) {
            const auto& s = *e.source_ref;
            match = s == ref || (s.size() > ref.size() && s.compare(s.size() - ref.size(), ref.size(), ref) == 0 &&
                                 s[s.size() - ref.size() - 1] == '/');
        }
        if (!match) continue;
        std::string text = e.code.display.empty() ? e.code.code : e.code.display;
        std::string unit = e.unit.value_or("");
        if (e.value_num) text += " " + score_number(*e.value_num);
        else if (e.value_text) text += " " + *e.value_text;
        else {  // a panel, e.g. blood pressure 120/80 mmHg
            std::string values;
            for (const auto& c : e.components) {
                if (!c.value_num) continue;
                values += (values.empty() ? "" : "/") + score_number(*c.value_num);
                if (unit.empty()) unit = c.unit.value_or("");
            }
            if (!values.empty()) text += " " + values;
        }
        if (!unit.empty()) text += " " + unit;
        if (e.start) text += ", " + readable_time(*e.start);
        return text;
    }
    return "";
}

std::string code_system_name(const std::string& system) {
    if (system == "http://snomed.info/sct") return "SNOMED CT";  // untranslated: the name of a code system
    if (system == "http://loinc.org") return "LOINC";
    if (system == "http://hl7.org/fhir/sid/icd-10" || system == "http://hl7.org/fhir/sid/icd-10-cm") return "ICD-10";
    if (system == "http://www.radlex.org") return "RadLex";  // untranslated: the name of a code system
    if (system == "http://www.nlm.nih.gov/research/umls/rxnorm") return "RxNorm";  // untranslated: the name of a code system
    if (system == "http://www.whocc.no/atc") return "ATC";
    return system;
}

const std::vector<decision::ReasonCode>& reason_codes(decision::ReviewStatus decision) {
    using R = decision::ReasonCode;
    static const std::vector<R> reject{R::clinically_incorrect, R::not_applicable, R::insufficient_evidence,
                                       R::already_known, R::other};
    static const std::vector<R> modify{R::size_corrected, R::location_corrected, R::different_finding, R::other};
    return decision == decision::ReviewStatus::modified ? modify : reject;
}

std::string reason_label(decision::ReasonCode code, const Translate& t) {
    switch (code) {
        case decision::ReasonCode::clinically_incorrect: return tr(t, N_("clinically incorrect"));
        case decision::ReasonCode::not_applicable: return tr(t, N_("not applicable to this patient"));
        case decision::ReasonCode::insufficient_evidence: return tr(t, N_("insufficient evidence"));
        case decision::ReasonCode::already_known: return tr(t, N_("already known"));
        case decision::ReasonCode::other: return tr(t, N_("other"));
        case decision::ReasonCode::size_corrected: return tr(t, N_("size or extent corrected"));
        case decision::ReasonCode::location_corrected: return tr(t, N_("location corrected"));
        case decision::ReasonCode::different_finding: return tr(t, N_("a different finding"));
    }
    return tr(t, N_("other"));
}

std::array<unsigned char, 3> band_colour(const std::optional<std::string>& band) {
    std::string b = band.value_or("");
    std::transform(b.begin(), b.end(), b.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (b == "high") return {200, 40, 40};
    if (b == "medium") return {230, 120, 20};
    if (b == "low-medium" || b == "low_medium") return {215, 175, 0};
    if (b == "low") return {60, 150, 70};
    return {120, 120, 120};
}

std::vector<std::string> missing_inputs(const decision::Suggestion& s) {
    std::vector<std::string> out;
    if (s.complete) return out;
    // "- SpO2: not recorded; counted as 0" lines of the rationale.
    std::size_t start = 0;
    while (start <= s.rationale.size()) {
        auto end = s.rationale.find('\n', start);
        if (end == std::string::npos) end = s.rationale.size();
        const std::string line = trim(s.rationale.substr(start, end - start));
        if (line.rfind("- ", 0) == 0) {
            const auto colon = line.find(':');
            static const std::string not_recorded = ": not recorded";  // untranslated: read from the plugin's rationale, not shown
            if (colon != std::string::npos && line.compare(colon, not_recorded.size(), not_recorded) == 0)
                out.push_back(trim(line.substr(2, colon - 2)));
        }
        start = end + 1;
    }
    if (!out.empty()) return out;
    // "...; SpO2, temperature not recorded" in the summary.
    const std::string tail = " not recorded";  // untranslated: read from the plugin's summary, not shown
    const auto at = s.summary.rfind(tail);
    if (at != std::string::npos && at + tail.size() == s.summary.size()) {
        const auto semi = s.summary.rfind(';', at);
        const auto from = semi == std::string::npos ? 0 : semi + 1;
        std::string list = s.summary.substr(from, at - from);
        std::size_t p = 0;
        while (p <= list.size()) {
            auto comma = list.find(',', p);
            if (comma == std::string::npos) comma = list.size();
            auto name = trim(list.substr(p, comma - p));
            if (name.rfind("and ", 0) == 0) name = trim(name.substr(4));
            if (!name.empty()) out.push_back(name);
            p = comma + 1;
        }
    }
    return out;
}

std::string short_url(const std::string& url, std::size_t max_chars) {
    std::string s = url;
    for (const char* prefix : {"https://", "http://"})
        if (s.rfind(prefix, 0) == 0) s = s.substr(std::strlen(prefix));
    if (s.rfind("www.", 0) == 0) s = s.substr(4);
    while (!s.empty() && s.back() == '/') s.pop_back();
    if (s.size() <= max_chars) return s;
    const auto slash = s.find('/');
    const auto last = s.rfind('/');
    if (slash != std::string::npos && last != slash) {
        std::string shorter = s.substr(0, slash) + "/…" + s.substr(last);
        if (shorter.size() <= max_chars + 2) return shorter;  // "…" is 3 bytes, 1 character
    }
    return s.substr(0, max_chars - 1) + "…";
}

std::string readable_time(const std::string& t) {
    // YYYY-MM-DDTHH:MM[:SS[.fff]](Z|+hh:mm)
    if (t.size() >= 16 && t[10] == 'T') {
        std::string out = t.substr(0, 10) + " " + t.substr(11, 5);
        if (t.back() == 'Z') out += " UTC";
        return out;
    }
    return t;
}

SuggestionCard make_card(const decision::Suggestion& s, decision::Role role, const std::string& plugin_name, const Translate& t) {
    SuggestionCard c;
    c.id = s.id;
    c.proposed = s.status == decision::ReviewStatus::proposed;
    c.status = capitalised(std::string(decision::to_string(s.status)));
    // The words for the status, listed for the translators (the card's view translates c.status).
    static constexpr const char* kStatusWords[] = {N_("Proposed"), N_("Accepted"), N_("Modified"), N_("Rejected")};
    (void)kStatusWords;
    c.kind = kind_label(s.kind);
    c.concept_display = s.coding.display.empty() ? s.coding.code : s.coding.display;
    c.concept_code = coded(s.coding);
    if (s.confidence) {
        c.confidence = std::clamp(*s.confidence, 0.0, 1.0);
        c.confidence_text = number(*c.confidence * 100, 0) + " %";
    }
    c.risk = s.kind == decision::SuggestionKind::risk || s.score.has_value();
    c.complete = s.complete;
    if (s.score) c.score_text = (s.complete ? "" : "\u2265 ") + score_number(*s.score);
    c.band = s.band.value_or("");
    c.band_rgb = band_colour(s.band);
    if (!s.complete) {
        const auto missing = missing_inputs(s);
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        c.missing_text = missing.empty() ? tr(t, N_("Lower bound: computed from only some of its inputs"))
                                         : fill(tr(t, N_("Lower bound: %s not recorded")), {list});
    }
    c.summary = s.summary;
    c.rationale = s.rationale;
    c.model_text = (plugin_name.empty() ? s.plugin_id : plugin_name) + " " + s.plugin_version;
    if (s.model_version) c.model_text = fill(tr(t, N_("%s, model %s")), {c.model_text, *s.model_version});
    c.evidence = parse_evidence(s.evidence_json, t);
    c.shows_on_image = std::any_of(c.evidence.begin(), c.evidence.end(), [](const Evidence& e) {
        return e.type == Evidence::Type::roi || (e.type == Evidence::Type::mask && !e.file.empty());
    });
    if (!c.proposed) {
        c.decision_text = fill(tr(t, N_("%s by %s")), {tr(t, c.status), s.reviewed_by.value_or("?")});
        if (s.reviewed_at) c.decision_text += ", " + readable_time(*s.reviewed_at);
        std::string why = s.reason_code ? reason_label(*s.reason_code, t) : std::string();
        if (s.reason_text && !trim(*s.reason_text).empty()) why += (why.empty() ? "" : " - ") + trim(*s.reason_text);
        if (!why.empty()) c.reason_text = fill(tr(t, N_("Reason: %s")), {why});
        if (s.modified_concept) {
            const auto& m = *s.modified_concept;
            c.held_instead = fill(tr(t, N_("Held instead: %s")), {m.display.empty() ? m.code : m.display});
            if (const auto code = coded(m); !code.empty() && !m.display.empty()) c.held_instead += " (" + code + ")";
        }
        if (s.note && !trim(*s.note).empty()) c.note = fill(tr(t, N_("Note: %s")), {trim(*s.note)});
        if (s.status == decision::ReviewStatus::modified) {
            if (s.modified_concept && !s.modified_concept->display.empty()) c.conclusion = s.modified_concept->display;
            else if (s.reason_text && !trim(*s.reason_text).empty()) c.conclusion = trim(*s.reason_text);
        }
    }
    if (s.earlier_decision) {
        const auto& e = *s.earlier_decision;
        // The view translates the decision's word: these are the catalogue's entries for it.
        static constexpr const char* kWords[] = {N_("proposed"), N_("accepted"), N_("modified"), N_("rejected")};
        c.earlier_status = kWords[static_cast<std::size_t>(e.status)];
        c.earlier_by = e.by;
        c.earlier_at = readable_time(e.at);
        if (e.modified_concept) c.earlier_held = e.modified_concept->display.empty() ? e.modified_concept->code : e.modified_concept->display;
        c.earlier_suggestion = e.suggestion_id;
    }
    if (s.outside_intended_use) c.outside_intended_use = N_("Outside the model's intended use: run at a clinician's request");
    c.why_cannot_decide = why_cannot_decide(role, s, t);
    return c;
}

bool can_withdraw(const decision::Suggestion& s, const std::string& user, const std::string& now_utc) {
    return s.status != decision::ReviewStatus::proposed && s.reviewed_by && s.reviewed_at &&
           decision::may_withdraw(*s.reviewed_by, *s.reviewed_at, user, now_utc);
}

std::vector<decision::Suggestion> card_order(std::vector<decision::Suggestion> all) {
    std::stable_sort(all.begin(), all.end(), [](const decision::Suggestion& a, const decision::Suggestion& b) {
        const bool pa = a.status == decision::ReviewStatus::proposed, pb = b.status == decision::ReviewStatus::proposed;
        if (pa != pb) return pa;
        if (pa) {  // the newest run first; within a run, the plugin's own order
            if (a.run_id != b.run_id) return a.run_id > b.run_id;
            return a.id < b.id;
        }
        const auto ra = a.reviewed_at.value_or(""), rb = b.reviewed_at.value_or("");
        if (ra != rb) return ra > rb;
        return a.id > b.id;
    });
    return all;
}

}  // namespace consilium::gui
