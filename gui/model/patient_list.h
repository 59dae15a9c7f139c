#pragma once
// The worklist: every patient of the workspace with what decides who is seen first (the latest
// NEWS2 band, open AI suggestions), searchable and sortable.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace consilium::gui {

struct PatientRow {
    std::int64_t id = 0;
    std::string name, mrn, birth_date, sex;
    std::optional<int> age;                 // years, when the birth date is known
    std::optional<std::string> news2_band;  // low | low-medium | medium | high, from the latest NEWS2 result
    // Why the latest NEWS2 result must not rank this patient: the patient is outside NEWS2's intended
    // use (a child, pregnancy recorded), or it was made outside it at a clinician's request. The
    // worklist then shows "n/a" with this reason and news2_band is empty. "" when it may rank.
    std::string news2_not_applicable;
    int open_suggestions = 0;               // proposed, not yet decided
    int studies = 0;
    std::string last_activity;              // newest imaging study or suggestion (ISO date), for "date" sort
};

enum class PatientSort { name, last_activity, risk, open_suggestions };

// Higher is more urgent: high 4, medium 3, low-medium 2, low 1, none 0.
int risk_rank(const std::optional<std::string>& news2_band);

class PatientList {
public:
    void set_rows(std::vector<PatientRow> rows);
    // Case-insensitive match on any word of the name, the MRN or the id.
    void set_search(std::string text);
    void set_sort(PatientSort sort);
    PatientSort sort() const { return sort_; }
    const std::vector<PatientRow>& visible() const { return visible_; }
    const std::vector<PatientRow>& all() const { return rows_; }

private:
    void refresh();
    std::vector<PatientRow> rows_, visible_;
    std::string search_;
    PatientSort sort_ = PatientSort::risk;
};

}  // namespace consilium::gui
