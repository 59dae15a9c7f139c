#pragma once
// The catalogue as the model's Translate (model/translate.h): its composed messages in the
// reader's language.
#include "model/translate.h"

#include <wx/intl.h>
#include <wx/string.h>

namespace consilium::gui {

inline Translate wx_translate() {
    return [](const std::string& text) { return wxGetTranslation(wxString::FromUTF8(text)).utf8_string(); };
}

}  // namespace consilium::gui
