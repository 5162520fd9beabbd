/* test-audit.c: the keyed audit chain and anchor hold, catch tampering, keep no secrets */
#include "config.h"

#include <sqlite3.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sitrep-store-audit.h"

#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

/* Every column but id, to move a row's content with raw SQL. */
#define CONTENT_COLUMNS                                                                     \
  "at, os_user, incident_id, context, namespace, action_id, service_id, argv, inputs,"      \
  " confirmation, exit_code, duration_ms, outcome, output_tail, prev_hash, hash, started_id," \
  " process, owner"

static const char *const outcomes[] = { "succeeded", "no-change", "failed", "cancelled",
                                        "timed-out", "refused",   "dry-run" };

static int run_cli (const char *const *args,
                    char             **out,
                    char             **err);

/* A private store, keyed with a fixed key: what the unit tests of the chain need. */
static SitrepStore *
memory_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  SitrepStore *store = sitrep_store_open (":memory:", &error);

  g_assert_no_error (error);
  sitrep_store_set_audit_key (store, key);
  return store;
}

/* A store on disk, with its key in the test session's keyring, as the console keeps it. */
static SitrepStore *
open_keyed (const char *path)
{
  g_autoptr(GError) error = NULL;
  SitrepStore *store = sitrep_store_open (path, &error);

  g_assert_no_error (error);
  sitrep_store_load_audit_key_sync (store, TRUE, NULL, &error);
  g_assert_no_error (error);
  return store;
}

static char *
db_path (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

/* Appends @n varied entries, as the action runner would after @n runs, refusals and cancels. */
static void
fill (SitrepStore *store,
      guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *replicas = g_strdup_printf ("%u", i % 7 + 1);
      g_autofree char *inputs = g_strdup_printf ("{\"replicas\":\"%s\"}", replicas);
      g_autofree char *output = g_strdup_printf ("deployment.apps/carecircle-api scaled (%u)\n", i);
      char *argv[] = { "kubectl", "--context", "prod", "--namespace", "carecircle", "scale",
                       "deployment/carecircle-api", "--replicas", replicas, NULL };
      const char *outcome = outcomes[i % G_N_ELEMENTS (outcomes)];
      SitrepAuditEntry entry = {
        .at = T0 + (gint64) i * G_USEC_PER_SEC + 123456,
        .os_user = "alice",
        .incident_id = i % 3 == 0 ? 0 : i % 5 + 1,
        .context = "prod",
        .namespace = "carecircle",
        .action_id = "scale",
        .service_id = i % 4 == 0 ? NULL : "carecircle-api",
        .argv = argv,
        .inputs = inputs,
        .confirmation = i % 2 ? "carecircle-api" : NULL,
        .has_exit_code = g_str_equal (outcome, "succeeded") || g_str_equal (outcome, "failed"),
        .exit_code = g_str_equal (outcome, "failed") ? 1 : 0,
        .has_duration = !g_str_equal (outcome, "refused"),
        .duration_ms = 1000 + i,
        .outcome = (char *) outcome,
        .output_tail = output,
      };

      g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==,
                       (gint64) i + 1);
      g_assert_no_error (error);
    }
}

/* A store at @name holding @n entries, closed again so raw SQL can get at the file. */
static char *
make_log (const char *name,
          guint       n)
{
  g_autofree char *path = db_path (name);
  g_autoptr(SitrepStore) store = open_keyed (path);

  fill (store, n);
  return g_steal_pointer (&path);
}

/* What an attacker with the file does: raw SQL, triggers dropped first when needed. */
static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* Verifies the log at @path with its key: returns the report. */
static SitrepAuditReport *
verify_report (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);
  SitrepAuditReport *report;

  g_assert_no_error (error);
  sitrep_store_load_audit_key_sync (store, FALSE, NULL, &error);
  g_assert_no_error (error);
  report = sitrep_store_verify_audit_report (store, &error);
  g_assert_no_error (error);
  return report;
}

/* Verifies the log at @path: returns the first broken id (0 when intact) and the reason. */
static gint64
verify_file (const char *path,
             gint64     *n_entries,
             char      **reason)
{
  g_autoptr(SitrepAuditReport) report = verify_report (path);

  g_assert_cmpint (report->verdict, !=, SITREP_AUDIT_INCOMPLETE);
  if (n_entries != NULL)
    *n_entries = report->n_entries;
  if (reason != NULL)
    *reason = g_strdup (report->reason);
  return report->verdict == SITREP_AUDIT_INTACT ? 0 : report->first_broken_id;
}

static void
assert_broken_at (const char *path,
                  gint64      id,
                  const char *why)
{
  g_autoptr(SitrepAuditReport) report = verify_report (path);

  g_assert_cmpint (report->verdict, ==, SITREP_AUDIT_BROKEN);
  g_assert_cmpint (report->first_broken_id, ==, id);
  g_assert_nonnull (report->reason);
  if (strstr (report->reason, why) == NULL)
    g_error ("expected a reason with “%s”, got “%s”", why, report->reason);
}

