/* test-store.c: the SQLite store: migrations, reopening, refusals, kill -9 durability, and the
 * writer thread */
#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "fixture-incident.h"
#include "fixture-runbook.h"
#include "fixture-schema.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-audit-private.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"
#include "sitrep-store-testing.h"

static char *
temp_db_path (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), "store-test", name, NULL);
}

static int
raw_user_version (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return version;
}

static void
test_store_create (void)
{
  g_autofree char *path = temp_db_path ("create.db");
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  gint64 incident, event;

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (sitrep_store_get_schema_version (store), ==, SITREP_STORE_SCHEMA_VERSION);

  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "API down", 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (incident, >, 0);
  {
    g_autoptr(JsonObject) fields = json_object_new ();

    json_object_set_string_member (fields, "severity", "SEV-1");
    json_object_set_string_member (fields, "summary", "API down");
    event = sitrep_store_record_event (store, incident, 1000, SITREP_TIMELINE_KIND_DECLARED, fields,
                                       "alice", &error);
  }
  g_assert_no_error (error);
  g_assert_true (sitrep_store_has_event (store, event, &error));
  g_assert_cmpint (sitrep_store_count_events (store, incident, &error), ==, 1);

  g_assert_true (sitrep_store_check_integrity (store, &report, &error));
  g_assert_cmpstr (report, ==, "ok");
  g_clear_object (&store);

  /* The version is on disk, not only in memory. */
  g_assert_cmpint (raw_user_version (path), ==, SITREP_STORE_SCHEMA_VERSION);
}

static void
test_store_reopen (void)
{
  g_autofree char *path = temp_db_path ("reopen.db");
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 incident, event;

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-2", "Slow queries", 5, &error);
  event = sitrep_store_insert_event (store, incident, 6, SITREP_TIMELINE_KIND_NOTE, NULL,
                                     "Looking at the pool", "bob", &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_has_event (store, event, &error));
  g_assert_cmpint (sitrep_store_count_events (store, incident, &error), ==, 1);
}

static void
test_store_constraints (void)
{
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  store = sitrep_store_open (":memory:", &error);
  g_assert_no_error (error);

  /* An empty summary is refused by the schema itself, not only by the UI. */
  id = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "   ", 1, &error);
  g_assert_cmpint (id, ==, -1);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An event for an incident that does not exist: foreign keys are on. */
  id = sitrep_store_insert_event (store, 4242, 1, SITREP_TIMELINE_KIND_NOTE, NULL, "orphan", "",
                                  &error);
  g_assert_cmpint (id, ==, -1);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
}

/* A database from version 0 (an empty file made by an earlier build) is upgraded in place. */
static void
test_store_migrates (void)
{
  g_autofree char *path = temp_db_path ("old.db");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE keep_me (x); INSERT INTO keep_me VALUES (7);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (raw_user_version (path), ==, 0);

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_get_schema_version (store), ==, SITREP_STORE_SCHEMA_VERSION);
  g_clear_object (&store);
  g_assert_cmpint (raw_user_version (path), ==, SITREP_STORE_SCHEMA_VERSION);

  /* What was there before the migration is still there. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT x FROM keep_me", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

/* A database of the previous version (1), with an incident, its checklist and timeline, is
 * upgraded: everything stays, the incident says it has no runbook of its own, and incidents
 * declared from then on keep theirs, one copy per runbook content. */
