#pragma once
// UTF-8 as the one text encoding inside Consilium. Text that arrives from outside (DICOM files,
// FHIR, plugins, old workspaces) may hold bytes that are not UTF-8; these functions find them and
// replace them, so nothing that prints or stores text ever fails on them.
#include <string>
#include <string_view>

namespace consilium::text {

// The replacement character U+FFFD, as UTF-8.
inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// `s` with every ill-formed sequence replaced by U+FFFD (one per maximal ill-formed subpart, as
// Unicode recommends); valid text is returned unchanged.
std::string valid_utf8(std::string_view s);

// True when every byte is 7-bit ASCII.
bool is_ascii(std::string_view s);

}  // namespace consilium::text
