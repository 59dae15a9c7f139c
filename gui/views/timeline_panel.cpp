#include "views/timeline_panel.h"

#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>

namespace consilium::gui {

TimelinePanel::TimelinePanel(wxWindow* parent, Workstation& workstation, TimelineActions actions)
    : wxPanel(parent, wxID_ANY), workstation_(workstation), actions_(std::move(actions)) {
    auto* list = new wxListView(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
    list->AppendColumn(_("When"), wxLIST_FORMAT_LEFT, 150);
    list->AppendColumn(_("Kind"), wxLIST_FORMAT_LEFT, 100);
    list->AppendColumn(_("What"), wxLIST_FORMAT_LEFT, 500);
    body_ = list;
    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(list, 1, wxEXPAND);
    SetSizer(top);
    workstation_.patient_changed.connect([this] { reload(); });
    workstation_.suggestions_changed.connect([this] { reload(); });
}

void TimelinePanel::set_large(bool large) {
    body_->SetFont(large ? GetFont().Scaled(1.5f) : GetFont());
}

void TimelinePanel::reload() {
    auto* list = static_cast<wxListView*>(body_);
    list->DeleteAllItems();
    if (!workstation_.patient()) return;
    auto events = workstation_.store().timeline().events(workstation_.patient()->id, {});
    long row = 0;
    for (auto it = events.rbegin(); it != events.rend() && row < 500; ++it, ++row) {
        const long item = list->InsertItem(row, wxString::FromUTF8(it->start.value_or("")));
        list->SetItem(item, 1, wxString::FromUTF8(std::string(decision::to_string(it->kind))));
        list->SetItem(item, 2, wxString::FromUTF8(it->code.display));
    }
}

}  // namespace consilium::gui