static void
test_store_migrates_from_1 (void)
{
  g_autofree char *path = temp_db_path ("version-1.db");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *schema_path = g_test_build_filename (G_TEST_DIST, "data", "schema-v1.sql",
                                                        NULL);
  g_autofree char *schema = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepIncident) old = NULL;
  g_autoptr(SitrepIncident) fresh = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepRunbook) kept = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;
  gint64 a, b;

  g_file_get_contents (schema_path, &schema, NULL, &error);
  g_assert_no_error (error);
  g_mkdir_with_parents (dir, 0700);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, schema, NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_exec (db,
                "INSERT INTO incidents (id, runbook, severity, summary, started_at, declared_at)"
                " VALUES (7, 'Northwind Freight', 'P2', 'Slow labels', 1000, 1000);"
                "INSERT INTO checklist_state VALUES (7, 'open-room', 1, 'dana', 2000);"
                "INSERT INTO timeline_events (incident_id, at, recorded_at, kind, text)"
                " VALUES (7, 1000, 1000, 'declared', 'Declared P2: Slow labels');"
                "PRAGMA user_version = 1;",
                NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (db);

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_get_schema_version (store), ==, SITREP_STORE_SCHEMA_VERSION);
  old = sitrep_store_load_incident (store, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_incident_get_runbook_name (old), ==, "Northwind Freight");
  g_assert_null (sitrep_incident_get_runbook_checksum (old));
  g_assert_true (sitrep_incident_get_tick (old, "open-room")->done);
  g_assert_cmpint (sitrep_store_count_events (store, 7, &error), ==, 1);
  g_assert_null (sitrep_store_load_incident_runbook (store, old, &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Two incidents under one runbook: one copy, which loads back as that runbook. */
  runbook = sitrep_runbook_load_default (&error);
  g_assert_no_error (error);
  a = fixture_declare_incident (store, runbook, "SEV-1", "API down", "", "", NULL, NULL, 3000,
                                &error);
  b = fixture_declare_incident (store, runbook, "SEV-3", "Slow search", "", "", NULL, NULL, 4000,
                                &error);
  g_assert_no_error (error);
  g_assert_cmpint (b, >, a);
  fresh = sitrep_store_load_incident (store, b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_incident_get_runbook_checksum (fresh), ==,
                   sitrep_runbook_get_digest (runbook));
  kept = sitrep_store_load_incident_runbook (store, fresh, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_runbook_get_digest (kept), ==, sitrep_runbook_get_digest (runbook));
  g_assert_cmpstr (sitrep_runbook_get_source (kept), ==, sitrep_runbook_get_source (runbook));
  g_assert_true (g_bytes_equal (sitrep_runbook_get_content (kept),
                                sitrep_runbook_get_content (runbook)));
  g_clear_object (&store);

  g_assert_cmpint (raw_user_version (path), ==, SITREP_STORE_SCHEMA_VERSION);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM runbook_snapshots"), ==, 1);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM incidents"), ==, 3);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM incidents WHERE runbook_sha256 IS NULL"),
                   ==, 1);
}

/* Northwind as a drill's runbook: the environment of a simulation. */
static SitrepRunbook *
northwind_drill (void)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_auto(GStrv) parts = g_strsplit (text, "\"environment\": {", 2);
  g_autofree char *drill = g_strjoinv ("\"environment\": { \"drill\": true, "
                                       "\"kubeconfig\": \"/run/drill/kubeconfig\",", parts);
  g_autoptr(GBytes) bytes = g_bytes_new (drill, strlen (drill));
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_bytes (bytes, "drill.json", NULL, &error);

  g_assert_no_error (error);
  g_assert_true (sitrep_runbook_get_environment (runbook)->drill);
  return runbook;
}

/* A database of the previous version (5) gets the drill mark: its incidents stay real ones;
 * an incident declared in a drill from then on is marked as one, on disk. */
static void
test_store_migrates_from_5 (void)
{
  g_autofree char *path = temp_db_path ("version-5.db");
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepIncident) old = NULL;
  g_autoptr(SitrepIncident) practice = NULL;
  g_autoptr(SitrepRunbook) real = fixture_runbook_load (NULL);
  g_autoptr(SitrepRunbook) drill = northwind_drill ();
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  g_autofree char *downgrade = NULL;
  char *message = NULL;
  gint64 old_id, drill_id;

  /* Version 5 is the newest without the drill column and everything after it: the migrations
   * are only ever appended (tests/support/fixture-schema.c undoes them). */
  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  old_id = fixture_declare_incident (store, real, "P1", "Labels stopped", "", "", NULL, NULL,
                                     1000, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  downgrade = fixture_schema_downgrade_sql (5);
  sqlite3_exec (db, downgrade, NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (db);
  g_assert_cmpint (raw_user_version (path), ==, 5);

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_get_schema_version (store), ==, SITREP_STORE_SCHEMA_VERSION);
  old = sitrep_store_load_incident (store, old_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_incident_get_summary (old), ==, "Labels stopped");
  g_assert_false (sitrep_incident_get_drill (old));

  drill_id = fixture_declare_incident (store, drill, "P2", "Practice: ledger slow", "", "", NULL,
                                       NULL, 2000, &error);
  g_assert_no_error (error);
  practice = sitrep_store_load_incident (store, drill_id, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_incident_get_drill (practice));
  g_clear_object (&store);

  g_assert_cmpint (raw_user_version (path), ==, SITREP_STORE_SCHEMA_VERSION);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM incidents WHERE drill = 1"), ==, 1);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM incidents WHERE drill = 0"), ==, 1);
}


