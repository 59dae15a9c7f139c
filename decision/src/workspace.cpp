#include "consilium/decision/workspace.h"

#include "consilium/decision/errors.h"

namespace consilium::decision {
namespace {

// Absolute, so that every path built from it stays right whatever the working directory of the
// process it is handed to (a plugin runs in its own folder).
std::filesystem::path absolute_folder(const std::filesystem::path& folder) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(folder, ec);
    return ec ? folder : abs.lexically_normal();
}

}  // namespace

bool Workspace::exists(const std::filesystem::path& folder) {
    return std::filesystem::is_regular_file(folder / kDatabaseName);
}

Workspace Workspace::create(const std::filesystem::path& folder) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) throw StoreError(folder.string() + ": cannot create the workspace folder: " + ec.message());
    auto store = open_sqlite_store(folder / kDatabaseName, {.create = true});
    return Workspace(absolute_folder(folder), std::move(store));
}

Workspace Workspace::open(const std::filesystem::path& folder) {
    if (!exists(folder))
        throw NotFound("no workspace at " + folder.string() + " (create one with: consilium-cli --workspace " +
                       folder.string() + " init)");
    return Workspace(absolute_folder(folder), open_sqlite_store(folder / kDatabaseName, {}));
}

}  // namespace consilium::decision
