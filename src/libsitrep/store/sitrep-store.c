/* sitrep-store.c: the local SQLite database that keeps incidents, timelines and the audit log
 *
 * Every write is its own committed transaction in WAL mode with synchronous=FULL: when a call
 * returns, the row survives the process being killed, and the machine losing power. The
 * console makes its changes through the writer thread (sitrep-store-writer.c) so that its main
 * loop never waits for that; its connection here only reads.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sitrep-store-private.h"


G_DEFINE_FINAL_TYPE (SitrepStore, sitrep_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (sitrep-store-error-quark, sitrep_store_error)

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
  { -1, NULL },
};

static void
sitrep_store_finalize (GObject *object)
{
  SitrepStore *self = (SitrepStore *) object;

  /* Every queued change holds the store, so none is left: the thread just ends. */
  sitrep_store_stop_writer (self);

  /* The audit log's key is wiped, not just freed. */
  if (self->audit_key != NULL)
    {
      gsize length = 0;
      gpointer key = (gpointer) g_bytes_get_data (self->audit_key, &length);

      if (key != NULL)
        memset (key, 0, length);
      g_bytes_unref (self->audit_key);
    }
  g_free (self->audit_key_problem);
  g_warn_if_fail (self->audit_key_load == NULL && self->audit_key_waiting == NULL);
  self->db = NULL;
  g_clear_pointer (&self->conn, sitrep_db_close);
  g_free (self->path);

  G_OBJECT_CLASS (sitrep_store_parent_class)->finalize (object);
}

static void
sitrep_store_class_init (SitrepStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sitrep_store_finalize;
}

static void
sitrep_store_init (SitrepStore *self)
{
}

/* Turns an sqlite failure into an error that says what to do about it. */
void
sitrep_store_fail (SitrepStore *self,
                  int          rc,
                  const char  *doing,
                  GError     **error)
{
  const char *detail = self->conn ? sitrep_db_errmsg (self->conn) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CORRUPT,
                   _("%s is not a Sitrep database or it is damaged (%s). Nothing was changed: "
                     "move the file aside to start afresh, or start Sitrep with --database "
                     "and another file."),
                   self->path, detail);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_READ_ONLY,
                   _("cannot write to %s (%s): make the file and its folder writable, or start "
                     "Sitrep with --database and a writable file."),
                   self->path, detail);
      break;
    case SQLITE_CANTOPEN:
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                   _("cannot open %s (%s): check that its folder exists and is writable, or "
                     "start Sitrep with --database and another file."),
                   self->path, detail);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_BUSY,
                   _("%s is busy: another Sitrep or a sitrep command is writing to it. Close "
                     "the other one and try again."),
                   self->path);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("%s refused the change while %s: %s"), self->path, doing, detail);
      break;
    default:
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                   _("database %s failed while %s: %s"), self->path, doing, detail);
      break;
    }
}

gboolean
sitrep_store_exec (SitrepStore *self,
          const char  *sql,
          const char  *doing,
          GError     **error)
{
  int rc = sitrep_db_exec (self->conn, sql);

  if (rc != SITREP_DB_OK)
    {
      sitrep_store_fail (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

/* A statement in SQLite's own API, for the timeline model, which pages with SQLite's
 * features (FTS5) and reads a local database only. */
sqlite3_stmt *
sitrep_store_prepare (SitrepStore *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (self->db == NULL)
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                   _("The timeline view reads a local database only for now; %s is a team "
                     "database. Use sitrep incident show to read its timeline."),
                   self->path);
      return NULL;
    }
  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      sitrep_store_fail (self, rc, _("preparing a query"), error);
      return NULL;
    }
  return stmt;
}

/* A statement in the store's SQL (?N placeholders), on either engine. */
SitrepDbStmt *
sitrep_store_statement (SitrepStore *self,
                        const char  *sql,
                        GError     **error)
{
  SitrepDbStmt *stmt = NULL;
  int rc = sitrep_db_prepare (self->conn, sql, &stmt);

  if (rc != SITREP_DB_OK)
    {
      sitrep_store_fail (self, rc, _("preparing a query"), error);
      return NULL;
    }
  return stmt;
}

/* Steps an INSERT … RETURNING id and finalizes it: the new row's id, or -1 with @error set.
 * Both engines return the id this way; SQLite's last_insert_rowid() has no PostgreSQL twin. */
