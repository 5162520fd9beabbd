/* sitrep-store-schema.c: the store's schema, as the migrations that build it up on SQLite and
 * the baseline a team database (PostgreSQL) starts from, and the step that brings a database
 * to the version this Sitrep understands
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-store-private.h"

/* migrations[N] takes a database from schema version N to N + 1. Never edit a released entry:
 * add a new one. */
static const char *const migrations[] = {
  /* 0 → 1: the first schema, shaped for the incident, timeline, actions, health and message
   * features so they need few migrations. Times are microseconds since the Unix epoch, UTC. */
  "CREATE TABLE incidents ("
  "  id INTEGER PRIMARY KEY,"
  "  runbook TEXT NOT NULL,"
  "  severity TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'investigating'"
  "    CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),"
  "  summary TEXT NOT NULL CHECK (length (trim (summary)) > 0),"
  "  impact TEXT NOT NULL DEFAULT '',"
  "  lead TEXT NOT NULL DEFAULT '',"
  "  channel TEXT NOT NULL DEFAULT '',"
  "  services TEXT NOT NULL DEFAULT '[]',"
  "  started_at INTEGER NOT NULL,"
  "  declared_at INTEGER NOT NULL,"
  "  acknowledged_at INTEGER,"
  "  mitigated_at INTEGER,"
  "  resolved_at INTEGER,"
  "  last_update_at INTEGER,"
  "  update_overdue_at INTEGER,"
  "  root_cause TEXT NOT NULL DEFAULT '',"
  "  resolution TEXT NOT NULL DEFAULT '',"
  "  lessons TEXT NOT NULL DEFAULT '',"
  "  postmortem_summary TEXT NOT NULL DEFAULT '',"
  "  revision INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE checklist_state ("
  "  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
  "  item_id TEXT NOT NULL,"
  "  done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),"
  "  done_by TEXT,"
  "  done_at INTEGER,"
  "  PRIMARY KEY (incident_id, item_id)"
  ");"
  "CREATE TABLE escalations ("
  "  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
  "  step INTEGER NOT NULL,"
  "  due_at INTEGER NOT NULL,"
  "  answer TEXT CHECK (answer IN ('escalated', 'not-needed')),"
  "  answered_at INTEGER,"
  "  PRIMARY KEY (incident_id, step)"
  ");"
  "CREATE TABLE timeline_events ("
  "  id INTEGER PRIMARY KEY,"
  "  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
  "  at INTEGER NOT NULL,"
  "  recorded_at INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  author TEXT NOT NULL DEFAULT '',"
  "  data TEXT,"
  "  is_system INTEGER NOT NULL DEFAULT 1 CHECK (is_system IN (0, 1)),"
  "  starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),"
  "  annotation TEXT,"
  "  original_text TEXT,"
  "  edited_at INTEGER,"
  "  deleted_at INTEGER"
  ");"
  "CREATE INDEX timeline_events_by_incident ON timeline_events (incident_id, at);"
  "CREATE TABLE audit_log ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  os_user TEXT NOT NULL,"
  "  incident_id INTEGER,"
  "  context TEXT NOT NULL,"
  "  namespace TEXT NOT NULL,"
  "  action_id TEXT NOT NULL,"
  "  service_id TEXT,"
  "  argv TEXT NOT NULL,"
  "  inputs TEXT NOT NULL DEFAULT '{}',"
  "  confirmation TEXT,"
  "  exit_code INTEGER,"
  "  duration_ms INTEGER,"
  "  outcome TEXT NOT NULL,"
  "  output_tail TEXT NOT NULL DEFAULT '',"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL"
  ");"
  "CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TABLE health_samples ("
  "  id INTEGER PRIMARY KEY,"
  "  service_id TEXT NOT NULL,"
  "  probe_id TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  health TEXT NOT NULL CHECK (health IN ('up', 'unknown', 'degraded', 'down')),"
  "  latency_ms REAL,"
  "  error TEXT"
  ");"
  "CREATE INDEX health_samples_by_probe ON health_samples (service_id, probe_id, at);"
  "CREATE INDEX health_samples_by_time ON health_samples (at);"
  "CREATE TABLE health_changes ("
  "  id INTEGER PRIMARY KEY,"
  "  service_id TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  old_state TEXT NOT NULL,"
  "  new_state TEXT NOT NULL,"
  "  reason TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX health_changes_by_service ON health_changes (service_id, at);"
  "CREATE INDEX health_changes_by_time ON health_changes (at);"
  "CREATE TABLE messages ("
  "  id INTEGER PRIMARY KEY,"
  "  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
  "  template_id TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  copied_at INTEGER,"
  "  webhook_state TEXT NOT NULL DEFAULT 'none'"
  "    CHECK (webhook_state IN ('none', 'queued', 'sent', 'failed')),"
  "  webhook_error TEXT,"
  "  webhook_attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER"
  ");"
  "CREATE TABLE action_items ("
  "  id INTEGER PRIMARY KEY,"
  "  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL DEFAULT 0,"
  "  text TEXT NOT NULL,"
  "  owner TEXT NOT NULL DEFAULT '',"
  "  due TEXT NOT NULL DEFAULT '',"
  "  done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1))"
  ");"
  "CREATE TABLE app_state ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT"
  ");",
  /* 1 → 2: each incident keeps the runbook it was declared under, byte for byte, so that it is
   * shown and exported with its own severities, checklist and templates after the runbook
   * changed or another one is open. Incidents recorded before keep runbook_sha256 NULL: they
   * are shown with the runbook at hand, and say so. */
  "CREATE TABLE runbook_snapshots ("
  "  sha256 TEXT PRIMARY KEY CHECK (length (sha256) = 64),"
  "  name TEXT NOT NULL,"
  "  source TEXT NOT NULL,"
  "  content BLOB NOT NULL,"
  "  recorded_at INTEGER NOT NULL"
  ");"
  "CREATE TRIGGER runbook_snapshots_immutable BEFORE UPDATE ON runbook_snapshots"
  "  BEGIN SELECT RAISE (ABORT, 'a stored runbook never changes'); END;"
  "ALTER TABLE incidents ADD COLUMN runbook_sha256 TEXT REFERENCES runbook_snapshots (sha256);",
  /* 2 → 3: the audit log is written ahead (a "started" entry before the process starts, its
   * "finished" entry naming it) and keyed. The entries already there keep their unkeyed chain;
   * the keyed chain starts at the next entry, recorded in audit_chain with the database's id,
   * under which the keyring holds the key and the state folder the anchor. */
  "ALTER TABLE audit_log ADD COLUMN started_id INTEGER;"
  "ALTER TABLE audit_log ADD COLUMN process TEXT;"
  "ALTER TABLE audit_log ADD COLUMN owner TEXT;"
  "CREATE INDEX audit_log_by_started ON audit_log (started_id);"
  "CREATE TABLE audit_chain ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  database_id TEXT NOT NULL,"
  "  keyed_from INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ");"
  "INSERT INTO audit_chain (id, database_id, keyed_from, created_at)"
  "  SELECT 1, lower (hex (randomblob (16))), COALESCE (MAX (id), 0) + 1,"
  "         CAST (strftime ('%s', 'now') AS INTEGER) * 1000000 FROM audit_log;"
  "CREATE TRIGGER audit_chain_fixed_update BEFORE UPDATE ON audit_chain"
  "  BEGIN SELECT RAISE (ABORT, 'the audit chain record is fixed'); END;"
  "CREATE TRIGGER audit_chain_fixed_delete BEFORE DELETE ON audit_chain"
  "  BEGIN SELECT RAISE (ABORT, 'the audit chain record is fixed'); END;",
  /* 3 → 4: a posted message reaches the timeline and resets the update clock only once the
   * webhook took it, so it keeps its title, author and whether it is a status update until
   * then. */
  "ALTER TABLE messages ADD COLUMN title TEXT;"
  "ALTER TABLE messages ADD COLUMN author TEXT;"
  "ALTER TABLE messages ADD COLUMN resets_update INTEGER NOT NULL DEFAULT 1"
  "  CHECK (resets_update IN (0, 1));",
  /* 4 → 5: a system event is data: its kind and its fields, a JSON object of ids, labels as
   * recorded, numbers and times, put into words in the reader's language when shown. The
   * events recorded before keep fields NULL, their kind, and their text: the sentence as it was
   * recorded, shown as it is ("legacy text"), so nothing is lost or reworded. A note keeps its
   * words in text; the few events whose data held ids beside their sentence keep it too. */
  "ALTER TABLE timeline_events ADD COLUMN fields TEXT"
  "  CHECK (fields IS NULL OR json_type (fields) = 'object');",
  /* 5 → 6: an incident declared in a drill (on the simulated CareCircle) is marked, so that
   * practice stays out of the real incident list. Every incident before was real. */
  "ALTER TABLE incidents ADD COLUMN drill INTEGER NOT NULL DEFAULT 0 CHECK (drill IN (0, 1));",
  /* 6 → 7: a format-2 runbook names its own statuses ("fix-deployed"); status keeps the
   * built-in one it counts as, which the clocks read, and status_id the runbook's. NULL for
   * every incident before, and under a runbook with the built-in four. */
  "ALTER TABLE incidents ADD COLUMN status_id TEXT"
  "  CHECK (status_id IS NULL OR length (status_id) BETWEEN 1 AND 200);",
  /* 7 → 8: a format-2 runbook's own post-mortem sections, a JSON object of section id → text,
   * kept with the other post-mortem fields in the incident's row. NULL: none written yet. */
  "ALTER TABLE incidents ADD COLUMN postmortem_sections TEXT"
  "  CHECK (postmortem_sections IS NULL OR json_type (postmortem_sections) = 'object');",
  /* 8 → 9: the timeline is read a page at a time (sitrep-timeline-model.c). The listed events
   * (deleted notes left out) get an index that covers the order and the filters, so counting
   * and skipping 100,000 of them reads the index alone. Search goes through an FTS5 table of
   * each event's words (SITREP_STORE_SEARCH_BODY). The one INSERT into timeline_events
   * (sitrep_store_insert_event()) indexes the event in the same transaction: an AFTER INSERT
   * trigger writing to FTS5 costs some 80 µs an event, six times the insert. Triggers keep it in
   * step with updates and deletes, which are rare; the events already recorded are indexed
   * here. */
  "CREATE INDEX timeline_events_listed ON timeline_events (incident_id, at, id, kind, starred)"
  "  WHERE deleted_at IS NULL;"
  "CREATE VIRTUAL TABLE timeline_search USING fts5 (body,"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER timeline_search_update"
  "  AFTER UPDATE OF kind, text, author, annotation, original_text, fields ON timeline_events"
  "  BEGIN"
  "  DELETE FROM timeline_search WHERE rowid = old.id;"
  "  INSERT INTO timeline_search (rowid, body) VALUES (new.id, " SITREP_STORE_SEARCH_BODY ("new") ");"
  "  END;"
  "CREATE TRIGGER timeline_search_delete AFTER DELETE ON timeline_events BEGIN"
  "  DELETE FROM timeline_search WHERE rowid = old.id;"
  "  END;"
  "INSERT INTO timeline_search (rowid, body)"
  "  SELECT id, " SITREP_STORE_SEARCH_BODY ("timeline_events") " FROM timeline_events;",
  /* 9 → 10: several consoles write to one team database, so each record says which machine
   * wrote it (its host name) beside who: a timeline event's author, an audit entry's os_user
   * and author (the name in Preferences). NULL in what was recorded before. An audit entry
   * with a host is hashed as version 3 (sitrep-store-audit.c), one without as before. */
  "ALTER TABLE timeline_events ADD COLUMN host TEXT;"
  "ALTER TABLE audit_log ADD COLUMN host TEXT;"
  "ALTER TABLE audit_log ADD COLUMN author TEXT;",
  /* 10 → 11: the ids of the changes a console kept in its journal while a team database was
   * unreachable, written in the same transaction as each change, so that a replay writes none
   * twice (sitrep-store-journal.c). A migration, not created by the console on first use: a
   * console's role may be allowed rows only. Consoles before this made it themselves: IF NOT
   * EXISTS. A file has no journal; it gets the table all the same, one schema for both. */
  "CREATE TABLE IF NOT EXISTS sitrep_journal_applied ("
  "  change_id TEXT PRIMARY KEY,"
  "  applied_at INTEGER NOT NULL"
  ");",
  /* 11 → 12: several consoles run the chat webhook's queue over one database: before it posts
   * a message, a console claims it (which console, until when), so that no other posts it
   * meanwhile; a claim that ran out is one a console gave up by quitting or being killed
   * (sitrep_store_mark_message_queued()). */
  "ALTER TABLE messages ADD COLUMN webhook_claim TEXT;"
  "ALTER TABLE messages ADD COLUMN webhook_claimed_until INTEGER;",
  /* 12 → 13: why a probe was not up is kept as data too (sitrep_reason_pack()), beside the
   * words of the console that recorded it, so that a replay or a reader of another language
   * puts it into their own words. NULL in what was recorded before: its words are shown as
   * they are. */
  "ALTER TABLE health_samples ADD COLUMN why TEXT;"
  "ALTER TABLE health_changes ADD COLUMN why TEXT;",
  /* 13 → 14: the timeline's reads by id, an incident's newest event (max (id)) and the events
   * recorded after the last one a view holds (its refresh, at each event), seek this index
   * instead of walking the whole incident in timeline_events_by_incident, which is ordered by
   * time: 6 and 5 ms for 100,000 events, now some 10 µs (docs/PERFORMANCE.md). */
  "CREATE INDEX timeline_events_by_incident_id ON timeline_events (incident_id, id);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SITREP_STORE_SCHEMA_VERSION);

