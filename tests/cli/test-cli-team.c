/* test-cli-team.c: the headless verbs on a team database, the real PostgreSQL the test command starts
 *
 * Each test gets a database of its own on the server (SITREP_TEST_PG_CONNINFO), dropped after.
 * The sitrep processes are given its address without the password, and the password in a
 * PGPASSFILE, as a team member would set them up.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <sqlite3.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fixture-runbook.h"
#include "pg-test-util.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-journal.h"

/* Two writers at once, N_NOTES notes each, one process per note. */
#if defined(__SANITIZE_ADDRESS__)
#define N_NOTES 60
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define N_NOTES 60
#endif
#endif
#ifndef N_NOTES
#define N_NOTES 500
#endif
/* Audit entries each of two threads of the test appends meanwhile. */
#define N_AUDIT 40

typedef struct
{
  char *dir;
  PgTestDatabase *db; /* this test's; sitrep is given its uri, the password in its pgpass */
  char *runbook;
  char *settings;
  char *config;
  char *file_db;   /* a SQLite database, for comparisons */
} Fixture;

static void
write_pgpass (Fixture    *fixture,
              const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strdup_printf ("%s:%s:*:postgres:%s\n", fixture->db->host,
                                           fixture->db->port, password);

  g_assert_true (g_file_set_contents (fixture->db->pgpass, line, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fixture->db->pgpass, 0600), ==, 0);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  /* This process opens the team database too (the audit writers): PGPASSFILE is set. */
  fixture->db = pg_test_database_new ("sitrep_team", TRUE);
  fixture->dir = g_build_filename (g_get_user_data_dir (), fixture->db->dbname, NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  fixture->file_db = g_build_filename (fixture->dir, "personal.db", NULL);
  g_assert_true (g_file_set_contents (fixture->file_db, "", 0, &error));

  fixture->runbook = fixture_runbook_write (NULL);
  fixture->config = g_build_filename (fixture->dir, "config", NULL);
  fixture->settings = g_build_filename (fixture->config, "glib-2.0", "settings", "keyfile", NULL);
  file = g_file_new_for_path (fixture->runbook);
  runbook = sitrep_runbook_load_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("[org/carecircle/Sitrep]\ntrusted-runbooks=['%s']\nlead-name='Dana "
                          "Scribe'\n",
                          sitrep_runbook_get_digest (runbook));
  folder = g_path_get_dirname (fixture->settings);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->settings, text, -1, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->db, pg_test_database_free);
  g_free (fixture->dir);
  g_free (fixture->runbook);
  g_free (fixture->settings);
  g_free (fixture->config);
  g_free (fixture->file_db);
}

/* Runs `sitrep ARGS…` as a team member does, with @input (nullable) on its standard input;
 * returns its exit status. */
static int
run_input (Fixture           *fixture,
           const char *const *args,
           const char        *input,
           char             **out,
           char             **err)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;

  if (bin == NULL)
    g_error ("SITREP_BIN is not set: run the tests with meson test");
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE
                                        | (input ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0));
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config, TRUE);
  g_subprocess_launcher_setenv (launcher, "PGPASSFILE", fixture->db->pgpass, TRUE);
  g_subprocess_launcher_setenv (launcher, "TZ", "UTC", TRUE);
  /* The audit anchors and the journals, where this process keeps them too. */
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    {
      g_printerr ("sitrep %s %s was killed by signal %d; it said:\n%s", args[0],
                  args[1] != NULL ? args[1] : "", g_subprocess_get_term_sig (process),
                  stderr_text);
      return -1;
    }
  if (out != NULL)
    {
      g_free (*out);
      *out = g_steal_pointer (&stdout_text);
    }
  if (err != NULL)
    {
      g_free (*err);
      *err = g_steal_pointer (&stderr_text);
    }
  return g_subprocess_get_exit_status (process);
}

static int
run (Fixture           *fixture,
     const char *const *args,
     char             **out,
     char             **err)
{
  return run_input (fixture, args, NULL, out, err);
}

static void
assert_has (const char *text,
            const char *expected)
{
  if (strstr (text, expected) == NULL)
    g_error ("“%s” is missing from:\n%s", expected, text);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Declares incident 1 on the team database, as a bot does at the start of a test. */
static void
declare_first (Fixture  *fixture,
               char    **out,
               char    **err)
{
  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "declare", "--severity", "P1",
                                                    "--title", "Depot scanners offline",
                                                    "--runbook", fixture->runbook, "--database",
                                                    fixture->db->uri, NULL },
                        out, err), ==, 0);
}

/* What a person reads, with the clock's readings (which differ from run to run, and between
 * the two databases' runs of a verb when a minute turns between them) blanked: the
 * post-mortem's "22:10" too. */
static char *
without_times (const char *text)
{
  g_autoptr(GRegex) times = g_regex_new ("\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d(:\\d\\d)?"
                                         "( UTC|Z)?|\\d+ (min|s|h)\\b|\\d+m\\d+s|\\d\\d:\\d\\d:\\d\\d"
                                         "|\\b\\d\\d:\\d\\d\\b",
                                         0, 0, NULL);

  return g_regex_replace_literal (times, text, -1, 0, "TIME", 0, NULL);
}

/* The same bot's morning on a personal file and on the team database: every verb prints the
 * same, and exits the same, the post-mortem's export too. */