gint64
sitrep_store_step_id (SitrepStore  *self,
                      SitrepDbStmt *stmt,
                      const char   *doing,
                      GError      **error)
{
  int rc = sitrep_db_step (stmt);
  gint64 id = -1;

  if (rc == SITREP_DB_ROW)
    {
      id = sitrep_db_column_int64 (stmt, 0);
      rc = sitrep_db_step (stmt);
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE || id < 0)
    {
      sitrep_store_fail (self, rc == SITREP_DB_DONE ? SITREP_DB_ERROR : rc, doing, error);
      return -1;
    }
  return id;
}

/* The schema version of a database: SQLite keeps it in PRAGMA user_version, a team database in
 * its sitrep_schema table (none yet: version 0). */
static gboolean
read_user_version (SitrepStore *self,
                   int         *version,
                   GError     **error)
{
  gboolean postgres = sitrep_db_engine (self->conn) == SITREP_DB_ENGINE_POSTGRES;
  SitrepDbStmt *stmt;
  int rc;

  if (postgres)
    {
      gint64 exists = sitrep_store_query_int (self,
                                              "SELECT count(*) FROM pg_tables WHERE tablename"
                                              " = 'sitrep_schema' AND schemaname ="
                                              " current_schema ()",
                                              0, _("reading the schema version"), error);

      if (exists < 0)
        return FALSE;
      if (exists == 0)
        {
          *version = 0;
          return TRUE;
        }
    }
  stmt = sitrep_store_statement (self,
                                 postgres ? "SELECT coalesce (max (version), 0) FROM sitrep_schema"
                                          : "PRAGMA user_version",
                                 error);
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

static gboolean
refuse_newer (SitrepStore *self,
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

static gboolean
migrate (SitrepStore *self,
         GError     **error)
{
  SitrepDbEngine engine = sitrep_db_engine (self->conn);
  int version;

  if (!read_user_version (self, &version, error))
    return FALSE;
  if (!refuse_newer (self, version, error))
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
      if (engine == SITREP_DB_ENGINE_POSTGRES
          && (!sitrep_db_postgres_lock (self->conn, "schema", FALSE, error)
              || !read_user_version (self, &version, error)
              || !refuse_newer (self, version, error)))
        return sitrep_store_rollback (self);
      if (version >= SITREP_STORE_SCHEMA_VERSION)
        {
          /* Another one migrated meanwhile. */
          sitrep_store_rollback (self);
          break;
        }

      sql = migration_for (engine, version, &next);
      bump = engine == SITREP_DB_ENGINE_SQLITE
               ? g_strdup_printf ("PRAGMA user_version = %d", next)
               : g_strdup_printf ("DELETE FROM sitrep_schema; INSERT INTO sitrep_schema (version)"
                                  " VALUES (%d)", next);
      if (!sitrep_store_exec (self, sql, _("upgrading the database"), error)
          || !sitrep_store_exec (self, bump, _("upgrading the database"), error)
          || !sitrep_store_exec (self, "COMMIT", _("upgrading the database"), error))
        return sitrep_store_rollback (self);
      version = next;
    }

  self->schema_version = version;
  return TRUE;
}

char *
sitrep_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "sitrep", "sitrep.db", NULL);
}

/* Refuses early, with a clear message, what sqlite would only report half-way through. */
static gboolean
check_writable (SitrepStore *self,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                   _("cannot create the folder %s for the database (%s): start Sitrep with "
                     "--database and a file in a writable folder."),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* WAL mode keeps its journal beside the database, so the folder must be writable too. */
  if (g_access (dir, W_OK) != 0
      || (g_file_test (self->path, G_FILE_TEST_EXISTS) && g_access (self->path, W_OK) != 0))
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_READ_ONLY,
                   _("cannot write to %s: the file or its folder is read-only. Nothing was "
                     "changed: make them writable, or start Sitrep with --database and a file "
                     "in a writable folder."),
                   self->path);
      return FALSE;
    }
  return TRUE;
}

