#pragma once
// A workspace is a folder holding consilium.db and the files the store manages (imported
// images, plugin outputs). Nothing of a patient's is written outside it except by an audited export.
#include "consilium/decision/store.h"

#include <filesystem>
#include <memory>

namespace consilium::decision {

class Workspace {
public:
    static constexpr const char* kDatabaseName = "consilium.db";

    // Creates the folder and the database (or opens and migrates an existing one).
    static Workspace create(const std::filesystem::path& folder);
    // Opens an existing workspace; NotFound with a hint when there is none.
    static Workspace open(const std::filesystem::path& folder);
    static bool exists(const std::filesystem::path& folder);

    const std::filesystem::path& folder() const { return folder_; }
    std::filesystem::path database() const { return folder_ / kDatabaseName; }
    Store& store() { return *store_; }

private:
    Workspace(std::filesystem::path folder, std::unique_ptr<Store> store)
        : folder_(std::move(folder)), store_(std::move(store)) {}
    std::filesystem::path folder_;
    std::unique_ptr<Store> store_;
};

}  // namespace consilium::decision
