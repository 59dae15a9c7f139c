#include "consilium/decision/migrations.h"

#include "consilium/decision/errors.h"

#include <array>
#include <string>
#include <string_view>

namespace consilium::decision {
namespace {

// Never edit a migration once released: add a new one.
constexpr std::array<const char*, 14> kMigrations = {
    // 1: patients, the timeline, users and the audit trail.
    R"SQL(
CREATE TABLE patient (
  id            INTEGER PRIMARY KEY,
  mrn           TEXT NOT NULL UNIQUE,
  family        TEXT,
  given         TEXT,
  name          TEXT NOT NULL DEFAULT '',
  birth_date    TEXT,
  sex           TEXT,
  source_ref    TEXT UNIQUE,            -- e.g. Patient/<id> of the FHIR source
  content_hash  TEXT,
  resource_json TEXT,
  created_at    TEXT NOT NULL
);
CREATE TABLE patient_identifier (
  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,
  system     TEXT NOT NULL DEFAULT '',
  value      TEXT NOT NULL,
  type_code  TEXT,
  PRIMARY KEY (system, value)
);
CREATE INDEX patient_identifier_by_patient ON patient_identifier(patient_id);

CREATE TABLE timeline_event (
  id            INTEGER PRIMARY KEY,
  patient_id    INTEGER NOT NULL REFERENCES patient(id),
  kind          TEXT NOT NULL CHECK (kind IN ('encounter','condition','observation','medication','procedure',
                                               'imaging','report','suggestion','review','mdt')),
  code_system   TEXT,
  code          TEXT,
  display       TEXT,
  start_time    TEXT,                   -- ISO-8601, UTC when the source gave a time of day
  end_time      TEXT,
  value_num     REAL,
  value_text    TEXT,
  unit          TEXT,
  status        TEXT,
  resource_type TEXT,
  source_ref    TEXT UNIQUE,            -- resource identity: Type/id, else the entry's fullUrl
  content_hash  TEXT
);
CREATE INDEX timeline_event_by_patient_time ON timeline_event(patient_id, start_time);

-- The source resource as received, kept apart so that timeline scans read narrow rows.
CREATE TABLE event_resource (
  event_id      INTEGER PRIMARY KEY REFERENCES timeline_event(id) ON DELETE CASCADE,
  resource_json TEXT NOT NULL
);

CREATE TABLE event_component (
  event_id    INTEGER NOT NULL REFERENCES timeline_event(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  code_system TEXT,
  code        TEXT,
  display     TEXT,
  value_num   REAL,
  value_text  TEXT,
  unit        TEXT,
  PRIMARY KEY (event_id, seq)
) WITHOUT ROWID;                          -- clustered by event: a panel's parts sit together

CREATE TABLE user (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('radiologist','physician','developer','admin')),
  password   TEXT NOT NULL,             -- pbkdf2-sha256$iterations$salt$hash (base64)
  demo       INTEGER NOT NULL DEFAULT 0,
  active     INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);

CREATE TABLE audit_entry (
  seq         INTEGER PRIMARY KEY,
  time        TEXT NOT NULL,
  user_name   TEXT NOT NULL,
  role        TEXT NOT NULL,
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id   TEXT NOT NULL,
  details     TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The chain's head, advanced in the same transaction as each append: a log cut short at the
-- end no longer matches it. It may only move forward.
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head(id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head WHEN NEW.seq <= OLD.seq
  BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
  BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END;
)SQL",

    // 2: plugin runs, AI suggestions and clinicians' reviews of them.
    R"SQL(
CREATE TABLE plugin_run (
  id             INTEGER PRIMARY KEY,
  plugin_id      TEXT NOT NULL,
  plugin_version TEXT NOT NULL,
  model_version  TEXT,
  patient_id     INTEGER REFERENCES patient(id),
  series_uid     TEXT,
  user_name      TEXT NOT NULL,
  started_at     TEXT NOT NULL,
  duration_ms    INTEGER,
  status         TEXT NOT NULL CHECK (status IN ('running','succeeded','failed','timeout','crashed',
                                                 'invalid_output','rejected','cancelled')),
  reason         TEXT,
  inputs_hash    TEXT,
  outputs_hash   TEXT
);
CREATE INDEX plugin_run_by_plugin ON plugin_run(plugin_id, started_at);

CREATE TABLE suggestion (
  id             INTEGER PRIMARY KEY,
  run_id         INTEGER NOT NULL REFERENCES plugin_run(id),
  patient_id     INTEGER NOT NULL REFERENCES patient(id),
  kind           TEXT NOT NULL CHECK (kind IN ('finding','diagnosis','treatment','risk')),
  code_system    TEXT,
  code           TEXT,
  display        TEXT,
  confidence     REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
  score          REAL,
  band           TEXT,
  complete       INTEGER NOT NULL DEFAULT 1,
  summary        TEXT NOT NULL,
  rationale      TEXT NOT NULL DEFAULT '',
  evidence_json  TEXT NOT NULL DEFAULT '[]',
  plugin_id      TEXT NOT NULL,
  plugin_version TEXT NOT NULL,
  model_version  TEXT,
  inputs_hash    TEXT,
  created_at     TEXT NOT NULL
);
CREATE INDEX suggestion_by_patient ON suggestion(patient_id, created_at);

-- One decision per suggestion, ever: the UNIQUE constraint is the last line of defence.
CREATE TABLE review (
  id              INTEGER PRIMARY KEY,
  suggestion_id   INTEGER NOT NULL UNIQUE REFERENCES suggestion(id),
  decision        TEXT NOT NULL CHECK (decision IN ('accepted','modified','rejected')),
  user_name       TEXT NOT NULL,
  role            TEXT NOT NULL,
  decided_at      TEXT NOT NULL,
  reason_code     TEXT,
  reason_text     TEXT,
  concept_system  TEXT,
  concept_code    TEXT,
  concept_display TEXT,
  note            TEXT,
  CHECK (decision = 'accepted' OR length(coalesce(reason_text, '')) > 0 OR reason_code IS NOT NULL)
);
)SQL",

    // 3: the imaging index (studies and series found in DICOM, linked to patients).
    R"SQL(
CREATE TABLE imaging_study (
  id          INTEGER PRIMARY KEY,
  patient_id  INTEGER NOT NULL REFERENCES patient(id),
  study_uid   TEXT NOT NULL UNIQUE,
  study_date  TEXT,
  description TEXT,
  accession   TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX imaging_study_by_patient ON imaging_study(patient_id);
CREATE TABLE imaging_series (
  id          INTEGER PRIMARY KEY,
  study_id    INTEGER NOT NULL REFERENCES imaging_study(id) ON DELETE CASCADE,
  series_uid  TEXT NOT NULL UNIQUE,
  modality    TEXT,
  description TEXT,
  instances   INTEGER NOT NULL DEFAULT 0,
  folder      TEXT,                     -- relative to the workspace
  geometry    TEXT                      -- JSON: dims, spacing, origin, direction, warnings
);
)SQL",

    // 4: look-ups DICOM import makes: a PatientID against identifiers of any system, a study's series.
    R"SQL(
CREATE INDEX patient_identifier_by_value ON patient_identifier(value);
CREATE INDEX imaging_series_by_study ON imaging_series(study_id);
)SQL",

