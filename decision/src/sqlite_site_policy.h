#pragma once
// The SQLite site policy repository (private to the library; beside sqlite_store.h).
#include "consilium/decision/database.h"
#include "consilium/decision/store.h"

namespace consilium::decision::sqlite {

class SitePolicy final : public SitePolicyRepository {
public:
    explicit SitePolicy(Database& db) : db_(db) {}
    std::optional<std::string> find(std::string_view key) override;
    void put(std::string_view key, std::string_view value, const std::string& by, const std::string& at) override;

private:
    Database& db_;
};

}  // namespace consilium::decision::sqlite
