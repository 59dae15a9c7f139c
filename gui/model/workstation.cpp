#include "model/workstation.h"
#include "model/suggestion_card.h"
#include "model/translate.h"

#include "import_sources.h"  // cli/: the repair of DICOM text stored by earlier versions

#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/patient_lookup.h"
#include "consilium/decision/plugin_state.h"
#include "consilium/decision/record_access.h"
#include "consilium/plugins/stale_runs.h"
#include "consilium/decision/review.h"
#include "consilium/plugins/intended_use.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace consilium::gui {

std::string SeriesEntry::label() const {
    std::string text = study.date.value_or("");
    if (series.modality) text += (text.empty() ? "" : " ") + *series.modality;
    const std::string what = series.description.value_or(study.description.value_or(""));
    if (!what.empty()) text += " " + what;
    text += " (" + std::to_string(series.instances) + (series.instances == 1 ? " image)" : " images)");
    return text;
}

Workstation::Workstation(const std::filesystem::path& workspace) : workspace_(decision::Workspace::open(workspace)) {
    // Before anyone sees a name: text an earlier version stored undecoded is decoded again.
    repair_note_ = cli::repair_workspace(workspace_);
    // Runs a killed workstation or CLI left `running`: marked abandoned, their work folders removed.
    plugins::abandon_stale_runs(store(), workspace_.folder() / "plugin-work");
}

std::vector<decision::User> Workstation::demo_users() {
    std::vector<decision::User> out;
    for (auto& u : store().users().list())
        if (u.demo && u.active) out.push_back(u);
    return out;
}

std::string Workstation::login(const std::string& name, const std::string& password) {
    try {
        session_ = decision::login(store(), name, password);
    } catch (const std::exception& e) {
        return e.what();
    }
    refresh_patients();
    session_changed.emit();
    return "";
}

std::string Workstation::check_login(const std::string& name, const std::string& password) {
    try {
        checked_ = decision::login(store(), name, password);
    } catch (const std::exception& e) {
        checked_.reset();
        return e.what();
    }
    return "";
}

void Workstation::finish_login() {
    if (!checked_) return;
    session_ = std::move(checked_);
    checked_.reset();
    refresh_patients();
    session_changed.emit();
}

void Workstation::logout(const char* why) {
    if (!session_) return;
    try {
        decision::record_logout(store(), *session_, why);
    } catch (...) {
        // The session ends whatever the store says; nothing clinical depends on this entry.
    }
    close_patient();
    session_.reset();
    session_changed.emit();
}

std::string Workstation::user_label() const {
    if (!session_) return "";
    return session_->user.name + " (" + std::string(decision::to_string(session_->user.role)) + ")";
}

void Workstation::refresh_patients() {
    std::vector<PatientRow> rows;
    const std::string today = today_iso();
    const std::string now = decision::utc_now();
    for (const auto& p : store().patients().list()) {
        PatientRow r;
        r.id = p.id;
        r.name = shown_name(p);  // "" when no name was recorded: the list says so, with the MRN
        r.mrn = p.mrn;
        r.birth_date = p.birth_date.value_or("");
        r.sex = p.sex.value_or("");
        if (p.birth_date) r.age = age_in_years(*p.birth_date, today);
        r.studies = static_cast<int>(p.study_count);
        std::string newest_news2;
        std::optional<decision::Suggestion> news2;
        for (const auto& s : store().suggestions().list_for_patient(p.id)) {
            if (s.status == decision::ReviewStatus::proposed) ++r.open_suggestions;
            if (s.kind == decision::SuggestionKind::risk && s.plugin_id.find("news2") != std::string::npos &&
                s.created_at >= newest_news2) {
                newest_news2 = s.created_at;
                r.news2_band = s.band;
                news2 = s;
            }
            r.last_activity = std::max(r.last_activity, s.created_at.substr(0, 10));
        }
        for (const auto& st : store().imaging().studies_of(p.id))
            if (st.date) r.last_activity = std::max(r.last_activity, *st.date);
        // Never ranked by a score outside its intended use.
        if (news2) r.news2_not_applicable = outside_intended_use(*news2);
        if (news2 && r.news2_not_applicable.empty()) describe_news2(p.id, *news2, now, r);
        if (!r.news2_not_applicable.empty()) r.news2_band.reset();
        rows.push_back(std::move(r));
    }
    patients_.set_rows(std::move(rows));
    patients_changed.emit();
}

void Workstation::describe_news2(std::int64_t patient_id, const decision::Suggestion& news2, const std::string& now,
                                 PatientRow& row) {
    row.news2_complete = news2.complete;
    row.news2_score = news2.score;
    if (row.news2_band && risk_rank(row.news2_band) == 0) row.news2_band.reset();  // "undetermined"
    // The newest vital sign the score used: its observations are the evidence, by FHIR id or event id.
    std::vector<std::string> refs;
    for (const auto& e : parse_evidence(news2.evidence_json))
        if (e.type == Evidence::Type::observation && !e.ref.empty()) refs.push_back(e.ref);
    if (refs.empty()) return;
    decision::TimelineFilter filter;
    filter.kinds = {decision::EventKind::observation};
    for (const auto& ev : store().timeline().events(patient_id, filter)) {
        const std::string id = std::to_string(ev.id);
        const std::string source = ev.source_ref.value_or("");
        const auto slash = source.rfind('/');
        const std::string fhir_id = slash == std::string::npos ? source : source.substr(slash + 1);
        for (const auto& ref : refs) {
            const auto rs = ref.rfind('/');
            const std::string want = rs == std::string::npos ? ref : ref.substr(rs + 1);
            if ((ref == id || (!fhir_id.empty() && want == fhir_id)) && ev.start.value_or("") > row.news2_newest_input)
                row.news2_newest_input = ev.start.value_or("");
        }
    }
    row.news2_stale = !row.news2_newest_input.empty() && older_than(row.news2_newest_input, now, news2_stale_hours());
}

