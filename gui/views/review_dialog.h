#pragma once
// Modify or reject one AI suggestion: a coded reason from the list, words, and for modify the
// concept the clinician holds instead. ReviewForm (model/review_form.h) says what is missing;
// it is shown under the fields and OK stays disabled until nothing is. `submit` records the
// decision ("" or why not: the message is shown and the dialog stays open).
#include "model/review_form.h"

#include "consilium/decision/suggestion.h"

#include <wx/dialog.h>

#include <functional>
#include <string>

class wxButton;
class wxChoice;
class wxListBox;
class wxStaticText;
class wxTextCtrl;

namespace consilium::gui {

class ReviewDialog : public wxDialog {
public:
    ReviewDialog(wxWindow* parent, const decision::Suggestion& suggestion, decision::ReviewStatus decision,
                 std::function<std::string(const ReviewForm&)> submit, bool large = false);
    const ReviewForm& form() const { return form_; }

private:
    void update();
    void on_ok(wxCommandEvent& e);

    ReviewForm form_;
    std::function<std::string(const ReviewForm&)> submit_;
    wxListBox* reasons_ = nullptr;
    wxTextCtrl* text_ = nullptr;
    wxTextCtrl* concept_display_ = nullptr;
    wxChoice* concept_system_ = nullptr;
    wxTextCtrl* concept_code_ = nullptr;
    wxStaticText* problem_ = nullptr;
    wxButton* ok_ = nullptr;
};

}  // namespace consilium::gui
