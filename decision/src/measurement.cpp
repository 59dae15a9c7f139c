#include "consilium/decision/measurement.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>

namespace consilium::decision {
namespace {

constexpr std::array<std::string_view, 2> kKinds = {"distance", "region"};

std::string where(std::int64_t id) { return "measurement " + std::to_string(id); }

bool finite(const std::optional<double>& v) { return !v || std::isfinite(*v); }

void check(const Measurement& m) {
    const std::string at = "measurement on series " + m.series_uid;
    for (std::size_t a = 0; a < 3; ++a)
        if (!std::isfinite(m.from_lps[a]) || !std::isfinite(m.to_lps[a]))
            throw InputError(at, "its positions must be finite numbers (LPS, mm)");
    if (!finite(m.length_mm) || !finite(m.area_mm2) || !finite(m.mean) || !finite(m.sd))
        throw InputError(at, "its values must be finite numbers");
    if (m.kind == MeasurementKind::distance && !m.length_mm) throw InputError(at, "a distance needs its length (mm)");
    if ((m.length_mm && *m.length_mm < 0) || (m.area_mm2 && *m.area_mm2 < 0))
        throw InputError(at, "a length or an area cannot be negative");
    if (m.unit.size() > 32) throw InputError(at, "the unit is limited to 32 bytes");
}

// What the audit entry says about it: enough to see what was measured without the store.
nlohmann::json described(const Measurement& m) {
    nlohmann::json d{{"series_uid", m.series_uid}, {"kind", to_string(m.kind)}};
    if (m.length_mm) d["length_mm"] = *m.length_mm;
    if (m.area_mm2) d["area_mm2"] = *m.area_mm2;
    if (m.mean) d["mean"] = *m.mean;
    if (!m.unit.empty()) d["unit"] = m.unit;
    return d;
}

}  // namespace

std::string_view to_string(MeasurementKind kind) { return kKinds[static_cast<std::size_t>(kind)]; }

std::optional<MeasurementKind> measurement_kind_from_string(std::string_view text) {
    for (std::size_t i = 0; i < kKinds.size(); ++i)
        if (kKinds[i] == text) return static_cast<MeasurementKind>(i);
    return std::nullopt;
}

Measurement add_measurement(Store& store, const Session& session, Measurement m) {
    require(session, Permission::read_patients);
    check(m);
    m.user_name = session.user.name;
    m.created_at = utc_now();
    m.deleted_by.reset();
    m.deleted_at.reset();
    auto tx = store.begin();
    const auto series = store.imaging().find_series(m.series_uid);
    if (!series) throw NotFound("series " + m.series_uid + ": not in the workspace");
    m.id = store.measurements().insert(series->id, m);
    store.audit().append(
        audit_record(session, "measurement.add", "measurement", std::to_string(m.id), text::json_text(described(m))));
    tx->commit();
    return m;
}

void delete_measurement(Store& store, const Session& session, std::int64_t id) {
    require(session, Permission::read_patients);
    auto tx = store.begin();
    const auto m = store.measurements().find(id);
    if (!m || m->deleted_at) throw NotFound(where(id) + ": no such measurement");
    if (m->user_name != session.user.name)
        throw NotPermitted(where(id) + ": made by " + m->user_name + "; only they may delete it");
    store.measurements().mark_deleted(id, session.user.name, utc_now());
    store.audit().append(
        audit_record(session, "measurement.delete", "measurement", std::to_string(id), text::json_text(described(*m))));
    tx->commit();
}

std::vector<Measurement> my_measurements(Store& store, const Session& session, const std::string& series_uid) {
    require(session, Permission::read_patients);
    return store.measurements().of_series(series_uid, session.user.name);
}

std::vector<Measurement> series_measurements(Store& store, const Session& session, const std::string& series_uid) {
    require(session, Permission::read_patients);
    return store.measurements().of_series(series_uid, "");
}

}  // namespace consilium::decision