static void
test_same_output (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *script[][8] = {
    { "incident", "declare", "--severity", "P2", "--title", "Customs feed stalled", "--json" },
    { "incident", "declare", "--severity", "P3", "--title", "One depot prints slowly" },
    { "incident", "note", "1", "Gateway pods OOM-killed" },
    { "incident", "note", "1", "Rolled back to 4.12", "--json" },
    { "incident", "status", "1", "identified" },
    { "incident", "status", "1", "monitoring", "--json" },
    { "incident", "status", "1", "monitoring" },
    { "incident", "resolve", "1", "--json" },
    { "incident", "note", "1", "too late" },
    { "incident", "note", "9", "no such incident" },
    { "incident", "list" },
    { "incident", "list", "--json" },
    { "incident", "show", "1" },
    { "incident", "show", "1", "--json" },
    { "incident", "show", "2" },
    { "audit", "export" },
    { "audit", "export", "--json" },
    { "export", "1", "--utc" },
    { "export", "1", "--starred", "--utc" },
    { "export", "9" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (script); i++)
    {
      g_autofree char *file_out = NULL, *file_err = NULL, *team_out = NULL, *team_err = NULL;
      g_autofree char *a = NULL, *b = NULL;
      const char *databases[] = { fixture->file_db, fixture->db->uri };
      char **outs[] = { &file_out, &team_out };
      char **errs[] = { &file_err, &team_err };
      int status[2];

      for (guint d = 0; d < 2; d++)
        {
          g_autoptr(GPtrArray) args = g_ptr_array_new ();

          for (guint w = 0; w < G_N_ELEMENTS (script[i]) && script[i][w] != NULL; w++)
            g_ptr_array_add (args, (gpointer) script[i][w]);
          g_ptr_array_add (args, (gpointer) "--database");
          g_ptr_array_add (args, (gpointer) databases[d]);
          if (g_str_equal (script[i][1], "declare"))
            {
              g_ptr_array_add (args, (gpointer) "--runbook");
              g_ptr_array_add (args, fixture->runbook);
            }
          g_ptr_array_add (args, NULL);
          status[d] = run (fixture, (const char *const *) args->pdata, outs[d], errs[d]);
        }
      g_test_message ("%s %s: exit %d", script[i][0], script[i][1], status[0]);
      g_assert_cmpint (status[0], ==, status[1]);
      a = without_times (file_out);
      b = without_times (team_out);
      g_assert_cmpstr (a, ==, b);
      /* Error messages name the database: the file's path, or the team database's address. */
      g_free (a);
      g_free (b);
      {
        g_autoptr(GString) file_msg = g_string_new (file_err);
        g_autoptr(GString) team_msg = g_string_new (team_err);

        g_string_replace (file_msg, fixture->file_db, "DATABASE", 0);
        g_string_replace (team_msg, fixture->db->uri, "DATABASE", 0);
        a = without_times (file_msg->str);
        b = without_times (team_msg->str);
        g_assert_cmpstr (a, ==, b);
      }
      if (i == 0)
        assert_has (team_out, "\"summary\" : \"Customs feed stalled\"");
    }
}

typedef struct
{
  Fixture *fixture;
  const char *name;
  gint64 incident;
  int failed;
} Writer;

static gpointer
write_notes (gpointer data)
{
  Writer *writer = data;
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, writer->incident);

  for (guint i = 0; i < N_NOTES; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %03u", writer->name, i);
      g_autofree char *err = NULL;

      if (run (writer->fixture, (const char *[]) { "incident", "note", number, text,
                                                   "--database", writer->fixture->db->uri, NULL },
               NULL, &err) != 0)
        {
          g_printerr ("%s failed: %s\n", text, err);
          writer->failed++;
        }
    }
  return NULL;
}