static void
test_chain (void)
{
  g_autofree char *path = db_path ("chain.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = open_keyed (path);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *last_hash = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *database_id = sitrep_store_get_audit_database_id (store, NULL, &error);
  gint64 n = 0, broken = -1;
  const char *prev = SITREP_AUDIT_GENESIS_HASH;

  g_assert_no_error (error);
  fill (store, 500);

  g_assert_true (sitrep_store_verify_audit_full (store, &n, &last_hash, &broken, &reason, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 500);
  g_assert_cmpint (broken, ==, 0);
  g_assert_null (reason);

  entries = sitrep_store_list_audit (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 500);
  for (guint i = 0; i < entries->len; i++)
    {
      const SitrepAuditEntry *entry = entries->pdata[i];
      g_autofree char *hash = sitrep_audit_entry_compute_mac (entry, database_id,
                                                              sitrep_store_get_audit_key (store));
      g_autofree char *unkeyed = sitrep_audit_entry_compute_hash (entry);

      /* Keyed: the unkeyed hash anyone can recompute is not what the row carries. */
      g_assert_cmpstr (entry->hash, !=, unkeyed);
      g_assert_cmpint (entry->id, ==, i + 1);
      g_assert_cmpstr (entry->prev_hash, ==, prev);
      g_assert_cmpstr (entry->hash, ==, hash);
      g_assert_cmpuint (strlen (entry->hash), ==, 64);
      prev = entry->hash;
    }
  g_assert_cmpstr (last_hash, ==, prev);

  /* The values come back as they went in, NULLs included. */
  {
    const SitrepAuditEntry *first = entries->pdata[0];
    const SitrepAuditEntry *second = entries->pdata[1];

    g_assert_cmpint (first->at, ==, T0 + 123456);
    g_assert_cmpstr (first->os_user, ==, "alice");
    g_assert_cmpint (first->incident_id, ==, 0);
    g_assert_null (first->service_id);
    g_assert_null (first->confirmation);
    g_assert_cmpuint (g_strv_length (first->argv), ==, 9);
    g_assert_cmpstr (first->argv[8], ==, "1");
    g_assert_cmpstr (first->inputs, ==, "{\"replicas\":\"1\"}");
    g_assert_cmpstr (first->outcome, ==, "succeeded");
    g_assert_true (first->has_exit_code);
    g_assert_cmpint (first->exit_code, ==, 0);
    g_assert_cmpint (first->duration_ms, ==, 1000);
    g_assert_cmpstr (second->service_id, ==, "carecircle-api");
    g_assert_cmpstr (second->confirmation, ==, "carecircle-api");
    g_assert_cmpint (second->incident_id, ==, 2);
    g_assert_false (second->has_exit_code);
    g_assert_cmpstr (second->outcome, ==, "no-change");
  }
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = memory_store ();
  g_autofree char *last_hash = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gint64 n = -1, broken = -1;

  g_assert_no_error (error);
  g_assert_true (sitrep_store_verify_audit_full (store, &n, &last_hash, &broken, NULL, &error));
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (broken, ==, 0);
  g_assert_cmpstr (last_hash, ==, SITREP_AUDIT_GENESIS_HASH);
  entries = sitrep_store_list_audit (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
}

/* The schema's triggers refuse changes from any connection that has not dropped them. */
static void
test_append_only (void)
{
  g_autofree char *path = make_log ("append-only.db", 5);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit_log SET outcome = 'succeeded' WHERE id = 3",
                                 NULL, NULL, &message), ==, SQLITE_CONSTRAINT);
  g_assert_cmpstr (message, ==, "the audit log is append-only");
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit_log WHERE id = 5", NULL, NULL, &message),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpstr (message, ==, "the audit log is append-only");
  sqlite3_free (message);
  sqlite3_close (db);

  g_assert_cmpint (verify_file (path, NULL, NULL), ==, 0);
}

static void
test_edited (void)
{
  g_autofree char *path = make_log ("edited.db", 20);

  raw_exec (path, "DROP TRIGGER audit_log_append_only_update;"
                  "UPDATE audit_log SET outcome = 'succeeded', exit_code = 0 WHERE id = 7");
  assert_broken_at (path, 7, "does not match its keyed hash");
}

/* An attacker who also recomputes the edited row's hash, as the unkeyed chain computed it:
 * without the key, the row's own hash gives it away. */
static void
test_edited_rehashed (void)
{
  g_autofree char *path = make_log ("rehashed.db", 20);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);
  g_autoptr(GPtrArray) entries = sitrep_store_list_audit (store, &error);
  SitrepAuditEntry *entry = entries->pdata[6];
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  g_clear_object (&store);
  g_free (entry->os_user);
  entry->os_user = g_strdup ("mallory");
  hash = sitrep_audit_entry_compute_hash (entry);
  sql = g_strdup_printf ("DROP TRIGGER audit_log_append_only_update;"
                         "UPDATE audit_log SET os_user = 'mallory', hash = '%s' WHERE id = 7",
                         hash);
  raw_exec (path, sql);
  assert_broken_at (path, 7, "does not match its keyed hash");
}

static void
test_deleted (void)
{
  g_autofree char *path = make_log ("deleted.db", 20);
  g_autofree char *first = make_log ("deleted-first.db", 20);
  g_autofree char *several = make_log ("deleted-several.db", 20);

  raw_exec (path, "DROP TRIGGER audit_log_append_only_delete;"
                  "DELETE FROM audit_log WHERE id = 7");
  assert_broken_at (path, 8, "entry 7 before it is missing");

  raw_exec (first, "DROP TRIGGER audit_log_append_only_delete;"
                   "DELETE FROM audit_log WHERE id = 1");
  assert_broken_at (first, 2, "entry 1 before it is missing");

  raw_exec (several, "DROP TRIGGER audit_log_append_only_delete;"
                     "DELETE FROM audit_log WHERE id BETWEEN 10 AND 12");
  assert_broken_at (several, 13, "entries 10 to 12 before it are missing");
}

/* Deleting a row and renumbering the rest hides the gap in the ids, not in the chain: a keyed
 * hash covers the entry's number too. */
