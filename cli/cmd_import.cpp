#include "commands.h"
#include "import_sources.h"

#include "consilium/decision/dicom_import.h"
#include "consilium/decision/errors.h"
#include "consilium/decision/fhir_import.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace consilium::cli {

using namespace consilium::decision;

ImportSummary import_fhir_paths(Store& store, const Session& session, const std::vector<std::string>& paths) {
    std::vector<std::filesystem::path> files;
    for (const auto& path : paths) {
        if (!std::filesystem::exists(path)) throw InputError(path, "no such file or folder");
        for (auto& file : fhir_files(path)) files.push_back(std::move(file));
    }
    FhirImport import(store);
    import.read_files(files);
    return import.commit(session);
}

// FHIR and DICOM together. Everything is read and checked before anything is written, so a bad
// FHIR file or a DICOM study without PatientID leaves the workspace as it was. FHIR is written
// first, so DICOM finds the patients it brings.
int cmd_import(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {});
    if (args.positional.empty()) throw UsageError("import needs at least one file or folder");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::import_data);
    auto sources = gather_import_sources(args.positional);
    FhirImport fhir(ws.store());
    fhir.read_files(sources.fhir_files);
    check_dicom_import(ws.store(), sources.dicom_studies);
    ImportSummary s = sources.fhir_files.empty() ? ImportSummary{} : fhir.commit(session);
    DicomImportSummary d = import_dicom(ws.store(), ws.folder(), session, sources.dicom_studies);

    auto skipped = nlohmann::json::array();
    for (const auto& k : s.skipped) skipped.push_back({{"path", k.path}, {"reason", k.reason}});
    for (const auto& k : sources.unreadable) skipped.push_back({{"path", k.path}, {"reason", k.reason}});
    for (const auto& k : d.skipped) skipped.push_back({{"path", k.path}, {"reason", k.reason}});
    if (ctx.json) {
        auto by_kind = nlohmann::json(s.events_by_kind);
        if (d.studies) by_kind["imaging"] = by_kind.value("imaging", 0) + d.studies;
        ctx.print_json({{"files", s.files},
                        {"patients", s.patients + d.patients},
                        {"events", s.events + d.studies},
                        {"studies", d.studies},
                        {"series", d.series},
                        {"instances", d.instances},
                        {"events_by_kind", by_kind},
                        {"added",
                         {{"patients", s.patients_added + d.patients_added},
                          {"events", s.events_added + d.events_added},
                          {"studies", d.studies_added},
                          {"series", d.series_added},
                          {"instances", d.instances_added}}},
                        {"updated", {{"patients", s.patients_updated}, {"events", s.events_updated}}},
                        {"unchanged", {{"events", s.events_unchanged}}},
                        {"skipped", skipped},
                        {"warnings", sources.text_warnings}});
        return 0;
    }
    if (s.files)
        std::cout << "Imported " << s.files << " FHIR file(s): " << s.patients << " patient(s), " << s.events
                  << " timeline event(s) (" << s.events_added << " new, " << s.events_updated << " updated, "
                  << s.events_unchanged << " already present).\n";
    if (d.studies)
        std::cout << "Imported DICOM: " << d.studies << " study(ies), " << d.series << " series, " << d.instances
                  << " instance(s) (" << d.studies_added << " new studies, " << d.series_added << " new series, "
                  << d.instances_added << " new files; " << d.patients_added << " new patient(s)).\n";
    for (const auto& w : sources.text_warnings) std::cout << "warning: " << w << '\n';
    if (!s.skipped.empty()) std::cout << "Skipped (not timeline data): " << s.skipped.size() << " group(s); --json lists them.\n";
    std::vector<DicomSkip> unused = sources.unreadable;
    unused.insert(unused.end(), d.skipped.begin(), d.skipped.end());
    constexpr std::size_t kShown = 10;
    for (std::size_t i = 0; i < unused.size() && i < kShown; ++i)
        std::cout << "Skipped " << unused[i].path << ": " << unused[i].reason << '\n';
    if (unused.size() > kShown) std::cout << "... and " << unused.size() - kShown << " more file(s); --json lists them.\n";
    return 0;
}

}  // namespace consilium::cli
