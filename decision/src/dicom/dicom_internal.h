#pragma once
// Private pieces of the DICOM import (decision/src/dicom).
#include "consilium/decision/dicom_import.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::decision::dicom {

std::string trim(std::string s);  // blanks and NULs at either end, as DICOM pads values
// DA "YYYYMMDD" -> "YYYY-MM-DD"; nullopt when it is not a valid date.
std::optional<std::string> dicom_date(const std::string& da);

// The stored patient a DICOM PatientID names: the one with that MRN, else the one holding an
// identifier of that value (any system). Several holders: InputError naming `where`.
std::optional<Patient> patient_for_id(Store& store, const std::string& patient_id, const std::string& where);

// A UID as a folder or file name: itself when it is plainly safe ([A-Za-z0-9._-], not starting
// with a dot), else "uid-" and a hash of it - a hostile UID never climbs out of the workspace.
std::string path_component(const std::string& uid);

// images/<study>/<series>, relative to the workspace.
std::string series_folder(const std::string& study_uid, const std::string& series_uid);

enum class CopyOutcome { copied, already_there, differs };
// Copies `source` to `target` (through a temporary file and a rename, so a crash never leaves a
// half-written image) unless `target` exists; then tells whether the contents are identical.
CopyOutcome copy_instance(const std::filesystem::path& source, const std::filesystem::path& target);

// Number of *.dcm files in a folder (0 if it does not exist).
std::int64_t count_instances(const std::filesystem::path& folder);

// The study's place on the patient's timeline: kind imaging, coded by its modalities, shown by
// its description.
TimelineEvent study_event(const DicomStudyInput& study, std::int64_t patient_id);

// The deepest folder holding all of `files`.
std::filesystem::path common_folder(const std::vector<std::filesystem::path>& files);

}  // namespace consilium::decision::dicom
