#pragma once
// Importing from the workstation: a DICOM folder or FHIR files, through the same library calls as
// `consilium-cli import` (everything read and checked before anything is written, so a malformed
// file changes nothing). Unlike the CLI, which takes any mix, the two are asked for apart: a JSON
// file in a DICOM folder (a converter's sidecar, say) is not taken for FHIR. run_import() is
// meant for a worker thread: it opens its own store connection, reports progress by phase and
// honours a cancel until writing starts (and between DICOM studies).
#include "consilium/decision/fhir_import.h"
#include "consilium/decision/session.h"

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace consilium::gui {

enum class ImportPhase {
    scanning,        // reading DICOM headers (files done of total)
    reading,         // parsing FHIR files
    checking,        // references, identities, UIDs: no progress count
    writing,         // FHIR files written
    copying_images,  // DICOM instances copied into the workspace
};

struct ImportReport {
    int fhir_files = 0;
    int patients = 0, events = 0, studies = 0, series = 0, instances = 0;  // in the input
    int patients_added = 0, events_added = 0, studies_added = 0, series_added = 0, instances_added = 0;
    std::vector<decision::ImportSkip> skipped;  // file and why (not timeline data, unreadable, not copied)
    bool cancelled = false;
    bool wrote_anything = false;  // false when refused or cancelled before writing: the workspace is as it was
    std::string error;            // the refusal, naming the file and what is wrong ("" when imported)
    bool ok() const { return error.empty() && !cancelled; }
};

struct ImportCallbacks {
    // From the worker thread (sometimes several at once while FHIR files are parsed).
    std::function<void(ImportPhase phase, std::size_t done, std::size_t total)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

enum class ImportKind {
    dicom,  // folders (or files) of DICOM images; anything else in them is listed as skipped, never parsed
    fhir,   // FHIR R4 files (Bundle, single resource or NDJSON), or folders of them
};

// The FHIR files among `paths`: a file is taken as given (a file that is not FHIR is refused with
// its name); a folder gives every .json and .ndjson file under it, in name order, and lists the
// others in `skipped` (a folder of exports often holds a README or a CSV beside the bundles).
std::vector<std::filesystem::path> fhir_files_in(const std::vector<std::filesystem::path>& paths,
                                                 std::vector<decision::ImportSkip>& skipped);

// Imports `paths` into the workspace at `workspace` as `session`'s user. Never throws: failures
// are in the report. FHIR takes files and folders (fhir_files_in).
ImportReport run_import(const std::filesystem::path& workspace, const decision::Session& session, ImportKind kind,
                        const std::vector<std::filesystem::path>& paths, const ImportCallbacks& callbacks = {});

}  // namespace consilium::gui
