#pragma once
// One card per AI suggestion of the open patient: what the model says, how sure, why, which
// model and version, and the clinician's Accept / Modify / Reject (placeholder list until the
// full cards land).
#include "model/viewer_model.h"
#include "model/workstation.h"

#include <wx/scrolwin.h>

namespace consilium::gui {

class SuggestionsPanel : public wxScrolledWindow {
public:
    SuggestionsPanel(wxWindow* parent, Workstation& workstation, ViewerModel& viewer);
    void select(std::int64_t suggestion_id);
    void set_large(bool large);

private:
    void rebuild();
    Workstation& workstation_;
    ViewerModel& viewer_;
    std::int64_t selected_ = 0;
    bool large_ = false;
};

}  // namespace consilium::gui
