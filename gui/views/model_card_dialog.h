#pragma once
// A plugin's model card (the manifest's `model` section: intended use, training data,
// performance, limitations, references), so a clinician can judge what made a suggestion.
#include "model/plugin_runs.h"

#include <wx/dialog.h>

namespace consilium::gui {

class ModelCardDialog : public wxDialog {
public:
    ModelCardDialog(wxWindow* parent, const ModelCardView& card, bool large = false);
};

}  // namespace consilium::gui