/* A database of version 6 gets the runbook's own status ids: its incidents keep their built-in
 * status, and an incident under a runbook with its own statuses keeps its id, on disk. */
static void
test_store_migrates_from_6 (void)
{
  g_autofree char *path = temp_db_path ("version-6.db");
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autoptr(GString) v2 = g_string_new (text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepIncident) old = NULL;
  g_autoptr(SitrepIncident) own = NULL;
  g_autoptr(SitrepRunbook) real = fixture_runbook_load (NULL);
  g_autoptr(SitrepRunbook) with_statuses = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  g_autofree char *downgrade = NULL;
  char *message = NULL;
  gint64 old_id, own_id;

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  old_id = fixture_declare_incident (store, real, "P1", "Labels stopped", "", "", NULL, NULL,
                                     1000, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  downgrade = fixture_schema_downgrade_sql (6);
  sqlite3_exec (db, downgrade, NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (db);

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_get_schema_version (store), ==, SITREP_STORE_SCHEMA_VERSION);
  old = sitrep_store_load_incident (store, old_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_status (old), ==, SITREP_STATUS_INVESTIGATING);

  g_string_replace (v2, "\"sitrep_runbook\": 1,", "\"sitrep_runbook\": 2, \"statuses\": ["
                    " { \"id\": \"triage\", \"label\": \"Triage\" },"
                    " { \"id\": \"closed\", \"label\": \"Closed\", \"resolves\": true } ],", 1);
  bytes = g_bytes_new (v2->str, v2->len);
  with_statuses = sitrep_runbook_load_bytes (bytes, "own.json", NULL, &error);
  g_assert_no_error (error);
  own_id = fixture_declare_incident (store, with_statuses, "P2", "Ledger slow", "", "", NULL, NULL,
                                     2000, &error);
  g_assert_no_error (error);
  own = sitrep_store_load_incident (store, own_id, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_change_status (store, own, SITREP_STATUS_RESOLVED, "closed", "Triage",
                                             "Closed", 3000, "dana", &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (raw_user_version (path), ==, SITREP_STORE_SCHEMA_VERSION);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM incidents WHERE status_id IS NULL"
                                     " AND status = 'investigating'"), ==, 1);
  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM incidents WHERE status_id = 'closed'"
                                     " AND status = 'resolved' AND resolved_at = 3000"), ==, 1);
}


/* A database of version 7 gets the post-mortem's own sections: what was written before stays,
 * and a section written from then on is kept on disk as a JSON object. */
static void
test_store_migrates_from_7 (void)
{
  g_autofree char *path = temp_db_path ("version-7.db");
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepRunbook) real = fixture_runbook_load (NULL);
  g_autoptr(SitrepPostmortemFields) fields = NULL;
  g_autoptr(SitrepPostmortemFields) loaded = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  g_autofree char *downgrade = NULL;
  char *message = NULL;
  gint64 id;

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  id = fixture_declare_incident (store, real, "P1", "Labels stopped", "", "", NULL, NULL, 1000,
                                 &error);
  g_assert_no_error (error);
  fields = sitrep_postmortem_fields_new ();
  g_free (fields->root_cause);
  fields->root_cause = g_strdup ("An expired certificate");
  g_assert_true (sitrep_store_save_postmortem (store, id, NULL, fields, NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  downgrade = fixture_schema_downgrade_sql (7);
  sqlite3_exec (db, downgrade, NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (db);

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_get_schema_version (store), ==, SITREP_STORE_SCHEMA_VERSION);
  loaded = sitrep_store_load_postmortem (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->root_cause, ==, "An expired certificate");
  g_assert_cmpuint (g_hash_table_size (loaded->sections), ==, 0);
  g_hash_table_insert (loaded->sections, g_strdup ("went-well"), g_strdup ("Paging \"worked\""));
  g_assert_true (sitrep_store_save_postmortem (store, id, NULL, loaded, NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (count_rows (path, "SELECT count(*) FROM incidents WHERE postmortem_sections"
                                     " = '{\"went-well\":\"Paging \\\"worked\\\"\"}'"), ==, 1);
}

static void
test_store_newer (void)
{
  g_autofree char *path = temp_db_path ("newer.db");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *before = NULL, *after = NULL;
  gsize before_len, after_len;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 99;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  store = sitrep_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NEWER_VERSION);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "newer Sitrep"));
  g_assert_nonnull (strstr (error->message, "99"));

  /* Nothing was written: same bytes, no WAL journal left behind. */
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_cmpint (raw_user_version (path), ==, 99);
}