std::string Workstation::outside_intended_use(const decision::Suggestion& s) {
    std::string why;
    if (const auto* plugin = find_plugin(s.plugin_id); plugin && plugin->manifest && plugin->manifest->model.population) {
        const auto today = plugins::today_utc();
        try {
            why = plugins::outside_intended_use(*plugin->manifest->model.population,
                                                plugins::patient_facts(store(), s.patient_id, today), today);
        } catch (const std::exception& e) {  // unchecked is not inside: the score must not rank
            why = fill(tr(translate_, N_("the intended use could not be checked: %s")), {e.what()});
        }
    }
    if (why.empty() && s.outside_intended_use)
        why = tr(translate_, N_("scored outside the model's intended use at a clinician's request"));
    return why;
}

std::string Workstation::open_patient(const std::string& text) {
    try {
        return open_patient(decision::find_patient(store(), text).id);
    } catch (const std::exception& e) {
        return e.what();
    }
}

std::string Workstation::open_patient(std::int64_t id) {
    if (!session_) return tr(translate_, N_("log in first"));
    try {
        patient_ = decision::open_patient_record(store(), *session_, id);
    } catch (const std::exception& e) {
        return e.what();
    }
    series_.clear();
    for (const auto& study : store().imaging().studies_of(id))
        for (const auto& s : store().imaging().series_of(study.id))
            series_.push_back({s, study, folder() / s.folder});
    suggestions_ = store().suggestions().list_for_patient(id);
    patient_changed.emit();
    suggestions_changed.emit();
    return "";
}

std::optional<std::size_t> Workstation::open_patient_row() const {
    if (!patient_) return std::nullopt;
    const auto& rows = patients_.visible();
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].id == patient_->id) return i;
    return std::nullopt;
}

void Workstation::close_patient() {
    if (!patient_) return;
    patient_.reset();
    series_.clear();
    suggestions_.clear();
    patient_changed.emit();
    suggestions_changed.emit();
}

std::optional<PatientBanner> Workstation::banner() const {
    if (!patient_) return std::nullopt;
    return make_banner(*patient_, today_iso());
}

void Workstation::refresh_suggestions() {
    if (!patient_) return;
    suggestions_ = store().suggestions().list_for_patient(patient_->id);
    suggestions_changed.emit();
}

std::string Workstation::decide(std::int64_t suggestion_id, const ReviewForm& form,
                                const std::function<bool(const std::string& earlier)>& confirm) {
    if (!session_) return tr(translate_, N_("log in first"));
    if (auto problem = form.problem(); !problem.empty()) return problem;
    auto d = form.to_decision();
    try {
        try {
            decision::review(store(), *session_, suggestion_id, d);
        } catch (const decision::AgainstEarlierDecision& e) {
            if (!confirm || !confirm(decision::describe(e.earlier()))) return e.what();
            d.confirmed_against_earlier = true;
            decision::review(store(), *session_, suggestion_id, d);
        }
    } catch (const std::exception& e) {
        return e.what();
    }
    refresh_suggestions();
    refresh_patients();
    return "";
}

std::string Workstation::withdraw(std::int64_t suggestion_id, const std::string& reason) {
    if (!session_) return tr(translate_, N_("log in first"));
    try {
        decision::withdraw_review(store(), *session_, suggestion_id, reason);
    } catch (const std::exception& e) {
        return e.what();
    }
    refresh_suggestions();
    refresh_patients();
    return "";
}

void Workstation::record_series_viewed(const SeriesEntry& entry) {
    if (!session_) return;
    auto tx = store().begin();
    nlohmann::json details{{"series_uid", entry.series.series_uid},
                           {"study_uid", entry.study.study_uid},
                           {"patient_id", entry.study.patient_id}};
    store().audit().append(
        decision::audit_record(*session_, "series.view", "series", entry.series.series_uid, text::json_text(details)));
    tx->commit();
}

const std::vector<plugins::DiscoveredPlugin>& Workstation::discovered_plugins() {
    if (!plugins_) {
        try {
            plugins_ = discover_workspace_plugins(folder());
        } catch (const std::exception&) {
            plugins_.emplace();  // an unreadable search folder: no plugins rather than no workstation
        }
    }
    return *plugins_;
}

const plugins::DiscoveredPlugin* Workstation::find_plugin(const std::string& id) {
    for (const auto& p : discovered_plugins())
        if (p.id == id) return &p;
    return nullptr;
}

std::vector<PluginRow> Workstation::plugin_rows(const Translate& translate) {
    return gui::plugin_rows(discovered_plugins(), store().plugin_states(), translate);
}

void Workstation::refresh_plugins() {
    plugins_.reset();
    discovered_plugins();
    plugins_changed.emit();
}

std::string Workstation::set_plugin_enabled(const std::string& id, bool enabled, const std::string& reason) {
    if (!session_) return tr(translate_, N_("log in first"));
    try {
        decision::set_plugin_enabled(store(), *session_, id, enabled,
                                     reason.empty() ? std::nullopt : std::optional<std::string>(reason));
    } catch (const std::exception& e) {
        return e.what();
    }
    plugins_changed.emit();
    return "";
}

}  // namespace consilium::gui
