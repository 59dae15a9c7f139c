#pragma once
// One card per AI suggestion of the open patient: marked AI-generated; kind and coded concept;
// confidence, or score and band for risk scores (a lower bound says what is missing); summary and
// rationale; the model and its version, linked to its model card; the evidence (observations,
// references, and regions and masks with "Show on image"); and the clinician's Accept / Modify /
// Reject, or who decided, when and why. Proposed suggestions first, then decided ones.
#include "model/suggestion_card.h"
#include "model/viewer_model.h"
#include "model/workstation.h"
#include "views/ui_thread.h"

#include <wx/scrolwin.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

class wxBoxSizer;
class wxStaticText;

namespace consilium::gui {

class SuggestionsPanel : public wxScrolledWindow {
public:
    SuggestionsPanel(wxWindow* parent, Workstation& workstation, ViewerModel& viewer);
    ~SuggestionsPanel() override;
    // Highlights the card and scrolls it into view (a click on the timeline).
    void select(std::int64_t suggestion_id);
    // MDT presentation: larger type, wider bars.
    void set_large(bool large);
    bool large() const { return large_; }
    // How "Show on image" opens the series a suggestion's evidence lies on when another is shown.
    void set_open_series(std::function<void(const std::string& series_uid)> open) { open_series_ = std::move(open); }

private:
    struct ShownEvidence {
        std::int64_t suggestion = 0;
        std::string series_uid;  // the series the plugin ran on ("" when unknown)
        std::vector<viewer::RoiBox> rois;
        std::vector<std::string> masks;  // workspace-relative files
        std::optional<viewer::Vec3> centre_lps;
        bool applied = false;
    };

    void schedule_rebuild();
    void rebuild();
    void add_cards(int generation);
    wxWindow* make_card_window(const decision::Suggestion& s, int wrap);
    wxString finding_name(std::int64_t id) const;  // "Pulmonary nodule": how messages name a suggestion
    const decision::Suggestion* find(std::int64_t id) const;
    void decide(std::int64_t id, decision::ReviewStatus decision);
    std::function<bool(const std::string&)> confirm_against_earlier();
    void withdraw_decision(std::int64_t id);
    void show_model_card(std::int64_t id);
    void show_on_image(std::int64_t id);
    void apply_shown_evidence();
    void load_masks(std::int64_t suggestion, const std::vector<std::string>& files);
    void mask_loaded(std::int64_t suggestion, const std::string& file, std::shared_ptr<const viewer::Volume> mask,
                     const std::string& error);
    void scroll_to(std::int64_t id);
    void set_message(const wxString& text, bool problem = false);
    void make_clickable(wxWindow* window, std::int64_t id);
    template <class Fn>
    void modal(Fn fn);  // runs a dialog; cards are not rebuilt under it

    Workstation& workstation_;
    ViewerModel& viewer_;
    std::function<void(const std::string&)> open_series_;
    std::int64_t selected_ = 0;
    bool large_ = false;
    bool rebuild_pending_ = false;
    bool in_modal_ = false;
    int wrapped_at_ = 0;
    std::vector<decision::Suggestion> waiting_cards_;  // cards still to be made after a rebuild
    std::size_t next_card_ = 0;
    int card_wrap_ = 0;
    int build_generation_ = 0;
    wxFont base_font_;
    wxStaticText* header_ = nullptr;
    wxStaticText* message_ = nullptr;
    wxBoxSizer* cards_sizer_ = nullptr;
    std::map<std::int64_t, wxWindow*> cards_;
    std::optional<ShownEvidence> shown_;
    std::map<std::string, std::shared_ptr<const viewer::Volume>> mask_cache_;  // this patient's, by file
    std::int64_t events_patient_ = 0;
    std::vector<decision::TimelineEvent> events_;  // for the observations evidence refers to
    std::vector<std::thread> mask_loaders_;
    AliveToken alive_ = make_alive_token();
};

}  // namespace consilium::gui