static void
test_store_corrupt (void)
{
  g_autofree char *path = temp_db_path ("corrupt.db");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *garbage = g_strnfill (8192, 'x');
  g_autofree char *after = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));

  store = sitrep_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "--database"));

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
}

/* Runs in a child: as root it first becomes nobody, because root may write anywhere and a
 * read-only folder would not be read-only for it. */
static void
read_only_dir_checks (void)
{
  const char *base = g_getenv ("SITREP_TEST_RO_BASE");
  g_autofree char *dir = g_build_filename (base, "locked", NULL);
  g_autofree char *path = g_build_filename (dir, "sitrep.db", NULL);
  g_autofree char *existing_dir = g_build_filename (base, "locked-existing", NULL);
  g_autofree char *existing = g_build_filename (existing_dir, "sitrep.db", NULL);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 incident;

  if (geteuid () == 0)
    {
      g_assert_cmpint (setgid (65534), ==, 0);
      g_assert_cmpint (setuid (65534), ==, 0);
    }
  g_assert_cmpint (geteuid (), !=, 0);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  store = sitrep_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_nonnull (strstr (error->message, path));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* An existing database whose folder became read-only: refused, and left as it was. */
  store = sitrep_store_open (existing, &error);
  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-3", "kept", 1, &error);
  g_assert_cmpint (incident, >, 0);
  g_clear_object (&store);
  g_assert_cmpint (g_chmod (existing_dir, 0500), ==, 0);
  store = sitrep_store_open (existing, &error);
  g_assert_null (store);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_READ_ONLY);
  g_chmod (existing_dir, 0700);
  g_chmod (dir, 0700);
}

static void
test_store_read_only_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  if (g_test_subprocess ())
    {
      read_only_dir_checks ();
      return;
    }

  /* Outside the isolated test folders, which only the test's own user may enter. */
  base = g_dir_make_tmp ("sitrep-ro-XXXXXX", &error);
  g_assert_no_error (error);
  if (geteuid () == 0)
    g_assert_cmpint (chown (base, 65534, 65534), ==, 0);
  g_setenv ("SITREP_TEST_RO_BASE", base, TRUE);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", base);

    g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  }
}

/* The child side of the kill -9 test: a console's writes, queued from its main loop (notes,
 * audit entries, health batches, a few in flight at once); each is acknowledged on stdout
 * only when its callback reported it committed. */
#define WRITER_IN_FLIGHT 4

typedef struct
{
  SitrepStore *store;
  gint64 incident;
  guint64 issued;
  guint in_flight;
} Writer;

static void writer_issue (Writer *writer);

static void
writer_note_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) event = sitrep_store_add_note_finish (SITREP_STORE (source),
                                                                       result, &error);

  if (event == NULL)
    g_error ("writer: %s", error->message);
  g_print ("note %" G_GINT64_FORMAT "\n", sitrep_timeline_event_get_id (event));
  fflush (stdout);
  writer->in_flight--;
  writer_issue (writer);
}

static void
writer_audit_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_store_append_audit_finish (SITREP_STORE (source), result, &error);

  if (id < 0)
    g_error ("writer: %s", error->message);
  g_print ("audit %" G_GINT64_FORMAT "\n", id);
  fflush (stdout);
  writer->in_flight--;
  writer_issue (writer);
}

static void
writer_health_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;

  if (!sitrep_store_add_health_finish (SITREP_STORE (source), result, &error))
    g_error ("writer: %s", error->message);
  writer->in_flight--;
  writer_issue (writer);
}

