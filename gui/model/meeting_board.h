#pragma once
// MDT meeting mode, wx-free: the meeting open on this workstation, its case list with each
// patient's name, and the case being presented. Every change goes through decision/mdt.h (role
// checks, audit entries); failures come back as messages for the views.
#include "model/signal.h"
#include "model/workstation.h"

#include "consilium/decision/mdt_record.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace consilium::gui {

struct BoardCase {
    decision::MeetingCase entry;
    std::string patient_name, mrn;
    std::string decision_text;  // the board's words once recorded (from its timeline event)
    bool decided() const { return entry.decision_event_id.has_value(); }
};

class MeetingBoard {
public:
    explicit MeetingBoard(Workstation& workstation) : workstation_(workstation) {}

    std::vector<decision::Meeting> meetings();  // every meeting of the workspace, by date
    // "" on success (the new meeting is then the open one), else the message.
    std::string create(const std::string& name, const std::string& date);
    std::string open(std::int64_t meeting_id);
    void close();
    const std::optional<decision::Meeting>& meeting() const { return meeting_; }
    const std::vector<BoardCase>& cases() const { return cases_; }

    // Puts the workstation's open patient at the end of the case list; "" or the message.
    std::string add_open_patient(const std::string& question);

    // The case being presented (an index into cases()).
    std::optional<std::size_t> current() const { return current_; }
    const BoardCase* current_case() const { return current_ ? &cases_[*current_] : nullptr; }
    bool select(std::size_t index);  // false when there is no such case
    bool next();                     // false at the last case
    bool previous();                 // false at the first
    // Where presenting starts: the first case without a decision, else the first.
    std::size_t first_undecided() const;

    // Records the board's decision for the current case, whose patient must be the open record.
    // `attendee_lines`: one name a line. "" on success (the case list and the timeline refresh).
    std::string record_decision(const std::string& text, const std::string& attendee_lines);

    // Whether the logged-in user may create meetings, add cases and record decisions (clinicians).
    bool may_hold() const;

    Signal<> changed;  // meeting opened or closed, cases changed, another case presented

private:
    void reload_cases();
    Workstation& workstation_;
    std::optional<decision::Meeting> meeting_;
    std::vector<BoardCase> cases_;
    std::optional<std::size_t> current_;
};

// One attendee a line: blank lines dropped, surrounding spaces trimmed, each name once.
std::vector<std::string> attendees_from_lines(const std::string& text);

// "2024-05-02  Thoracic oncology MDT": how a meeting is listed.
std::string meeting_label(const decision::Meeting& meeting);

}  // namespace consilium::gui
