#pragma once
// Private pieces of the finding export: the source series as DICOM saw it, codes, and the two writers.
#include "consilium/pacs/finding_export.h"

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace consilium::pacs::detail {

// One image of the series the finding was made on.
struct SourceImage {
    std::filesystem::path file;
    std::string sop_class_uid, sop_instance_uid;
    std::array<double, 3> position{};  // ImagePositionPatient, LPS mm
    std::string position_text;         // as stored, so the SEG repeats it exactly
};

struct SourceSeries {
    std::string patient_id, study_uid, series_uid, frame_of_reference_uid, modality;
    std::array<double, 6> orientation{};  // ImageOrientationPatient: row then column direction
    std::string orientation_text, pixel_spacing_text, slice_thickness_text;
    std::array<double, 2> pixel_spacing{};  // between rows, between columns (DICOM order)
    int rows = 0, columns = 0;
    std::vector<SourceImage> images;  // sorted along the slice normal, lowest first
    // The study's text in UTF-8, decoded by the source's Specific Character Set: the SR and SEG are
    // written in ISO_IR 192, so what was copied from the source is replaced by these.
    std::string patient_name, referring_physician, study_id, accession, study_description;
};

// Reads the headers of every file (pixel data left on disk). `who` names the suggestion in
// messages. Throws NotFound when files are missing, InputError when they are not one
// single-frame image series with geometry.
SourceSeries read_source_series(const std::vector<std::filesystem::path>& files, const std::string& series_uid,
                                const std::string& who);

// The images nearest to a box (centre, size) along the normal: those the region spans, at least one.
std::vector<const SourceImage*> images_spanned(const SourceSeries& series, const FindingRegion& region);

// A concept as DICOM codes it: a FHIR system URI becomes its DICOM coding scheme designator.
struct DicomCode {
    std::string value, scheme, meaning;
};
DicomCode dicom_code(const decision::Coding& coding);
// The 99CONSILIUM local codes of the review decision.
inline constexpr const char* kLocalScheme = "99CONSILIUM";

// DICOM DT (YYYYMMDDHHMMSS, local time) from the store's ISO-8601 UTC time; "" when it cannot be read.
std::string dicom_datetime(const std::string& iso);

// Which slice of the source series each mask slice k is; -1 where none lies within tolerance.
// Throws InputError when the mask's in-plane geometry is not the series' own.
std::vector<int> mask_slices_in_series(const LabelMask& mask, const SourceSeries& series, const std::string& who);

struct SrInput {
    const FindingExportRequest* request = nullptr;
    const SourceSeries* series = nullptr;
    FindingRegion region;
    std::vector<const SourceImage*> images;  // the image library: what the region spans
    const ExportedObject* seg = nullptr;     // its segment 1 is this finding
    std::string series_uid, sop_instance_uid, tracking_uid;
};
void write_finding_sr(const SrInput& in, const std::filesystem::path& file);

struct SegInput {
    const FindingExportRequest* request = nullptr;
    const SourceSeries* series = nullptr;
    int label = 0;
    std::vector<int> slice_of_k;  // from mask_slices_in_series
    std::string series_uid, sop_instance_uid, tracking_uid;
};
// Returns the number of frames written.
int write_finding_seg(const SegInput& in, const std::filesystem::path& file);

}  // namespace consilium::pacs::detail
