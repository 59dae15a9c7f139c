#include "sqlite_store.h"

namespace consilium::decision::sqlite {
namespace {

constexpr const char* kMeetingColumns = "SELECT id, name, meeting_date, created_by, created_at FROM mdt_meeting ";

Meeting meeting_row(const Statement& s) {
    return {s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4)};
}

}  // namespace

std::int64_t Meetings::insert(const Meeting& m) {
    db_.statement("INSERT INTO mdt_meeting(name, meeting_date, created_by, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, m.name).bind(2, m.date).bind(3, m.created_by).bind(4, m.created_at)
        .run();
    return db_.last_insert_rowid();
}

std::optional<Meeting> Meetings::find(std::int64_t id) {
    static const std::string sql = std::string(kMeetingColumns) + "WHERE id = ?1";
    auto& s = db_.statement(sql.c_str()).bind(1, id);
    std::optional<Meeting> out;
    if (s.step()) out = meeting_row(s);
    s.reset();
    return out;
}

std::vector<Meeting> Meetings::list() {
    static const std::string sql = std::string(kMeetingColumns) + "ORDER BY meeting_date, id";
    auto& s = db_.statement(sql.c_str());
    std::vector<Meeting> out;
    while (s.step()) out.push_back(meeting_row(s));
    s.reset();
    return out;
}

void Meetings::add_case(const MeetingCase& c) {
    db_.statement(
           "INSERT INTO mdt_case(meeting_id, position, patient_id, question, added_by, added_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, c.meeting_id).bind(2, c.position).bind(3, c.patient_id).bind(4, c.question).bind(5, c.added_by)
        .bind(6, c.added_at)
        .run();
}

std::vector<MeetingCase> Meetings::cases(std::int64_t meeting_id) {
    auto& s = db_.statement(
        "SELECT position, patient_id, question, added_by, added_at, decision_event_id, decided_by, decided_at "
        "FROM mdt_case WHERE meeting_id = ?1 ORDER BY position");
    s.bind(1, meeting_id);
    std::vector<MeetingCase> out;
    while (s.step())
        out.push_back({meeting_id, static_cast<int>(s.int64(0)), s.int64(1), s.text(2), s.text(3), s.text(4),
                       s.optional_int64(5), s.optional_text(6), s.optional_text(7)});
    s.reset();
    return out;
}

void Meetings::set_decision(std::int64_t meeting_id, std::int64_t patient_id, std::int64_t event_id,
                            const std::string& user_name, const std::string& decided_at) {
    db_.statement(
           "UPDATE mdt_case SET decision_event_id = ?3, decided_by = ?4, decided_at = ?5 "
           "WHERE meeting_id = ?1 AND patient_id = ?2")
        .bind(1, meeting_id).bind(2, patient_id).bind(3, event_id).bind(4, user_name).bind(5, decided_at)
        .run();
}

}  // namespace consilium::decision::sqlite
