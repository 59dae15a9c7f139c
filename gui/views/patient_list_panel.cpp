#include "views/patient_list_panel.h"

#include <wx/choice.h>
#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/srchctrl.h>

namespace consilium::gui {

PatientListPanel::PatientListPanel(wxWindow* parent, Workstation& workstation, std::function<void(std::int64_t)> open)
    : wxPanel(parent, wxID_ANY), workstation_(workstation), open_(std::move(open)) {
    search_ = new wxSearchCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, 0, wxDefaultValidator, "worklist-search");
    search_->SetDescriptiveText(_("Search name or MRN"));
    sort_ = new wxChoice(this, wxID_ANY);
    sort_->Append(_("Sort: risk (NEWS2)"));
    sort_->Append(_("Sort: name"));
    sort_->Append(_("Sort: latest activity"));
    sort_->Append(_("Sort: open suggestions"));
    sort_->SetSelection(0);
    list_ = new wxListView(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL, wxDefaultValidator,
                           "worklist");
    list_->AppendColumn(_("Patient"), wxLIST_FORMAT_LEFT, 150);
    list_->AppendColumn(_("Born"), wxLIST_FORMAT_LEFT, 88);
    list_->AppendColumn(_("NEWS2"), wxLIST_FORMAT_LEFT, 80);
    list_->AppendColumn(_("Open AI"), wxLIST_FORMAT_RIGHT, 60);
    list_->AppendColumn(_("Images"), wxLIST_FORMAT_RIGHT, 56);
    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(search_, 0, wxEXPAND | wxALL, 4);
    top->Add(sort_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 4);
    top->Add(list_, 1, wxEXPAND);
    SetSizer(top);

    search_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) {
        workstation_.patients().set_search(search_->GetValue().utf8_string());
        fill();
    });
    sort_->Bind(wxEVT_CHOICE, [this](wxCommandEvent& e) {
        static constexpr PatientSort order[] = {PatientSort::risk, PatientSort::name, PatientSort::last_activity,
                                                PatientSort::open_suggestions};
        workstation_.patients().set_sort(order[std::clamp(e.GetSelection(), 0, 3)]);
        fill();
    });
    // Choosing a row - a click or the arrow keys - opens that patient: the highlighted row and
    // the record on screen never differ (a click once only highlighted, the old patient stayed).
    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) {
        if (!filling_) choose(static_cast<std::size_t>(e.GetIndex()));
    });
    list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent& e) { choose(static_cast<std::size_t>(e.GetIndex())); });
    // Why a row's NEWS2 reads n/a, when the pointer is over it.
    list_->Bind(wxEVT_MOTION, [this](wxMouseEvent& e) {
        int flags = 0;
        const long item = list_->HitTest(e.GetPosition(), flags);
        const auto& rows = workstation_.patients().visible();
        const auto i = static_cast<std::size_t>(item);
        const wxString tip = item >= 0 && i < rows.size() && !rows[i].news2_not_applicable.empty()
                                 ? wxString::Format(_("NEWS2 not applicable: %s"), wxString::FromUTF8(rows[i].news2_not_applicable))
                                 : wxString();
        if (list_->GetToolTipText() != tip) {
            if (tip.empty()) list_->UnsetToolTip();
            else list_->SetToolTip(tip);
        }
        e.Skip();
    });
    workstation_.patients_changed.connect([this] { fill(); });
    // The open patient is the highlighted row, however it was opened (worklist, timeline, --patient, PACS).
    workstation_.patient_changed.connect([this] { select_open_patient(); });
    fill();
}

void PatientListPanel::choose(std::size_t row) {
    const auto& rows = workstation_.patients().visible();
    if (row >= rows.size()) return;
    if (!workstation_.patient() || workstation_.patient()->id != rows[row].id) open_(rows[row].id);
    // Refused (or it failed): the highlight goes back to the patient who is open.
    if (workstation_.open_patient_row() != row) CallAfter([this] { select_open_patient(); });
}

// "high"; an incomplete score "≥ 3, incomplete (2021-03-04)" - its band only when certain; a
// stale marker when the newest vital sign is older than news2_stale_hours().
wxString PatientListPanel::news2_cell(const PatientRow& r) {
    if (!r.news2_not_applicable.empty()) return _("n/a");
    wxString cell;
    if (!r.news2_complete && r.news2_score) {
        cell = wxString::FromUTF8("\u2265 ") + wxString::Format(_("%d, incomplete"), static_cast<int>(*r.news2_score));
        if (r.news2_band) cell += " (" + wxGetTranslation(wxString::FromUTF8(*r.news2_band)) + ")";
        if (!r.news2_newest_input.empty()) cell += ", " + wxString::FromUTF8(r.news2_newest_input.substr(0, 10));
    } else if (r.news2_band) {
        cell = wxGetTranslation(wxString::FromUTF8(*r.news2_band));
    } else {
        return "-";
    }
    if (r.news2_stale) cell += " " + wxString::Format(_("[stale: older than %g h]"), news2_stale_hours());
    return cell;
}

void PatientListPanel::fill() {
    filling_ = true;
    list_->Freeze();
    list_->DeleteAllItems();
    const auto& rows = workstation_.patients().visible();
    const auto open_id = workstation_.patient() ? workstation_.patient()->id : 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        // Never a blank row: a patient recorded without a name is named as such, by MRN.
        const wxString name = r.name.empty()
                                  ? wxString::Format(_("(no name recorded) MRN %s"), wxString::FromUTF8(r.mrn))
                                  : wxString::FromUTF8(r.name);
        const long item = list_->InsertItem(static_cast<long>(i), name);
        list_->SetItem(item, 1, wxString::FromUTF8(r.birth_date));
        // A score outside its intended use ranks nobody: "n/a", the reason in the row's tooltip.
        list_->SetItem(item, 2, news2_cell(r));
        list_->SetItem(item, 3, r.open_suggestions ? wxString::Format("%d", r.open_suggestions) : wxString("-"));
        list_->SetItem(item, 4, r.studies ? wxString::Format("%d", r.studies) : wxString("-"));
        const int rank = risk_rank(r.news2_band);
        if (rank >= 4) list_->SetItemBackgroundColour(item, wxColour(250, 210, 205));
        else if (rank == 3) list_->SetItemBackgroundColour(item, wxColour(252, 230, 200));
        if (r.id == open_id) list_->Select(item);
    }
    list_->Thaw();
    filling_ = false;
}

void PatientListPanel::select_open_patient() {
    filling_ = true;  // highlighting what is open opens nothing
    const auto open = workstation_.open_patient_row();
    for (long item = 0; item < list_->GetItemCount(); ++item) {
        if (open && static_cast<std::size_t>(item) == *open) {
            list_->Select(item);
            list_->Focus(item);
        } else if (list_->IsSelected(item)) {
            list_->Select(item, false);
        }
    }
    filling_ = false;
}

}  // namespace consilium::gui