/* A team database (PostgreSQL) starts at this version with postgres_baseline, the schema the
 * SQLite migrations above built up, in PostgreSQL's words: ids from identity columns, every
 * integer a BIGINT (times are microseconds), bytea for blobs, the append-only rules as
 * trigger functions. It has no search index (timeline_search is SQLite's FTS5): the timeline
 * view reads a local database only for now. */
#define POSTGRES_BASELINE 9

static const char postgres_baseline[] =
  "CREATE TABLE sitrep_schema (version INTEGER NOT NULL);"
  "CREATE FUNCTION sitrep_refuse () RETURNS trigger LANGUAGE plpgsql AS"
  "  $$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$;"
  "CREATE TABLE runbook_snapshots ("
  "  sha256 TEXT PRIMARY KEY CHECK (length (sha256) = 64),"
  "  name TEXT NOT NULL,"
  "  source TEXT NOT NULL,"
  "  content BYTEA NOT NULL,"
  "  recorded_at BIGINT NOT NULL"
  ");"
  "CREATE TRIGGER runbook_snapshots_immutable BEFORE UPDATE ON runbook_snapshots"
  "  FOR EACH ROW EXECUTE FUNCTION sitrep_refuse ('a stored runbook never changes');"
  "CREATE TABLE incidents ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  runbook TEXT NOT NULL,"
  "  severity TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'investigating'"
  "    CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),"
  "  summary TEXT NOT NULL CHECK (length (trim (summary)) > 0),"
  "  impact TEXT NOT NULL DEFAULT '',"
  "  lead TEXT NOT NULL DEFAULT '',"
  "  channel TEXT NOT NULL DEFAULT '',"
  "  services TEXT NOT NULL DEFAULT '[]',"
  "  started_at BIGINT NOT NULL,"
  "  declared_at BIGINT NOT NULL,"
  "  acknowledged_at BIGINT,"
  "  mitigated_at BIGINT,"
  "  resolved_at BIGINT,"
  "  last_update_at BIGINT,"
  "  update_overdue_at BIGINT,"
  "  root_cause TEXT NOT NULL DEFAULT '',"
  "  resolution TEXT NOT NULL DEFAULT '',"
  "  lessons TEXT NOT NULL DEFAULT '',"
  "  postmortem_summary TEXT NOT NULL DEFAULT '',"
  "  revision BIGINT NOT NULL DEFAULT 0,"
  "  runbook_sha256 TEXT REFERENCES runbook_snapshots (sha256),"
  "  drill BIGINT NOT NULL DEFAULT 0 CHECK (drill IN (0, 1)),"
  "  status_id TEXT CHECK (status_id IS NULL OR length (status_id) BETWEEN 1 AND 200),"
  "  postmortem_sections TEXT"
  "    CHECK (postmortem_sections IS NULL OR json_typeof (postmortem_sections::json) = 'object')"
  ");"
  "CREATE TABLE checklist_state ("
  "  incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
  "  item_id TEXT NOT NULL,"
  "  done BIGINT NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),"
  "  done_by TEXT,"
  "  done_at BIGINT,"
  "  PRIMARY KEY (incident_id, item_id)"
  ");"
  "CREATE TABLE escalations ("
  "  incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
  "  step BIGINT NOT NULL,"
  "  due_at BIGINT NOT NULL,"
  "  answer TEXT CHECK (answer IN ('escalated', 'not-needed')),"
  "  answered_at BIGINT,"
  "  PRIMARY KEY (incident_id, step)"
  ");"
  "CREATE TABLE timeline_events ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
  "  at BIGINT NOT NULL,"
  "  recorded_at BIGINT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  author TEXT NOT NULL DEFAULT '',"
  "  data TEXT,"
  "  is_system BIGINT NOT NULL DEFAULT 1 CHECK (is_system IN (0, 1)),"
  "  starred BIGINT NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),"
  "  annotation TEXT,"
  "  original_text TEXT,"
  "  edited_at BIGINT,"
  "  deleted_at BIGINT,"
  "  fields TEXT CHECK (fields IS NULL OR json_typeof (fields::json) = 'object')"
  ");"
  "CREATE INDEX timeline_events_by_incident ON timeline_events (incident_id, at);"
  "CREATE INDEX timeline_events_listed ON timeline_events (incident_id, at, id, kind, starred)"
  "  WHERE deleted_at IS NULL;"
  "CREATE TABLE audit_log ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  at BIGINT NOT NULL,"
  "  os_user TEXT NOT NULL,"
  "  incident_id BIGINT,"
  "  context TEXT NOT NULL,"
  "  namespace TEXT NOT NULL,"
  "  action_id TEXT NOT NULL,"
  "  service_id TEXT,"
  "  argv TEXT NOT NULL,"
  "  inputs TEXT NOT NULL DEFAULT '{}',"
  "  confirmation TEXT,"
  "  exit_code BIGINT,"
  "  duration_ms BIGINT,"
  "  outcome TEXT NOT NULL,"
  "  output_tail TEXT NOT NULL DEFAULT '',"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  started_id BIGINT,"
  "  process TEXT,"
  "  owner TEXT"
  ");"
  "CREATE INDEX audit_log_by_started ON audit_log (started_id);"
  "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log"
  "  FOR EACH ROW EXECUTE FUNCTION sitrep_refuse ('the audit log is append-only');"
  "CREATE TABLE audit_chain ("
  "  id BIGINT PRIMARY KEY CHECK (id = 1),"
  "  database_id TEXT NOT NULL,"
  "  keyed_from BIGINT NOT NULL,"
  "  created_at BIGINT NOT NULL"
  ");"
  "INSERT INTO audit_chain (id, database_id, keyed_from, created_at)"
  "  VALUES (1, replace (gen_random_uuid ()::text, '-', ''), 1,"
  "          floor (extract (epoch FROM now ()))::bigint * 1000000);"
  "CREATE TRIGGER audit_chain_fixed BEFORE UPDATE OR DELETE ON audit_chain"
  "  FOR EACH ROW EXECUTE FUNCTION sitrep_refuse ('the audit chain record is fixed');"
  "CREATE TABLE health_samples ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  service_id TEXT NOT NULL,"
  "  probe_id TEXT NOT NULL,"
  "  at BIGINT NOT NULL,"
  "  health TEXT NOT NULL CHECK (health IN ('up', 'unknown', 'degraded', 'down')),"
  "  latency_ms DOUBLE PRECISION,"
  "  error TEXT"
  ");"
  "CREATE INDEX health_samples_by_probe ON health_samples (service_id, probe_id, at);"
  "CREATE INDEX health_samples_by_time ON health_samples (at);"
  "CREATE TABLE health_changes ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  service_id TEXT NOT NULL,"
  "  at BIGINT NOT NULL,"
  "  old_state TEXT NOT NULL,"
  "  new_state TEXT NOT NULL,"
  "  reason TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX health_changes_by_service ON health_changes (service_id, at);"
  "CREATE INDEX health_changes_by_time ON health_changes (at);"
  "CREATE TABLE messages ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
  "  template_id TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  copied_at BIGINT,"
  "  webhook_state TEXT NOT NULL DEFAULT 'none'"
  "    CHECK (webhook_state IN ('none', 'queued', 'sent', 'failed')),"
  "  webhook_error TEXT,"
  "  webhook_attempts BIGINT NOT NULL DEFAULT 0,"
  "  next_attempt_at BIGINT,"
  "  title TEXT,"
  "  author TEXT,"
  "  resets_update BIGINT NOT NULL DEFAULT 1 CHECK (resets_update IN (0, 1))"
  ");"
  "CREATE TABLE action_items ("
  "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
  "  position BIGINT NOT NULL DEFAULT 0,"
  "  text TEXT NOT NULL,"
  "  owner TEXT NOT NULL DEFAULT '',"
  "  due TEXT NOT NULL DEFAULT '',"
  "  done BIGINT NOT NULL DEFAULT 0 CHECK (done IN (0, 1))"
  ");"
  "CREATE TABLE app_state ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT"
  ");";

