/* test-team-consoles.c: two consoles, each a whole SitrepSession with its writer thread,
 * journal and watch, on one team database (the session's PostgreSQL)
 *
 * The store's own tests write through bare stores; here each console is what the window
 * holds: its incident manager ticks items, its store adds notes and audit entries from the main
 * loop, and what one writes reaches the other through the server's notifications. One of them
 * is also a process of its own, killed with SIGKILL while it writes.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "fixture-runbook.h"
#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-incident-manager.h"
#include "sitrep-session-private.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-audit-private.h"
#include "sitrep-store-writer.h"
#include "team-test-util.h"

/* Each console writes this many notes, ticks and audit entries, all queued at once. */
#define N_WRITES 500
/* The items each console ticks: its own, so that the final state of each is known. */
static const char *const items[2][3] = {
  { "open-room", "first-word", "look-grafana" },
  { "look-gateway", "undo-gateway", "write-review" },
};
static const char *const names[2] = { "alpha", "bravo" };

static SitrepSession *
open_session (const char *uri)
{
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  SitrepSession *session = sitrep_session_new (settings);

  sitrep_session_set_runbook (session, runbook);
  sitrep_session_open_store (session, uri);
  return session;
}

static gboolean
session_ready (gpointer data)
{
  SitrepSession *session = data;

  return session->incidents != NULL && session->watch != NULL
         && !sitrep_incident_manager_get_loading (session->incidents);
}

static void
key_loaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  gboolean *loaded = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_store_load_audit_key_finish (SITREP_STORE (source), result, &error));
  g_assert_no_error (error);
  *loaded = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* What the action controller does before it records a command: the audit log's key from the
 * keyring (made by the first console, found by the next). */
static void
load_key (SitrepSession *session)
{
  gboolean loaded = FALSE;

  sitrep_store_load_audit_key_async (session->store, NULL, key_loaded_cb, &loaded);
  wait_until (is_true, &loaded, 60, "the audit log's key");
  g_assert_nonnull (sitrep_store_get_audit_key (session->store));
}

/* The i-th write of console @c, queued on its main loop: a note, a tick and an audit entry. */
static void
queue_writes (SitrepSession *session,
              guint          c,
              gint64         incident,
              guint          i,
              TeamWaiting   *waiting)
{
  g_autofree char *text = g_strdup_printf ("%s %04u", names[c], i);
  char *argv[] = { "kubectl", "rollout", "restart", "deployment/nw-gateway", NULL };
  SitrepAuditEntry entry = { .action_id = "undo", .argv = argv,
                             .outcome = SITREP_AUDIT_SUCCEEDED, .output_tail = text,
                             .incident_id = incident, .author = (char *) names[c] };

  waiting->pending += 3;
  sitrep_store_add_note_async (session->store, incident, g_get_real_time (), text, names[c],
                               NULL, team_test_note_cb, waiting);
  /* Each item ticked and unticked in turn; the last write leaves it done. */
  sitrep_incident_manager_set_item_async (session->incidents, incident, items[c][i % 3],
                                          ((N_WRITES - 1 - i) / 3) % 2 == 0, names[c], NULL,
                                          team_test_changed_cb, waiting);
  sitrep_store_append_audit_async (session->store, &entry, NULL, team_test_audit_cb, waiting);
}

typedef struct
{
  SitrepSession *session;
  gint64 incident;
  guint other;      /* whose ticks it waits for */
} Seeing;

/* The console shows the other's last ticks (every item of its done, by it). */
static gboolean
sees_ticks (gpointer data)
{
  Seeing *seeing = data;
  SitrepIncident *incident = sitrep_incident_manager_find (seeing->session->incidents,
                                                           seeing->incident);

  if (incident == NULL)
    return FALSE;
  for (guint k = 0; k < 3; k++)
    {
      const SitrepChecklistTick *tick = sitrep_incident_get_tick (incident,
                                                                  items[seeing->other][k]);

      if (tick == NULL || !tick->done || g_strcmp0 (tick->done_by, names[seeing->other]) != 0)
        return FALSE;
    }
  return TRUE;
}

/* The environment with this test's own folders (G_TEST_OPTION_ISOLATE_DIRS sets them in GLib
 * only): a program started from here finds the audit anchors and journals written here. */