/* A console of its own recording commands it ran, on its own connection. */
static gpointer
write_audit (gpointer data)
{
  Writer *writer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (writer->fixture->db->uri, &error);

  g_assert_no_error (error);
  g_assert_true (sitrep_store_load_audit_key_sync (store, FALSE, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_AUDIT; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %03u", writer->name, i);
      char *argv[] = { "kubectl", "rollout", "restart", "deployment/scanner-gateway", NULL };
      SitrepAuditEntry entry = { .action_id = "restart-gateway", .argv = argv,
                                 .outcome = SITREP_AUDIT_SUCCEEDED, .output_tail = text,
                                 .incident_id = writer->incident };

      if (sitrep_store_append_audit (store, &entry, &error) < 0)
        {
          g_printerr ("%s failed: %s\n", text, error->message);
          g_clear_error (&error);
          writer->failed++;
        }
    }
  return NULL;
}

/* Two bots writing notes and two consoles recording commands, at the same moment, on one team
 * database: every note kept, each writer's in the order it wrote them, and the audit log is one
 * chain that `sitrep audit verify` accepts. */
static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) exported = NULL;
  const char *names[] = { "alpha", "bravo" };
  Writer notes[2], audit[2];
  GThread *threads[4];
  guint next[2] = { 0 };
  guint per_writer[2] = { 0 };
  JsonArray *timeline;
  gint64 incident;
  int status;

  declare_first (fixture, &out, &err);
  g_assert_cmpstr (out, ==, "1\n");
  incident = 1;
  /* The log's key, made once, as the first console on this account does; the keyring is
   * this machine's (a team shares it with `sitrep audit key export/import`). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SitrepStore) store = sitrep_store_open (fixture->db->uri, &error);

    g_assert_no_error (error);
    g_assert_true (sitrep_store_load_audit_key_sync (store, TRUE, NULL, &error));
    g_assert_no_error (error);
  }

  for (guint i = 0; i < 2; i++)
    {
      notes[i] = (Writer) { fixture, names[i], incident, 0 };
      audit[i] = (Writer) { fixture, names[i], incident, 0 };
      threads[i] = g_thread_new (names[i], write_notes, &notes[i]);
      threads[2 + i] = g_thread_new (names[i], write_audit, &audit[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpint (notes[i].failed, ==, 0);
      g_assert_cmpint (audit[i].failed, ==, 0);
    }

  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "show", "1", "--json",
                                                    "--database", fixture->db->uri, NULL },
                        &out, &err), ==, 0);
  shown = parse (out);
  timeline = json_object_get_array_member (json_node_get_object (shown), "timeline");
  /* Declared, its first escalation step due, then the notes. */
  g_assert_cmpuint (json_array_get_length (timeline), ==, 2 + 2 * N_NOTES);
  for (guint i = 2; i < json_array_get_length (timeline); i++)
    {
      JsonObject *event = json_array_get_object_element (timeline, i);
      const char *text = json_object_get_string_member (event, "text");
      gboolean matched = FALSE;

      g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "note");
      g_assert_cmpstr (json_object_get_string_member (event, "author"), ==, "Dana Scribe");
      for (guint w = 0; w < 2; w++)
        if (g_str_has_prefix (text, names[w]))
          {
            g_autofree char *expected = g_strdup_printf ("%s %03u", names[w], next[w]);

            g_assert_cmpstr (text, ==, expected);
            next[w]++;
            matched = TRUE;
          }
      g_assert_true (matched);
    }
  g_assert_cmpuint (next[0], ==, N_NOTES);
  g_assert_cmpuint (next[1], ==, N_NOTES);

  /* One chain: every entry, each writer's in its order, and verify holds. */
  g_assert_cmpint (run (fixture, (const char *[]) { "audit", "export", "--json", "--database",
                                                    fixture->db->uri, NULL },
                        &out, &err), ==, 0);
  exported = parse (out);
  {
    JsonArray *entries = json_node_get_array (exported);

    g_assert_cmpuint (json_array_get_length (entries), ==, 2 * N_AUDIT);
    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        JsonObject *entry = json_array_get_object_element (entries, i);
        const char *tail = json_object_get_string_member (entry, "output_tail");

        g_assert_cmpint (json_object_get_int_member (entry, "id"), ==, i + 1);
        for (guint w = 0; w < 2; w++)
          if (g_str_has_prefix (tail, names[w]))
            {
              g_autofree char *expected = g_strdup_printf ("%s %03u", names[w], per_writer[w]);

              g_assert_cmpstr (tail, ==, expected);
              per_writer[w]++;
            }
      }
    g_assert_cmpuint (per_writer[0] + per_writer[1], ==, 2 * N_AUDIT);
  }
  status = run (fixture, (const char *[]) { "audit", "verify", "--database", fixture->db->uri, NULL },
                &out, &err);
  g_test_message ("sitrep audit verify: %s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  assert_has (out, "intact");
}

typedef struct
{
  Fixture *fixture;
  guint seconds;
  const char *table;
} LockHolder;

/* Another team member's long transaction: holds @table until a writer has waited for it (and,
 * with the database's lock_timeout, been refused), then @seconds more. Fails when no writer
 * came within 30 s. */
static gpointer
hold_table (gpointer data)
{
  LockHolder *holder = data;
  g_autofree char *sql = g_strdup_printf (
    "BEGIN; SET LOCAL lock_timeout = 0; LOCK TABLE %s IN EXCLUSIVE MODE;"
    " DO $$ BEGIN"
    "   FOR i IN 1..3000 LOOP"
    "     PERFORM pg_stat_clear_snapshot ();"
    "     IF EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
    "                AND datname = current_database () AND pid <> pg_backend_pid ()) THEN"
    "       RETURN;"
    "     END IF;"
    "     PERFORM pg_sleep (0.01);"
    "   END LOOP;"
    "   RAISE EXCEPTION 'no writer waited for the table';"
    " END $$;"
    " SELECT pg_sleep (%u); COMMIT",
    holder->table, holder->seconds);

  pg_test_database_exec (holder->fixture->db, sql);
  return NULL;
}

