#include "views/meeting_mode.h"

#include "views/board_decision_dialog.h"
#include "views/main_frame.h"
#include "views/meeting_cases_panel.h"
#include "views/new_meeting_dialog.h"
#include "views/patient_banner_panel.h"
#include "views/suggestions_panel.h"
#include "views/timeline_panel.h"

#include "model/presentation_layout.h"

#include <wx/aui/aui.h>
#include <wx/choicdlg.h>
#include <wx/intl.h>
#include <wx/menu.h>
#include <wx/msgdlg.h>
#include <wx/textctrl.h>
#include <wx/textdlg.h>

#include <algorithm>
#include <ctime>

namespace consilium::gui {
namespace {

// Panes that stay in the presentation; every other pane (worklist, plugins...) is put away.
bool shown_in_presentation(const wxString& name) {
    return name == "banner" || name == "viewer" || name == "timeline" || name == "suggestions" || name == "meeting";
}

wxString today_local() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

wxString role_reason(const Workstation& workstation) {
    return wxString::Format(_("Only radiologists and physicians add cases and record board decisions (you are logged in as %s)."),
                            wxString::FromUTF8(workstation.user_label()));
}

}  // namespace

MeetingMode::MeetingMode(MainFrame& frame, Workstation& workstation, wxAuiManager& aui, PresentationPanels panels)
    : frame_(frame), workstation_(workstation), aui_(aui), panels_(panels), board_(workstation) {
    cases_ = new MeetingCasesPanel(&frame_, board_, [this](std::size_t i) { show_case(i); }, [this] { record_decision(); });
    aui_.AddPane(cases_, wxAuiPaneInfo().Name("meeting").Caption(_("MDT case list")).Left().Layer(1).BestSize(520, -1)
                             .MinSize(360, -1).CloseButton(false).Hide());
    frame_.Bind(wxEVT_CHAR_HOOK, &MeetingMode::on_key, this);
    // The viewer handles Esc itself (back to navigating) before the frame sees it.
    panels_.viewer->Bind(wxEVT_CHAR_HOOK, &MeetingMode::on_viewer_key, this);
    workstation_.session_changed.connect([this] {
        // Locked, or someone else logged in: the meeting view and its case list go away.
        leave();
        board_.close();
        update_menu();
    });
    board_.changed.connect([this] { update_menu(); });
}

wxMenu* MeetingMode::make_menu() {
    auto* menu = new wxMenu;
    new_item_ = menu->Append(wxID_ANY, _("&New meeting..."), _("A named MDT meeting on a date"));
    auto* open = menu->Append(wxID_ANY, _("&Open meeting..."));
    menu->AppendSeparator();
    add_item_ = menu->Append(wxID_ANY, _("&Add open patient to meeting..."));
    menu->AppendSeparator();
    auto* present_item = menu->Append(wxID_ANY, _("&Present\tF5"), _("Case list, large type, images, timeline and suggestions"));
    auto* next = menu->Append(wxID_ANY, _("Next case (Page Down)"));
    auto* previous = menu->Append(wxID_ANY, _("Previous case (Page Up)"));
    record_item_ = menu->Append(wxID_ANY, _("&Record board decision...\tCtrl+B"));
    auto* leave_item = menu->Append(wxID_ANY, _("Leave presentation (Esc)"));
    frame_.Bind(wxEVT_MENU, [this](wxCommandEvent&) { new_meeting(); }, new_item_->GetId());
    frame_.Bind(wxEVT_MENU, [this](wxCommandEvent&) { open_meeting(); }, open->GetId());
    frame_.Bind(wxEVT_MENU, [this](wxCommandEvent&) { add_open_patient(); }, add_item_->GetId());
    frame_.Bind(wxEVT_MENU, [this](wxCommandEvent&) { present(); }, present_item->GetId());
    frame_.Bind(wxEVT_MENU, [this](wxCommandEvent&) { step(true); }, next->GetId());
    frame_.Bind(wxEVT_MENU, [this](wxCommandEvent&) { step(false); }, previous->GetId());
    frame_.Bind(wxEVT_MENU, [this](wxCommandEvent&) { record_decision(); }, record_item_->GetId());
    frame_.Bind(wxEVT_MENU, [this](wxCommandEvent&) { leave(); }, leave_item->GetId());
    update_menu();
    return menu;
}

void MeetingMode::update_menu() {
    if (!new_item_) return;
    const bool may = board_.may_hold();
    const wxString why = may ? wxString() : role_reason(workstation_);
    // A disabled item shows no help text: its label says who may use it.
    new_item_->SetItemLabel(may ? _("&New meeting...") : _("New meeting (radiologists and physicians only)"));
    add_item_->SetItemLabel(may ? _("&Add open patient to meeting...")
                                : _("Add open patient to meeting (radiologists and physicians only)"));
    record_item_->SetItemLabel(may ? _("&Record board decision...\tCtrl+B")
                                   : _("Record board decision (radiologists and physicians only)"));
    new_item_->Enable(may);
    add_item_->Enable(may && board_.meeting().has_value());
    record_item_->Enable(may && board_.meeting().has_value());
    new_item_->SetHelp(may ? _("A named MDT meeting on a date") : why);
    add_item_->SetHelp(may ? _("Put the patient on screen at the end of the meeting's case list") : why);
    record_item_->SetHelp(may ? _("The board's decision for the case on screen, with the attendees") : why);
}

wxString MeetingMode::layout_to_save() { return presenting_ ? saved_layout_ : aui_.SavePerspective(); }

void MeetingMode::status(const wxString& text) { frame_.SetStatusText(text, 0); }

void MeetingMode::new_meeting() {
    if (!board_.may_hold()) {
        wxMessageBox(role_reason(workstation_), _("New MDT meeting"), wxOK | wxICON_INFORMATION, &frame_);
        return;
    }
    NewMeetingDialog ask(&frame_, today_local(),
                         [this](const std::string& name, const std::string& date) { return board_.create(name, date); });
    if (ask.ShowModal() == wxID_OK)
        status(wxString::Format(_("Meeting %s created. Open a patient and use Meeting > Add open patient to meeting."),
                                wxString::FromUTF8(meeting_label(*board_.meeting()))));
}

void MeetingMode::open_meeting() {
    const auto meetings = board_.meetings();
    if (meetings.empty()) {
        wxMessageBox(_("There are no MDT meetings in this workspace yet (Meeting > New meeting)."), _("Open meeting"),
                     wxOK | wxICON_INFORMATION, &frame_);
        return;
    }
    wxArrayString labels;
    for (const auto& m : meetings) labels.Add(wxString::FromUTF8(meeting_label(m)));
    wxSingleChoiceDialog ask(&frame_, _("Which meeting?"), _("Open meeting"), labels);
    ask.SetSelection(static_cast<int>(meetings.size()) - 1);  // the latest
    if (ask.ShowModal() != wxID_OK) return;
    const auto& chosen = meetings[static_cast<std::size_t>(ask.GetSelection())];
    if (auto m = board_.open(chosen.id); !m.empty()) {
        wxMessageBox(wxString::FromUTF8(m), _("Open meeting"), wxOK | wxICON_WARNING, &frame_);
        return;
    }
    status(wxString::Format(wxPLURAL("Meeting %s: %lu case. Meeting > Present (F5) shows it.",
                                     "Meeting %s: %lu cases. Meeting > Present (F5) shows it.", board_.cases().size()),
                            wxString::FromUTF8(meeting_label(chosen)), static_cast<unsigned long>(board_.cases().size())));
}

void MeetingMode::add_open_patient() {
    if (!board_.may_hold()) {
        wxMessageBox(role_reason(workstation_), _("Add to meeting"), wxOK | wxICON_INFORMATION, &frame_);
        return;
    }
    if (!board_.meeting()) {
        wxMessageBox(_("Open or create a meeting first (Meeting > Open meeting or New meeting)."), _("Add to meeting"),
                     wxOK | wxICON_INFORMATION, &frame_);
        return;
    }
    if (!workstation_.patient()) {
        wxMessageBox(_("Open the patient first (worklist), then add them to the meeting."), _("Add to meeting"),
                     wxOK | wxICON_INFORMATION, &frame_);
        return;
    }
    const wxString name = wxString::FromUTF8(workstation_.patient()->name);
    wxTextEntryDialog ask(&frame_,
                          wxString::Format(_("Question for the board about %s (optional):"), name),
                          wxString::Format(_("Add to %s"), wxString::FromUTF8(meeting_label(*board_.meeting()))));
    if (ask.ShowModal() != wxID_OK) return;
    if (auto m = board_.add_open_patient(ask.GetValue().utf8_string()); !m.empty()) {
        wxMessageBox(wxString::FromUTF8(m), _("Add to meeting"), wxOK | wxICON_WARNING, &frame_);
        return;
    }
    status(wxString::Format(_("%s added to the meeting as case %lu."), name, static_cast<unsigned long>(board_.cases().size())));
}

void MeetingMode::set_large(bool large) {
    panels_.banner->set_large(large);
    panels_.timeline->set_large(large);
    panels_.suggestions->set_large(large);
    cases_->set_large(large);
    // The banner's pane does not resize itself: give it the height the large type needs.
    auto& banner = aui_.GetPane("banner");
    banner.MinSize(-1, large ? 80 : 48).BestSize(-1, large ? 80 : 48);
}

void MeetingMode::present() {
    if (!board_.meeting()) {
        wxMessageBox(_("Open or create a meeting first (Meeting > Open meeting or New meeting)."), _("Present"),
                     wxOK | wxICON_INFORMATION, &frame_);
        return;
    }
    if (board_.cases().empty()) {
        wxMessageBox(_("The meeting has no cases yet: open a patient and use Meeting > Add open patient to meeting."),
                     _("Present"), wxOK | wxICON_INFORMATION, &frame_);
        return;
    }
    if (!presenting_) {
        saved_layout_ = aui_.SavePerspective();
        auto& panes = aui_.GetAllPanes();
        for (std::size_t i = 0; i < panes.GetCount(); ++i)
            if (!shown_in_presentation(panes[i].name)) panes[i].Hide();
        aui_.GetPane("meeting").Show();
        presenting_ = true;
        set_large(true);
        aui_.Update();
        // Readable across the room: a tall timeline, a case list wide enough for the names.
        const wxSize area = frame_.GetClientSize();
        std::string layout = aui_.SavePerspective().utf8_string();
        layout = with_dock_size(layout, DockSide::bottom, 0, 0, area.y * 36 / 100);
        layout = with_dock_size(layout, DockSide::left, 1, 0, std::max(440, area.x * 28 / 100));
        aui_.LoadPerspective(wxString::FromUTF8(layout));
    }
    show_case(board_.current().value_or(board_.first_undecided()));
    // The focus may have been in a pane now put away (the worklist's search): then no key reached
    // the frame and Page Down did nothing until something was clicked.
    cases_->focus_cases();
}

void MeetingMode::leave() {
    if (!presenting_) return;
    presenting_ = false;
    set_large(false);
    aui_.LoadPerspective(saved_layout_);
    status(_("Left the meeting view."));
}

void MeetingMode::show_case(std::size_t index) {
    if (!board_.select(index)) return;
    const auto* c = board_.current_case();
    if (!workstation_.patient() || workstation_.patient()->id != c->entry.patient_id) frame_.open_patient(c->entry.patient_id);
    wxString text = wxString::Format(_("Case %lu of %lu: %s"), static_cast<unsigned long>(index + 1),
                                     static_cast<unsigned long>(board_.cases().size()), wxString::FromUTF8(c->patient_name));
    if (!c->entry.question.empty()) text += "  -  " + wxString::FromUTF8(c->entry.question);
    status(text);
}

void MeetingMode::step(bool forward) {
    if (!presenting_) {
        present();
        return;
    }
    const auto at = board_.current().value_or(0);
    if (forward && at + 1 < board_.cases().size()) show_case(at + 1);
    else if (!forward && at > 0) show_case(at - 1);
    else status(forward ? _("This is the last case of the meeting.") : _("This is the first case of the meeting."));
}

void MeetingMode::record_decision() {
    if (!board_.may_hold()) {
        wxMessageBox(role_reason(workstation_), _("Record board decision"), wxOK | wxICON_INFORMATION, &frame_);
        return;
    }
    // Outside the presentation, the case is the open patient's, if they are on the list.
    if (!board_.current_case() && workstation_.patient()) {
        const auto& cases = board_.cases();
        for (std::size_t i = 0; i < cases.size(); ++i)
            if (cases[i].entry.patient_id == workstation_.patient()->id) board_.select(i);
    }
    const auto* c = board_.current_case();
    if (!board_.meeting() || !c) {
        wxMessageBox(_("Present the meeting (F5) and choose the case first."), _("Record board decision"),
                     wxOK | wxICON_INFORMATION, &frame_);
        return;
    }
    if (c->decided()) {
        wxMessageBox(wxString::Format(_("The board's decision for %s is already recorded (by %s at %s)."),
                                      wxString::FromUTF8(c->patient_name), wxString::FromUTF8(c->entry.decided_by.value_or("")),
                                      wxString::FromUTF8(c->entry.decided_at.value_or(""))),
                     _("Record board decision"), wxOK | wxICON_INFORMATION, &frame_);
        return;
    }
    const wxString patient = wxString::FromUTF8(c->patient_name + " (" + c->mrn + ")");
    BoardDecisionDialog ask(&frame_, wxString::FromUTF8(meeting_label(*board_.meeting())), patient,
                            wxString::FromUTF8(c->entry.question), wxString::FromUTF8(workstation_.session().user.name) + "\n",
                            [this](const std::string& text, const std::string& attendees) {
                                return board_.record_decision(text, attendees);
                            },
                            presenting_);
    if (ask.ShowModal() == wxID_OK)
        status(wxString::Format(_("Board decision recorded for %s; it is on the timeline."), patient));
}

void MeetingMode::on_key(wxKeyEvent& e) {
    wxWindow* focus = wxWindow::FindFocus();
    const bool typing = focus && (focus->IsKindOf(wxCLASSINFO(wxTextCtrl)) || focus->GetName() == "text");
    if (presenting_ && !typing && !e.HasAnyModifiers()) {
        switch (e.GetKeyCode()) {
            case WXK_PAGEDOWN: step(true); return;
            case WXK_PAGEUP: step(false); return;
            case WXK_ESCAPE: leave(); return;
            default: break;
        }
    }
    e.Skip();
}

void MeetingMode::on_viewer_key(wxKeyEvent& e) {
    if (presenting_ && e.GetKeyCode() == WXK_ESCAPE && !e.HasAnyModifiers() &&
        frame_.viewer().tool() == ViewerTool::navigate) {
        leave();
        return;
    }
    e.Skip();
}

}  // namespace consilium::gui