static void
test_deleted_renumbered (void)
{
  g_autofree char *path = make_log ("renumbered.db", 20);

  raw_exec (path, "DROP TRIGGER audit_log_append_only_delete;"
                  "DROP TRIGGER audit_log_append_only_update;"
                  "DELETE FROM audit_log WHERE id = 7;"
                  "UPDATE audit_log SET id = -id WHERE id > 7;"
                  "UPDATE audit_log SET id = -id - 1 WHERE id < 0");
  assert_broken_at (path, 7, "does not follow entry 6");
}

static void
test_reordered (void)
{
  g_autofree char *path = make_log ("reordered.db", 20);

  /* Swap the whole content of rows 5 and 6, hashes included; the ids stay. */
  raw_exec (path, "DROP TRIGGER audit_log_append_only_update;"
                  "CREATE TEMP TABLE saved AS SELECT * FROM audit_log WHERE id IN (5, 6);"
                  "UPDATE audit_log SET (" CONTENT_COLUMNS ") ="
                  " (SELECT " CONTENT_COLUMNS " FROM saved WHERE saved.id = 11 - audit_log.id)"
                  " WHERE id IN (5, 6)");
  assert_broken_at (path, 5, "entries were reordered");
}

/* A forged row with a correct hash of its own content, appended after the real ones. */
static void
test_forged (void)
{
  g_autofree char *path = make_log ("forged.db", 20);
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;
  char *argv[] = { "kubectl", "delete", "namespace", "carecircle", NULL };
  SitrepAuditEntry forged = {
    .at = T0 + (gint64) 3600 * G_USEC_PER_SEC,
    .os_user = "alice",
    .context = "prod",
    .namespace = "carecircle",
    .action_id = "restart",
    .argv = argv,
    .inputs = "{}",
    .outcome = "succeeded",
    .output_tail = "",
    .prev_hash = "abababababababababababababababababababababababababababababababab",
  };

  hash = sitrep_audit_entry_compute_hash (&forged);
  sql = g_strdup_printf ("INSERT INTO audit_log (at, os_user, context, namespace, action_id, argv,"
                         " outcome, prev_hash, hash) VALUES (%" G_GINT64_FORMAT ", 'alice', 'prod',"
                         " 'carecircle', 'restart',"
                         " '[\"kubectl\",\"delete\",\"namespace\",\"carecircle\"]', 'succeeded',"
                         " '%s', '%s')",
                         forged.at, forged.prev_hash, hash);
  raw_exec (path, sql);
  assert_broken_at (path, 21, "no entry has the previous hash");
}

/* A column given a value of a type Sitrep never writes cannot pass for the original. */
static void
test_malformed (void)
{
  g_autofree char *path = make_log ("malformed.db", 10);

  raw_exec (path, "DROP TRIGGER audit_log_append_only_update;"
                  "UPDATE audit_log SET argv = 'kubectl get pods' WHERE id = 4");
  assert_broken_at (path, 4, "argv");
}

/* Cutting rows off the end leaves a shorter chain that is still valid: the anchor, outside the
 * database, still names the last entry. */
static void
test_truncated (void)
{
  g_autofree char *path = make_log ("truncated.db", 20);
  g_autofree char *one = make_log ("truncated-one.db", 20);

  raw_exec (path, "DROP TRIGGER audit_log_append_only_delete;"
                  "DELETE FROM audit_log WHERE id > 15");
  assert_broken_at (path, 0, "the anchor names entry 20, but the log ends at entry 15: entries "
                             "were cut off the end");
  raw_exec (one, "DROP TRIGGER audit_log_append_only_delete;"
                 "DELETE FROM audit_log WHERE id = 20");
  assert_broken_at (one, 0, "cut off the end");
}

/* Rows cut off, then the console records another command: the new anchor keeps the break. */
static void
test_truncated_then_appended (void)
{
  g_autofree char *path = make_log ("truncated-appended.db", 20);

  raw_exec (path, "DROP TRIGGER audit_log_append_only_delete;"
                  "DELETE FROM audit_log WHERE id > 15");
  {
    g_autoptr(SitrepStore) store = open_keyed (path);

    fill (store, 0);
    {
      g_autoptr(GError) error = NULL;
      char *argv[] = { "kubectl", "get", "pods", NULL };
      SitrepAuditEntry entry = { .action_id = "pods", .argv = argv, .outcome = "succeeded" };

      g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 16);
      g_assert_no_error (error);
    }
  }
  assert_broken_at (path, 0, "when entry 16 was recorded, the log no longer held the entry the "
                             "anchor named");
}

/* Every row rewritten with its content changed and the unkeyed hashes recomputed in order:
 * a valid unkeyed chain, which the keyed one is not. */
static void
test_rewritten (void)
{
  g_autofree char *path = make_log ("rewritten.db", 12);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) sql = g_string_new ("DROP TRIGGER audit_log_append_only_update;");
  g_autofree char *prev = g_strdup (SITREP_AUDIT_GENESIS_HASH);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);

    entries = sitrep_store_list_audit (store, &error);
    g_assert_no_error (error);
  }
  for (guint i = 0; i < entries->len; i++)
    {
      SitrepAuditEntry *entry = entries->pdata[i];
      char *hash;

      g_free (entry->os_user);
      entry->os_user = g_strdup ("mallory");
      g_free (entry->prev_hash);
      entry->prev_hash = g_strdup (prev);
      hash = sitrep_audit_entry_compute_hash (entry);
      g_string_append_printf (sql, "UPDATE audit_log SET os_user = 'mallory', prev_hash = '%s',"
                              " hash = '%s' WHERE id = %" G_GINT64_FORMAT ";",
                              prev, hash, entry->id);
      g_free (prev);
      prev = hash;
    }
  raw_exec (path, sql->str);
  assert_broken_at (path, 1, "does not match its keyed hash");
}

