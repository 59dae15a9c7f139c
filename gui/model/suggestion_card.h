#pragma once
// What one AI suggestion card shows, in words and numbers the wx card only lays out: the kind,
// the coded concept, confidence or score and band, what is missing from a lower-bound score,
// the model that made it, the evidence (observations, references, regions and masks on the
// image) and, once decided, who decided, when and why. Also the order of the cards.
#include "consilium/decision/roles.h"
#include "consilium/decision/suggestion.h"
#include "consilium/decision/timeline.h"
#include "consilium/viewer/dicom_header.h"  // Vec3

#include "model/translate.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::gui {

struct Evidence {
    enum class Type { observation, roi, mask, reference, other };
    Type type = Type::other;
    std::string text;                     // what the card says about it
    std::string ref;                      // observation: the plugin's reference (FHIR id or event id)
    std::string url;                      // reference: a link, when given
    std::optional<viewer::Vec3> centre_lps;  // roi: centre, LPS mm
    std::optional<viewer::Vec3> size_mm;     // roi: extent along L, P, S, mm
    std::string file;                     // mask: path relative to the workspace, as stored by the host
};

// The suggestion's evidence array as stored by the host. Never throws: unreadable JSON or an
// unknown item type becomes an `other` item saying so.
std::vector<Evidence> parse_evidence(const std::string& evidence_json, const Translate& translate = {});

// The workspace file a mask evidence item names (the host stores it relative to the workspace);
// nullopt for an absolute name or one that climbs out of the workspace.
std::optional<std::filesystem::path> evidence_file(const std::filesystem::path& workspace, const std::string& file);

// An observation the plugin referred to, in words ("Respiratory rate 24 /min, 2026-05-01 10:00"),
// looked up among the patient's timeline events by FHIR id (source_ref "<Type>/<id>") or event id;
// "" when none matches.
std::string describe_observation(const std::string& ref, const std::vector<decision::TimelineEvent>& events);

// "SNOMED CT", "LOINC", "ICD-10" for the usual code system URIs; else the URI itself.
std::string code_system_name(const std::string& system_uri);

// The ordered reason list of the review dialog, and each code in the clinician's words.
const std::vector<decision::ReasonCode>& reason_codes(decision::ReviewStatus decision = decision::ReviewStatus::rejected);
std::string reason_label(decision::ReasonCode code, const Translate& translate = {});  // "clinically incorrect"

// Colour of a risk band (NEWS2: low, low-medium, medium, high), as RGB; grey when unknown.
std::array<unsigned char, 3> band_colour(const std::optional<std::string>& band);

// The inputs a lower-bound score was computed without, as the plugin named them in its
// rationale ("- SpO2: not recorded ...") or summary ("...; SpO2, temperature not recorded").
// Empty when the suggestion is complete or names none.
std::vector<std::string> missing_inputs(const decision::Suggestion& suggestion);

// A link as a card shows it in a narrow column: no scheme or "www.", and when still longer than
// `max_chars`, the host and the last part of the path ("rcp.ac.uk/…/news-2"). The card's tooltip
// and the browser get the whole URL.
std::string short_url(const std::string& url, std::size_t max_chars = 48);

// "2026-05-01T10:22:33Z" -> "2026-05-01 10:22 UTC"; other text unchanged.
std::string readable_time(const std::string& iso_utc);

struct SuggestionCard {
    std::int64_t id = 0;
    bool proposed = true;
    std::string status;          // "Proposed", "Accepted", "Modified", "Rejected"
    std::string kind;            // "Finding", "Diagnosis", "Treatment", "Risk score"
    std::string concept_display;
    std::string concept_code;    // "SNOMED CT 786838002"; "" when uncoded
    std::optional<double> confidence;  // 0..1
    std::string confidence_text;       // "83 %"
    bool risk = false;
    std::string score_text;      // "5", or "≥ 5" for a lower bound; "" without a score
    std::string band;
    std::array<unsigned char, 3> band_rgb{};
    bool complete = true;
    std::string missing_text;    // "Lower bound: SpO2, temperature not recorded"
    std::string summary;
    std::string rationale;
    std::string model_text;      // "NEWS2 early warning score 1.0.0, model RCP-NEWS2-2017"
    std::vector<Evidence> evidence;
    bool shows_on_image = false; // has ROI or mask evidence
    // Made by a run a clinician asked for although the patient is outside the model's intended use:
    // the card says so in red (English here, translated by the view); "" for an ordinary suggestion.
    std::string outside_intended_use;
    // After a decision.
    std::string decision_text;   // "Rejected by radiologist, 2026-05-01 10:22 UTC"
    std::string reason_text;     // "Reason: clinically incorrect - seen on prior CT"
    std::string held_instead;    // "Held instead: Atelectasis (SNOMED CT 46621007)"
    std::string note;
    // A modified card leads with the clinician's conclusion (the concept held instead, else their
    // words); the AI's proposal follows beneath it (`concept_display`, `concept_code`).
    std::string conclusion;
    std::string why_cannot_decide;  // "" when this user may decide it now
    // The standing decision on the same finding proposed earlier (a new model version proposes it
    // again): shown beside it, "radiologist modified this on D". Empty status: none.
    std::string earlier_status;  // "accepted", "modified", "rejected" (translated by the view)
    std::string earlier_by;
    std::string earlier_at;      // readable time
    std::string earlier_held;    // what it was modified into, "" when nothing
    std::int64_t earlier_suggestion = 0;
};

// Whether `user` may withdraw the decision on `s` at `now_utc` (its author, the same day).
bool can_withdraw(const decision::Suggestion& s, const std::string& user, const std::string& now_utc);

// `plugin_name`: the manifest's name when the plugin is still installed, else "" (the id is shown).
// `translate`: the composed lines (decision, reason, evidence, lower bound) in the reader's
// language; `status`, `kind`, `band`, `outside_intended_use` and `earlier_status` stay English
// (the view translates them).
SuggestionCard make_card(const decision::Suggestion& suggestion, decision::Role role, const std::string& plugin_name = "",
                         const Translate& translate = {});

// Proposed suggestions first (the newest run first, each run's in the plugin's order), then
// decided ones (most recently decided first).
std::vector<decision::Suggestion> card_order(std::vector<decision::Suggestion> suggestions);

}  // namespace consilium::gui
