#pragma once
// decision/ names records by their ids in its messages ("suggestion 3: already decided",
// "meeting 1, patient 3: the board decision is empty") - right for logs and the CLI. The
// workstation says instead what the clinician sees: the patient, the finding.
#include <string>

namespace consilium::gui {

// `message` with a leading "suggestion N: ", "patient N: " or "meeting N, patient M: " replaced by
// "`seen`: "; unchanged when it names no record that way.
std::string in_users_words(const std::string& message, const std::string& seen);

}  // namespace consilium::gui
