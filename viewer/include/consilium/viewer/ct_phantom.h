#pragma once
// A chest-like CT phantom written as a real DICOM series (CT Image Storage, one file per slice):
// body ellipse (40 HU), two lungs (-800 HU) holding three solid nodules (50 HU; 14, 9 and 7 mm),
// spine (1000 HU), ribs (700 HU), seeded noise.
// Deterministic for a given seed; used by the demo workspace and the load benchmark.
#include <filesystem>
#include <string>

namespace consilium::viewer {

struct PhantomOptions {
    int size = 512;            // rows = columns
    int slices = 300;
    double pixel_mm = 0.8;
    double slice_mm = 1.0;
    unsigned seed = 20261127;
    std::string patient_id = "PHANTOM0001";
    std::string patient_name = "PHANTOM^CHEST";
    std::string patient_birth_date;   // YYYYMMDD, optional
    std::string patient_sex;          // M, F, O, optional
    std::string study_description = "CT CHEST (phantom)";
    std::string study_date = "20261127";
};

// Writes CT0001.dcm ... into `folder` (created if missing). Returns the series instance UID.
std::string write_ct_phantom(const std::filesystem::path& folder, const PhantomOptions& options = {});

}  // namespace consilium::viewer