static void
writer_issue (Writer *writer)
{
  while (writer->in_flight < WRITER_IN_FLIGHT)
    {
      guint64 n = writer->issued++;
      g_autofree char *text = g_strdup_printf ("event %" G_GUINT64_FORMAT, n);

      writer->in_flight++;
      switch (n % 3)
        {
        case 0:
          sitrep_store_add_note_async (writer->store, writer->incident, (gint64) n, text, "writer",
                                       NULL, writer_note_cb, writer);
          break;
        case 1:
          {
            char *argv[] = { "kubectl", "rollout", "restart", "deployment/api", NULL };
            SitrepAuditEntry entry = { .action_id = "restart-api", .argv = argv,
                                       .outcome = SITREP_AUDIT_SUCCEEDED, .output_tail = text };

            sitrep_store_append_audit_async (writer->store, &entry, NULL, writer_audit_cb, writer);
          }
          break;
        default:
          {
            SitrepHealthSample sample = { "api", "http", (gint64) n, "up", 12.5, NULL };
            SitrepHealthChange change = { "api", (gint64) n, "down", "up", text };

            sitrep_store_add_health_async (writer->store, &sample, 1, &change, 1, NULL,
                                           writer_health_cb, writer);
          }
          break;
        }
    }
}

static int
run_writer (const char *path)
{
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Writer writer = { 0 };

  store = sitrep_store_open (path, &error);
  if (store == NULL || !sitrep_store_load_audit_key_sync (store, TRUE, NULL, &error))
    {
      g_printerr ("writer: %s\n", error->message);
      return 1;
    }
  writer.store = store;
  writer.incident = sitrep_store_insert_incident (store, "CareCircle", "SEV-1", "durability", 1,
                                                  &error);
  if (writer.incident < 0)
    return 1;
  g_print ("incident %" G_GINT64_FORMAT "\n", writer.incident);
  fflush (stdout);

  /* Until killed. */
  writer_issue (&writer);
  g_main_loop_run (loop);
  return 0;
}

/* A hundred trials in the plain suite. Under AddressSanitizer each child starts and writes
 * some ten times slower (every allocation records its stack), and what the sanitizers look
 * for, the memory of a recovery, the first trials find as well as the hundredth. */
#if defined(__SANITIZE_ADDRESS__)
#define KILL9_TRIALS 25
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILL9_TRIALS 25
#endif
#endif
#ifndef KILL9_TRIALS
#define KILL9_TRIALS 100
#endif

/* A console killed with SIGKILL while it writes, KILL9_TRIALS times over the same file: every
 * write its callback acknowledged is there, the file is sound, the audit log verifies. */
