#pragma once
// Retrieving a study from a PACS node into a workspace: the one path `consilium-cli pacs retrieve`
// and the workstation's Query PACS dialog share.
//
// Instances go to a staging folder inside the workspace (<workspace>/.staging/pacs-...), each
// checked as it arrives; only when the whole study is there are the staged files imported exactly
// as `import` imports files (copied into images/, linked to the patient by PatientID, idempotent,
// audited import.dicom). Instances the workspace already holds are not fetched again. A failure
// anywhere - node unreachable, server gone mid-transfer, corrupt data, cancel - removes the staging
// folder, so nothing partial is left. Every attempt is audited `pacs.retrieve`, failures included.
#include "consilium/decision/dicom_import.h"
#include "consilium/decision/pacs_node_record.h"
#include "consilium/decision/session.h"
#include "consilium/decision/workspace.h"
#include "consilium/pacs/client.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace consilium::pacs {

struct WorkspaceRetrieval {
    std::string study_uid;
    std::string series_uid;  // "" for the whole study
    // Reads the DICOM headers of the staged folders into the study records decision/ imports;
    // throws for a file that is not usable DICOM. (Scanning lives in viewer/, which pacs/ does not
    // depend on: the CLI and the GUI pass the same scanner their `import` uses.)
    std::function<std::vector<decision::DicomStudyInput>(const std::vector<std::filesystem::path>&)> scan;
    std::function<void(const RetrieveProgress&)> progress;  // on the calling thread
    const std::atomic<bool>* cancel = nullptr;
    ClientSettings settings;
};

struct WorkspaceRetrieved {
    int received = 0, skipped = 0;  // instances fetched now, instances the workspace already held
    std::int64_t bytes = 0, duration_ms = 0;
    decision::DicomImportSummary imported;
};

// Needs the import permission. Throws what the client throws (PacsError, decision::NotFound) or
// the import refuses, after auditing the failure.
WorkspaceRetrieved retrieve_into_workspace(decision::Workspace& workspace, const decision::Session& session,
                                           const decision::PacsNode& node, const WorkspaceRetrieval& request);

}  // namespace consilium::pacs