/* The anchor deleted, or edited to fit a shortened log. */
static void
test_anchor (void)
{
  g_autofree char *deleted = make_log ("anchor-deleted.db", 10);
  g_autofree char *edited = make_log ("anchor-edited.db", 10);
  g_autofree char *recreated = make_log ("anchor-recreated.db", 10);
  g_autofree char *anchor = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(SitrepStore) store = sitrep_store_open (deleted, &error);

    anchor = sitrep_store_get_audit_anchor_path (store, &error);
    g_assert_no_error (error);
  }
  g_assert_true (g_file_test (anchor, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_unlink (anchor), ==, 0);
  assert_broken_at (deleted, 0, "is missing: it was deleted");

  /* The attacker cuts two rows and writes the anchor to name the new last one: without the
   * key, its signature cannot follow. */
  raw_exec (edited, "DROP TRIGGER audit_log_append_only_delete;"
                    "DELETE FROM audit_log WHERE id > 8");
  {
    g_autoptr(SitrepStore) store = sitrep_store_open (edited, &error);
    g_autoptr(GPtrArray) entries = sitrep_store_list_audit (store, &error);
    g_autofree char *path = sitrep_store_get_audit_anchor_path (store, &error);
    g_autoptr(GString) text = NULL;
    const SitrepAuditEntry *last = entries->pdata[7];
    g_autofree char *old_hash = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
    text = g_string_new (contents);
    g_assert_cmpint (g_string_replace (text, "sequence 10\n", "sequence 8\n", 1), ==, 1);
    old_hash = g_strstr_len (text->str, -1, "hash ") + 5;
    old_hash = g_strndup (old_hash, 64);
    g_assert_cmpint (g_string_replace (text, old_hash, last->hash, 1), ==, 1);
    g_assert_true (g_file_set_contents (path, text->str, -1, &error));
  }
  assert_broken_at (edited, 0, "was altered: its signature does not match");

  /* Deleted, then the console records another command: the break stays on record. */
  {
    g_autoptr(SitrepStore) store = open_keyed (recreated);
    g_autofree char *path = sitrep_store_get_audit_anchor_path (store, &error);
    char *argv[] = { "kubectl", "get", "pods", NULL };
    SitrepAuditEntry entry = { .action_id = "pods", .argv = argv, .outcome = "succeeded" };

    g_assert_cmpint (g_unlink (path), ==, 0);
    g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 11);
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  assert_broken_at (recreated, 0, "when entry 11 was recorded, the anchor was missing");
}

/* What an attacker does to the entries from before the keyed chain: edit them from @from on,
 * recomputing their unkeyed hashes in order, so they make a valid unkeyed chain again. */
static void
rehash_legacy (const char *path,
               gint64      from)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) sql = g_string_new ("DROP TRIGGER audit_log_append_only_update;");
  g_autofree char *prev = NULL;
  gint64 keyed_from = 0;

  {
    g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);
    g_autofree char *id = sitrep_store_get_audit_database_id (store, &keyed_from, &error);

    g_assert_nonnull (id);
    entries = sitrep_store_list_audit (store, &error);
    g_assert_no_error (error);
  }
  prev = g_strdup (((SitrepAuditEntry *) entries->pdata[from - 2])->hash);
  for (gint64 id = from; id < keyed_from; id++)
    {
      SitrepAuditEntry *entry = entries->pdata[id - 1];
      char *hash;

      g_free (entry->confirmation);
      entry->confirmation = g_strdup ("nobody");
      g_free (entry->prev_hash);
      entry->prev_hash = g_strdup (prev);
      hash = sitrep_audit_entry_compute_hash (entry);
      g_string_append_printf (sql, "UPDATE audit_log SET confirmation = 'nobody', prev_hash = '%s',"
                              " hash = '%s' WHERE id = %" G_GINT64_FORMAT ";",
                              prev, hash, id);
      g_free (prev);
      prev = hash;
    }
  raw_exec (path, sql->str);
}

/* A log Sitrep wrote before it keyed its chain (schema @data, 1 or 2): the old entries verify as
 * they were, the keyed chain starts after them, and verify says so. */
static void
test_upgrade (gconstpointer data)
{
  g_autofree char *fixture = g_strdup_printf ("audit-v%d.sql", GPOINTER_TO_INT (data));
  g_autofree char *sql_path = g_test_build_filename (G_TEST_DIST, "data", fixture, NULL);
  g_autofree char *path = db_path ("v1.db");
  g_autofree char *tampered = db_path ("v1-tampered.db");
  g_autofree char *sealed = db_path ("v1-sealed.db");
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, &error));
  g_assert_true (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  raw_exec (path, sql);
  raw_exec (tampered, sql);
  raw_exec (sealed, sql);

  {
    g_autoptr(SitrepStore) store = open_keyed (path);
    gint64 keyed_from = 0;
    g_autofree char *database_id = sitrep_store_get_audit_database_id (store, &keyed_from, &error);

    g_assert_no_error (error);
    g_assert_nonnull (database_id);
    g_assert_cmpint (sitrep_store_get_schema_version (store), ==, SITREP_STORE_SCHEMA_VERSION);
    g_assert_cmpint (keyed_from, ==, 6);
    fill (store, 0);
    {
      char *argv[] = { "kubectl", "rollout", "undo", "deployment/nw-gateway", NULL };
      SitrepAuditEntry entry = { .action_id = "undo", .argv = argv, .outcome = "succeeded" };

      g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 6);
      g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 7);
    }
  }
  {
    g_autoptr(SitrepAuditReport) report = verify_report (path);
    g_autofree char *checked = NULL;

    g_assert_cmpint (report->verdict, ==, SITREP_AUDIT_INTACT);
    g_assert_cmpint (report->n_entries, ==, 7);
    g_assert_cmpint (report->keyed_from, ==, 6);
    g_ptr_array_add (report->checked, NULL);
    checked = g_strjoinv ("\n", (char **) report->checked->pdata);
    g_assert_nonnull (strstr (checked, "Entries 1–5 were recorded before Sitrep keyed its audit "
                                       "log: they are checked with their unkeyed hash"));
    g_assert_nonnull (strstr (checked, "the keyed chain, which starts at entry 6"));
    g_assert_nonnull (strstr (checked, "Entries 6–7 were checked against their keyed hashes"));
  }

  /* Old entries rewritten with fresh unkeyed hashes: the first keyed entry no longer follows. */
  {
    g_autoptr(SitrepStore) store = open_keyed (tampered);
    char *argv[] = { "kubectl", "rollout", "undo", "deployment/nw-gateway", NULL };
    SitrepAuditEntry entry = { .action_id = "undo", .argv = argv, .outcome = "succeeded" };

    g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 6);
  }
  rehash_legacy (tampered, 3);
  assert_broken_at (tampered, 6, "does not follow entry 5");

  /* Rewritten before any keyed entry: the anchor made when the key was, seals them. */
  {
    g_autoptr(SitrepStore) store = open_keyed (sealed);

    g_assert_nonnull (store);
  }
  rehash_legacy (sealed, 3);
  assert_broken_at (sealed, 5, "is not the one the anchor names: the log was rewritten");
}

