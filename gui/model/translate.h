#pragma once
// Messages the model composes, in the reader's language. The model marks its words N_() for the
// catalogue (scripts/update-translations); where it composes a message from parts it takes a
// Translate from the view: the format is translated first and the parts (names, dates, what a
// plugin wrote) filled in after. Without one (tests, headless use) the words stay English.
#include <functional>
#include <initializer_list>
#include <string>

#ifndef N_
#define N_(text) text
#endif

namespace consilium::gui {

using Translate = std::function<std::string(const std::string&)>;

// `text` (a string marked N_) in the reader's language; unchanged without `translate`.
std::string tr(const Translate& translate, const std::string& text);

// `format` with each %s replaced by the next of `parts`, or %1$s, %2$s... by that part (a
// translation may put them in another order); %% is a percent sign.
std::string fill(const std::string& format, std::initializer_list<std::string> parts);

}  // namespace consilium::gui
