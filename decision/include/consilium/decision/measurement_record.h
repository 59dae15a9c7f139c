#pragma once
// A reader's measurements on a series as stored: plain data (measurement.h holds what may be done
// with them). decision/ knows no viewer types; the GUI converts to and from its rulers.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consilium::decision {

enum class MeasurementKind { distance, region };
std::string_view to_string(MeasurementKind kind);
std::optional<MeasurementKind> measurement_kind_from_string(std::string_view text);

struct Measurement {
    std::int64_t id = 0;
    std::string series_uid;
    std::string user_name;     // who measured (set by add_measurement from the session)
    MeasurementKind kind = MeasurementKind::distance;
    // A distance's two ends, or a region's opposite corners in the plane it was drawn in
    // (patient coordinates LPS, mm).
    std::array<double, 3> from_lps{}, to_lps{};
    std::optional<double> length_mm;  // a distance
    std::optional<double> area_mm2;   // a region in one slice
    std::optional<double> mean, sd;   // a region's voxel values, in `unit`
    std::string unit;                 // "HU" for CT; "" when the values have no unit
    std::string created_at;           // UTC ISO-8601
    std::optional<std::string> deleted_by, deleted_at;
};

class MeasurementRepository {
public:
    virtual ~MeasurementRepository() = default;
    virtual std::int64_t insert(std::int64_t series_id, const Measurement& measurement) = 0;  // returns the new id
    virtual std::optional<Measurement> find(std::int64_t id) = 0;
    // The standing (not deleted) measurements on a series, oldest first: of one user, or of all when "".
    virtual std::vector<Measurement> of_series(std::string_view series_uid, std::string_view user_name) = 0;
    virtual void mark_deleted(std::int64_t id, const std::string& user_name, const std::string& at) = 0;
};

}  // namespace consilium::decision