static void
test_store_kill9 (void)
{
  g_autofree char *path = temp_db_path ("kill9.db");
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  gint64 newest_audit = 0;
  guint total_notes = 0, total_audit = 0, anchor_behind = 0;

  g_assert_nonnull (self_exe);
  g_test_message ("kill -9 trials: %u", KILL9_TRIALS);

  for (guint trial = 0; trial < KILL9_TRIALS; trial++)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      g_autoptr(GArray) notes = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(SitrepStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *report = NULL;
      g_autofree char *first = NULL;
      g_autofree char *head_hash = NULL;
      g_autoptr(SitrepAuditReport) audit = NULL;
      guint target = g_test_rand_int_range (1, 40);
      gint64 incident, head = 0;

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_subprocess_launcher_setenv (launcher, "SITREP_TEST_STORE_WRITER", path, TRUE);
      /* The audit log's anchor goes to the test's own state folder, as this process's does. */
      g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
      child = g_subprocess_launcher_spawn (launcher, &error, self_exe, NULL);
      g_assert_no_error (error);

      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      first = g_data_input_stream_read_line (lines, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (first);
      g_assert_true (g_str_has_prefix (first, "incident "));
      incident = g_ascii_strtoll (first + strlen ("incident "), NULL, 10);

      /* Let it write for a while, then kill it without warning in the middle of the stream. */
      for (guint acked = 0; acked < target; acked++)
        {
          g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

          g_assert_no_error (error);
          g_assert_nonnull (line);
          if (g_str_has_prefix (line, "note "))
            {
              gint64 id = g_ascii_strtoll (line + strlen ("note "), NULL, 10);

              g_array_append_val (notes, id);
            }
          else
            {
              g_assert_true (g_str_has_prefix (line, "audit "));
              newest_audit = MAX (newest_audit, g_ascii_strtoll (line + strlen ("audit "), NULL, 10));
              total_audit++;
            }
        }
      g_subprocess_force_exit (child);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      store = sitrep_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (sitrep_store_check_integrity (store, &report, &error));
      g_assert_cmpstr (report, ==, "ok");
      for (guint i = 0; i < notes->len; i++)
        {
          gint64 id = g_array_index (notes, gint64, i);

          if (!sitrep_store_has_event (store, id, &error))
            g_error ("trial %u: note %" G_GINT64_FORMAT " was acknowledged but is lost", trial,
                     id);
        }
      g_assert_cmpint (sitrep_store_count_events (store, incident, &error), >=, notes->len);
      total_notes += notes->len;

      /* The log is a chain from its first entry: the head at or past every acknowledged entry
       * and a chain that verifies means none of them is lost. */
      g_assert_true (sitrep_store_load_audit_key_sync (store, FALSE, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (sitrep_store_read_audit_head (store, &head, &head_hash, &error));
      g_assert_cmpint (head, >=, newest_audit);
      /* Killed between an entry's commit and the anchor's move, the anchor is one entry
       * behind: the log still holds (verify says the last entry is not covered by the
       * anchor, and the next append moves it on); never broken. */
      audit = sitrep_store_verify_audit_report (store, &error);
      g_assert_no_error (error);
      if (audit->verdict == SITREP_AUDIT_BROKEN)
        g_error ("trial %u: the audit log is broken at entry %" G_GINT64_FORMAT ": %s", trial,
                 audit->first_broken_id, audit->reason);
      if (audit->verdict == SITREP_AUDIT_INCOMPLETE)
        {
          g_assert_cmpuint (audit->unchecked->len, ==, 1);
          g_assert_true (g_str_has_prefix (g_ptr_array_index (audit->unchecked, 0),
                                           "The anchor names entry "));
          anchor_behind++;
        }
    }
  g_test_message ("the anchor was left one entry behind in %u trials", anchor_behind);
  g_test_message ("acknowledged and found: %u notes, %u audit entries", total_notes, total_audit);
  g_assert_cmpuint (total_notes, >, 0);
  g_assert_cmpuint (total_audit, >, 0);
}

/* The console's main loop goes on while another process holds the database's write lock: its
 * changes wait in the writer thread and land once the lock is gone. */
typedef struct
{
  SitrepStore *store;
  sqlite3 *other;
  guint ticks;
  guint ticks_while_locked;
  gboolean released;
  guint done;
  guint done_before_release;
  GPtrArray *ids;
} LockedWrites;

#define LOCKED_WRITES 10

static gboolean
locked_tick_cb (gpointer user_data)
{
  LockedWrites *state = user_data;

  state->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
locked_release_cb (gpointer user_data)
{
  LockedWrites *state = user_data;

  state->ticks_while_locked = state->ticks;
  g_assert_cmpint (sqlite3_exec (state->other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  state->released = TRUE;
  return G_SOURCE_REMOVE;
}

static void
locked_note_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LockedWrites *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) event = sitrep_store_add_note_finish (SITREP_STORE (source),
                                                                       result, &error);
  g_autoptr(SitrepTimelineEvent) read_back = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (event);
  if (!state->released)
    state->done_before_release++;
  /* Read your writes: the main connection sees the note once the callback runs. */
  read_back = sitrep_store_load_event (state->store, sitrep_timeline_event_get_id (event), &error);
  g_assert_no_error (error);
  g_assert_nonnull (read_back);
  g_assert_cmpstr (sitrep_timeline_event_get_text (read_back), ==,
                   sitrep_timeline_event_get_text (event));
  g_ptr_array_add (state->ids, g_strdup (sitrep_timeline_event_get_text (event)));
  state->done++;
}

static void
test_store_main_loop_not_waiting (void)
{
  g_autofree char *path = temp_db_path ("locked.db");
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  LockedWrites state = { 0 };
  guint tick_id;
  gint64 incident;
  gint64 give_up;

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (store, "Northwind", "P1", "lock", 1, &error);
  g_assert_no_error (error);

  /* Another process, as far as SQLite can tell: a connection of its own holding the lock. */
  g_assert_cmpint (sqlite3_open (path, &state.other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (state.other, "BEGIN IMMEDIATE;"
                                 "UPDATE incidents SET lead = 'someone else'", NULL, NULL, NULL),
                   ==, SQLITE_OK);

  state.store = store;
  state.ids = ids;
  for (guint i = 0; i < LOCKED_WRITES; i++)
    {
      g_autofree char *text = g_strdup_printf ("note %02u", i);

      sitrep_store_add_note_async (store, incident, i, text, "Dana", NULL, locked_note_cb, &state);
    }
  tick_id = g_timeout_add (10, locked_tick_cb, &state);
  g_timeout_add_seconds (3, locked_release_cb, &state);

  give_up = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (state.done < LOCKED_WRITES && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_id);
  sqlite3_close (state.other);

  /* Generous: the loop ran at all while the lock was held (it would not have, had the writes
   * waited on it), and nothing was written before the lock went. */
  g_assert_true (state.released);
  g_assert_cmpuint (state.ticks_while_locked, >=, 5);
  g_assert_cmpuint (state.done, ==, LOCKED_WRITES);
  g_assert_cmpuint (state.done_before_release, ==, 0);
  for (guint i = 0; i < LOCKED_WRITES; i++)
    {
      g_autofree char *expected = g_strdup_printf ("note %02u", i);

      g_assert_cmpstr (g_ptr_array_index (ids, i), ==, expected);
    }
  g_assert_cmpint (sitrep_store_count_events (store, incident, &error), ==, LOCKED_WRITES);
}

/* A database someone names must exist and be a regular file: a mistyped path is not answered
 * with a new, empty database, and a named pipe is refused before anything reads it. */
static void
test_store_open_existing (void)
{
  g_autofree char *dir = temp_db_path ("existing");
  g_autofree char *missing = g_build_filename (dir, "typo.db", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe.db", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.db", NULL);
  g_autofree char *fallback = sitrep_store_default_path ();
  g_autofree char *expected = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* Given and missing: refused, and nothing was created. */
  g_assert_null (sitrep_store_open_existing (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  expected = g_strdup_printf ("There is no database at %s: check the path. --database names an "
                              "existing file (an empty file starts a new database); nothing was "
                              "created.", missing);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The default one, not there yet: the console makes it, a verb says so. */
  g_assert_false (g_file_test (fallback, G_FILE_TEST_EXISTS));
  g_assert_null (sitrep_store_open_existing (NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "There is no database at "));
  g_assert_nonnull (strstr (error->message, "yet: the console creates it"));
  g_assert_false (g_file_test (fallback, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A folder, and a named pipe nobody writes to (opening it would wait forever). */
  g_assert_false (sitrep_store_check_file (dir, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "is a folder, not a database"));
  g_clear_error (&error);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_null (sitrep_store_open_existing (fifo, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "is not a regular file (a pipe, a device or a "
                                            "socket)"));
  g_clear_error (&error);

  /* An empty file is a new database. */
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  store = sitrep_store_open_existing (empty, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_clear_object (&store);
  g_assert_cmpint (raw_user_version (empty), ==, SITREP_STORE_SCHEMA_VERSION);
}

int
main (int   argc,
      char *argv[])
{
  const char *writer = g_getenv ("SITREP_TEST_STORE_WRITER");

  if (writer != NULL)
    return run_writer (writer);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/create", test_store_create);
  g_test_add_func ("/store/reopen", test_store_reopen);
  g_test_add_func ("/store/constraints", test_store_constraints);
  g_test_add_func ("/store/migrates", test_store_migrates);
  g_test_add_func ("/store/migrates-from-1", test_store_migrates_from_1);
  g_test_add_func ("/store/migrates-from-5", test_store_migrates_from_5);
  g_test_add_func ("/store/migrates-from-6", test_store_migrates_from_6);
  g_test_add_func ("/store/migrates-from-7", test_store_migrates_from_7);
  g_test_add_func ("/store/newer-version", test_store_newer);
  g_test_add_func ("/store/corrupt", test_store_corrupt);
  g_test_add_func ("/store/read-only-dir", test_store_read_only_dir);
  g_test_add_func ("/store/kill-9", test_store_kill9);
  g_test_add_func ("/store/main-loop-not-waiting", test_store_main_loop_not_waiting);
  g_test_add_func ("/store/open-existing", test_store_open_existing);

  return g_test_run ();
}
