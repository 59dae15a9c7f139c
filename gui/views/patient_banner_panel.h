#pragma once
// Always on top: whose record is open (name, birth date and age, sex, identifier) on that
// patient's own colour, and who is logged in with which role.
#include "model/workstation.h"

#include <wx/panel.h>

namespace consilium::gui {

class PatientBannerPanel : public wxPanel {
public:
    PatientBannerPanel(wxWindow* parent, Workstation& workstation);
    void set_large(bool large);  // MDT presentation: bigger type

private:
    void on_paint(wxPaintEvent&);
    Workstation& workstation_;
    bool large_ = false;
};

}  // namespace consilium::gui
