#pragma once
// HL7 FHIR R4 import into patients and the timeline.
//
// Three phases, so a bad file changes nothing: read (parse and type-check every file, no writes),
// resolve (every subject reference must reach a patient in these files or in the store), then
// write - one transaction per file, each with its audit entry. Re-importing identical resources
// changes nothing: resources are matched by identity (Type/id, else the entry's fullUrl).
#include "consilium/decision/import_hooks.h"
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace consilium::decision {

struct ImportSkip {
    std::string path;    // the file
    std::string reason;  // "42 Claim resources (not a timeline type)"
};

struct ImportSummary {
    int files = 0;
    int patients = 0;  // patient records in the input
    int events = 0;    // timeline events in the input
    int patients_added = 0, patients_updated = 0;
    int events_added = 0, events_updated = 0, events_unchanged = 0;
    std::map<std::string, int> events_by_kind;  // in the input
    std::vector<ImportSkip> skipped;
};

class FhirImport {
public:
    explicit FhirImport(Store& store);
    ~FhirImport();
    FhirImport(const FhirImport&) = delete;
    FhirImport& operator=(const FhirImport&) = delete;

    // Phase 1. Accepts a Bundle, a single resource, or NDJSON. Throws InputError naming the file
    // and the place (line/column and byte offset for JSON syntax, entry index and field for content).
    void read_file(const std::filesystem::path& file);
    void read_text(const std::string& name, std::string text);
    // Phase 1 for many files, parsed on all cores; the error reported is that of the first bad
    // file in the given order, as if they had been read one by one. `hooks` reports files read;
    // a cancel throws ImportCancelled once the files being parsed are done.
    void read_files(const std::vector<std::filesystem::path>& files, const ImportHooks& hooks = {});

    // Phases 2 and 3. Throws InputError (dangling reference, conflicting identity) before writing anything.
    // `hooks` reports files written; a cancel before writing starts throws ImportCancelled; once
    // writing has started (one short transaction per file) it runs to the end.
    ImportSummary commit(const Session& session, const ImportHooks& hooks = {});

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Every *.json / *.ndjson below `path` (recursively, sorted), or `path` itself if it is a file.
std::vector<std::filesystem::path> fhir_files(const std::filesystem::path& path);

}  // namespace consilium::decision