/* A team database: connects, then brings its schema up to date under a lock. */
static SitrepStore *
open_postgres (const char *conninfo,
               GError    **error)
{
  g_autoptr(SitrepStore) self = g_object_new (SITREP_TYPE_STORE, NULL);

  self->path = g_strdup (conninfo);
  self->conn = sitrep_db_postgres_open (conninfo, NULL, error);
  if (self->conn == NULL)
    return NULL;
  /* Quiet: the migrations' "already exists" notices are no news. */
  if (!sitrep_store_exec (self, "SET client_min_messages = warning", _("configuring the connection"),
                          error)
      || !migrate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * sitrep_store_open:
 * @path: the database file, ":memory:" for a private in-memory database, or a team database's
 *   PostgreSQL connection string (postgresql://USER@HOST:PORT/DATABASE, without a password)
 *
 * Opens the database, creating it and its folder when missing, and brings its schema up to
 * date. A database from a newer Sitrep, a damaged file or a read-only place is refused with an
 * error that says so, and nothing in the file is changed.
 */
SitrepStore *
sitrep_store_open (const char *path,
                   GError    **error)
{
  g_autoptr(SitrepStore) self = NULL;
  gboolean in_memory;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (sitrep_db_is_postgres_uri (path))
    return open_postgres (path, error);

  self = g_object_new (SITREP_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  in_memory = g_str_equal (path, ":memory:");

  if (!in_memory && !check_writable (self, error))
    return NULL;

  self->conn = sitrep_db_sqlite_open (path, &rc);
  if (self->conn == NULL)
    {
      sitrep_store_fail (self, rc, _("opening"), error);
      return NULL;
    }
  self->db = sitrep_db_sqlite_handle (self->conn);

  /* Short: the console's connection lives on the main loop, which must not wait long. */
  sqlite3_busy_timeout (self->db, 500);
  sqlite3_extended_result_codes (self->db, 0);

  /* Read the version before anything writes: a newer or damaged file must stay untouched. */
  {
    int version;

    if (!read_user_version (self, &version, error) || !refuse_newer (self, version, error))
      return NULL;
  }

  if (!in_memory && !sitrep_store_exec (self, "PRAGMA journal_mode = WAL", _("switching to WAL"), error))
    return NULL;
  if (!sitrep_store_exec (self,
                 "PRAGMA synchronous = FULL;"
                 "PRAGMA foreign_keys = ON;",
                 _("configuring the connection"), error))
    return NULL;

  if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * sitrep_store_is_shared:
 *
 * Whether the store is a team database (PostgreSQL) rather than a file of one's own.
 */
gboolean
sitrep_store_is_shared (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  return sitrep_db_engine (self->conn) == SITREP_DB_ENGINE_POSTGRES;
}

/**
 * sitrep_store_check_file:
 * @path: the database file a person named, or the default one
 * @is_default: whether @path is the default database rather than one given with --database
 *
 * Whether @path names an existing regular file, before anything opens it. Opening would create
 * a missing file, and an empty database answers "no incidents" or "audit log intact" for a
 * mistyped path; a named pipe would block the first read. The console and the headless verbs
 * check a database they are given this way.
 */
gboolean
sitrep_store_check_file (const char *path,
                         gboolean    is_default,
                         GError    **error)
{
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno != ENOENT && saved_errno != ENOTDIR)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("Cannot read the database %s (%s): check its permissions."), path,
                     g_strerror (saved_errno));
      else if (is_default)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("There is no database at %s yet: the console creates it when it first "
                       "starts. Give another one with --database FILE."),
                     path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("There is no database at %s: check the path. --database names an "
                       "existing file (an empty file starts a new database); nothing was "
                       "created."),
                     path);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   S_ISDIR (st.st_mode)
                     ? _("%s is a folder, not a database: give the database file with "
                         "--database FILE.")
                     : _("%s is not a regular file (a pipe, a device or a socket): give the "
                         "database file with --database FILE."),
                   path);
      return FALSE;
    }
  return TRUE;
}

/**
 * sitrep_store_open_existing:
 * @path: (nullable): the database a person named, or %NULL for the default one
 *
 * Opens a database that must already exist (sitrep_store_check_file()): what the headless verbs
 * read. Only the console creates its database. A team database (a PostgreSQL connection
 * string) is opened, and its schema created on first use.
 */
SitrepStore *
sitrep_store_open_existing (const char *path,
                            GError    **error)
{
  g_autofree char *fallback = NULL;

  if (path == NULL)
    path = fallback = sitrep_store_default_path ();
  /* A team database that does not exist is the server's error to report. */
  if (sitrep_db_is_postgres_uri (path))
    return sitrep_store_open (path, error);
  if (!sitrep_store_check_file (path, fallback != NULL, error))
    return NULL;
  return sitrep_store_open (path, error);
}

