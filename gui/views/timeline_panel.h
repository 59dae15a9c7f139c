#pragma once
// The patient's whole history on one zoomable, pannable time axis (placeholder until the
// custom-drawn lanes land).
#include "model/workstation.h"

#include <wx/panel.h>

namespace consilium::gui {

struct TimelineActions {
    std::function<void(const std::string& series_uid)> open_series;  // click on an imaging event
    std::function<void(std::int64_t suggestion_id)> select_suggestion;
};

class TimelinePanel : public wxPanel {
public:
    TimelinePanel(wxWindow* parent, Workstation& workstation, TimelineActions actions);
    void set_large(bool large);

private:
    void reload();
    Workstation& workstation_;
    TimelineActions actions_;
    wxWindow* body_ = nullptr;
};

}  // namespace consilium::gui
