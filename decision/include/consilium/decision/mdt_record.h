#pragma once
// MDT meetings and their case lists as stored: plain data (mdt.h holds what may be done with them).
#include <cstdint>
#include <optional>
#include <string>

namespace consilium::decision {

// A multidisciplinary team meeting ("tumour board"): a named session on a date.
struct Meeting {
    std::int64_t id = 0;
    std::string name;        // "Thoracic oncology MDT"
    std::string date;        // YYYY-MM-DD
    std::string created_by;  // user name
    std::string created_at;  // UTC ISO-8601
};

// One patient on a meeting's case list, with the question put to the board.
struct MeetingCase {
    std::int64_t meeting_id = 0;
    int position = 0;  // 1-based: the order the cases are presented in
    std::int64_t patient_id = 0;
    std::string question;  // "Resectable? Neoadjuvant treatment?"
    std::string added_by;
    std::string added_at;
    // Set once the board's decision is recorded (the `mdt` timeline event holding it).
    std::optional<std::int64_t> decision_event_id;
    std::optional<std::string> decided_by;
    std::optional<std::string> decided_at;
};

}  // namespace consilium::decision
