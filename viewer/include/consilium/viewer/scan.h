#pragma once
// Scanning: every DICOM file under a folder, grouped into studies and into series that are each
// one volume, slices sorted along the slice normal. Geometry problems are warnings on the series,
// never failures; files that cannot be used are listed with the reason.
#include "consilium/viewer/dicom_header.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace consilium::viewer {

// One slice of a series: a frame of a file.
struct SliceRef {
    std::size_t file = 0;  // index into ScanResult::files
    int frame = 0;
    int index = 0;         // k: where the slice sits in the volume (missing slices leave holes)
};

// One volume. A DICOM series that is really several volumes (several time points, orientations
// or image sizes) gives several of these with the same series_uid and a `part` saying which.
struct Series {
    std::string study_uid, series_uid, modality, description;
    std::optional<int> number;
    std::string part;                 // "" or e.g. "time point 3 of 10"
    std::vector<SliceRef> slices;     // sorted along the normal, lowest first
    std::array<int, 3> dims{};        // columns, rows, slices (including blank ones filling gaps)
    std::array<double, 3> spacing_mm{};  // between columns, between rows, between slices
    Vec3 origin_lps{};                // centre of voxel (0,0,0): the first slice's position
    std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};  // row by row; columns are the i, j, k axes
    double gantry_tilt_deg = 0.0;     // angle between the stack axis and the slice normal
    std::vector<std::string> warnings;
};

struct Study {
    std::string study_uid, patient_id, patient_name, date, description;  // UTF-8; the name in DICOM PN form
    std::vector<std::size_t> series;  // indexes into ScanResult::series
    std::string character_set;        // Specific Character Set (0008,0005) of its first file, as written
    std::vector<std::string> warnings;  // text that could not be decoded (U+FFFD put in its place)
};

struct Unreadable {
    std::filesystem::path path;
    std::string reason;
};

struct ScanResult {
    std::vector<DicomFile> files;
    std::vector<Series> series;
    std::vector<Study> studies;
    std::vector<Unreadable> unreadable;
};

struct ScanOptions {
    std::function<void(std::size_t done, std::size_t total)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

// A file or a folder (recursively). Headers only; all cores.
ScanResult scan(const std::filesystem::path& path, const ScanOptions& options = {});

// Groups already-read files into series and studies (used by scan; exposed for tests).
void build_series(ScanResult& result);

}  // namespace consilium::viewer
