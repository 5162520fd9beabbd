/* test-audit.c: the audit log's hash chain holds, catches tampering, and keeps no secrets */
#include "config.h"

#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "sitrep-store-audit.h"

#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

/* Every column but id, to move a row's content with raw SQL. */
#define CONTENT_COLUMNS                                                                     \
  "at, os_user, incident_id, context, namespace, action_id, service_id, argv, inputs,"      \
  " confirmation, exit_code, duration_ms, outcome, output_tail, prev_hash, hash"

static const char *const outcomes[] = { "succeeded", "no-change", "failed", "cancelled",
                                        "timed-out", "refused",   "dry-run" };

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
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);

  g_assert_no_error (error);
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

/* Verifies the log at @path: returns the first broken id (0 when intact) and the reason. */
static gint64
verify_file (const char *path,
             gint64     *n_entries,
             char      **reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);
  gint64 broken = -1;
  gboolean intact;

  g_assert_no_error (error);
  intact = sitrep_store_verify_audit_full (store, n_entries, NULL, &broken, reason, &error);
  g_assert_no_error (error);
  g_assert_true (intact == (broken == 0));
  return broken;
}

static void
assert_broken_at (const char *path,
                  gint64      id,
                  const char *why)
{
  g_autofree char *reason = NULL;

  g_assert_cmpint (verify_file (path, NULL, &reason), ==, id);
  g_assert_nonnull (reason);
  if (strstr (reason, why) == NULL)
    g_error ("expected a reason with “%s”, got “%s”", why, reason);
}

static void
test_chain (void)
{
  g_autofree char *path = db_path ("chain.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *last_hash = NULL;
  g_autofree char *reason = NULL;
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
      g_autofree char *hash = sitrep_audit_entry_compute_hash (entry);

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
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
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
  assert_broken_at (path, 7, "does not match its hash");
}

/* An attacker who also recomputes the edited row's hash breaks the link to the next row. */
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
  assert_broken_at (path, 8, "does not follow entry 7");
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

/* Deleting a row and renumbering the rest hides the gap in the ids, not in the chain. */
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

/* Cutting rows off the end leaves a shorter chain that is still valid: a chain alone cannot
 * notice it. Only a last hash (or count) kept somewhere else can, which is why `sitrep audit
 * verify` prints the last hash for the engineer to write down. The store keeps no such copy. */
static void
test_truncated (void)
{
  g_autofree char *path = make_log ("truncated.db", 20);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 n = 0;

  {
    g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);

    g_assert_true (sitrep_store_verify_audit_full (store, NULL, &before, NULL, NULL, &error));
  }
  raw_exec (path, "DROP TRIGGER audit_log_append_only_delete;"
                  "DELETE FROM audit_log WHERE id > 15");
  g_assert_cmpint (verify_file (path, &n, NULL), ==, 0);
  g_assert_cmpint (n, ==, 15);
  {
    g_autoptr(SitrepStore) store = sitrep_store_open (path, &error);

    g_assert_true (sitrep_store_verify_audit_full (store, NULL, &after, NULL, NULL, &error));
  }
  g_assert_cmpstr (before, !=, after);
}

static void
test_redaction (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
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
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
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
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
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
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (bin == NULL)
    g_error ("SITREP_BIN is not set: run the tests with meson test");
  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "audit");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/audit/chain", test_chain);
  g_test_add_func ("/audit/empty", test_empty);
  g_test_add_func ("/audit/append-only", test_append_only);
  g_test_add_func ("/audit/tamper/edited", test_edited);
  g_test_add_func ("/audit/tamper/edited-rehashed", test_edited_rehashed);
  g_test_add_func ("/audit/tamper/deleted", test_deleted);
  g_test_add_func ("/audit/tamper/deleted-renumbered", test_deleted_renumbered);
  g_test_add_func ("/audit/tamper/reordered", test_reordered);
  g_test_add_func ("/audit/tamper/forged", test_forged);
  g_test_add_func ("/audit/tamper/malformed", test_malformed);
  g_test_add_func ("/audit/tamper/truncated", test_truncated);
  g_test_add_func ("/audit/redaction", test_redaction);
  g_test_add_func ("/audit/invalid", test_invalid);
  g_test_add_func ("/audit/output-tail", test_output_tail);
  g_test_add_func ("/audit/cli/verify", test_cli_verify);
  g_test_add_func ("/audit/cli/export", test_cli_export);

  return g_test_run ();
}
