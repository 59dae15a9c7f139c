#pragma once
// Stored DICOM text decoded again. Versions before schema 9 kept the bytes of names and
// descriptions as they were in the file, whatever its Specific Character Set, so "Buc^Jérôme" from
// an ISO_IR 100 file became an unreadable name. The workspace holds its own copy of every imported
// file: the names and descriptions are read again from those (by the caller's reader: decision/
// knows no DICOM parser) and rewritten, in one transaction with a `workspace.repair` audit entry.
#include "consilium/decision/dicom_import.h"
#include "consilium/decision/store.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace consilium::decision {

// What the repair needs from one file's header, decoded to UTF-8.
struct DicomTexts {
    DicomPatient patient;
    std::string study_description, series_description;
};
// Reads one file; nullopt when it cannot (the stored text is then left as it is).
using DicomTextReader = std::function<std::optional<DicomTexts>(const std::filesystem::path& file)>;

struct DicomTextRepair {
    bool done = false;                         // false: nothing was pending
    std::vector<std::int64_t> patients;        // patients whose name was rewritten
    int studies = 0, series = 0;               // descriptions rewritten
    std::vector<std::string> unreadable;       // series folders without a readable file
};

inline constexpr const char* kDicomTextRepair = "dicom-text";

// Runs the "dicom-text" repair when the store has it pending (Store::pending_repairs); otherwise
// does nothing. Only patients made from DICOM (no FHIR source) are renamed. Audited as
// `workspace.repair` by the user "consilium" (the program itself, before anyone logs in).
DicomTextRepair repair_dicom_text(Store& store, const std::filesystem::path& workspace, const DicomTextReader& read);

}  // namespace consilium::decision