static void
test_redaction (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = memory_store ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *all = NULL;
  const SitrepAuditEntry *row;
  char *kubectl[] = { "kubectl", "--token=abc123tok", "--password", "hunter2", "get", "pods",
                      "postgres://admin:pgs3cret@db.internal:5432/carecircle",
                      "host=db.internal password=conn1nfo user=carecircle",
                      "--header=Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", NULL };
  char *redis[] = { "redis-cli", "-h", "cache", "-a", "r3disp4ss", "FLUSHDB", NULL };
  SitrepAuditEntry entry = {
    .context = "prod",
    .namespace = "carecircle",
    .action_id = "flush",
    .argv = kubectl,
    .inputs = "{\"db_password\":\"inputpw\",\"note\":\"PGPASSWORD=envpw psql\",\"replicas\":3,"
              "\"url\":\"https://bob:urlpw@example.com/x?token=qtok&page=2\"}",
    .outcome = "failed",
    .output_tail = "connecting with Authorization: Bearer outbearer\n"
                   "{\"apiToken\": \"jsontok\", \"user\": \"carecircle\"}\n"
                   "-----BEGIN RSA PRIVATE KEY-----\nMIIEkey\n-----END RSA PRIVATE KEY-----\n"
                   "error: exit 1\n",
  };
  const char *const secrets[] = { "abc123tok", "hunter2", "pgs3cret", "conn1nfo", "eyJhbGci",
                                  "r3disp4ss", "inputpw", "envpw", "urlpw", "qtok", "outbearer",
                                  "jsontok", "MIIEkey" };

  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 1);
  entry.argv = redis;
  entry.inputs = NULL;
  entry.output_tail = NULL;
  g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 2);
  g_assert_no_error (error);

  entries = sitrep_store_list_audit (store, &error);
  g_assert_no_error (error);
  row = entries->pdata[0];
  g_assert_cmpstr (row->argv[1], ==, "--token=[redacted]");
  g_assert_cmpstr (row->argv[2], ==, "--password");
  g_assert_cmpstr (row->argv[3], ==, "[redacted]");
  g_assert_cmpstr (row->argv[4], ==, "get");
  g_assert_cmpstr (row->argv[6], ==, "postgres://admin:[redacted]@db.internal:5432/carecircle");
  g_assert_cmpstr (row->argv[7], ==, "host=db.internal password=[redacted] user=carecircle");
  g_assert_cmpstr (row->argv[8], ==, "--header=Authorization: Bearer [redacted]");
  g_assert_cmpstr (row->inputs, ==,
                   "{\"db_password\":\"[redacted]\",\"note\":\"PGPASSWORD=[redacted] psql\","
                   "\"replicas\":3,"
                   "\"url\":\"https://bob:[redacted]@example.com/x?token=[redacted]&page=2\"}");
  g_assert_nonnull (strstr (row->output_tail, "Authorization: Bearer [redacted]"));
  g_assert_nonnull (strstr (row->output_tail, "\"apiToken\": \"[redacted]\""));
  g_assert_nonnull (strstr (row->output_tail, "\"user\": \"carecircle\""));
  g_assert_nonnull (strstr (row->output_tail, "error: exit 1"));
  row = entries->pdata[1];
  g_assert_cmpstr (row->argv[2], ==, "cache");
  g_assert_cmpstr (row->argv[4], ==, "[redacted]");
  g_assert_cmpstr (row->argv[5], ==, "FLUSHDB");
  g_assert_cmpstr (row->inputs, ==, "{}");
  g_assert_cmpstr (row->output_tail, ==, "");

  /* Nowhere, in any column. */
  for (guint i = 0; i < entries->len; i++)
    {
      const SitrepAuditEntry *e = entries->pdata[i];
      g_autofree char *argv = g_strjoinv ("\n", e->argv);
      g_autofree char *text = g_strjoin ("\n", argv, e->inputs, e->output_tail, all, NULL);

      g_free (all);
      all = g_steal_pointer (&text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (strstr (all, secrets[i]) != NULL)
      g_error ("the secret “%s” is in the audit log:\n%s", secrets[i], all);
  g_assert_true (sitrep_store_verify_audit (store, NULL, NULL, &error));
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = memory_store ();
  char *argv[] = { "kubectl", NULL };
  SitrepAuditEntry entry = { .action_id = "restart", .argv = argv, .outcome = "done" };
  gint64 n = -1;

  g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, -1);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  entry.outcome = "refused";
  entry.inputs = "[1, 2]";
  g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, -1);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Defaults: now, the current user, no incident, "{}"; invalid UTF-8 is replaced. */
  entry.inputs = NULL;
  entry.context = "pr\xff" "od";
  g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_verify_audit_full (store, &n, NULL, NULL, NULL, &error));
  g_assert_cmpint (n, ==, 1);
  {
    g_autoptr(GPtrArray) entries = sitrep_store_list_audit (store, &error);
    const SitrepAuditEntry *row = entries->pdata[0];

    g_assert_cmpstr (row->os_user, ==, g_get_user_name ());
    g_assert_cmpint (ABS (row->at - g_get_real_time ()), <, 60 * G_USEC_PER_SEC);
    g_assert_cmpstr (row->inputs, ==, "{}");
    g_assert_true (g_utf8_validate (row->context, -1, NULL));
    g_assert_null (row->service_id);
    g_assert_false (row->has_duration);
  }
}