/* The PostgreSQL migration from version `from`, for a migration whose SQLite words PostgreSQL
 * does not take; every other one runs on both engines as written in migrations[]. */
static const struct
{
  int from;
  const char *sql;
} postgres_migrations[] = {
  /* Microseconds do not fit PostgreSQL's INTEGER. */
  { 10, "CREATE TABLE IF NOT EXISTS sitrep_journal_applied ("
        "  change_id TEXT PRIMARY KEY,"
        "  applied_at BIGINT NOT NULL"
        ");" },
  { 11, "ALTER TABLE messages ADD COLUMN webhook_claim TEXT;"
        "ALTER TABLE messages ADD COLUMN webhook_claimed_until BIGINT;" },
};

/* The schema version of a database: SQLite keeps it in PRAGMA user_version, a team database in
 * its sitrep_schema table (none yet: version 0). The dialect says how to read it. */
gboolean
sitrep_store_read_schema_version (SitrepStore *self,
                                  int         *version,
                                  GError     **error)
{
  const SitrepDbDialect *dialect = sitrep_db_dialect (self->conn);
  SitrepDbStmt *stmt;
  int rc;

  if (dialect->version_exists != NULL)
    {
      gint64 exists = sitrep_store_query_int (self, dialect->version_exists, 0,
                                              _("reading the schema version"), error);

      if (exists < 0)
        return FALSE;
      if (exists == 0)
        {
          *version = 0;
          return TRUE;
        }
    }
  stmt = sitrep_store_statement (self, dialect->read_version, error);
  if (stmt == NULL)
    return FALSE;
  rc = sitrep_db_step (stmt);
  if (rc != SITREP_DB_ROW)
    {
      sitrep_store_fail (self, rc, _("reading the schema version"), error);
      sitrep_db_finalize (stmt);
      return FALSE;
    }
  *version = sitrep_db_column_int (stmt, 0);
  sitrep_db_finalize (stmt);
  return TRUE;
}

