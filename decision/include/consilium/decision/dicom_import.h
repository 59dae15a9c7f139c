#pragma once
// DICOM import into the workspace: studies and series the viewer's scan found, given here as
// plain data (decision/ knows nothing of the viewer). Per study, in one transaction with its
// `import.dicom` audit entry: the patient (found by PatientID, else created from the DICOM
// demographics), the study and series rows, and an `imaging` timeline event. The files are copied
// (never moved) into <workspace>/images/<study_uid>/<series_uid>/<SOPInstanceUID>.dcm first, so a
// committed row never points at a missing file. Re-importing the same UIDs adds nothing.
#include "consilium/decision/import_hooks.h"
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace consilium::decision {

// The patient module of a DICOM header, as written in the file.
struct DicomPatient {
    std::string patient_id;   // (0010,0020)
    std::string name;         // (0010,0010) PN: FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX
    std::string birth_date;   // (0010,0030) DA: YYYYMMDD
    std::string sex;          // (0010,0040) M | F | O
};

struct DicomInstanceFile {
    std::filesystem::path source;
    std::string sop_instance_uid;
};

struct DicomSeriesInput {
    std::string series_uid, modality, description;
    std::vector<DicomInstanceFile> files;  // one per instance
    std::string geometry_json = "{}";      // dims, spacing, origin, direction, warnings (from the scan)
};

struct DicomStudyInput {
    std::string study_uid, date /* YYYYMMDD */, description, accession;
    DicomPatient patient;
    std::vector<DicomSeriesInput> series;
};

struct DicomSkip {
    std::string path, reason;
};

struct DicomImportSummary {
    int patients = 0, studies = 0, series = 0, instances = 0;  // in the input
    int patients_added = 0, studies_added = 0, series_added = 0, instances_added = 0, events_added = 0;
    std::vector<DicomSkip> skipped;                            // instances not copied, with the reason
    bool cancelled = false;  // stopped by ImportHooks::cancel: only the first `studies` studies were imported
};

// A patient record from DICOM demographics: "DOE^JANE" -> name "Jane Doe" (all-capital parts are
// written in title case), 19610412 -> 1961-04-12, M/F/O -> male/female/other, mrn = PatientID.
Patient patient_from_dicom(const DicomPatient& dicom);

// Checks everything (PatientID present, no UID already held by another patient or study) before
// anything is written: an InputError names the file and leaves the workspace unchanged.
void check_dicom_import(Store& store, const std::vector<DicomStudyInput>& studies);

// Checks, then imports study by study. `workspace` is the folder the files are copied into.
// `hooks` reports instances copied; a cancel stops before the next study (those imported stay,
// each complete) and the summary says `cancelled`.
DicomImportSummary import_dicom(Store& store, const std::filesystem::path& workspace, const Session& session,
                                const std::vector<DicomStudyInput>& studies, const ImportHooks& hooks = {});

}  // namespace consilium::decision