static void
test_output_tail (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = memory_store ();
  g_autoptr(GString) output = g_string_new (NULL);
  g_autoptr(GPtrArray) entries = NULL;
  const SitrepAuditEntry *row;
  char *argv[] = { "kubectl", "logs", "deployment/carecircle-api", NULL };
  SitrepAuditEntry entry = { .action_id = "logs", .argv = argv, .outcome = "succeeded" };

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (output, "line %u: é\n", i);
  entry.output_tail = output->str;
  g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 1);
  entries = sitrep_store_list_audit (store, &error);
  g_assert_no_error (error);
  row = entries->pdata[0];
  g_assert_cmpuint (strlen (row->output_tail), <=, SITREP_AUDIT_OUTPUT_TAIL_MAX + 4);
  g_assert_true (g_str_has_suffix (row->output_tail, "line 4999: é\n"));
  g_assert_true (g_str_has_prefix (row->output_tail, "…"));
  g_assert_true (g_utf8_validate (row->output_tail, -1, NULL));
}

static int
run_cli (const char *const *args,
         char             **out,
         char             **err)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (bin == NULL)
    g_error ("SITREP_BIN is not set: run the tests with meson test");
  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "audit");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Where this test's anchors are: the isolated folders are not all in the environment. */
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  /* A machine without a session bus: nothing to autolaunch, no keyring to reach. */
  if (g_getenv ("SITREP_TEST_NO_KEYRING") != NULL)
    {
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      g_subprocess_launcher_unsetenv (launcher, "SITREP_TEST_NO_KEYRING");
      g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                    "unix:path=/nonexistent/sitrep-test-bus", TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

/* Without the key: nothing is appended, and verify says what it could not check. */
static void
test_no_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_log ("no-key.db", 6);
  g_autofree char *database_id = NULL;
  g_autofree char *out = NULL, *err = NULL;
  char *argv[] = { "kubectl", "get", "pods", NULL };
  SitrepAuditEntry entry = { .action_id = "pods", .argv = argv, .outcome = "succeeded" };

  {
    g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);

    g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, -1);
    g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "cannot sign new entries"));
    g_clear_error (&error);
  }

  /* The key removed from the keyring: never replaced behind the log's back. */
  {
    g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);
    const char *clear[] = { "secret-tool", "clear", "sitrep-audit-database", NULL, NULL };
    int status = -1;

    database_id = sitrep_store_get_audit_database_id (store, NULL, &error);
    clear[3] = database_id;
    g_assert_true (g_spawn_sync (NULL, (char **) clear, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_false (sitrep_store_load_audit_key_sync (store, TRUE, NULL, &error));
    g_assert_nonnull (strstr (error->message, "holds no key for the audit log"));
    g_clear_error (&error);
    g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, -1);
    g_assert_nonnull (strstr (error->message, "holds no key for the audit log"));
    g_clear_error (&error);
  }
  {
    int status = run_cli ((const char *[]) { "verify", "--database", path, NULL }, &out, &err);

    if (status != 3)
      g_error ("exit %d: %s%s", status, out, err);
  }
  g_assert_true (g_str_has_prefix (out, "Audit log of 6 entries: not fully verified"));
  g_assert_nonnull (strstr (err, "Entries 1–6 were not checked against their keyed hashes, only "
                                 "their links: the keyring holds no key for this database"));
  g_assert_nonnull (strstr (err, "The anchor's signature was not checked"));
}

/* No keyring at all (a headless machine): verify checks what it can and says what not. */
static void
test_cli_headless (void)
{
  g_autofree char *path = make_log ("headless.db", 4);
  g_autofree char *out = NULL, *err = NULL;

  g_setenv ("SITREP_TEST_NO_KEYRING", "1", TRUE);
  g_assert_cmpint (run_cli ((const char *[]) { "verify", "--database", path, NULL }, &out, &err),
                   ==, 3);
  g_unsetenv ("SITREP_TEST_NO_KEYRING");
  g_assert_true (g_str_has_prefix (out, "Audit log of 4 entries: not fully verified (last hash "));
  g_assert_nonnull (strstr (err, "What could not be checked:"));
  g_assert_nonnull (strstr (err, "Entries 1–4 were not checked against their keyed hashes, only "
                                 "their links: the keyring cannot be reached"));
  g_assert_nonnull (strstr (out, "names entry 4 with the hash the log holds"));

  /* Broken is still broken without the key. */
  raw_exec (path, "DROP TRIGGER audit_log_append_only_delete; DELETE FROM audit_log WHERE id = 4");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_setenv ("SITREP_TEST_NO_KEYRING", "1", TRUE);
  g_assert_cmpint (run_cli ((const char *[]) { "verify", "--database", path, NULL }, &out, &err),
                   ==, 1);
  g_unsetenv ("SITREP_TEST_NO_KEYRING");
  g_assert_nonnull (strstr (err, "entries were cut off the end"));
}

