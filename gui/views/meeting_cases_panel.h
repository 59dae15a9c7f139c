#pragma once
// The MDT case list, shown on the left while a meeting is presented: the meeting, each patient in
// order and whether the board has decided, then the case on screen with the question put to the
// board, and the button that records the board's decision for it.
#include "model/meeting_board.h"

#include <wx/panel.h>

#include <functional>

class wxButton;
class wxListView;
class wxStaticText;

namespace consilium::gui {

class MeetingCasesPanel : public wxPanel {
public:
    MeetingCasesPanel(wxWindow* parent, MeetingBoard& board, std::function<void(std::size_t)> choose_case,
                      std::function<void()> record_decision);
    void set_large(bool large);
    // The keyboard goes to the case list (Page Down / Page Up right after F5).
    void focus_cases();

private:
    void fill();
    void fit_columns();
    MeetingBoard& board_;
    std::function<void(std::size_t)> choose_case_;
    bool large_ = false;
    wxStaticText* title_ = nullptr;
    wxStaticText* date_ = nullptr;
    wxListView* list_ = nullptr;
    wxStaticText* current_ = nullptr;
    wxStaticText* question_ = nullptr;
    wxStaticText* decided_ = nullptr;
    wxButton* record_ = nullptr;
    wxStaticText* hint_ = nullptr;
    bool filling_ = false;
    int wrapped_width_ = -1;
};

}  // namespace consilium::gui