gboolean
sitrep_store_refuse_newer (SitrepStore *self,
                           int          version,
                           GError     **error)
{
  if (version <= SITREP_STORE_SCHEMA_VERSION)
    return TRUE;
  g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NEWER_VERSION,
               _("%s was written by a newer Sitrep (database version %d; this one "
                 "understands up to %d). Nothing was changed: use the newer Sitrep, or "
                 "start this one with --database and another file."),
               self->path, version, SITREP_STORE_SCHEMA_VERSION);
  return FALSE;
}

/* The SQL that takes a database of @engine from @version to the next: SQLite's migration, or
 * PostgreSQL's own where its SQL must differ (a team database starts at POSTGRES_BASELINE). */
static const char *
migration_for (SitrepDbEngine engine,
               int            version,
               int           *next)
{
  *next = version + 1;
  if (engine == SITREP_DB_ENGINE_SQLITE)
    return migrations[version];
  if (version == 0)
    {
      *next = POSTGRES_BASELINE;
      return postgres_baseline;
    }
  for (guint i = 0; i < G_N_ELEMENTS (postgres_migrations); i++)
    if (postgres_migrations[i].from == version)
      return postgres_migrations[i].sql;
  return migrations[version];
}

gboolean
sitrep_store_migrate (SitrepStore *self,
                      GError     **error)
{
  SitrepDbEngine engine = sitrep_db_engine (self->conn);
  int version;

  if (!sitrep_store_read_schema_version (self, &version, error))
    return FALSE;
  if (!sitrep_store_refuse_newer (self, version, error))
    return FALSE;

  while (version < SITREP_STORE_SCHEMA_VERSION)
    {
      g_autofree char *bump = NULL;
      int next;
      const char *sql;

      if (!sitrep_store_exec (self, "BEGIN IMMEDIATE", _("starting a migration"), error))
        return FALSE;
      /* Several team members' Sitreps may meet a new database at once: one migrates, the
       * others wait and find it done. */
      if (sitrep_store_is_shared (self)
          && (!sitrep_db_postgres_lock (self->conn, "schema", FALSE, error)
              || !sitrep_store_read_schema_version (self, &version, error)
              || !sitrep_store_refuse_newer (self, version, error)))
        return sitrep_store_rollback (self);
      if (version >= SITREP_STORE_SCHEMA_VERSION)
        {
          /* Another one migrated meanwhile. */
          sitrep_store_rollback (self);
          break;
        }

      sql = migration_for (engine, version, &next);
      bump = g_strdup_printf (sitrep_db_dialect (self->conn)->write_version, next);
      if (!sitrep_store_exec (self, sql, _("upgrading the database"), error)
          || !sitrep_store_exec (self, bump, _("upgrading the database"), error)
          || !sitrep_store_exec (self, "COMMIT", _("upgrading the database"), error))
        return sitrep_store_rollback (self);
      version = next;
    }

  self->schema_version = version;
  return TRUE;
}
