#pragma once
// The imaging index: DICOM studies and series held in the workspace, linked to patients. Plain
// data only - what a series looks like as a volume is the viewer's business; here its geometry is
// kept as the JSON the importer was given.
#include <cstdint>
#include <optional>
#include <string>

namespace consilium::decision {

struct ImagingStudy {
    std::int64_t id = 0;          // the store's
    std::int64_t patient_id = 0;
    std::string study_uid;        // StudyInstanceUID
    std::optional<std::string> date;         // YYYY-MM-DD
    std::optional<std::string> description;
    std::optional<std::string> accession;
};

struct ImagingSeries {
    std::int64_t id = 0;          // the store's
    std::int64_t study_id = 0;
    std::string series_uid;       // SeriesInstanceUID
    std::optional<std::string> modality;
    std::optional<std::string> description;
    std::int64_t instances = 0;   // files held
    std::string folder;           // relative to the workspace: images/<study_uid>/<series_uid>
    std::string geometry_json = "{}";  // dims, spacing (mm), origin and direction (LPS), warnings
};

}  // namespace consilium::decision
