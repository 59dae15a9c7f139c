#include "sqlite_store.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/text/utf8.h"

namespace consilium::decision::sqlite {
namespace {

constexpr const char* kColumns =
    "SELECT p.id, p.mrn, p.family, p.given, p.name, p.birth_date, p.sex, p.source_ref, p.content_hash, "
    "p.name_ideographic, p.name_phonetic, "
    "(SELECT count(*) FROM timeline_event e WHERE e.patient_id = p.id), "
    "(SELECT count(*) FROM imaging_study s WHERE s.patient_id = p.id) FROM patient p ";

Patient read_row(Statement& s) {
    Patient p;
    p.id = s.int64(0);
    // Names stored by versions that did not decode DICOM character sets may hold bytes that are not
    // UTF-8 (until the repair on opening rewrites them): shown with U+FFFD, never as an empty name.
    p.mrn = text::valid_utf8(s.text(1));
    p.family = text::valid_utf8(s.text(2));
    p.given = text::valid_utf8(s.text(3));
    p.name = text::valid_utf8(s.text(4));
    p.birth_date = s.optional_text(5);
    p.sex = s.optional_text(6);
    p.source_ref = s.optional_text(7);
    p.content_hash = s.optional_text(8);
    p.name_ideographic = s.optional_text(9).value_or("");
    p.name_phonetic = s.optional_text(10).value_or("");
    p.event_count = s.int64(11);
    p.study_count = s.int64(12);
    return p;
}

std::optional<std::string> optional_name(const std::string& s) {
    if (s.empty()) return std::nullopt;
    return s;
}

}  // namespace

std::optional<Patient> Patients::one(Statement& s) {
    std::optional<Patient> p;
    if (s.step()) p = read_row(s);
    s.reset();
    if (p) {
        auto& ids = db_.statement("SELECT system, value, type_code FROM patient_identifier WHERE patient_id = ?1");
        ids.bind(1, p->id);
        while (ids.step()) p->identifiers.push_back({ids.text(0), ids.text(1), ids.text(2)});
        ids.reset();
    }
    return p;
}

std::vector<Patient> Patients::list() {
    static const std::string sql = std::string(kColumns) + "ORDER BY p.id";
    auto& s = db_.statement(sql.c_str());
    std::vector<Patient> out;
    while (s.step()) out.push_back(read_row(s));
    s.reset();
    return out;
}

std::optional<Patient> Patients::find(std::int64_t id) {
    static const std::string sql = std::string(kColumns) + "WHERE p.id = ?1";
    return one(db_.statement(sql.c_str()).bind(1, id));
}

std::optional<Patient> Patients::find_by_mrn(std::string_view mrn) {
    static const std::string sql = std::string(kColumns) + "WHERE p.mrn = ?1";
    return one(db_.statement(sql.c_str()).bind(1, mrn));
}

std::optional<Patient> Patients::find_by_source(std::string_view source_ref) {
    static const std::string sql = std::string(kColumns) + "WHERE p.source_ref = ?1";
    return one(db_.statement(sql.c_str()).bind(1, source_ref));
}

std::optional<Patient> Patients::find_by_identifier(std::string_view system, std::string_view value) {
    static const std::string sql =
        std::string(kColumns) + "WHERE p.id = (SELECT patient_id FROM patient_identifier WHERE system = ?1 AND value = ?2)";
    return one(db_.statement(sql.c_str()).bind(1, system).bind(2, value));
}

std::vector<Patient> Patients::find_by_identifier_value(std::string_view value) {
    static const std::string sql =
        std::string(kColumns) + "WHERE p.id IN (SELECT patient_id FROM patient_identifier WHERE value = ?1) ORDER BY p.id";
    auto& s = db_.statement(sql.c_str()).bind(1, value);
    std::vector<Patient> out;
    while (s.step()) out.push_back(read_row(s));
    s.reset();
    return out;
}

std::int64_t Patients::insert(const Patient& p) {
    db_.statement(
           "INSERT INTO patient(mrn, family, given, name, birth_date, sex, source_ref, content_hash, resource_json, "
           "created_at, name_ideographic, name_phonetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
        .bind(1, p.mrn).bind(2, p.family).bind(3, p.given).bind(4, p.name).bind(5, p.birth_date).bind(6, p.sex)
        .bind(7, p.source_ref).bind(8, p.content_hash).bind(9, p.resource_json).bind(10, utc_now())
        .bind(11, optional_name(p.name_ideographic)).bind(12, optional_name(p.name_phonetic))
        .run();
    Patient stored = p;
    stored.id = db_.last_insert_rowid();
    write_identifiers(stored);
    return stored.id;
}

void Patients::update(const Patient& p) {
    db_.statement(
           "UPDATE patient SET mrn = ?2, family = ?3, given = ?4, name = ?5, birth_date = ?6, sex = ?7, "
           "source_ref = ?8, content_hash = ?9, resource_json = ?10, name_ideographic = ?11, name_phonetic = ?12 "
           "WHERE id = ?1")
        .bind(1, p.id).bind(2, p.mrn).bind(3, p.family).bind(4, p.given).bind(5, p.name).bind(6, p.birth_date)
        .bind(7, p.sex).bind(8, p.source_ref).bind(9, p.content_hash).bind(10, p.resource_json)
        .bind(11, optional_name(p.name_ideographic)).bind(12, optional_name(p.name_phonetic))
        .run();
    db_.statement("DELETE FROM patient_identifier WHERE patient_id = ?1").bind(1, p.id).run();
    write_identifiers(p);
}

void Patients::write_identifiers(const Patient& p) {
    // A value already linked to another patient keeps its first owner; the importer checks for
    // such clashes before writing and reports them.
    auto& s = db_.statement(
        "INSERT OR IGNORE INTO patient_identifier(patient_id, system, value, type_code) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& id : p.identifiers) s.bind(1, p.id).bind(2, id.system).bind(3, id.value).bind(4, id.type_code).run();
}

}  // namespace consilium::decision::sqlite
