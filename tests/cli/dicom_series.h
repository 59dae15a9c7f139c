#pragma once
// Writes small CT series with DCMTK for the CLI tests: axial slices 1 mm apart, with the patient
// and study fields a DICOM import reads. Positions are DICOM patient coordinates (LPS, mm).
#include <filesystem>
#include <string>
#include <vector>

namespace consilium::test::dicom {

struct SeriesSpec {
    std::string patient_id = "DCM-0001", patient_name = "DOE^JANE", birth_date = "19700315", sex = "F";
    std::string study_uid, series_uid;  // generated when empty
    std::string study_date = "20240102", study_description = "CT HEAD", accession = "ACC-1";
    std::string modality = "CT", series_description = "Axial 1mm";
    int slices = 4, rows = 6, columns = 8;
};

std::string new_uid();

// Writes one file per slice into `folder` (created), named slice-N.dcm; returns the files.
// Fills in generated UIDs in `spec`.
std::vector<std::filesystem::path> write_series(const std::filesystem::path& folder, SeriesSpec& spec);

}  // namespace consilium::test::dicom
