#pragma once
// The viewer's measurements kept in the workspace: per series and logged-in reader, every
// addition and deletion audited by decision/ (measurement.add / measurement.delete). Registers
// itself with the viewer for as long as it lives.
#include "model/measurement_keeper.h"
#include "model/viewer_model.h"
#include "model/workstation.h"

namespace consilium::gui {

class SeriesMeasurements final : public MeasurementKeeper {
public:
    SeriesMeasurements(ViewerModel& viewer, Workstation& workstation);
    ~SeriesMeasurements() override;
    SeriesMeasurements(const SeriesMeasurements&) = delete;
    SeriesMeasurements& operator=(const SeriesMeasurements&) = delete;

    std::vector<KeptMeasurement> recall(const std::string& series_uid) override;
    std::int64_t keep(const std::string& series_uid, const KeptMeasurement& measurement) override;
    bool forget(std::int64_t id) override;
    std::string problem() const override { return problem_; }

private:
    ViewerModel& viewer_;
    Workstation& workstation_;
    std::string problem_;
};

}  // namespace consilium::gui
