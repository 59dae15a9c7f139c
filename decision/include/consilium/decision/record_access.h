#pragma once
// Who looked at what: opening a patient's record and ending a session are audited, so the log
// can say which clinician had which record open when a decision was made.
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <cstdint>

namespace consilium::decision {

// Audits `patient.open` for the patient (Permission::read_patients); NotFound for an unknown id.
Patient open_patient_record(Store& store, const Session& session, std::int64_t patient_id);

// Audits `logout` (also used when a workstation is locked: the user must log in again).
void record_logout(Store& store, const Session& session, const char* why = "logout");

}  // namespace consilium::decision
