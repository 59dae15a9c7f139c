#pragma once
// Writes small DICOM images with DCMTK for tests: one slice per file, with exactly the geometry
// and identifiers a case asks for. Positions and directions are DICOM patient coordinates (LPS, mm).
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace consilium::test::dicom {

struct SliceSpec {
    std::string study_uid, series_uid;
    std::string patient_id = "CONS-TEST-1", patient_name = "Test^Patient";
    std::string modality = "MR";
    std::string sop_class_uid = "1.2.840.10008.5.1.4.1.1.4";  // MR Image Storage
    std::array<double, 3> position_lps{0, 0, 0};                // ImagePositionPatient, mm
    std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};        // row direction, then column direction
    std::array<double, 2> pixel_spacing_mm{1, 1};               // between rows, between columns
    int rows = 6, columns = 8;
    std::optional<int> instance_number, series_number, temporal_position;
    std::optional<double> gantry_tilt_deg, slice_thickness_mm;
    bool pixel_data = true;  // false: the file has no Pixel Data element at all
    std::uint16_t seed = 0;  // pixel values are seed + index
};

// A new, unique DICOM UID.
std::string new_uid();

// The Decimal String text written for `v` (at most 16 characters), and the number a reader gets
// back from that text: what "exactly as constructed" means for a value that went through DS.
std::string ds(double v);
double ds_value(double v);

// Writes one slice as Explicit VR Little Endian, with a file meta header. Throws on failure.
void write_slice(const std::filesystem::path& file, const SliceSpec& spec);

}  // namespace consilium::test::dicom