    // 5: whether each plugin may run (a row only once a plugin was enabled, disabled or failed).
    R"SQL(
CREATE TABLE plugin_state (
  plugin_id         TEXT PRIMARY KEY,
  enabled           INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  quarantined       INTEGER NOT NULL DEFAULT 0 CHECK (quarantined IN (0, 1)),
  failures_in_a_row INTEGER NOT NULL DEFAULT 0 CHECK (failures_in_a_row >= 0),
  reason            TEXT,
  changed_by        TEXT,
  changed_at        TEXT
);
)SQL",

    // 6: MDT meetings and their case lists. A board decision itself is an `mdt` timeline event;
    // the case row points at it, so a case is decided once.
    R"SQL(
CREATE TABLE mdt_meeting (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
  meeting_date TEXT NOT NULL,           -- YYYY-MM-DD
  created_by   TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE TABLE mdt_case (
  meeting_id        INTEGER NOT NULL REFERENCES mdt_meeting(id),
  position          INTEGER NOT NULL CHECK (position >= 1),
  patient_id        INTEGER NOT NULL REFERENCES patient(id),
  question          TEXT NOT NULL DEFAULT '',
  added_by          TEXT NOT NULL,
  added_at          TEXT NOT NULL,
  decision_event_id INTEGER REFERENCES timeline_event(id),
  decided_by        TEXT,
  decided_at        TEXT,
  PRIMARY KEY (meeting_id, position),
  UNIQUE (meeting_id, patient_id)        -- a patient is discussed once per meeting
) WITHOUT ROWID;
CREATE INDEX mdt_case_by_patient ON mdt_case(patient_id);
)SQL",

