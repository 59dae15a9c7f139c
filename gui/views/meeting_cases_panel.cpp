#include "views/meeting_cases_panel.h"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace consilium::gui {

MeetingCasesPanel::MeetingCasesPanel(wxWindow* parent, MeetingBoard& board, std::function<void(std::size_t)> choose_case,
                                     std::function<void()> record_decision)
    : wxPanel(parent, wxID_ANY), board_(board), choose_case_(std::move(choose_case)) {
    auto* top = new wxBoxSizer(wxVERTICAL);
    title_ = new wxStaticText(this, wxID_ANY, "");
    date_ = new wxStaticText(this, wxID_ANY, "");
    top->Add(title_, 0, wxLEFT | wxRIGHT | wxTOP, 8);
    top->Add(date_, 0, wxLEFT | wxRIGHT | wxBOTTOM, 8);
    list_ = new wxListView(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator,
                           "meeting-cases");
    list_->AppendColumn("#", wxLIST_FORMAT_RIGHT);
    list_->AppendColumn(_("Patient"), wxLIST_FORMAT_LEFT);
    list_->AppendColumn(_("Board"), wxLIST_FORMAT_LEFT);
    top->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT, 8);
    current_ = new wxStaticText(this, wxID_ANY, "");
    top->Add(current_, 0, wxLEFT | wxRIGHT | wxTOP | wxEXPAND, 8);
    question_ = new wxStaticText(this, wxID_ANY, "");
    top->Add(question_, 0, wxLEFT | wxRIGHT | wxTOP | wxEXPAND, 8);
    decided_ = new wxStaticText(this, wxID_ANY, "");
    decided_->SetForegroundColour(wxColour(20, 110, 40));
    top->Add(decided_, 0, wxLEFT | wxRIGHT | wxTOP | wxEXPAND, 8);
    record_ = new wxButton(this, wxID_ANY, _("Record board decision..."));
    top->Add(record_, 0, wxALL | wxEXPAND, 8);
    hint_ = new wxStaticText(this, wxID_ANY, _("Page Down / Page Up: next / previous case. Esc: leave the meeting view."));
    hint_->SetForegroundColour(wxColour(90, 90, 90));
    top->Add(hint_, 0, wxLEFT | wxRIGHT | wxBOTTOM, 8);
    SetSizer(top);

    record_->Bind(wxEVT_BUTTON, [record_decision = std::move(record_decision)](wxCommandEvent&) { record_decision(); });
    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) {
        if (!filling_) choose_case_(static_cast<std::size_t>(e.GetIndex()));
    });
    list_->Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        fit_columns();
        e.Skip();
    });
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        // The question is wrapped to the pane's width: wrap it again when the pane is resized.
        if (e.GetSize().x != wrapped_width_) CallAfter([this] { fill(); });
        e.Skip();
    });
    board_.changed.connect([this] { fill(); });
    set_large(false);
}

void MeetingCasesPanel::focus_cases() { list_->SetFocus(); }

void MeetingCasesPanel::set_large(bool large) {
    large_ = large;
    const wxFont base = GetParent()->GetFont();
    const float scale = large ? 1.4f : 1.0f;
    title_->SetFont(base.Scaled(large ? 1.8f : 1.3f).Bold());
    date_->SetFont(base.Scaled(scale));
    list_->SetFont(base.Scaled(scale));
    current_->SetFont(base.Scaled(scale).Bold());
    question_->SetFont(base.Scaled(scale));
    decided_->SetFont(base.Scaled(scale));
    record_->SetFont(base.Scaled(large ? 1.3f : 1.0f));
    fill();
}

void MeetingCasesPanel::fit_columns() {
    // Number, name and the board's decision share the width; the decision gets the larger part.
    const int number = list_->GetTextExtent("000").x + 12;
    const int rest = std::max(240, list_->GetClientSize().x - number - 4);
    const int name = std::max(120, rest * 45 / 100);
    list_->SetColumnWidth(0, number);
    list_->SetColumnWidth(1, name);
    list_->SetColumnWidth(2, std::max(list_->GetTextExtent(_("decided")).x + 24, rest - name));
}

void MeetingCasesPanel::fill() {
    filling_ = true;
    const auto& meeting = board_.meeting();
    title_->SetLabel(meeting ? wxString::FromUTF8(meeting->name) : _("No meeting open"));
    date_->SetLabel(meeting ? wxString::Format(_("Meeting of %s"), wxString::FromUTF8(meeting->date)) : wxString());
    list_->DeleteAllItems();
    const auto& cases = board_.cases();
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto& c = cases[i];
        const long row = list_->InsertItem(static_cast<long>(i), wxString::Format("%d", c.entry.position));
        list_->SetItem(row, 1, wxString::FromUTF8(c.patient_name));
        // What the board decided, in its own words (its first line); "open" while undecided.
        const std::string first_line = c.decision_text.substr(0, c.decision_text.find('\n'));
        list_->SetItem(row, 2, !c.decided()             ? _("open")
                               : first_line.empty()      ? _("decided")
                                                         : wxString::FromUTF8(first_line));
        if (c.decided()) list_->SetItemTextColour(row, wxColour(20, 110, 40));
    }
    const auto* current = board_.current_case();
    if (auto at = board_.current()) {
        list_->Select(static_cast<long>(*at));
        list_->EnsureVisible(static_cast<long>(*at));
        current_->SetLabel(wxString::Format(_("Case %lu of %lu: %s"), static_cast<unsigned long>(*at + 1),
                                            static_cast<unsigned long>(cases.size()), wxString::FromUTF8(current->patient_name)));
        question_->SetLabel(current->entry.question.empty()
                                ? _("No question was given for the board.")
                                : wxString::Format(_("Question: %s"), wxString::FromUTF8(current->entry.question)));
        decided_->SetLabel(current->decided() ? wxString::Format(_("Board decision (recorded by %s): %s"),
                                                                 wxString::FromUTF8(current->entry.decided_by.value_or("")),
                                                                 wxString::FromUTF8(current->decision_text))
                                              : wxString());
    } else {
        current_->SetLabel(cases.empty() ? _("No cases yet.") : _("Choose a case."));
        question_->SetLabel("");
        decided_->SetLabel("");
    }
    wrapped_width_ = GetSize().x;
    const int wrap = std::max(200, GetClientSize().x - 20);
    hint_->SetLabel(_("Page Down / Page Up: next / previous case. Esc: leave the meeting view."));
    hint_->Wrap(wrap);
    current_->Wrap(wrap);
    question_->Wrap(wrap);
    decided_->Wrap(wrap);
    record_->Enable(board_.may_hold() && current && !current->decided());
    fit_columns();
    Layout();
    filling_ = false;
}

}  // namespace consilium::gui
