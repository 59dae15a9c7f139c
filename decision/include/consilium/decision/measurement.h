#pragma once
// Measurements are part of the reading: kept per series and user, shown again when the series is
// opened again, deleted only by their author; adding and deleting are audited
// (measurement.add / measurement.delete) in the transaction that does it.
#include "consilium/decision/measurement_record.h"
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

namespace consilium::decision {

// Stores a measurement by the session's user on a series held in the workspace (NotFound
// otherwise); InputError when its positions are not finite or it lacks its value (a distance's
// length). Returns it with id, user and time set.
Measurement add_measurement(Store& store, const Session& session, Measurement measurement);

// Marks it deleted (the row stays). Only its author may (NotPermitted); NotFound when there is
// no standing measurement with that id.
void delete_measurement(Store& store, const Session& session, std::int64_t id);

// The session user's standing measurements on the series: what the viewer shows again.
std::vector<Measurement> my_measurements(Store& store, const Session& session, const std::string& series_uid);

// Every reader's standing measurements on the series (listings, structured reports).
std::vector<Measurement> series_measurements(Store& store, const Session& session, const std::string& series_uid);

}  // namespace consilium::decision
