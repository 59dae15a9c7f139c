#include "model/pacs_query.h"

#include "import_sources.h"  // cli/: the scanner `import` uses, handed to the shared retrieve

#include "consilium/decision/dicom_import.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/imaging.h"
#include "consilium/decision/pacs_nodes.h"
#include "consilium/decision/workspace.h"

#include <algorithm>
#include <cctype>

// Marks an English message for the catalogue; the view translates it (wxGetTranslation).
#ifndef N_
#define N_(text) text
#endif

namespace consilium::gui {
namespace {

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

std::string trimmed(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string iso_date(const std::string& da) {
    if (da.size() == 8 && da.find_first_not_of("0123456789") == std::string::npos)
        return da.substr(0, 4) + "-" + da.substr(4, 2) + "-" + da.substr(6, 2);
    return da;
}

PacsOutcomeError failure_of(const std::exception& e) {
    const std::string what = e.what();
    if (auto* p = dynamic_cast<const pacs::PacsError*>(&e)) {
        switch (p->kind()) {
            case pacs::PacsError::Kind::unreachable: return {PacsFailure::unreachable, what};
            case pacs::PacsError::Kind::auth: return {PacsFailure::auth, what};
            case pacs::PacsError::Kind::protocol: return {PacsFailure::protocol, what};
            case pacs::PacsError::Kind::corrupt: return {PacsFailure::corrupt, what};
            case pacs::PacsError::Kind::tls: return {PacsFailure::tls, what};
            case pacs::PacsError::Kind::cancelled: return {PacsFailure::none, what};
        }
    }
    if (dynamic_cast<const decision::NotFound*>(&e)) return {PacsFailure::not_found, what};
    if (dynamic_cast<const decision::NotPermitted*>(&e)) return {PacsFailure::not_permitted, what};
    if (dynamic_cast<const decision::InputError*>(&e)) return {PacsFailure::corrupt, what};
    return {PacsFailure::other, what};
}

}  // namespace

std::vector<decision::PacsNode> pacs_nodes_of(const std::filesystem::path& workspace, const decision::Session& session) {
    auto ws = decision::Workspace::open(workspace);
    return decision::list_pacs_nodes(ws.store(), session);
}

std::optional<std::string> dicom_date(const std::string& typed) {
    std::string t = trimmed(typed);
    if (t.empty()) return std::string();
    if (t.size() == 10 && t[4] == '-' && t[7] == '-') t = t.substr(0, 4) + t.substr(5, 2) + t.substr(8, 2);
    if (t.size() != 8 || t.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const int y = std::stoi(t.substr(0, 4)), m = std::stoi(t.substr(4, 2)), d = std::stoi(t.substr(6, 2));
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || m < 1 || m > 12 || d < 1) return std::nullopt;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > days[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
    return t;
}

SearchRequest make_search(const PacsSearchFields& f) {
    SearchRequest r;
    r.query.patient_id = trimmed(f.patient_id);
    r.query.patient_name = trimmed(f.patient_name);
    r.query.modality = trimmed(f.modality);
    std::transform(r.query.modality.begin(), r.query.modality.end(), r.query.modality.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    r.query.limit = kMaxStudies;
    const auto from = dicom_date(f.date_from), to = dicom_date(f.date_to);
    if (!from) r.problem = N_("The 'from' date is not a date: write it as YYYY-MM-DD.");
    else if (!to) r.problem = N_("The 'to' date is not a date: write it as YYYY-MM-DD.");
    else if (!from->empty() && !to->empty() && *from > *to) r.problem = N_("The 'from' date is after the 'to' date.");
    else if (blank(f.patient_id) && blank(f.patient_name) && from->empty() && to->empty() && blank(f.modality))
        r.problem = N_("Fill in at least one search field: the whole PACS is not listed.");
    if (from && to) {
        r.query.date_from = *from;
        r.query.date_to = *to;
    }
    return r;
}

std::vector<StudyRow> study_rows(const std::vector<pacs::StudyMatch>& studies) {
    std::vector<const pacs::StudyMatch*> order;
    for (const auto& s : studies) order.push_back(&s);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
        if (a->date != b->date) return a->date > b->date;
        return a->patient_id < b->patient_id;
    });
    std::vector<StudyRow> rows;
    for (const auto* s : order) {
        StudyRow r;
        r.study_uid = s->study_uid;
        r.patient_id = s->patient_id;
        r.patient_name = s->patient_name.empty() ? "" : decision::patient_from_dicom({s->patient_id, s->patient_name, "", ""}).name;
        r.date = iso_date(s->date);
        for (const auto& m : s->modalities) r.modalities += (r.modalities.empty() ? "" : ", ") + m;
        r.description = s->description;
        if (s->series >= 0) r.series = std::to_string(s->series);
        if (s->instances >= 0) r.instances = std::to_string(s->instances);
        rows.push_back(std::move(r));
    }
    return rows;
}

SearchOutcome run_pacs_search(const std::filesystem::path& workspace, const decision::Session& session,
                              const std::string& node_name, const pacs::StudyQuery& query,
                              const pacs::ClientSettings& settings) {
    SearchOutcome out;
    try {
        // Its own connection: SQLite connections are not shared across threads.
        auto ws = decision::Workspace::open(workspace);
        auto node = decision::find_pacs_node(ws.store(), session, node_name);
        out.studies = pacs::connect(node, settings)->find_studies(query);
    } catch (const std::exception& e) {
        out.error = failure_of(e);
        if (out.error.failure == PacsFailure::none) out.error.failure = PacsFailure::other;
    }
    return out;
}

RetrieveOutcome run_pacs_retrieve(const std::filesystem::path& workspace, const decision::Session& session,
                                  const std::string& node_name, const std::string& study_uid,
                                  std::function<void(const pacs::RetrieveProgress&)> progress,
                                  const std::atomic<bool>* cancel, const pacs::ClientSettings& settings) {
    RetrieveOutcome out;
    try {
        auto ws = decision::Workspace::open(workspace);
        auto& store = ws.store();
        auto node = decision::find_pacs_node(store, session, node_name);
        pacs::WorkspaceRetrieval request;
        request.study_uid = study_uid;
        request.scan = cli::scan_staged_dicom;
        request.progress = std::move(progress);
        request.cancel = cancel;
        request.settings = settings;
        out.result = pacs::retrieve_into_workspace(ws, session, node, request);
        if (auto study = store.imaging().find_study(study_uid)) {
            out.patient_id = study->patient_id;
            auto series = store.imaging().series_of(study->id);
            if (!series.empty()) out.first_series_uid = series.front().series_uid;
        }
    } catch (const pacs::PacsError& e) {
        if (e.kind() == pacs::PacsError::Kind::cancelled || (cancel && cancel->load())) out.cancelled = true;
        else out.error = failure_of(e);
    } catch (const std::exception& e) {
        out.error = failure_of(e);
    }
    return out;
}

bool PacsQuery::can_retrieve(int row) const {
    return !busy() && row >= 0 && static_cast<std::size_t>(row) < rows_.size();
}

bool PacsQuery::start_search() {
    if (!can_search()) return false;
    state_ = PacsQueryState::searching;
    error_ = {};
    return true;
}

bool PacsQuery::search_finished(const SearchOutcome& outcome) {
    if (state_ != PacsQueryState::searching) return false;
    error_ = outcome.error;
    if (error_.failure != PacsFailure::none) {
        rows_.clear();
        state_ = PacsQueryState::failed;
    } else {
        rows_ = study_rows(outcome.studies);
        state_ = PacsQueryState::idle;
    }
    return true;
}

bool PacsQuery::start_retrieve(int row) {
    if (!can_retrieve(row)) return false;
    state_ = PacsQueryState::retrieving;
    retrieving_row_ = row;
    error_ = {};
    retrieved_ = {};
    return true;
}

bool PacsQuery::retrieve_finished(const RetrieveOutcome& outcome) {
    if (state_ != PacsQueryState::retrieving) return false;
    retrieved_ = outcome;
    error_ = outcome.error;
    state_ = outcome.cancelled                          ? PacsQueryState::cancelled
             : error_.failure != PacsFailure::none      ? PacsQueryState::failed
                                                         : PacsQueryState::done;
    return true;
}

int gauge_permille(const pacs::RetrieveProgress& p) {
    if (p.instances_expected <= 0) return -1;
    return static_cast<int>(1000LL * std::min(p.instances_done, p.instances_expected) / p.instances_expected);
}

}  // namespace consilium::gui