/* `sitrep audit verify` on an upgraded log says where the keyed chain starts. */
static void
test_cli_upgraded (void)
{
  g_autofree char *sql_path = g_test_build_filename (G_TEST_DIST, "data", "audit-v2.sql", NULL);
  g_autofree char *path = db_path ("cli-v1.db");
  g_autofree char *sql = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, &error));
  g_assert_true (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  raw_exec (path, sql);
  {
    g_autoptr(SitrepStore) store = open_keyed (path);
    char *argv[] = { "kubectl", "get", "pods", NULL };
    SitrepAuditEntry entry = { .action_id = "pods", .argv = argv, .outcome = "succeeded" };

    g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 6);
  }
  g_assert_cmpint (run_cli ((const char *[]) { "verify", "--database", path, NULL }, &out, &err),
                   ==, 0);
  g_assert_true (g_str_has_prefix (out, "Audit log of 6 entries: intact (last hash "));
  g_assert_nonnull (strstr (out, "Entries 1–5 were recorded before Sitrep keyed its audit log"));
  g_assert_nonnull (strstr (out, "which starts at entry 6"));
  g_assert_nonnull (strstr (out, "Entry 6 was checked against its keyed hash"));
}

static void
test_cli_verify (void)
{
  g_autofree char *path = make_log ("cli-verify.db", 30);
  g_autofree char *missing = db_path ("no-such.db");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli ((const char *[]) { "verify", "--database", path, NULL }, &out, &err),
                   ==, 0);
  g_assert_true (g_str_has_prefix (out, "Audit log of 30 entries: intact (last hash "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  raw_exec (path, "DROP TRIGGER audit_log_append_only_update;"
                  "UPDATE audit_log SET output_tail = '' WHERE id = 12");
  g_assert_cmpint (run_cli ((const char *[]) { "verify", "--database", path, NULL }, &out, &err),
                   ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "Audit log broken at entry 12: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Usage errors, and a database that is not there (which must not be created empty). */
  g_assert_cmpint (run_cli ((const char *[]) { "check", NULL }, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *[]) { "verify", "--bogus", NULL }, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *[]) { "verify", "--database", missing, NULL }, &out,
                            &err), ==, 2);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
test_cli_export (void)
{
  g_autofree char *path = make_log ("cli-export.db", 8);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GDateTime) at = NULL;
  JsonArray *list, *argv;
  JsonObject *first, *second;

  g_assert_cmpint (run_cli ((const char *[]) { "export", "--json", "--database", path, NULL },
                            &out, &err), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  list = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (list), ==, 8);
  first = json_array_get_object_element (list, 0);
  second = json_array_get_object_element (list, 1);

  g_assert_cmpint (json_object_get_int_member (first, "id"), ==, 1);
  at = g_date_time_new_from_iso8601 (json_object_get_string_member (first, "at"), NULL);
  g_assert_nonnull (at);
  g_assert_cmpint (g_date_time_to_unix (at) * G_USEC_PER_SEC + g_date_time_get_microsecond (at),
                   ==, T0 + 123456);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (first, "at"), "Z"));
  g_assert_cmpstr (json_object_get_string_member (first, "os_user"), ==, "alice");
  g_assert_true (json_object_get_null_member (first, "incident_id"));
  g_assert_cmpint (json_object_get_int_member (second, "incident_id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (first, "context"), ==, "prod");
  g_assert_cmpstr (json_object_get_string_member (first, "namespace"), ==, "carecircle");
  g_assert_cmpstr (json_object_get_string_member (first, "action_id"), ==, "scale");
  g_assert_true (json_object_get_null_member (first, "service_id"));
  argv = json_object_get_array_member (first, "argv");
  g_assert_cmpuint (json_array_get_length (argv), ==, 9);
  g_assert_cmpstr (json_array_get_string_element (argv, 0), ==, "kubectl");
  g_assert_cmpstr (json_array_get_string_element (argv, 8), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "inputs"),
                                                  "replicas"), ==, "1");
  g_assert_true (json_object_get_null_member (first, "confirmation"));
  g_assert_cmpstr (json_object_get_string_member (second, "confirmation"), ==, "carecircle-api");
  g_assert_cmpint (json_object_get_int_member (first, "exit_code"), ==, 0);
  g_assert_true (json_object_get_null_member (second, "exit_code"));
  g_assert_cmpint (json_object_get_int_member (first, "duration_ms"), ==, 1000);
  g_assert_cmpstr (json_object_get_string_member (first, "outcome"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (second, "outcome"), ==, "no-change");
  g_assert_cmpstr (json_object_get_string_member (first, "output_tail"), ==,
                   "deployment.apps/carecircle-api scaled (0)\n");
  g_assert_cmpstr (json_object_get_string_member (first, "prev_hash"), ==,
                   SITREP_AUDIT_GENESIS_HASH);
  g_assert_cmpstr (json_object_get_string_member (second, "prev_hash"), ==,
                   json_object_get_string_member (first, "hash"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The readable table: a header and one line per entry. */
  g_assert_cmpint (run_cli ((const char *[]) { "export", "--utc", "--database", path, NULL },
                            &out, &err), ==, 0);
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 10);
    g_assert_true (g_str_has_prefix (lines[1], "1 "));
    g_assert_nonnull (strstr (lines[1], "2025-11-28 03:20:00 UTC"));
    g_assert_nonnull (strstr (lines[1], "kubectl --context prod"));
    g_assert_nonnull (strstr (lines[3], "failed"));
  }
}

