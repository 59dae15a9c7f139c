#pragma once
// MDT meetings (multidisciplinary team / tumour board): a named meeting on a date, its case list
// (patients in the order they are presented, each with the question for the board), and the
// board's decision per case, which becomes part of the patient's record as an `mdt` timeline event.
// Radiologists and physicians hold meetings (Permission::hold_meetings); every change and its
// audit entry commit together.
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <cstdint>
#include <string>
#include <vector>

namespace consilium::decision {

// A new meeting. `date` is YYYY-MM-DD; the name must not be blank. Audited `mdt.create`.
Meeting create_meeting(Store& store, const Session& session, const std::string& name, const std::string& date);

// Puts a patient at the end of the meeting's case list with the question for the board.
// Needs read_patients and hold_meetings; a patient already on the list is refused (InputError);
// an unknown meeting or patient is NotFound. Audited `mdt.case.add`.
MeetingCase add_meeting_case(Store& store, const Session& session, std::int64_t meeting_id, std::int64_t patient_id,
                             const std::string& question = "");

// Records the board's decision for a case of the meeting: an `mdt` timeline event for the patient
// (the decision text, the attendees and the meeting, source `mdt/<meeting>/<patient>`), the case
// marked decided, and the `mdt.decision` audit entry - in one transaction. Radiologists and
// physicians only (NotPermitted). The text must not be blank, there is at least one attendee, the
// patient must be on the case list, and a decided case is not decided again (InputError).
// Returns the timeline event as stored.
TimelineEvent record_board_decision(Store& store, const Session& session, std::int64_t meeting_id, std::int64_t patient_id,
                                    const std::string& text, const std::vector<std::string>& attendees);

}  // namespace consilium::decision