/**
 * sitrep_store_set_busy_timeout:
 * @milliseconds: how long a change waits for another writer of the same file
 *
 * The console waits half a second at most, since its main loop must not stall; a headless verb
 * that shares the file with a console and other verbs can wait longer rather than lose a write.
 */
void
sitrep_store_set_busy_timeout (SitrepStore *self,
                               guint        milliseconds)
{
  g_return_if_fail (SITREP_IS_STORE (self));
  /* A team database makes a writer wait on a row lock or the audit chain's lock as long as
   * the other holds it. */
  if (self->db != NULL)
    sqlite3_busy_timeout (self->db, (int) MIN (milliseconds, G_MAXINT));
}

const char *
sitrep_store_get_path (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  return self->path;
}

int
sitrep_store_get_schema_version (SitrepStore *self)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), 0);
  return self->schema_version;
}

gboolean
sitrep_store_check_integrity (SitrepStore *self,
                              char       **report,
                              GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  /* PostgreSQL checks its pages itself (checksums, amcheck); there is nothing to ask. */
  if (self->db == NULL)
    {
      if (report != NULL)
        *report = g_strdup ("ok");
      return TRUE;
    }
  stmt = sitrep_store_prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sitrep_store_fail (self, rc, _("checking integrity"), error);
      return FALSE;
    }
  if (report != NULL)
    *report = g_strdup (text->str);
  return g_str_equal (text->str, "ok");
}

gint64
sitrep_store_insert_incident (SitrepStore *self,
                              const char  *runbook,
                              const char  *severity,
                              const char  *summary,
                              gint64       declared_at,
                              GError     **error)
{
  SitrepDbStmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);

  stmt = sitrep_store_statement (self,
                                 "INSERT INTO incidents (runbook, severity, summary, started_at,"
                                 " declared_at) VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
                                 error);
  if (stmt == NULL)
    return -1;
  sitrep_db_bind_text (stmt, 1, runbook);
  sitrep_db_bind_text (stmt, 2, severity);
  sitrep_db_bind_text (stmt, 3, summary);
  sitrep_db_bind_int64 (stmt, 4, declared_at);
  return sitrep_store_step_id (self, stmt, _("adding an incident"), error);
}

gint64
sitrep_store_query_int (SitrepStore *self,
                        const char  *sql,
                        gint64       arg,
                        const char  *doing,
                        GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self, sql, error);
  gint64 value;
  int rc;

  if (stmt == NULL)
    return -1;
  sitrep_db_bind_int64 (stmt, 1, arg);
  rc = sitrep_db_step (stmt);
  if (rc != SITREP_DB_ROW)
    {
      sitrep_store_fail (self, rc, doing, error);
      sitrep_db_finalize (stmt);
      return -1;
    }
  value = sitrep_db_column_int64 (stmt, 0);
  sitrep_db_finalize (stmt);
  return value;
}

gint64
sitrep_store_count_events (SitrepStore *self,
                           gint64       incident_id,
                           GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  return sitrep_store_query_int (self, "SELECT count(*) FROM timeline_events WHERE incident_id = ?1",
                    incident_id, _("counting timeline events"), error);
}

gboolean
sitrep_store_has_event (SitrepStore *self,
                        gint64       event_id,
                        GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  return sitrep_store_query_int (self, "SELECT count(*) FROM timeline_events WHERE id = ?1", event_id,
                    _("looking up a timeline event"), error) == 1;
}

/* The helpers every part of the store shares for "one change, one transaction". */
gboolean
sitrep_store_begin (SitrepStore *self,
                    GError     **error)
{
  return sitrep_store_exec (self, "BEGIN IMMEDIATE", _("starting a change"), error);
}

gboolean
sitrep_store_commit (SitrepStore *self,
                     GError     **error)
{
  return sitrep_store_exec (self, "COMMIT", _("saving a change"), error);
}

/* Always FALSE, so that a failed change can end with `return sitrep_store_rollback (self);`. */
gboolean
sitrep_store_rollback (SitrepStore *self)
{
  sitrep_db_exec (self->conn, "ROLLBACK");
  return FALSE;
}

/* Steps a statement that returns no rows and finalizes it. */
gboolean
sitrep_store_step_done (SitrepStore  *self,
                        SitrepDbStmt *stmt,
                        const char   *doing,
                        GError      **error)
{
  int rc = sitrep_db_step (stmt);

  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}
