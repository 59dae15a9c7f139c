#pragma once
// UIDs for the DICOM objects Consilium creates: "2.25." followed by a UUID written as one decimal
// number (ISO/IEC 9834-8, DICOM PS3.5 B.2). No registered root is needed.
#include <string>
#include <string_view>

namespace consilium::pacs {

// A new UID from a random (version 4) UUID: two workstations never collide.
std::string new_dicom_uid();

// The same UID for the same name, always (a version 8 UUID from SHA-256 of the name): for things
// that keep their identity across exports, such as one version of a plugin as a device observer.
std::string dicom_uid_for_name(std::string_view name);

}  // namespace consilium::pacs