/* Starts hold_table() on @table and returns once the lock is held. */
static GThread *
lock_table (LockHolder *holder,
            const char *table)
{
  GThread *thread;

  holder->table = table;
  thread = g_thread_new ("lock", hold_table, holder);
  for (guint tries = 0;; tries++)
    {
      g_autofree char *sql = g_strdup_printf (
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = '%s' AND l.mode = 'ExclusiveLock' AND l.granted", table);
      g_autofree char *held = pg_test_database_query (holder->fixture->db, sql);

      if (g_strcmp0 (held, "1") == 0)
        return thread;
      g_assert_cmpuint (tries, <, 500);
      g_usleep (10 * 1000);
    }
}

/* A team database whose administrator set a lock_timeout (as many do, so that nothing waits
 * on a lock for ever): a bot's change that meets another's transaction is refused with
 * "canceling statement due to lock timeout". The verb waits and tries again, as the console's
 * writer does, rather than lose the note. */
static void
test_lock_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *alter = NULL;
  g_autofree char *escalated = NULL;
  g_autoptr(JsonNode) shown = NULL;
  JsonArray *timeline;
  LockHolder holder = { fixture, 1, NULL };
  /* The table another holds, and the change; a declaration records the escalation step due
   * at once after it, in a transaction of its own (sitrep_incident_manager_check()). */
  const char *const changes[][10] = {
    { "timeline_events", "incident", "note", "1", "Scanner firmware rolled back", NULL },
    { "timeline_events", "incident", "status", "1", "identified", NULL },
    { "timeline_events", "incident", "declare", "--severity", "P3", "--title",
      "Label printer queue slow", "--runbook", NULL },
    { "escalations", "incident", "declare", "--severity", "P1", "--title",
      "Customs feed stalled", "--runbook", NULL },
  };
  guint notes = 0;

  declare_first (fixture, &out, &err);
  alter = g_strdup_printf ("ALTER DATABASE %s SET lock_timeout = '100ms'", fixture->db->dbname);
  pg_test_database_exec (fixture->db, alter);

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      GThread *thread;
      int status;

      for (guint k = 1; changes[i][k] != NULL; k++)
        g_ptr_array_add (args, (gpointer) changes[i][k]);
      if (g_str_equal (changes[i][2], "declare"))
        g_ptr_array_add (args, fixture->runbook);
      g_ptr_array_add (args, "--database");
      g_ptr_array_add (args, fixture->db->uri);
      g_ptr_array_add (args, NULL);

      thread = lock_table (&holder, changes[i][0]);
      status = run (fixture, (const char *const *) args->pdata, &out, &err);
      g_thread_join (thread);
      if (status != 0)
        g_printerr ("sitrep incident %s: %s", changes[i][2], err);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpstr (err, ==, "");
    }

  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "show", "1", "--json",
                                                    "--database", fixture->db->uri, NULL },
                        &out, &err), ==, 0);
  shown = parse (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "status"), ==,
                   "identified");
  timeline = json_object_get_array_member (json_node_get_object (shown), "timeline");
  for (guint i = 0; i < json_array_get_length (timeline); i++)
    {
      JsonObject *event = json_array_get_object_element (timeline, i);

      if (g_str_equal (json_object_get_string_member (event, "kind"), "note"))
        {
          g_assert_cmpstr (json_object_get_string_member (event, "text"), ==,
                           "Scanner firmware rolled back");
          notes++;
        }
    }
  /* Once: a try the server refused left nothing behind. */
  g_assert_cmpuint (notes, ==, 1);
  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "list", "--json", "--database",
                                                    fixture->db->uri, NULL },
                        &out, &err), ==, 0);
  assert_has (out, "Label printer queue slow");
  /* The last declaration's escalation step, due at once, is on the record: once. */
  escalated = pg_test_database_query (fixture->db,
                                      "SELECT count(*) FROM escalations e JOIN incidents i"
                                      " ON i.id = e.incident_id"
                                      " WHERE i.summary = 'Customs feed stalled'");
  g_assert_cmpstr (escalated, ==, "1");
}

/* A team database that takes the connection and then keeps the verb waiting (another session
 * holds the table the note goes to, and the server has no lock_timeout; a stalled disk is the
 * same): the verb waits as long as --wait says, then says why it ends and ends. Nothing is
 * half-written, and the note written again once the table is free is there once. */
static void
test_stalled (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *count = NULL;
  /* The lock is held 15 s after the verb starts to wait for it: longer than --wait. */
  LockHolder holder = { fixture, 15, NULL };
  const char *note[] = { "incident", "note", "1", "Scanner firmware rolled back", "--wait", "6",
                         "--database", fixture->db->uri, NULL };
  const char *count_notes = "SELECT count(*) FROM timeline_events"
                            " WHERE text = 'Scanner firmware rolled back'";
  GThread *thread;
  gint64 started;
  double waited;
  int status;

  declare_first (fixture, &out, &err);
  thread = lock_table (&holder, "timeline_events");
  started = g_get_monotonic_time ();
  status = run (fixture, note, &out, &err);
  waited = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("gave up after %.1f s: %s", waited, err);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_has (err, "sitrep incident note: the team database did not answer within 6 s");
  assert_has (err, "sitrep incident show");
  /* It gave up while the lock was held, not when the lock went. */
  g_assert_cmpfloat (waited, <, holder.seconds);
  /* Nor does the server keep its statement waiting in the lock queue for the connection cut:
   * it ends it while the lock is still held. */
  for (guint tries = 0;; tries++)
    {
      g_autofree char *waiting = pg_test_database_query (
        fixture->db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sitrep'"
                     " AND wait_event_type = 'Lock' AND datname = current_database ()");
      g_autofree char *held = pg_test_database_query (
        fixture->db, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                     " WHERE c.relname = 'timeline_events' AND l.mode = 'ExclusiveLock'"
                     " AND l.granted");

      if (g_str_equal (waiting, "0"))
        {
          g_test_message ("its statement ended %.1f s after it gave up", tries / 10.0);
          g_assert_cmpstr (held, ==, "1");
          break;
        }
      g_assert_cmpstr (held, ==, "1");
      /* The lock is held 15 s at most. */
      g_assert_cmpuint (tries, <, 200);
      g_usleep (G_USEC_PER_SEC / 10);
    }
  /* The server never had the note to commit. */
  g_thread_join (thread);
  count = pg_test_database_query (fixture->db, count_notes);
  g_assert_cmpstr (count, ==, "0");

  /* Written again, with the default wait, once the table is free: there once. */
  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "note", "1",
                                                    "Scanner firmware rolled back", "--database",
                                                    fixture->db->uri, NULL },
                        &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_free (count);
  count = pg_test_database_query (fixture->db, count_notes);
  g_assert_cmpstr (count, ==, "1");

  /* A wait no one means is refused before anything is opened. */
  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "note", "1", "x", "--wait", "0",
                                                    "--database", fixture->db->uri, NULL },
                        &out, &err), ==, 2);
  assert_has (err, "--wait takes a number of seconds from 1 to 86400");
}