    // 7: PACS nodes (DICOMweb or DIMSE) the workspace searches and retrieves from.
    R"SQL(
CREATE TABLE pacs_node (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  protocol     TEXT NOT NULL CHECK (protocol IN ('dicomweb', 'dimse')),
  url          TEXT NOT NULL DEFAULT '',
  called_aet   TEXT NOT NULL DEFAULT '',
  host         TEXT NOT NULL DEFAULT '',
  port         INTEGER NOT NULL DEFAULT 0,
  calling_aet  TEXT NOT NULL DEFAULT '',
  username     TEXT NOT NULL DEFAULT '',
  password     TEXT NOT NULL DEFAULT '',  -- needed to connect, so kept as given; never printed or audited
  bearer_token TEXT NOT NULL DEFAULT '',
  ca_file      TEXT NOT NULL DEFAULT '',
  verify_tls   INTEGER NOT NULL DEFAULT 1,
  added_by     TEXT NOT NULL,
  added_at     TEXT NOT NULL
);
)SQL",

    // 8: why a run failed in the plugin's own words (its exit code or signal, the end of its stderr),
    // and runs a clinician made outside the model's intended population, with every suggestion of
    // such a run marked so that no card or list can show it as an ordinary one.
    R"SQL(
ALTER TABLE plugin_run ADD COLUMN exit_code INTEGER;      -- the program's exit status, when it exited
ALTER TABLE plugin_run ADD COLUMN exit_signal INTEGER;    -- the signal that ended it, when one did
ALTER TABLE plugin_run ADD COLUMN stderr_tail TEXT;       -- its last stderr lines (at most 20 lines, 4 KB)
ALTER TABLE plugin_run ADD COLUMN outside_intended_use INTEGER NOT NULL DEFAULT 0
  CHECK (outside_intended_use IN (0, 1));
ALTER TABLE suggestion ADD COLUMN outside_intended_use INTEGER NOT NULL DEFAULT 0
  CHECK (outside_intended_use IN (0, 1));
)SQL",

    // 9: person names in all their forms (DICOM PN: alphabetic=ideographic=phonetic), and work a
    // migration cannot do in SQL, left for the program: earlier versions stored DICOM text without
    // decoding its Specific Character Set, so names and descriptions are decoded again from the
    // workspace's own copies of the files (decision/dicom_text_repair.h) the next time it is opened.
    R"SQL(
ALTER TABLE patient ADD COLUMN name_ideographic TEXT;
ALTER TABLE patient ADD COLUMN name_phonetic TEXT;
CREATE TABLE pending_repair (
  name     TEXT PRIMARY KEY,
  added_at TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO pending_repair(name, added_at)
  SELECT 'dicom-text', strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE EXISTS (SELECT 1 FROM imaging_study);
)SQL",

    // 10: decisions can be withdrawn by their author (the row stays, marked withdrawn, so the history
    // is kept; the suggestion is proposed again), so "one decision per suggestion" becomes "one
    // standing decision per suggestion": the table is rebuilt without its UNIQUE and a partial unique
    // index takes its place. A suggestion that repeats an earlier decided finding (a new model
    // version proposing it again) names that earlier suggestion.
    R"SQL(
CREATE TABLE review_v10 (
  id              INTEGER PRIMARY KEY,
  suggestion_id   INTEGER NOT NULL REFERENCES suggestion(id),
  decision        TEXT NOT NULL CHECK (decision IN ('accepted','modified','rejected')),
  user_name       TEXT NOT NULL,
  role            TEXT NOT NULL,
  decided_at      TEXT NOT NULL,
  reason_code     TEXT,
  reason_text     TEXT,
  concept_system  TEXT,
  concept_code    TEXT,
  concept_display TEXT,
  note            TEXT,
  withdrawn_by    TEXT,
  withdrawn_at    TEXT,
  withdraw_reason TEXT,
  CHECK (decision = 'accepted' OR length(coalesce(reason_text, '')) > 0 OR reason_code IS NOT NULL),
  CHECK (withdrawn_at IS NULL OR (withdrawn_by IS NOT NULL AND length(coalesce(withdraw_reason, '')) > 0))
);
INSERT INTO review_v10(id, suggestion_id, decision, user_name, role, decided_at, reason_code, reason_text,
                       concept_system, concept_code, concept_display, note)
  SELECT id, suggestion_id, decision, user_name, role, decided_at, reason_code, reason_text,
         concept_system, concept_code, concept_display, note FROM review;
