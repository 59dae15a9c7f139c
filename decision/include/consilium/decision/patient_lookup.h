#pragma once
// Finds the patient a person named on a command line or in a search box: by the store's id or by
// medical record number. A text that is one patient's id and another's MRN is refused as
// ambiguous - opening the wrong patient is the error that must not happen.
#include "consilium/decision/store.h"

#include <string_view>

namespace consilium::decision {

// Accepts "12", "MRN123", and the explicit forms "id:12" and "mrn:12".
// Throws NotFound, or InputError when ambiguous.
Patient find_patient(Store& store, std::string_view text);

}  // namespace consilium::decision
