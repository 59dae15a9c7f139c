#include "consilium/decision/record_access.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

#include <string>

namespace consilium::decision {

Patient open_patient_record(Store& store, const Session& session, std::int64_t patient_id) {
    require(session, Permission::read_patients);
    auto patient = store.patients().find(patient_id);
    if (!patient) throw NotFound("patient " + std::to_string(patient_id) + ": not in the workspace");
    auto tx = store.begin();
    nlohmann::json details{{"mrn", patient->mrn}};
    store.audit().append(audit_record(session, "patient.open", "patient", std::to_string(patient_id), text::json_text(details)));
    tx->commit();
    return *patient;
}

void record_logout(Store& store, const Session& session, const char* why) {
    auto tx = store.begin();
    nlohmann::json details{{"why", why}};
    store.audit().append(audit_record(session, "logout", "user", session.user.name, text::json_text(details)));
    tx->commit();
}

}  // namespace consilium::decision
