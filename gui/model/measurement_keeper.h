#pragma once
// Where the viewer's measurements are kept beyond the volume on screen: the reading is part of
// the record, so a measurement made on a series comes back when that series is opened again.
// ViewerModel calls it; SeriesMeasurements answers from the workspace's store.
#include "consilium/viewer/volume.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace consilium::gui {

// What a measurement measured, as numbers (the label is written from these).
struct MeasuredValues {
    std::optional<double> length_mm;      // a distance
    std::optional<double> area_mm2;       // a region in one slice
    std::optional<double> mean, sd;       // a region's voxel values, in `unit`
    std::string unit;                     // "HU" for CT
};

struct KeptMeasurement {
    std::int64_t id = 0;
    viewer::Vec3 from_lps{}, to_lps{};    // patient coordinates (LPS, mm)
    bool region = false;                  // opposite corners of a region, else a distance's ends
    MeasuredValues values;
};

class MeasurementKeeper {
public:
    virtual ~MeasurementKeeper() = default;
    // The current reader's measurements on a series, oldest first.
    virtual std::vector<KeptMeasurement> recall(const std::string& series_uid) = 0;
    // Keeps a new one; its id, or 0 when it could not be kept (problem() says why).
    virtual std::int64_t keep(const std::string& series_uid, const KeptMeasurement& measurement) = 0;
    // Deletes a kept one; false when refused (problem() says why).
    virtual bool forget(std::int64_t id) = 0;
    virtual std::string problem() const = 0;
};

}  // namespace consilium::gui