static gpointer
resume_later (gpointer data)
{
  PgTestCluster *cluster = data;

  g_usleep (5 * G_USEC_PER_SEC);
  pg_test_cluster_resume (cluster);
  return NULL;
}

/* A server that takes a verb's connection only after its --wait (stopped, then back before
 * libpq's own connect timeout): the connection is cut as soon as it is made, and the verb says
 * that nothing was written, which is so. */
static void
test_stalled_connecting (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *count = NULL;
  GThread *resumer;
  int status;

  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "declare", "--severity", "P1",
                                                    "--title", "Depot scanners offline",
                                                    "--runbook", fixture->runbook, "--database",
                                                    cluster->uri, NULL },
                        &out, &err), ==, 0);

  pg_test_cluster_pause (cluster);
  resumer = g_thread_new ("resume", resume_later, cluster);
  status = run (fixture, (const char *[]) { "incident", "note", "1", "Scanners back", "--wait",
                                            "2", "--database", cluster->uri, NULL },
                &out, &err);
  g_thread_join (resumer);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_has (err, "sitrep incident note: the team database was still connecting after 2 s");
  assert_has (err, "nothing was written");
  count = pg_test_cluster_query (cluster, "SELECT count(*) FROM timeline_events"
                                          " WHERE text = 'Scanners back'");
  g_assert_cmpstr (count, ==, "0");
}

/* A note the server committed whose read-back outlasts --wait: the verb says the note is on
 * the timeline and must not be added again, and nothing that contradicts it. (A row-level
 * policy makes the server sleep when a SELECT, never the INSERT, reaches the new row; a
 * superuser skips such policies, so the verb connects as a role of the test's.) */
static void
test_stalled_read_back (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *count = NULL;
  g_autofree char *last = NULL;
  g_autofree char *role = g_strdup_printf ("%s_bot", fixture->db->dbname);
  g_autofree char *sql = NULL;
  g_autofree char *pgpass = NULL;
  g_autofree char *line = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;
  double waited;
  int status;

  declare_first (fixture, &out, &err);
  last = pg_test_database_query (fixture->db, "SELECT max(id) FROM timeline_events");
  sql = g_strdup_printf (
    "CREATE ROLE %s LOGIN PASSWORD 'bot-pw';"
    "GRANT ALL ON ALL TABLES IN SCHEMA public TO %s;"
    "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO %s;"
    "CREATE FUNCTION sitrep_test_slow () RETURNS boolean LANGUAGE plpgsql AS $$"
    " BEGIN IF current_query () ILIKE 'SELECT%%' THEN PERFORM pg_sleep (12); END IF;"
    " RETURN true; END $$;"
    "ALTER TABLE timeline_events ENABLE ROW LEVEL SECURITY;"
    "CREATE POLICY readable ON timeline_events FOR SELECT"
    " USING (CASE WHEN id <= %s THEN true ELSE sitrep_test_slow () END);"
    "CREATE POLICY added ON timeline_events FOR INSERT WITH CHECK (true);"
    "CREATE POLICY changed ON timeline_events FOR UPDATE USING (true);",
    role, role, role, last);
  pg_test_database_exec (fixture->db, sql);
  g_file_get_contents (fixture->db->pgpass, &pgpass, NULL, &error);
  g_assert_no_error (error);
  line = g_strdup_printf ("%s%s:%s:%s:%s:bot-pw\n", pgpass, fixture->db->host, fixture->db->port,
                          fixture->db->dbname, role);
  g_assert_true (g_file_set_contents (fixture->db->pgpass, line, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fixture->db->pgpass, 0600), ==, 0);
  uri = g_strdup_printf ("postgresql://%s@%s:%s/%s", role, fixture->db->host, fixture->db->port,
                         fixture->db->dbname);

  started = g_get_monotonic_time ();
  status = run (fixture, (const char *[]) { "incident", "note", "1", "Scanners rebooted",
                                            "--wait", "6", "--database", uri, NULL },
                &out, &err);
  waited = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("gave up after %.1f s: %s", waited, err);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  /* The wait was what ended it, during the read-back. */
  g_assert_cmpfloat (waited, >=, 6.0);
  assert_has (err, "the note is on the timeline (event");
  assert_has (err, "but the team database did not answer within 6 s to read it back");
  assert_has (err, "Do not add it again");
  g_assert_null (strstr (err, "may or may not be recorded"));
  count = pg_test_database_query (fixture->db, "SELECT count(*) FROM timeline_events"
                                               " WHERE text = 'Scanners rebooted'");
  g_assert_cmpstr (count, ==, "1");

  g_free (sql);
  sql = g_strdup_printf ("DROP OWNED BY %s; DROP POLICY readable ON timeline_events;"
                         "DROP POLICY added ON timeline_events;"
                         "DROP POLICY changed ON timeline_events; DROP ROLE %s;", role, role);
  pg_test_database_exec (fixture->db, sql);
}

/* Runs a refused command: exit @status, @expected in the message, nothing on stdout. */
static void
assert_refused (Fixture           *fixture,
                const char *const *args,
                int                status,
                const char        *expected)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (fixture, args, &out, &err), ==, status);
  g_assert_cmpstr (out, ==, "");
  assert_has (err, expected);
}

