#include "model/patient_list.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>

namespace consilium::gui {

namespace {
std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

int risk_rank(const std::optional<std::string>& band) {
    if (!band) return 0;
    if (*band == "high") return 4;
    if (*band == "medium") return 3;
    if (*band == "low-medium") return 2;
    if (*band == "low") return 1;
    return 0;
}

double news2_stale_hours() {
    if (const char* v = std::getenv("CONSILIUM_NEWS2_STALE_HOURS")) {
        char* end = nullptr;
        const double h = std::strtod(v, &end);
        if (end != v && *end == '\0' && h > 0) return h;
    }
    return 24;
}

namespace {
// Seconds since the epoch of "YYYY-MM-DD[THH:MM:SS...Z]" (a date counts from its midnight, UTC).
std::optional<std::time_t> epoch(const std::string& iso) {
    std::tm t{};
    const std::string form = iso.size() >= 19 ? iso.substr(0, 19) : iso.size() >= 10 ? iso.substr(0, 10) + "T00:00:00" : "";
    if (form.empty() || !::strptime(form.c_str(), "%Y-%m-%dT%H:%M:%S", &t)) return std::nullopt;
    return ::timegm(&t);
}
}  // namespace

bool older_than(const std::string& newest_iso, const std::string& now_iso, double hours) {
    const auto a = epoch(newest_iso), b = epoch(now_iso);
    return a && b && static_cast<double>(*b - *a) > hours * 3600.0;
}

int risk_group(const PatientRow& r) {
    if (!r.news2_not_applicable.empty()) return 2;
    if (risk_rank(r.news2_band) > 0) return 0;
    if (!r.news2_complete && r.news2_score) return 1;
    return 2;
}

void PatientList::set_rows(std::vector<PatientRow> rows) {
    rows_ = std::move(rows);
    refresh();
}

void PatientList::set_search(std::string text) {
    search_ = lower(std::move(text));
    refresh();
}

void PatientList::set_sort(PatientSort sort) {
    sort_ = sort;
    refresh();
}

void PatientList::refresh() {
    visible_.clear();
    for (const auto& r : rows_) {
        if (!search_.empty()) {
            const std::string hay = lower(r.name) + " " + lower(r.mrn) + " " + std::to_string(r.id);
            if (hay.find(search_) == std::string::npos) continue;
        }
        visible_.push_back(r);
    }
    auto by_name = [](const PatientRow& a, const PatientRow& b) { return lower(a.name) < lower(b.name); };
    switch (sort_) {
    case PatientSort::name: std::stable_sort(visible_.begin(), visible_.end(), by_name); break;
    case PatientSort::last_activity:
        std::stable_sort(visible_.begin(), visible_.end(),
                         [](const PatientRow& a, const PatientRow& b) { return a.last_activity > b.last_activity; });
        break;
    case PatientSort::risk:
        std::stable_sort(visible_.begin(), visible_.end(), [&](const PatientRow& a, const PatientRow& b) {
            const int ga = risk_group(a), gb = risk_group(b);
            if (ga != gb) return ga < gb;
            const int ra = risk_rank(a.news2_band), rb = risk_rank(b.news2_band);
            if (ra != rb) return ra > rb;
            if (ga == 1 && a.news2_score != b.news2_score) return a.news2_score.value_or(0) > b.news2_score.value_or(0);
            if (a.open_suggestions != b.open_suggestions) return a.open_suggestions > b.open_suggestions;
            return by_name(a, b);
        });
        break;
    case PatientSort::open_suggestions:
        std::stable_sort(visible_.begin(), visible_.end(), [&](const PatientRow& a, const PatientRow& b) {
            if (a.open_suggestions != b.open_suggestions) return a.open_suggestions > b.open_suggestions;
            return by_name(a, b);
        });
        break;
    }
}

}  // namespace consilium::gui
