#include "model/import_job.h"

#include "model/translate.h"  // N_: the skip reasons are translated where shown (import_dialog)

#include <algorithm>
#include <cctype>

#include "import_sources.h"  // cli/: how `import` sorts its inputs into FHIR files and DICOM studies

#include "consilium/decision/dicom_import.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/workspace.h"

namespace consilium::gui {
namespace {

bool cancelled(const ImportCallbacks& c) { return c.cancel && c.cancel->load(); }

decision::ImportHooks hooks_for(const ImportCallbacks& c, ImportPhase phase) {
    decision::ImportHooks hooks;
    hooks.cancel = c.cancel;
    if (c.progress) hooks.progress = [&c, phase](std::size_t done, std::size_t total) { c.progress(phase, done, total); };
    return hooks;
}

}  // namespace

std::vector<std::filesystem::path> fhir_files_in(const std::vector<std::filesystem::path>& paths,
                                                 std::vector<decision::ImportSkip>& skipped) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (const auto& p : paths) {
        std::error_code ec;
        if (!fs::is_directory(p, ec)) {
            files.push_back(p);
            continue;
        }
        std::vector<fs::path> found;
        for (fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
             it.increment(ec)) {
            if (!it->is_regular_file(ec)) continue;
            std::string ext = it->path().extension().string();
            for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (ext == ".json" || ext == ".ndjson") found.push_back(it->path());
            else skipped.push_back({it->path().string(), N_("not FHIR (only .json and .ndjson files are read from a folder)")});
        }
        if (ec) throw decision::InputError(p.string(), "the folder cannot be read: " + ec.message());
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

ImportReport run_import(const std::filesystem::path& workspace, const decision::Session& session, ImportKind kind,
                        const std::vector<std::filesystem::path>& paths, const ImportCallbacks& callbacks) {
    ImportReport report;
    try {
        // Its own connection: SQLite connections are not shared across threads.
        auto ws = decision::Workspace::open(workspace);
        auto& store = ws.store();
        decision::require(session, decision::Permission::import_data);

        cli::ImportSources sources;
        std::vector<decision::ImportSkip> not_read;
        if (kind == ImportKind::fhir) {
            // Chosen files are taken as FHIR whatever their names (one that is not is refused with
            // its name); folders give their .json and .ndjson files.
            sources.fhir_files = fhir_files_in(paths, not_read);
        } else {
            viewer::ScanOptions scan;
            scan.cancel = callbacks.cancel;
            if (callbacks.progress)
                scan.progress = [&callbacks](std::size_t done, std::size_t total) {
                    callbacks.progress(ImportPhase::scanning, done, total);
                };
            std::vector<std::string> inputs;
            for (const auto& p : paths) inputs.push_back(p.string());
            try {
                sources = cli::gather_import_sources(inputs, scan);
            } catch (const decision::InputError&) {
                if (cancelled(callbacks)) throw decision::ImportCancelled();  // a scan stopped early finds nothing
                throw;
            }
            for (const auto& f : sources.fhir_files)
                not_read.push_back({f.string(), N_("not DICOM (a JSON file; FHIR is imported with Import FHIR files)")});
            sources.fhir_files.clear();
        }
        if (cancelled(callbacks)) throw decision::ImportCancelled();

        decision::FhirImport fhir(store);
        fhir.read_files(sources.fhir_files, hooks_for(callbacks, ImportPhase::reading));
        if (callbacks.progress) callbacks.progress(ImportPhase::checking, 0, 0);
        decision::check_dicom_import(store, sources.dicom_studies);
        if (cancelled(callbacks)) throw decision::ImportCancelled();

        // FHIR first, so the DICOM studies find the patients it brings.
        decision::ImportSummary s;
        if (!sources.fhir_files.empty()) s = fhir.commit(session, hooks_for(callbacks, ImportPhase::writing));
        report.wrote_anything = s.files > 0;
        auto d = decision::import_dicom(store, ws.folder(), session, sources.dicom_studies,
                                        hooks_for(callbacks, ImportPhase::copying_images));
        report.wrote_anything = report.wrote_anything || d.studies > 0;

        report.fhir_files = s.files;
        report.patients = s.patients + d.patients;
        report.events = s.events + d.studies;
        report.studies = d.studies;
        report.series = d.series;
        report.instances = d.instances;
        report.patients_added = s.patients_added + d.patients_added;
        report.events_added = s.events_added + d.events_added;
        report.studies_added = d.studies_added;
        report.series_added = d.series_added;
        report.instances_added = d.instances_added;
        report.skipped = s.skipped;
        report.skipped.insert(report.skipped.end(), not_read.begin(), not_read.end());
        for (const auto& k : sources.unreadable) report.skipped.push_back({k.path, k.reason});
        for (const auto& k : d.skipped) report.skipped.push_back({k.path, k.reason});
        report.cancelled = d.cancelled;
    } catch (const decision::ImportCancelled&) {
        report.cancelled = true;
    } catch (const std::exception& e) {
        report.error = e.what();
    }
    return report;
}

}  // namespace consilium::gui