/* What goes wrong between a team member and the team database is named, with what to do, and
 * nothing secret is printed. */
static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *with_password = g_strdup_printf ("postgresql://postgres:%s@%s:%s/%s",
                                                    "hunter2-team", fixture->db->host,
                                                    fixture->db->port, fixture->db->dbname);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *closed_where = NULL;
  g_autofree char *newer = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A password in the address: refused before anything connects, and not repeated. */
  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "list", "--database",
                                                    with_password, NULL },
                        &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  assert_has (err, "contains a password");
  assert_has (err, "PGPASSFILE");
  g_assert_null (strstr (err, "hunter2-team"));

  /* Nobody listening: a port that was just free. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  closed = g_strdup_printf ("postgresql://postgres@127.0.0.1:%u/%s", port, fixture->db->dbname);
  closed_where = g_strdup_printf ("127.0.0.1:%u", port);
  assert_refused (fixture, (const char *[]) { "incident", "note", "1", "hello", "--database",
                                              closed, NULL },
                  2, "Cannot reach the team database");
  assert_refused (fixture, (const char *[]) { "incident", "list", "--database", closed, NULL },
                  2, closed_where);

  /* The wrong password, then none at all. */
  write_pgpass (fixture, "not-the-password");
  assert_refused (fixture, (const char *[]) { "incident", "list", "--database", fixture->db->uri,
                                              NULL },
                  2, "refused the password for user “postgres”");
  g_assert_cmpint (g_unlink (fixture->db->pgpass), ==, 0);
  g_assert_true (g_file_set_contents (fixture->db->pgpass, "", 0, &error));
  g_assert_cmpint (g_chmod (fixture->db->pgpass, 0600), ==, 0);
  assert_refused (fixture, (const char *[]) { "incident", "list", "--database", fixture->db->uri,
                                              NULL },
                  2, "wants a password and none was found");
  write_pgpass (fixture, fixture->db->password);

  /* A team database a newer Sitrep upgraded: refused, and left as it is. */
  g_assert_cmpint (run (fixture, (const char *[]) { "incident", "list", "--database",
                                                    fixture->db->uri, NULL },
                        &out, &err), ==, 0);
  pg_test_database_exec (fixture->db, "UPDATE sitrep_schema SET version = 99");
  newer = g_strdup_printf ("database version 99; this one understands up to %d",
                           SITREP_STORE_SCHEMA_VERSION);
  assert_refused (fixture, (const char *[]) { "incident", "declare", "--severity", "P1",
                                              "--title", "x", "--runbook", fixture->runbook,
                                              "--database", fixture->db->uri, NULL },
                  2, newer);
  assert_refused (fixture, (const char *[]) { "incident", "list", "--database", fixture->db->uri,
                                              NULL },
                  2, newer);
  {
    g_autofree char *version = pg_test_database_query (fixture->db,
                                                       "SELECT version FROM sitrep_schema");
    g_autofree char *versions = pg_test_database_query (fixture->db,
                                                        "SELECT count(*) FROM sitrep_schema");
    g_autofree char *incidents = pg_test_database_query (fixture->db,
                                                         "SELECT count(*) FROM incidents");

    g_assert_cmpstr (versions, ==, "1");
    g_assert_cmpstr (version, ==, "99");
    g_assert_cmpstr (incidents, ==, "0");
  }
}