static char **
isolated_environ (void)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "HOME", g_get_home_dir (), TRUE);
  env = g_environ_setenv (env, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  return env;
}

/* `sitrep audit verify` on the team database: its exit status, with what it said. */
static int
audit_verify (const char *uri,
              char      **said)
{
  const char *argv[] = { g_getenv ("SITREP_BIN"), "audit", "verify", "--database", uri, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_auto(GStrv) env = isolated_environ ();

  g_assert_nonnull (argv[0]);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  *said = g_strconcat (out, err, NULL);
  g_test_message ("sitrep audit verify: %s", *said);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The notes of @author on the server, in the order the server keeps them, one a line. */
static char *
notes_by (PgTestDatabase *db,
          gint64          incident,
          const char     *author)
{
  g_autofree char *sql = g_strdup_printf ("SELECT string_agg (text, E'\\n' ORDER BY id)"
                                          " FROM timeline_events WHERE incident_id = %"
                                          G_GINT64_FORMAT " AND kind = 'note' AND author = '%s'",
                                          incident, author);

  return pg_test_database_query (db, sql);
}

typedef struct
{
  SitrepSession *session;
  gint64 incident;
} Knowing;

static gboolean
knows_incident (gpointer data)
{
  Knowing *knowing = data;

  return sitrep_incident_manager_find (knowing->session->incidents, knowing->incident) != NULL;
}

static gint64
declare (SitrepSession *session)
{
  TeamWaiting waiting = { 0 };

  waiting.pending++;
  sitrep_incident_manager_declare_async (session->incidents, "P1", "Dispatch queue stuck",
                                         "Depots see no new labels", "alpha", NULL, NULL, NULL,
                                         team_test_declared_cb, &waiting);
  team_test_wait_for_all (&waiting);
  g_assert_cmpint (waiting.declared, >, 0);
  return waiting.declared;
}

/* Two consoles tick items, add notes and record commands at the same moment on one incident:
 * every write is kept, each console's in the order it made them, each console shows the
 * other's ticks, and the audit chain is one valid chain. */
static void
test_together (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_consoles", TRUE);
  SitrepSession *consoles[2] = { NULL, NULL };
  g_autofree char *said = NULL;
  TeamWaiting waiting = { 0 };
  gint64 incident;
  gint64 started;

  for (guint c = 0; c < 2; c++)
    {
      consoles[c] = open_session (db->uri);
      wait_until (session_ready, consoles[c], 60, "the console to open on the team database");
      /* One after the other: the first makes the key, the second finds it. */
      load_key (consoles[c]);
    }
  incident = declare (consoles[0]);
  {
    Knowing knowing = { consoles[1], incident };

    wait_until (knows_incident, &knowing, 60, "the other console to learn of the incident");
  }

  started = g_get_monotonic_time ();
  for (guint i = 0; i < N_WRITES; i++)
    for (guint c = 0; c < 2; c++)
      queue_writes (consoles[c], c, incident, i, &waiting);
  team_test_wait_for_all (&waiting);
  g_assert_cmpuint (waiting.journaled, ==, 0);
  g_test_message ("%u writes from each console in %.1f s", 3 * N_WRITES,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  /* Each console shows the other's ticks, told by the server. */
  for (guint c = 0; c < 2; c++)
    {
      Seeing seeing = { consoles[c], incident, 1 - c };

      wait_until (sees_ticks, &seeing, 60, "the other console's ticks to be shown");
    }

  /* Every note, each console's in its order. */
  for (guint c = 0; c < 2; c++)
    {
      g_autofree char *notes = notes_by (db, incident, names[c]);
      g_autoptr(GString) expected = g_string_new (NULL);

      for (guint i = 0; i < N_WRITES; i++)
        g_string_append_printf (expected, "%s%s %04u", i > 0 ? "\n" : "", names[c], i);
      g_assert_cmpstr (notes, ==, expected->str);
    }
  {
    g_autofree char *entries = pg_test_database_query (db, "SELECT count(*) FROM audit_log");
    g_autofree char *expected = g_strdup_printf ("%u", 2 * N_WRITES);

    g_assert_cmpstr (entries, ==, expected);
  }
  g_assert_cmpint (audit_verify (db->uri, &said), ==, 0);

  for (guint c = 0; c < 2; c++)
    {
      sitrep_session_close (consoles[c]);
      g_object_unref (consoles[c]);
    }
}

/* The console that is killed: a session of its own writing notes, ticks and audit entries, one
 * at a time, printing the number of each written until it is killed. */
static int
run_console (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, " ", 2);
  g_autoptr(SitrepSession) session = NULL;
  gint64 incident;

  if (g_strv_length (parts) != 2)
    return 2;
  /* Not left writing should the test fail before it kills this console. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  incident = g_ascii_strtoll (parts[1], NULL, 10);
  session = open_session (parts[0]);
  wait_until (session_ready, session, 60, "the console to open on the team database");
  load_key (session);
  for (guint i = 0;; i++)
    {
      TeamWaiting waiting = { 0 };

      queue_writes (session, 1, incident, i, &waiting);
      team_test_wait_for_all (&waiting);
      g_print ("%u\n", i);
    }
  return 0;
}

/* A console killed with SIGKILL while it writes: the other finds a consistent incident (every
 * write the killed one was told of is there, with nothing missing before it), shows it, goes on
 * writing, and the audit chain stays valid. */
static void
test_killed (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_consoles_killed", TRUE);
  g_autoptr(SitrepSession) alive = NULL;
  g_autoptr(GSubprocess) killed = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *spec = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *said = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  TeamWaiting waiting = { 0 };
  guint told = 0;
  gint64 incident;

  alive = open_session (db->uri);
  wait_until (session_ready, alive, 60, "the console to open on the team database");
  load_key (alive);
  incident = declare (alive);

  spec = g_strdup_printf ("%s %" G_GINT64_FORMAT, db->uri, incident);
  {
    g_auto(GStrv) env = isolated_environ ();

    g_subprocess_launcher_set_environ (launcher, env);
  }
  g_subprocess_launcher_setenv (launcher, "SITREP_TEST_CONSOLE", spec, TRUE);
  killed = g_subprocess_launcher_spawn (launcher, &error, exe, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (killed));
  /* The other console writes as well meanwhile. */
  for (guint i = 0; told < 60; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (!g_ascii_isdigit (line[0]))
        continue;
      told = (guint) g_ascii_strtoull (line, NULL, 10) + 1;
      queue_writes (alive, 0, incident, i, &waiting);
    }
  g_subprocess_send_signal (killed, SIGKILL);
  g_subprocess_wait (killed, NULL, &error);
  g_assert_no_error (error);
  team_test_wait_for_all (&waiting);

  /* Every note it was told of is there, and none is missing before the last one written. */
  notes = notes_by (db, incident, names[1]);
  lines = g_strsplit (notes, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, told);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%s %04u", names[1], i);

      g_assert_cmpstr (lines[i], ==, expected);
    }
  g_test_message ("%u writes told, %u notes on the server when killed", told,
                  g_strv_length (lines));

  /* The console alive shows the incident and goes on; the audit chain is whole (verified once
   * the console alive has appended: a console killed between an entry's commit and its anchor
   * leaves the anchor behind, which verify reports until the next append moves it). */
  g_assert_true (sitrep_incident_manager_reload (alive->incidents, incident, &error));
  g_assert_no_error (error);
  for (guint i = 60; i < 70; i++)
    queue_writes (alive, 0, incident, i, &waiting);
  team_test_wait_for_all (&waiting);
  g_assert_nonnull (sitrep_incident_manager_find (alive->incidents, incident));
  g_clear_pointer (&said, g_free);
  g_assert_cmpint (audit_verify (db->uri, &said), ==, 0);
  sitrep_session_close (alive);
}

int
main (int    argc,
      char **argv)
{
  const char *console = g_getenv ("SITREP_TEST_CONSOLE");

  /* The killed console: in the folders the test gave it, which are the test's. */
  if (console != NULL)
    {
      g_test_init (&argc, &argv, NULL);
      return run_console (console);
    }
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/team-consoles/together", test_together);
  g_test_add_func ("/team-consoles/killed", test_killed);
  return g_test_run ();
}
