#pragma once
// What `import` was given, sorted per file: FHIR (*.json, *.ndjson) for the FHIR importer,
// everything else scanned as DICOM (headers only) and turned into the plain study records the
// decision library imports. This is where viewer/ and decision/ meet for DICOM import.
#include "consilium/decision/dicom_import.h"
#include "consilium/decision/dicom_text_repair.h"
#include "consilium/decision/workspace.h"
#include "consilium/viewer/scan.h"

#include <filesystem>
#include <string>
#include <vector>

namespace consilium::cli {

struct ImportSources {
    std::vector<std::filesystem::path> fhir_files;
    std::vector<decision::DicomStudyInput> dicom_studies;
    std::vector<decision::DicomSkip> unreadable;  // files that are neither FHIR nor usable DICOM
    std::vector<std::string> text_warnings;       // DICOM text that could not be decoded (U+FFFD put in)
};

bool is_fhir_file_name(const std::filesystem::path& path);

// Throws InputError for a path that does not exist, or holds neither FHIR nor DICOM data.
// `scan` (progress, cancel) is handed to the DICOM scan; a cancelled scan returns what it found so far.
ImportSources gather_import_sources(const std::vector<std::string>& paths, const viewer::ScanOptions& scan = {});

// What a PACS retrieve staged, as study records (pacs::WorkspaceRetrieval::scan): every file must
// be usable DICOM; an InputError names the first that is not.
std::vector<decision::DicomStudyInput> scan_staged_dicom(const std::vector<std::filesystem::path>& folders);

// The patient and descriptions of one file, decoded by its character set (the repair's reader).
std::optional<decision::DicomTexts> read_dicom_texts(const std::filesystem::path& file);

// Runs the repairs a schema migration left pending (names and descriptions of DICOM imported by
// earlier versions decoded again). Returns what to tell the user, "" when nothing was pending.
std::string repair_workspace(decision::Workspace& workspace);

}  // namespace consilium::cli
