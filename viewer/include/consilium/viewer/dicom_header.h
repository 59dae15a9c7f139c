#pragma once
// What a DICOM file says about its image(s), read from the header alone (no pixel data).
// Positions and directions are DICOM patient coordinates: LPS, millimetres.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::viewer {

using Vec3 = std::array<double, 3>;

// One 2D image: a classic single-frame file, or one frame of a multi-frame (enhanced) file.
struct Frame {
    int index = 0;                             // frame number within its file, from 0
    std::optional<Vec3> position_lps;          // ImagePositionPatient: centre of the first voxel, mm
    std::optional<std::array<double, 6>> orientation;  // ImageOrientationPatient: row then column direction
    std::optional<std::array<double, 2>> pixel_spacing_mm;  // between rows, between columns
    std::optional<double> slice_thickness_mm;
    double rescale_slope = 1.0;
    double rescale_intercept = 0.0;
    std::optional<int> temporal_position;      // (0020,0100) or the per-frame temporal index
};

struct DicomFile {
    std::filesystem::path path;
    std::string sop_class_uid, sop_instance_uid;
    std::string study_uid, series_uid, frame_of_reference_uid;
    std::string patient_id, patient_name, patient_birth_date, patient_sex;
    std::string study_date, study_time, study_description, accession_number;
    std::string series_description, modality;
    std::optional<int> series_number, instance_number, acquisition_number;
    std::string transfer_syntax_uid;
    int rows = 0, columns = 0, number_of_frames = 1;
    int bits_allocated = 0, bits_stored = 0, pixel_representation = 0, samples_per_pixel = 1;
    std::string photometric;
    std::optional<double> gantry_tilt_deg;     // (0018,1120)
    std::optional<double> pixel_padding_value;
    bool enhanced = false;                     // per-frame functional groups
    std::vector<Frame> frames;
    // Text is UTF-8, decoded by the file's Specific Character Set (0008,0005), kept here as written.
    // What could not be decoded became U+FFFD; each such attribute has a warning naming the file.
    std::string specific_character_set;
    std::vector<std::string> text_warnings;
};

// Reads the header; person names keep their groups (alphabetic=ideographic=phonetic). Throws std::runtime_error with a reason for a file that is not DICOM, is not
// an image, or whose header cannot be parsed.
DicomFile read_dicom_header(const std::filesystem::path& file);

// "JPEG 2000 (1.2.840.10008.1.2.4.90)" - a transfer syntax as people say it.
std::string describe_transfer_syntax(const std::string& uid);

}  // namespace consilium::viewer
