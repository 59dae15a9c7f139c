// `suggestions PATIENT [--status S]`: a patient's AI suggestions with provenance and review state.
#include "consilium/text/json_text.h"
#include "commands.h"
#include "suggestion_json.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/patient_lookup.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

namespace consilium::cli {
namespace {

using namespace consilium::decision;
using nlohmann::json;

json nullable(const std::optional<std::string>& v) { return v ? json(*v) : json(); }
json nullable(const std::optional<double>& v) { return v ? json(*v) : json(); }

json coding_json(const Coding& c) { return {{"system", c.system}, {"code", c.code}, {"display", c.display}}; }

// The reason as a clinician gave it: the text, else the code's word.
json reason_json(const Suggestion& s) {
    if (s.reason_text) return *s.reason_text;
    if (s.reason_code) return std::string(to_string(*s.reason_code));
    return nullptr;
}

}  // namespace

json earlier_decision_json(const EarlierDecision& e) {
    return {{"suggestion_id", e.suggestion_id},
            {"status", to_string(e.status)},
            {"by", e.by},
            {"at", e.at},
            {"summary", e.summary},
            {"modified_code", e.modified_concept ? coding_json(*e.modified_concept) : json()}};
}

json suggestion_json(const Suggestion& s) {
    // Evidence was validated as a JSON array by the plugin host; an unparsable value is shown as
    // text rather than hidden, so nothing a clinician might need disappears.
    json evidence = json::parse(s.evidence_json, nullptr, false);
    if (evidence.is_discarded()) evidence = s.evidence_json;
    json out{{"id", s.id},
             {"run_id", s.run_id},
             {"patient_id", s.patient_id},
             {"kind", to_string(s.kind)},
             {"code", coding_json(s.coding)},
             {"confidence", nullable(s.confidence)},
             {"score", nullable(s.score)},
             {"band", nullable(s.band)},
             {"summary", s.summary},
             {"rationale", s.rationale},
             {"evidence", evidence},
             {"plugin", {{"id", s.plugin_id}, {"version", s.plugin_version}}},
             {"model_version", nullable(s.model_version)},
             {"inputs_hash", nullable(s.inputs_hash)},
             {"created_at", s.created_at},
             {"status", to_string(s.status)},
             {"reviewed_by", nullable(s.reviewed_by)},
             {"reviewed_at", nullable(s.reviewed_at)},
             {"reason", reason_json(s)},
             {"reason_code", s.reason_code ? json(to_string(*s.reason_code)) : json()},
             {"modified_code", s.modified_concept ? coding_json(*s.modified_concept) : json()},
             {"note", nullable(s.note)},
             {"complete", s.complete},
             // Made by a run a clinician asked for although the patient is outside the model's intended use.
             {"outside_intended_use", s.outside_intended_use},
             // The earlier suggestion this one proposes again (a new model version) and its standing decision.
             {"earlier_suggestion_id", s.earlier_suggestion_id ? json(*s.earlier_suggestion_id) : json()},
             {"earlier_decision", s.earlier_decision ? earlier_decision_json(*s.earlier_decision) : json()}};
    return out;
}

int cmd_suggestions(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--status"});
    const auto& who = args.at(0, "the patient (id or MRN): suggestions PATIENT [--status S]");
    if (args.positional.size() > 1) throw UsageError("suggestions takes one patient");
    std::optional<ReviewStatus> status;
    if (auto s = args.value("--status")) {
        status = review_status_from_string(*s);
        if (!status) throw UsageError("--status '" + *s + "' is not proposed, accepted, modified or rejected");
    }
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::read_patients);
    auto patient = find_patient(ws.store(), who);
    auto tx = ws.store().begin();
    auto list = ws.store().suggestions().list_for_patient(patient.id, status);
    json details{{"count", list.size()}, {"status", status ? json(to_string(*status)) : json()}};
    ws.store().audit().append(
        audit_record(session, "suggestion.list", "patient", std::to_string(patient.id), text::json_text(details)));
    tx->commit();
    if (ctx.json) {
        auto out = json::array();
        for (const auto& s : list) out.push_back(suggestion_json(s));
        ctx.print_json(out);
        return 0;
    }
    std::cout << patient.name << "  (id " << patient.id << ", MRN " << patient.mrn << ")\n";
    for (const auto& s : list) {
        std::cout << std::left << std::setw(6) << s.id << std::setw(10) << to_string(s.kind) << std::setw(10)
                  << to_string(s.status) << s.summary << "  [" << s.plugin_id << ' ' << s.plugin_version << "]";
        if (s.reviewed_by) std::cout << "  by " << *s.reviewed_by;
        std::cout << '\n';
    }
    return 0;
}

}  // namespace consilium::cli