/* A count from a team database, read as the test's administrator. */
static gint64
admin_count (PgTestDatabase *db,
             const char     *sql)
{
  g_autofree char *value = pg_test_database_query (db, sql);

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

static char *
run_ok (Fixture           *fixture,
        const char *const *args)
{
  g_autofree char *out = NULL, *err = NULL;
  int status = run (fixture, args, &out, &err);

  if (status != 0)
    g_error ("sitrep %s %s exited %d: %s", args[0], args[1], status, err);
  return g_steal_pointer (&out);
}

/* A personal database copied into the team one: the same incidents, timelines and audit log,
 * the chain verifies there, new rows continue after the copied ones; a second copy into it,
 * and a damaged file into an empty one, are refused and write nothing. */
static void
test_migrate (Fixture       *fixture,
              gconstpointer  data)
{
  const char *file = fixture->file_db;
  const char *uri = fixture->db->uri;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *damaged = g_build_filename (fixture->dir, "damaged.db", NULL);
  g_autoptr(GError) error = NULL;
  const char *const reads[][4] = {
    { "incident", "list", "--json" },
    { "incident", "show", "1", "--json" },
    { "incident", "show", "2" },
    { "audit", "export", "--json" },
  };

  g_free (run_ok (fixture, (const char *[]) { "incident", "declare", "--severity", "P1",
                                              "--title", "Depot scanners offline", "--runbook",
                                              fixture->runbook, "--database", file, NULL }));
  g_free (run_ok (fixture, (const char *[]) { "incident", "declare", "--severity", "P3",
                                              "--title", "Rates page slow", "--runbook",
                                              fixture->runbook, "--database", file, NULL }));
  g_free (run_ok (fixture, (const char *[]) { "incident", "note", "1", "Scanner firmware 2.3 "
                                              "rolled out at 03:00", "--database", file, NULL }));
  g_free (run_ok (fixture, (const char *[]) { "incident", "status", "1", "identified",
                                              "--database", file, NULL }));
  g_free (run_ok (fixture, (const char *[]) { "incident", "resolve", "2", "--database", file,
                                              NULL }));
  {
    g_autoptr(SitrepStore) store = sitrep_store_open (file, &error);

    g_assert_no_error (error);
    g_assert_true (sitrep_store_load_audit_key_sync (store, TRUE, NULL, &error));
    for (guint i = 0; i < 3; i++)
      {
        char *argv[] = { "kubectl", "rollout", "undo", "deployment/scanner-gateway", NULL };
        SitrepAuditEntry entry = { .action_id = "undo-gateway", .argv = argv,
                                   .outcome = SITREP_AUDIT_SUCCEEDED, .output_tail = "rolled back",
                                   .incident_id = 1 };

        g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), ==, i + 1);
      }
  }

  g_assert_cmpint (run (fixture, (const char *[]) { "store", "migrate", "--from", file, "--to",
                                                    uri, NULL },
                        &out, &err), ==, 0);
  assert_has (out, "Copied 2 incidents (");
  assert_has (out, " and 3 audit entries from ");
  assert_has (out, "Audit log of 3 entries: intact");

  /* What the team database says is what the file said. */
  for (guint i = 0; i < G_N_ELEMENTS (reads); i++)
    {
      g_autofree char *from_file = NULL, *from_team = NULL;
      const char *args[8] = { NULL };
      guint n = 0;

      for (; n < G_N_ELEMENTS (reads[i]) && reads[i][n] != NULL; n++)
        args[n] = reads[i][n];
      args[n] = "--database";
      args[n + 1] = file;
      from_file = run_ok (fixture, args);
      args[n + 1] = uri;
      from_team = run_ok (fixture, args);
      g_assert_cmpstr (from_file, ==, from_team);
    }
  g_free (run_ok (fixture, (const char *[]) { "audit", "verify", "--database", uri, NULL }));

  /* New rows take the next numbers. */
  g_free (out);
  out = run_ok (fixture, (const char *[]) { "incident", "declare", "--severity", "P2", "--title",
                                            "Customs feed stalled", "--runbook",
                                            fixture->runbook, "--database", uri, NULL });
  g_assert_cmpstr (out, ==, "3\n");
  g_assert_cmpint (admin_count (fixture->db,
                                "SELECT count(*) FROM timeline_events WHERE id >"
                                " (SELECT max (id) FROM timeline_events WHERE incident_id < 3)"),
                   ==, admin_count (fixture->db,
                                    "SELECT count(*) FROM timeline_events WHERE incident_id = 3"));

  /* Into a database that is in use: refused, and nothing changes. */
  g_assert_cmpint (run (fixture, (const char *[]) { "store", "migrate", "--from", file, "--to",
                                                    uri, NULL },
                        &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_has (err, "is not empty");
  assert_has (err, "Nothing was copied");
  g_assert_cmpint (admin_count (fixture->db, "SELECT count(*) FROM incidents"), ==,
                   3);

  /* A damaged file (a time that is not a number): refused with the table, nothing copied. */
  {
    g_autoptr(PgTestDatabase) second = NULL;
    g_autofree char *contents = NULL;
    gsize length;
    sqlite3 *db;

    g_assert_true (g_file_get_contents (file, &contents, &length, &error));
    g_assert_true (g_file_set_contents (damaged, contents, length, &error));
    g_assert_cmpint (sqlite3_open (damaged, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE timeline_events SET at = 'yesterday' WHERE id = 3",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    second = pg_test_database_new ("sitrep_team_b", FALSE);
    g_assert_cmpint (run (fixture, (const char *[]) { "store", "migrate", "--from", damaged,
                                                      "--to", second->uri, NULL },
                          &out, &err), ==, 1);
    assert_has (err, "timeline_events");
    g_assert_cmpint (admin_count (second, "SELECT count(*) FROM incidents"), ==, 0);
    g_assert_cmpint (admin_count (second, "SELECT count(*) FROM runbook_snapshots"),
                     ==, 0);
  }

  /* The wrong way round. */
  g_assert_cmpint (run (fixture, (const char *[]) { "store", "migrate", "--from", uri, "--to",
                                                    uri, NULL },
                        &out, &err), ==, 2);
  assert_has (err, "--from names a team database");
}

/* The audit key as a second console on another computer finds it: not in its keyring. */
static void
forget_audit_key (Fixture *fixture)
{
  static const SecretSchema schema = {
    "org.carecircle.Sitrep.AuditKey", SECRET_SCHEMA_DONT_MATCH_NAME,
    { { "sitrep-audit-database", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = pg_test_database_query (fixture->db,
                                                "SELECT database_id FROM audit_chain");

  g_assert_nonnull (id);
  g_assert_true (secret_password_clear_sync (&schema, NULL, &error, "sitrep-audit-database",
                                             id, NULL));
  g_assert_no_error (error);
}

/* The team's audit key goes from one console's keyring to another's through `sitrep audit key
 * export` and `import` (standard input, never the command line): before, the second console
 * cannot check the keyed chain; a wrong or malformed key is refused and changes nothing; the
 * right one makes the chain verify there. */
static void
test_audit_key (Fixture       *fixture,
                gconstpointer  data)
{
  static const char wrong[] =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL, *key = NULL;
  const char *verify[] = { "audit", "verify", "--database", fixture->db->uri, NULL };
  const char *import[] = { "audit", "key", "import", "--database", fixture->db->uri, NULL };
  gsize length = 0;
  const char *bytes;

  store = sitrep_store_open (fixture->db->uri, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_load_audit_key_sync (store, TRUE, NULL, &error));
  for (guint i = 0; i < 3; i++)
    {
      char *argv[] = { "kubectl", "rollout", "restart", "deployment/scanner-gateway", NULL };
      SitrepAuditEntry entry = { .action_id = "restart-gateway", .argv = argv,
                                 .outcome = SITREP_AUDIT_SUCCEEDED, .output_tail = "restarted" };

      g_assert_cmpint (sitrep_store_append_audit (store, &entry, &error), >, 0);
      g_assert_no_error (error);
    }
  bytes = g_bytes_get_data (sitrep_store_get_audit_key (store), &length);

  /* The first console's key, as it prints it. */
  g_assert_cmpint (run (fixture, (const char *[]) { "audit", "key", "export", "--database",
                                                    fixture->db->uri, NULL }, &out, &err), ==, 0);
  g_assert_cmpuint (strlen (out), ==, 65);
  g_assert_cmpmem (out, 64, bytes, length);
  key = g_strndup (out, 64);

  /* The second console has no key: what it can check holds, the keyed chain is unchecked. */
  forget_audit_key (fixture);
  g_assert_cmpint (run (fixture, verify, &out, &err), ==, 3);

  /* Not the key, or not a key at all: refused, the keyring unchanged. */
  g_assert_cmpint (run_input (fixture, import, wrong, &out, &err), ==, 1);
  assert_has (err, "with this key the audit log does not verify (entry 1");
  g_assert_null (strstr (err, wrong));
  g_assert_cmpint (run (fixture, verify, &out, &err), ==, 3);
  g_assert_cmpint (run_input (fixture, import, "not-a-key\n", &out, &err), ==, 1);
  assert_has (err, "64 hexadecimal digits");
  g_assert_cmpint (run_input (fixture, import, "", &out, &err), ==, 2);
  assert_has (err, "No key was given");

  /* The right key, from standard input: the chain verifies on the second console too. */
  {
    g_autofree char *line = g_strconcat (key, "\n", NULL);

    g_assert_cmpint (run_input (fixture, import, line, &out, &err), ==, 0);
  }
  g_assert_null (strstr (out, key));
  g_assert_null (strstr (err, key));
  g_assert_cmpint (run (fixture, verify, &out, &err), ==, 0);
  assert_has (out, "Audit log of 3 entries: intact");
}

/* `sitrep store journal ADDRESS` lists what this computer keeps for a team database and what
 * it set aside, with the server's reason, without connecting. */
static void
test_journal (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = sitrep_store_journal_default_path (fixture->db->uri);
  g_autoptr(SitrepStoreJournal) journal = NULL;
  g_autoptr(SitrepStore) team = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *list[] = { "store", "journal", fixture->db->uri, NULL };
  guint written = 0;

  g_assert_cmpint (run (fixture, list, &out, &err), ==, 0);
  assert_has (out, "This computer keeps no changes for");

  journal = sitrep_store_journal_open (path, &error);
  g_assert_no_error (error);
  /* An incident the team database does not have: refused for good. */
  g_assert_true (sitrep_store_journal_append (journal, "c0000000-0000-4000-8000-000000000000",
                                              "note",
                                              "{\"incident\": 4242, \"at\": 1, \"text\": "
                                              "\"lost cause\", \"author\": \"Dana\"}",
                                              &error));
  team = sitrep_store_open (fixture->db->uri, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_journal_replay (journal, team, 0, &written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 0);
  g_assert_true (sitrep_store_journal_append (journal, "c0000000-0000-4000-8000-000000000001",
                                              "note",
                                              "{\"incident\": 1, \"at\": 2, \"text\": "
                                              "\"still waiting\", \"author\": \"Dana\"}",
                                              &error));
  g_clear_pointer (&journal, sitrep_store_journal_free);

  g_assert_cmpint (run (fixture, list, &out, &err), ==, 0);
  g_test_message ("%s", out);
  assert_has (out, "1 change waits for");
  assert_has (out, "still waiting");
  assert_has (out, "1 change was set aside: the team database can never take it.");
  assert_has (out, "lost cause");
  assert_has (out, "refused: ");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/cli/team/same-output", Fixture, NULL, fixture_setup, test_same_output,
              fixture_teardown);
  g_test_add ("/cli/team/concurrent", Fixture, NULL, fixture_setup, test_concurrent,
              fixture_teardown);
  g_test_add ("/cli/team/lock-timeout", Fixture, NULL, fixture_setup, test_lock_timeout,
              fixture_teardown);
  g_test_add ("/cli/team/stalled", Fixture, NULL, fixture_setup, test_stalled,
              fixture_teardown);
  g_test_add ("/cli/team/stalled-connecting", Fixture, NULL, fixture_setup,
              test_stalled_connecting, fixture_teardown);
  g_test_add ("/cli/team/stalled-read-back", Fixture, NULL, fixture_setup,
              test_stalled_read_back, fixture_teardown);
  g_test_add ("/cli/team/hostile", Fixture, NULL, fixture_setup, test_hostile,
              fixture_teardown);
  g_test_add ("/cli/team/migrate", Fixture, NULL, fixture_setup, test_migrate,
              fixture_teardown);
  g_test_add ("/cli/team/audit-key", Fixture, NULL, fixture_setup, test_audit_key,
              fixture_teardown);
  g_test_add ("/cli/team/journal", Fixture, NULL, fixture_setup, test_journal,
              fixture_teardown);
  return g_test_run ();
}
