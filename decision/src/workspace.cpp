#include "consilium/decision/workspace.h"

#include "consilium/decision/errors.h"

namespace consilium::decision {

bool Workspace::exists(const std::filesystem::path& folder) {
    return std::filesystem::is_regular_file(folder / kDatabaseName);
}

Workspace Workspace::create(const std::filesystem::path& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) throw StoreError(folder.string() + ": cannot create the workspace folder: " + ec.message());
    auto store = open_sqlite_store(folder / kDatabaseName, {.create = true});
    return Workspace(folder, std::move(store));
}

Workspace Workspace::open(const std::filesystem::path& folder) {
    if (!exists(folder))
        throw NotFound("no workspace at " + folder.string() + " (create one with: consilium-cli --workspace " +
                       folder.string() + " init)");
    return Workspace(folder, open_sqlite_store(folder / kDatabaseName, {}));
}

}  // namespace consilium::decision
