#include "consilium/decision/mdt.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/crypto.h"
#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace consilium::decision {
namespace {

constexpr std::size_t kMaxName = 200;       // a meeting's or an attendee's name
constexpr std::size_t kMaxQuestion = 4000;  // a question is a few sentences
constexpr std::size_t kMaxDecision = 16000; // a decision may run to a paragraph or two, not a report
constexpr std::size_t kMaxAttendees = 100;

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string meeting_where(std::int64_t id) { return "meeting " + std::to_string(id); }

Meeting existing_meeting(Store& store, std::int64_t id) {
    auto m = store.meetings().find(id);
    if (!m) throw NotFound(meeting_where(id) + ": no such MDT meeting");
    return *m;
}

// The timeline's one-line headline: which board, and the decision's first line.
std::string headline(const Meeting& meeting, const std::string& text) {
    std::string first = text.substr(0, text.find('\n'));
    if (first.size() > 160) first = first.substr(0, 157) + "...";
    return "MDT " + meeting.name + " (" + meeting.date + "): " + first;
}

}  // namespace

Meeting create_meeting(Store& store, const Session& session, const std::string& name, const std::string& date) {
    require(session, Permission::hold_meetings);
    Meeting m;
    m.name = trimmed(name);
    m.date = trimmed(date);
    if (m.name.empty()) throw InputError("MDT meeting", "the meeting needs a name");
    if (m.name.size() > kMaxName)
        throw InputError("MDT meeting", "the name is limited to " + std::to_string(kMaxName) + " bytes");
    if (m.date.size() != 10 || !is_fhir_date(m.date))
        throw InputError("MDT meeting '" + m.name + "'", "the date '" + m.date + "' is not a date (YYYY-MM-DD)");
    m.created_by = session.user.name;
    m.created_at = utc_now();

    auto tx = store.begin();
    m.id = store.meetings().insert(m);
    nlohmann::json details{{"name", m.name}, {"date", m.date}};
    store.audit().append(audit_record(session, "mdt.create", "meeting", std::to_string(m.id), text::json_text(details)));
    tx->commit();
    return m;
}

MeetingCase add_meeting_case(Store& store, const Session& session, std::int64_t meeting_id, std::int64_t patient_id,
                             const std::string& question) {
    require(session, Permission::read_patients);
    require(session, Permission::hold_meetings);
    MeetingCase c;
    c.meeting_id = meeting_id;
    c.patient_id = patient_id;
    c.question = trimmed(question);
    if (c.question.size() > kMaxQuestion)
        throw InputError(meeting_where(meeting_id), "the question is limited to " + std::to_string(kMaxQuestion) + " bytes");

    auto tx = store.begin();
    const Meeting meeting = existing_meeting(store, meeting_id);
    const auto patient = store.patients().find(patient_id);
    if (!patient) throw NotFound("patient " + std::to_string(patient_id) + ": not in the workspace");
    const auto cases = store.meetings().cases(meeting_id);
    if (std::any_of(cases.begin(), cases.end(), [&](const MeetingCase& k) { return k.patient_id == patient_id; }))
        throw InputError(meeting_where(meeting_id) + " (" + meeting.name + ")",
                         patient->name + " (" + patient->mrn + ") is already on the case list");
    c.position = cases.empty() ? 1 : cases.back().position + 1;
    c.added_by = session.user.name;
    c.added_at = utc_now();
    store.meetings().add_case(c);
    nlohmann::json details{{"patient_id", patient_id}, {"mrn", patient->mrn}, {"position", c.position},
                           {"question", c.question}};
    store.audit().append(audit_record(session, "mdt.case.add", "meeting", std::to_string(meeting_id), text::json_text(details)));
    tx->commit();
    return c;
}

TimelineEvent record_board_decision(Store& store, const Session& session, std::int64_t meeting_id, std::int64_t patient_id,
                                    const std::string& text, const std::vector<std::string>& attendees) {
    require(session, Permission::hold_meetings);
    const std::string where = meeting_where(meeting_id) + ", patient " + std::to_string(patient_id);
    const std::string decision = trimmed(text);
    if (decision.empty()) throw InputError(where, "the board decision is empty");
    if (decision.size() > kMaxDecision)
        throw InputError(where, "the decision is limited to " + std::to_string(kMaxDecision) + " bytes");
    std::vector<std::string> present;
    for (const auto& a : attendees) {
        auto name = trimmed(a);
        if (name.empty() || std::find(present.begin(), present.end(), name) != present.end()) continue;
        if (name.size() > kMaxName)
            throw InputError(where, "an attendee's name is limited to " + std::to_string(kMaxName) + " bytes");
        present.push_back(std::move(name));
    }
    if (present.empty()) throw InputError(where, "name at least one attendee of the board");
    if (present.size() > kMaxAttendees)
        throw InputError(where, "at most " + std::to_string(kMaxAttendees) + " attendees are recorded");

    auto tx = store.begin();
    // Read inside the write transaction: two workstations cannot both decide the same case.
    const Meeting meeting = existing_meeting(store, meeting_id);
    const auto cases = store.meetings().cases(meeting_id);
    const auto c = std::find_if(cases.begin(), cases.end(), [&](const MeetingCase& k) { return k.patient_id == patient_id; });
    if (c == cases.end()) throw InputError(where, "the patient is not on this meeting's case list");
    if (c->decision_event_id)
        throw InputError(where, "already decided (recorded by " + c->decided_by.value_or("?") + " at " +
                                    c->decided_at.value_or("?") + "); a board decision is final");

    const std::string at = utc_now();
    nlohmann::json resource{{"meeting", {{"id", meeting.id}, {"name", meeting.name}, {"date", meeting.date}}},
                            {"question", c->question},
                            {"decision", decision},
                            {"attendees", present},
                            {"recorded_by", {{"user", session.user.name}, {"role", to_string(session.user.role)}}},
                            {"recorded_at", at}};
    TimelineEvent event;
    event.patient_id = patient_id;
    event.kind = EventKind::mdt;
    event.code = {"urn:consilium:mdt", "board-decision", headline(meeting, decision)};
    event.start = at;
    event.value_text = decision;
    event.status = "decided";
    event.resource_type = "MdtDecision";
    event.source_ref = "mdt/" + std::to_string(meeting_id) + "/" + std::to_string(patient_id);
    event.resource_json = text::json_text(resource);
    event.content_hash = sha256_hex(*event.resource_json);
    event.id = store.timeline().insert(event);
    store.meetings().set_decision(meeting_id, patient_id, event.id, session.user.name, at);

    nlohmann::json details{{"meeting", {{"id", meeting.id}, {"name", meeting.name}, {"date", meeting.date}}},
                           {"patient_id", patient_id},
                           {"event_id", event.id},
                           {"attendees", present},
                           {"decision", decision}};
    store.audit().append(audit_record(session, "mdt.decision", "patient", std::to_string(patient_id), text::json_text(details)));
    tx->commit();
    return event;
}

}  // namespace consilium::decision
