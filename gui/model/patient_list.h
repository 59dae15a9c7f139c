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
    // An incomplete NEWS2 (some parameters missing): its lower bound, the date of its newest input
    // (ISO), and whether that newest vital sign is older than news2_stale_hours(). The worklist shows
    // "≥ N, incomplete" and sorts it apart from complete scores; news2_band is set only when the
    // band is certain ("undetermined" is never ranked as a band).
    bool news2_complete = true;
    std::optional<double> news2_score;
    std::string news2_newest_input;
    bool news2_stale = false;
    int open_suggestions = 0;               // proposed, not yet decided
    int studies = 0;
    std::string last_activity;              // newest imaging study or suggestion (ISO date), for "date" sort
};

enum class PatientSort { name, last_activity, risk, open_suggestions };

// Higher is more urgent: high 4, medium 3, low-medium 2, low 1, none or undetermined 0.
int risk_rank(const std::optional<std::string>& news2_band);

// After how many hours the newest vital sign behind a NEWS2 makes it stale: $CONSILIUM_NEWS2_STALE_HOURS
// (a positive number), else 24.
double news2_stale_hours();
// Whether `newest_iso` (a date or UTC time) lies more than `hours` before `now_iso` (UTC time).
bool older_than(const std::string& newest_iso, const std::string& now_iso, double hours);

// Worklist order for sorting by risk: certain bands first (high to low), then incomplete scores
// whose band is undetermined (highest lower bound first), then patients without a usable score.
int risk_group(const PatientRow& row);

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
