#pragma once
// A reviewed image finding as DICOM objects a PACS files beside the images it was found on:
// - an SR "Imaging Measurement Report" (TID 1500, Comprehensive 3D SR): the reviewing clinician
//   and the algorithm as observers, the finding's concept (the clinician's when modified), its
//   region (centre point and ellipsoid in LPS mm in the series' frame of reference), the
//   confidence and the review decision; verified by the reviewer;
// - a binary SEG when the finding has a label mask: one segment, one frame per source slice the
//   finding covers, each referencing that slice.
// Both carry the patient and study of the source series and get new series; UIDs are 2.25 UUIDs.
//
// Plain data in, files out: no store access here. The caller reads the suggestion, the series'
// files and the mask (the CLI loads the NRRD with the viewer) and audits what it does with them.
#include "consilium/decision/measurement_record.h"
#include "consilium/decision/suggestion.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::pacs {

// A label volume in the geometry of the series a plugin ran on: voxels x fastest, then y, then z.
struct LabelMask {
    std::array<int, 3> dims{};
    std::array<double, 3> spacing_mm{1, 1, 1};
    std::array<double, 3> origin_lps{};                           // centre of voxel (0,0,0)
    std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1};  // row by row; columns are the i, j, k axes
    std::vector<std::int32_t> labels;
};

// The region a plugin gave as evidence: a box around the finding.
struct FindingRegion {
    std::array<double, 3> center_lps{};
    std::array<double, 3> size_mm{};
};

// What the evidence says, read from Suggestion::evidence_json.
struct FindingEvidence {
    std::optional<FindingRegion> region;
    std::optional<std::string> mask_file;  // relative to the workspace (evidence/run-N/mask.nrrd)
    std::optional<int> mask_label;         // when the plugin named the label of this finding
};
FindingEvidence read_finding_evidence(const decision::Suggestion& suggestion);

// Throws decision::InputError naming the suggestion when it may not leave the workspace as a
// finding: not accepted or modified, not an image finding (kind finding with a region).
void check_exportable(const decision::Suggestion& suggestion);

struct FindingExportRequest {
    decision::Suggestion suggestion;                   // as stored, with its review
    std::string algorithm_name;                        // the plugin's name, else its id
    std::string source_series_uid;                     // the series the plugin ran on
    std::vector<std::filesystem::path> source_files;   // every instance of that series
    std::optional<LabelMask> mask;                     // needed when the evidence names a mask
    std::string software_version;                      // Consilium's, for the equipment modules
    std::string institution = "Consilium workstation"; // the verifying observer's organization
    // The reviewer's own measurements on that series (distances, regions): part of the reading,
    // each written as a measurement group of its own beside the finding's.
    std::vector<decision::Measurement> measurements;
};

struct ExportedObject {
    std::filesystem::path file;
    std::string modality;  // SR or SEG
    std::string sop_class_uid, sop_instance_uid, series_uid;
};

struct FindingExport {
    std::string patient_id, study_uid, frame_of_reference_uid;
    ExportedObject sr;
    std::optional<ExportedObject> seg;
    int mask_label = 0;       // the label of the mask taken as this finding (0: no SEG)
    int source_slices = 0;    // instances of the source series
};

// Writes `out_dir`/sr.dcm and, with a mask, `out_dir`/seg.dcm (the folder is created). Each file is
// written under a temporary name and renamed once complete; on any failure nothing is left.
// Throws decision::InputError (refusals, naming the suggestion), decision::NotFound (source images
// missing) or std::runtime_error (DICOM encoding failed).
FindingExport export_finding(const FindingExportRequest& request, const std::filesystem::path& out_dir);

}  // namespace consilium::pacs