/* The machine that wrote an entry is part of what its keyed hash covers (version 3). */
static void
test_host_edited (void)
{
  g_autofree char *path = make_log ("host-edited.db", 12);
  g_autofree char *removed = make_log ("host-removed.db", 12);

  raw_exec (path, "DROP TRIGGER audit_log_append_only_update;"
                  "UPDATE audit_log SET host = 'elsewhere' WHERE id = 7");
  assert_broken_at (path, 7, "does not match its keyed hash");
  /* Nor can an entry pass for one written before hosts were recorded (version 2). */
  raw_exec (removed, "DROP TRIGGER audit_log_append_only_update;"
                     "UPDATE audit_log SET host = NULL, author = NULL WHERE id = 4");
  assert_broken_at (removed, 4, "does not match its keyed hash");
}

/* A log begun by a Sitrep that recorded no machine (version 2 entries) and continued by this
 * one (version 3) is one chain that verifies; both versions' entries read back as written. */
static void
test_versions_mixed (void)
{
  g_autofree char *path = db_path ("mixed.db");
  g_autoptr(SitrepStore) store = open_keyed (path);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *database_id = NULL;
  g_autofree char *prev = g_strdup (SITREP_AUDIT_GENESIS_HASH);
  gint64 keyed_from = 0;
  sqlite3 *db = NULL;

  database_id = sitrep_store_get_audit_database_id (store, &keyed_from, &error);
  g_assert_no_error (error);
  g_assert_cmpint (keyed_from, ==, 1);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (gint64 id = 1; id <= 3; id++)
    {
      char *argv[] = { "kubectl", "rollout", "restart", "deployment/api", NULL };
      SitrepAuditEntry entry = { .id = id, .at = T0 + id, .os_user = "alice", .context = "prod",
                                 .namespace = "carecircle", .action_id = "restart",
                                 .argv = argv, .inputs = "{}", .outcome = "succeeded",
                                 .output_tail = "", .prev_hash = prev };
      g_autofree char *hash = sitrep_audit_entry_compute_mac (&entry, database_id,
                                                              sitrep_store_get_audit_key (store));
      g_autofree char *sql = g_strdup_printf ("INSERT INTO audit_log (id, at, os_user, context,"
                                              " namespace, action_id, argv, inputs, outcome,"
                                              " output_tail, prev_hash, hash) VALUES (%"
                                              G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'alice',"
                                              " 'prod', 'carecircle', 'restart', '[\"kubectl\","
                                              " \"rollout\", \"restart\", \"deployment/api\"]',"
                                              " '{}', 'succeeded', '', '%s', '%s')",
                                              id, T0 + id, prev, hash);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      g_free (prev);
      prev = g_steal_pointer (&hash);
    }
  sqlite3_close (db);

  for (guint i = 0; i < 4; i++)
    {
      char *argv[] = { "kubectl", "rollout", "restart", "deployment/api", NULL };
      SitrepAuditEntry entry = { .action_id = "restart", .argv = argv, .outcome = "succeeded",
                                 .author = "Dana Scribe" };

      g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, 4 + i);
      g_assert_no_error (error);
    }
  entries = sitrep_store_list_audit (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 7);
  g_assert_null (((SitrepAuditEntry *) entries->pdata[2])->host);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[3])->host, ==, g_get_host_name ());
  g_clear_object (&store);
  g_assert_cmpint (verify_file (path, NULL, NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/audit/chain", test_chain);
  g_test_add_func ("/audit/empty", test_empty);
  g_test_add_func ("/audit/append-only", test_append_only);
  g_test_add_func ("/audit/tamper/edited", test_edited);
  g_test_add_func ("/audit/tamper/host-edited", test_host_edited);
  g_test_add_func ("/audit/versions-mixed", test_versions_mixed);
  g_test_add_func ("/audit/tamper/edited-rehashed", test_edited_rehashed);
  g_test_add_func ("/audit/tamper/deleted", test_deleted);
  g_test_add_func ("/audit/tamper/deleted-renumbered", test_deleted_renumbered);
  g_test_add_func ("/audit/tamper/reordered", test_reordered);
  g_test_add_func ("/audit/tamper/forged", test_forged);
  g_test_add_func ("/audit/tamper/malformed", test_malformed);
  g_test_add_func ("/audit/tamper/truncated", test_truncated);
  g_test_add_func ("/audit/tamper/truncated-then-appended", test_truncated_then_appended);
  g_test_add_func ("/audit/tamper/rewritten", test_rewritten);
  g_test_add_func ("/audit/tamper/anchor", test_anchor);
  g_test_add_data_func ("/audit/upgrade/from-1", GINT_TO_POINTER (1), test_upgrade);
  g_test_add_data_func ("/audit/upgrade/from-2", GINT_TO_POINTER (2), test_upgrade);
  g_test_add_func ("/audit/no-key", test_no_key);
  g_test_add_func ("/audit/cli/headless", test_cli_headless);
  g_test_add_func ("/audit/cli/upgraded", test_cli_upgraded);
  g_test_add_func ("/audit/redaction", test_redaction);
  g_test_add_func ("/audit/invalid", test_invalid);
  g_test_add_func ("/audit/output-tail", test_output_tail);
  g_test_add_func ("/audit/cli/verify", test_cli_verify);
  g_test_add_func ("/audit/cli/export", test_cli_export);

  return g_test_run ();
}
