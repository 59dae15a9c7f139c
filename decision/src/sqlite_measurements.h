#pragma once
// The SQLite measurement repository (private to the library; beside sqlite_store.h).
#include "consilium/decision/database.h"
#include "consilium/decision/measurement_record.h"

namespace consilium::decision::sqlite {

class Measurements final : public MeasurementRepository {
public:
    explicit Measurements(Database& db) : db_(db) {}
    std::int64_t insert(std::int64_t series_id, const Measurement& measurement) override;
    std::optional<Measurement> find(std::int64_t id) override;
    std::vector<Measurement> of_series(std::string_view series_uid, std::string_view user_name) override;
    void mark_deleted(std::int64_t id, const std::string& user_name, const std::string& at) override;
private:
    Database& db_;
};

}  // namespace consilium::decision::sqlite
