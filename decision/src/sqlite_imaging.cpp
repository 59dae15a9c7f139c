#include "sqlite_store.h"

#include "consilium/text/utf8.h"

#include "consilium/decision/clinical_time.h"

namespace consilium::decision::sqlite {
namespace {

// Descriptions are read as UTF-8 even where an older record holds other bytes.
std::optional<std::string> readable(std::optional<std::string> v) {
    if (v) *v = text::valid_utf8(*v);
    return v;
}

constexpr const char* kStudyColumns = "SELECT id, patient_id, study_uid, study_date, description, accession FROM imaging_study ";
constexpr const char* kSeriesColumns =
    "SELECT id, study_id, series_uid, modality, description, instances, folder, geometry FROM imaging_series ";

ImagingStudy study_row(const Statement& s) {
    ImagingStudy st;
    st.id = s.int64(0);
    st.patient_id = s.int64(1);
    st.study_uid = s.text(2);
    st.date = s.optional_text(3);
    st.description = readable(s.optional_text(4));
    st.accession = s.optional_text(5);
    return st;
}

ImagingSeries series_row(const Statement& s) {
    ImagingSeries se;
    se.id = s.int64(0);
    se.study_id = s.int64(1);
    se.series_uid = s.text(2);
    se.modality = s.optional_text(3);
    se.description = readable(s.optional_text(4));
    se.instances = s.int64(5);
    se.folder = s.optional_text(6).value_or("");
    se.geometry_json = s.optional_text(7).value_or("{}");
    return se;
}

template <class T, class Read>
std::vector<T> all(Statement& s, Read read) {
    std::vector<T> out;
    while (s.step()) out.push_back(read(s));
    s.reset();
    return out;
}

template <class T, class Read>
std::optional<T> first(Statement& s, Read read) {
    std::optional<T> out;
    if (s.step()) out = read(s);
    s.reset();
    return out;
}

}  // namespace

std::optional<ImagingStudy> Imaging::find_study(std::string_view study_uid) {
    static const std::string sql = std::string(kStudyColumns) + "WHERE study_uid = ?1";
    return first<ImagingStudy>(db_.statement(sql.c_str()).bind(1, study_uid), study_row);
}

std::optional<ImagingStudy> Imaging::find_study_by_id(std::int64_t id) {
    static const std::string sql = std::string(kStudyColumns) + "WHERE id = ?1";
    return first<ImagingStudy>(db_.statement(sql.c_str()).bind(1, id), study_row);
}

std::vector<ImagingStudy> Imaging::studies_of(std::int64_t patient_id) {
    static const std::string sql = std::string(kStudyColumns) + "WHERE patient_id = ?1 ORDER BY id";
    return all<ImagingStudy>(db_.statement(sql.c_str()).bind(1, patient_id), study_row);
}

std::int64_t Imaging::insert_study(const ImagingStudy& st) {
    db_.statement(
           "INSERT INTO imaging_study(patient_id, study_uid, study_date, description, accession, created_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, st.patient_id).bind(2, st.study_uid).bind(3, st.date).bind(4, st.description).bind(5, st.accession)
        .bind(6, utc_now())
        .run();
    return db_.last_insert_rowid();
}

void Imaging::update_study(const ImagingStudy& st) {
    db_.statement(
           "UPDATE imaging_study SET patient_id = ?2, study_uid = ?3, study_date = ?4, description = ?5, accession = ?6 "
           "WHERE id = ?1")
        .bind(1, st.id).bind(2, st.patient_id).bind(3, st.study_uid).bind(4, st.date).bind(5, st.description)
        .bind(6, st.accession)
        .run();
}

std::optional<ImagingSeries> Imaging::find_series(std::string_view series_uid) {
    static const std::string sql = std::string(kSeriesColumns) + "WHERE series_uid = ?1";
    return first<ImagingSeries>(db_.statement(sql.c_str()).bind(1, series_uid), series_row);
}

std::vector<ImagingSeries> Imaging::series_of(std::int64_t study_id) {
    static const std::string sql = std::string(kSeriesColumns) + "WHERE study_id = ?1 ORDER BY id";
    return all<ImagingSeries>(db_.statement(sql.c_str()).bind(1, study_id), series_row);
}

std::int64_t Imaging::insert_series(const ImagingSeries& se) {
    db_.statement(
           "INSERT INTO imaging_series(study_id, series_uid, modality, description, instances, folder, geometry) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, se.study_id).bind(2, se.series_uid).bind(3, se.modality).bind(4, se.description)
        .bind(5, se.instances).bind(6, se.folder).bind(7, se.geometry_json)
        .run();
    return db_.last_insert_rowid();
}

void Imaging::update_series(const ImagingSeries& se) {
    db_.statement(
           "UPDATE imaging_series SET study_id = ?2, series_uid = ?3, modality = ?4, description = ?5, instances = ?6, "
           "folder = ?7, geometry = ?8 WHERE id = ?1")
        .bind(1, se.id).bind(2, se.study_id).bind(3, se.series_uid).bind(4, se.modality).bind(5, se.description)
        .bind(6, se.instances).bind(7, se.folder).bind(8, se.geometry_json)
        .run();
}

}  // namespace consilium::decision::sqlite
