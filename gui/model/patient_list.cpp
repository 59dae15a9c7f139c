#include "model/patient_list.h"

#include <algorithm>
#include <cctype>

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
            const int ra = risk_rank(a.news2_band), rb = risk_rank(b.news2_band);
            if (ra != rb) return ra > rb;
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
