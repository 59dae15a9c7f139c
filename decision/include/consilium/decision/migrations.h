#pragma once
// The workspace schema, created and upgraded by numbered migrations recorded in
// PRAGMA user_version. Each migration runs in its own transaction with its version bump.
#include "consilium/decision/database.h"

namespace consilium::decision {

int latest_schema_version();

// Upgrades `db` from its current version to `target` (default: latest). Refuses a database
// newer than this program knows, so an old build never writes into a newer schema.
void migrate(Database& db, int target = -1);

}  // namespace consilium::decision
