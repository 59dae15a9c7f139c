#pragma once
// MDT meeting mode: the Meeting menu (new, open, add the open patient, present, record the
// board's decision) and the presentation layout - the case list on the left, large type in the
// banner, timeline and suggestions, the images in the centre - left with Esc for the layout the
// user had before.
#include "model/meeting_board.h"
#include "model/workstation.h"

#include <wx/string.h>

#include <string>

class wxAuiManager;
class wxKeyEvent;
class wxMenu;
class wxMenuItem;
class wxWindow;

namespace consilium::gui {

class MainFrame;
class MeetingCasesPanel;
class PatientBannerPanel;
class SuggestionsPanel;
class TimelinePanel;

struct PresentationPanels {
    PatientBannerPanel* banner;
    TimelinePanel* timeline;
    SuggestionsPanel* suggestions;
    wxWindow* viewer;  // its own keys come first; Esc there leaves only when no measuring tool is active
};

class MeetingMode {
public:
    // Adds the (hidden) case list pane to `aui`; call before the frame's first aui.Update().
    MeetingMode(MainFrame& frame, Workstation& workstation, wxAuiManager& aui, PresentationPanels panels);
    wxMenu* make_menu();  // the Meeting menu, bound on the frame; once
    bool presenting() const { return presenting_; }
    // The layout to keep for next time: the one from before presenting while a meeting is shown.
    wxString layout_to_save();
    void present();
    void leave();

private:
    void new_meeting();
    void open_meeting();
    void add_open_patient();
    void show_case(std::size_t index);
    void step(bool forward);
    void record_decision();
    void update_menu();
    void on_key(wxKeyEvent& e);
    void on_viewer_key(wxKeyEvent& e);
    void set_large(bool large);
    void status(const wxString& text);

    MainFrame& frame_;
    Workstation& workstation_;
    wxAuiManager& aui_;
    PresentationPanels panels_;
    MeetingBoard board_;
    MeetingCasesPanel* cases_ = nullptr;
    wxMenuItem* new_item_ = nullptr;
    wxMenuItem* add_item_ = nullptr;
    wxMenuItem* record_item_ = nullptr;
    bool presenting_ = false;
    wxString saved_layout_;
};

}  // namespace consilium::gui
