#include "commands.h"

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

int cmd_import(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {});
    if (args.positional.empty()) throw UsageError("import needs at least one file or folder");
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    require(session, Permission::import_data);
    auto s = import_fhir_paths(ws.store(), session, args.positional);
    if (ctx.json) {
        auto skipped = nlohmann::json::array();
        for (const auto& k : s.skipped) skipped.push_back({{"path", k.path}, {"reason", k.reason}});
        ctx.print_json({{"files", s.files},
                        {"patients", s.patients},
                        {"events", s.events},
                        {"studies", 0},
                        {"series", 0},
                        {"instances", 0},
                        {"events_by_kind", s.events_by_kind},
                        {"added", {{"patients", s.patients_added}, {"events", s.events_added}}},
                        {"updated", {{"patients", s.patients_updated}, {"events", s.events_updated}}},
                        {"unchanged", {{"events", s.events_unchanged}}},
                        {"skipped", skipped}});
    } else {
        std::cout << "Imported " << s.files << " file(s): " << s.patients << " patient(s), " << s.events
                  << " timeline event(s) (" << s.events_added << " new, " << s.events_updated << " updated, "
                  << s.events_unchanged << " already present).\n";
        std::size_t skipped = s.skipped.size();
        if (skipped) std::cout << "Skipped (not timeline data): " << skipped << " group(s); --json lists them.\n";
    }
    return 0;
}

}  // namespace consilium::cli
