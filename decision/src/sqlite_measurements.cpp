#include "sqlite_measurements.h"

#include "consilium/decision/errors.h"

namespace consilium::decision::sqlite {
namespace {

constexpr const char* kColumns =
    "SELECT m.id, s.series_uid, m.user_name, m.kind, m.from_x, m.from_y, m.from_z, m.to_x, m.to_y, m.to_z, "
    "m.length_mm, m.area_mm2, m.mean, m.sd, m.unit, m.created_at, m.deleted_by, m.deleted_at "
    "FROM measurement m JOIN imaging_series s ON s.id = m.series_id ";

Measurement row(const Statement& s) {
    Measurement m;
    m.id = s.int64(0);
    m.series_uid = s.text(1);
    m.user_name = s.text(2);
    m.kind = measurement_kind_from_string(s.text_view(3)).value_or(MeasurementKind::distance);
    for (int a = 0; a < 3; ++a) {
        m.from_lps[static_cast<std::size_t>(a)] = s.real(4 + a);
        m.to_lps[static_cast<std::size_t>(a)] = s.real(7 + a);
    }
    m.length_mm = s.optional_real(10);
    m.area_mm2 = s.optional_real(11);
    m.mean = s.optional_real(12);
    m.sd = s.optional_real(13);
    m.unit = s.text(14);
    m.created_at = s.text(15);
    m.deleted_by = s.optional_text(16);
    m.deleted_at = s.optional_text(17);
    return m;
}

}  // namespace

std::int64_t Measurements::insert(std::int64_t series_id, const Measurement& m) {
    db_.statement(
           "INSERT INTO measurement(series_id, user_name, kind, from_x, from_y, from_z, to_x, to_y, to_z, "
           "length_mm, area_mm2, mean, sd, unit, created_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")
        .bind(1, series_id).bind(2, m.user_name).bind(3, to_string(m.kind))
        .bind(4, m.from_lps[0]).bind(5, m.from_lps[1]).bind(6, m.from_lps[2])
        .bind(7, m.to_lps[0]).bind(8, m.to_lps[1]).bind(9, m.to_lps[2])
        .bind(10, m.length_mm).bind(11, m.area_mm2).bind(12, m.mean).bind(13, m.sd).bind(14, m.unit)
        .bind(15, m.created_at)
        .run();
    return db_.last_insert_rowid();
}

std::optional<Measurement> Measurements::find(std::int64_t id) {
    static const std::string sql = std::string(kColumns) + "WHERE m.id = ?1";
    auto& s = db_.statement(sql.c_str()).bind(1, id);
    std::optional<Measurement> out;
    if (s.step()) out = row(s);
    s.reset();
    return out;
}

std::vector<Measurement> Measurements::of_series(std::string_view series_uid, std::string_view user_name) {
    static const std::string sql = std::string(kColumns) +
                                   "WHERE s.series_uid = ?1 AND (?2 = '' OR m.user_name = ?2) AND m.deleted_at IS NULL "
                                   "ORDER BY m.id";
    auto& s = db_.statement(sql.c_str()).bind(1, series_uid).bind(2, user_name);
    std::vector<Measurement> out;
    while (s.step()) out.push_back(row(s));
    s.reset();
    return out;
}

void Measurements::mark_deleted(std::int64_t id, const std::string& user_name, const std::string& at) {
    db_.statement("UPDATE measurement SET deleted_by = ?2, deleted_at = ?3 WHERE id = ?1 AND deleted_at IS NULL")
        .bind(1, id).bind(2, user_name).bind(3, at)
        .run();
    if (db_.changes() == 0) throw NotFound("measurement " + std::to_string(id) + ": no such measurement");
}

}  // namespace consilium::decision::sqlite
