#pragma once
// The worklist: search box, sort choice and a list of patients (risk first by default).
// Choosing a row (click, arrow keys, Enter) opens that patient; the highlighted row is always
// the open patient's.
#include "model/workstation.h"

#include <wx/panel.h>

class wxListView;
class wxSearchCtrl;
class wxChoice;

namespace consilium::gui {

class PatientListPanel : public wxPanel {
public:
    PatientListPanel(wxWindow* parent, Workstation& workstation, std::function<void(std::int64_t)> open);

private:
    void fill();
    static wxString news2_cell(const PatientRow& row);
    void select_open_patient();
    void choose(std::size_t row);
    Workstation& workstation_;
    std::function<void(std::int64_t)> open_;
    wxSearchCtrl* search_ = nullptr;
    wxChoice* sort_ = nullptr;
    wxListView* list_ = nullptr;
    bool filling_ = false;  // selections made by the panel itself open nothing
};

}  // namespace consilium::gui