DROP TABLE review;
ALTER TABLE review_v10 RENAME TO review;
CREATE UNIQUE INDEX review_standing ON review(suggestion_id) WHERE withdrawn_at IS NULL;
CREATE INDEX review_by_suggestion ON review(suggestion_id);
ALTER TABLE suggestion ADD COLUMN earlier_suggestion_id INTEGER REFERENCES suggestion(id);
)SQL",

    // 11: the reader's measurements on a series (distances and regions), kept per series and user
    // so they come back when the series is opened again. Positions are patient coordinates (LPS,
    // mm). A deleted measurement keeps its row, marked, like a withdrawn review: the reading's
    // history is never lost.
    R"SQL(
CREATE TABLE measurement (
  id          INTEGER PRIMARY KEY,
  series_id   INTEGER NOT NULL REFERENCES imaging_series(id),
  user_name   TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('distance','region')),
  from_x      REAL NOT NULL, from_y REAL NOT NULL, from_z REAL NOT NULL,
  to_x        REAL NOT NULL, to_y REAL NOT NULL, to_z REAL NOT NULL,
  length_mm   REAL CHECK (length_mm IS NULL OR length_mm >= 0),
  area_mm2    REAL CHECK (area_mm2 IS NULL OR area_mm2 >= 0),
  mean        REAL,
  sd          REAL,
  unit        TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  deleted_by  TEXT,
  deleted_at  TEXT,
  CHECK (deleted_at IS NULL OR deleted_by IS NOT NULL)
);
CREATE INDEX measurement_by_series ON measurement(series_id, user_name);
)SQL",

    // 12: immunizations and allergies are timeline events (FHIR Immunization, AllergyIntolerance).
    // SQLite cannot alter a CHECK constraint, and timeline_event cannot be rebuilt while foreign
    // keys point at it (dropping it would cascade-delete its resources and components), so the
    // kind list is widened in the stored schema text: SQLite's documented way to loosen a CHECK
    // (sqlite.org/lang_altertable.html, "other kinds of table schema changes"). Every stored row
    // satisfies the wider list; migrate() then bumps schema_version so connections re-read it.
    R"SQL(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''review'',''mdt'')', '''review'',''mdt'',''immunization'',''allergy'')')
 WHERE type = 'table' AND name = 'timeline_event';
PRAGMA writable_schema = OFF;
)SQL",

    // 13: a plugin is its content. plugin_state keeps the SHA-256 of the folder an admin approved
    // (a plugin whose content differs does not run); every run records the hash it ran and the
    // process that ran it. A run left `running` by a host that was killed is marked `abandoned`
    // at the next start: the status list is widened in the stored schema text as in 12.
    R"SQL(
ALTER TABLE plugin_state ADD COLUMN approved_sha256 TEXT;
ALTER TABLE plugin_state ADD COLUMN approved_by TEXT;
ALTER TABLE plugin_state ADD COLUMN approved_at TEXT;
ALTER TABLE plugin_run ADD COLUMN plugin_sha256 TEXT;
ALTER TABLE plugin_run ADD COLUMN host TEXT;  -- the process running it (host name, boot id, pid, start time)
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''rejected'',''cancelled'')', '''rejected'',''cancelled'',''abandoned'')')
 WHERE type = 'table' AND name = 'plugin_run';
PRAGMA writable_schema = OFF;
)SQL",

    // 14: the site's policy (plugin limits, sandbox on/off), set by an administrator (audited
    // `policy.set`); a key absent means its documented default (decision/site_policy.h).
    R"SQL(
CREATE TABLE site_policy (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at TEXT NOT NULL
) WITHOUT ROWID;
)SQL",
};

}  // namespace

namespace {
// After the schema text was edited in place (writable_schema), as SQLite's procedure asks: a new
// schema_version makes every connection parse the schema again.
void bump_schema_version(Database& db) {
    auto& s = db.statement("PRAGMA schema_version");
    s.step();
    const auto version = s.int64(0);
    s.reset();
    db.exec(("PRAGMA schema_version = " + std::to_string(version + 1)).c_str());
}
}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate(Database& db, int target) {
    if (target < 0) target = latest_schema_version();
    int current = db.user_version();
    if (current > latest_schema_version())
        throw StoreError(db.file().string() + ": the workspace schema is version " + std::to_string(current) +
                         ", newer than this program knows (" + std::to_string(latest_schema_version()) +
                         "); use a newer Consilium");
    for (int v = current; v < target; ++v) {
        WriteTransaction tx(db);
        const char* sql = kMigrations[static_cast<std::size_t>(v)];
        db.exec(sql);
        if (std::string_view(sql).find("writable_schema") != std::string_view::npos) bump_schema_version(db);
        // PRAGMA takes no bound parameters; the value is our own integer, never user data.
        db.exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
        tx.commit();
    }
}

}  // namespace consilium::decision
