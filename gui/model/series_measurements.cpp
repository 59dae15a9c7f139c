#include "model/series_measurements.h"

#include "model/translate.h"
#include "consilium/decision/measurement.h"

#include <exception>

namespace consilium::gui {
namespace {

KeptMeasurement from_record(const decision::Measurement& m) {
    KeptMeasurement k;
    k.id = m.id;
    k.from_lps = m.from_lps;
    k.to_lps = m.to_lps;
    k.region = m.kind == decision::MeasurementKind::region;
    k.values = {m.length_mm, m.area_mm2, m.mean, m.sd, m.unit};
    return k;
}

decision::Measurement to_record(const std::string& series_uid, const KeptMeasurement& k) {
    decision::Measurement m;
    m.series_uid = series_uid;
    m.kind = k.region ? decision::MeasurementKind::region : decision::MeasurementKind::distance;
    m.from_lps = k.from_lps;
    m.to_lps = k.to_lps;
    m.length_mm = k.values.length_mm;
    m.area_mm2 = k.values.area_mm2;
    m.mean = k.values.mean;
    m.sd = k.values.sd;
    m.unit = k.values.unit;
    return m;
}

}  // namespace

SeriesMeasurements::SeriesMeasurements(ViewerModel& viewer, Workstation& workstation)
    : viewer_(viewer), workstation_(workstation) {
    viewer_.set_keeper(this);
}

SeriesMeasurements::~SeriesMeasurements() { viewer_.set_keeper(nullptr); }

std::vector<KeptMeasurement> SeriesMeasurements::recall(const std::string& series_uid) {
    std::vector<KeptMeasurement> out;
    if (!workstation_.logged_in() || series_uid.empty()) return out;
    try {
        for (const auto& m : decision::my_measurements(workstation_.store(), workstation_.session(), series_uid))
            out.push_back(from_record(m));
        problem_.clear();
    } catch (const std::exception& e) {
        problem_ = e.what();
    }
    return out;
}

std::int64_t SeriesMeasurements::keep(const std::string& series_uid, const KeptMeasurement& measurement) {
    if (!workstation_.logged_in()) {
        problem_ = tr(workstation_.translate(), N_("not logged in"));
        return 0;
    }
    try {
        const auto m = decision::add_measurement(workstation_.store(), workstation_.session(), to_record(series_uid, measurement));
        problem_.clear();
        return m.id;
    } catch (const std::exception& e) {
        problem_ = e.what();
        return 0;
    }
}

bool SeriesMeasurements::forget(std::int64_t id) {
    if (!workstation_.logged_in()) {
        problem_ = tr(workstation_.translate(), N_("not logged in"));
        return false;
    }
    try {
        decision::delete_measurement(workstation_.store(), workstation_.session(), id);
        problem_.clear();
        return true;
    } catch (const std::exception& e) {
        problem_ = e.what();
        return false;
    }
}

}  // namespace consilium::gui
