/* test-team-actions.c: a console's commands on a team database whose server stops or stalls
 * (a PostgreSQL cluster of the test's own): records and timeline events through the writer */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "action-test-util.h"
#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-action-controller.h"
#include "sitrep-incident-manager.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-session.h"
#include "sitrep-store.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"
#include "team-test-util.h"
#include "sitrep-store-testing.h"

#define KEY "0123456789abcdef0123456789abcdef"

/* The command waits until the file it is given exists: the test decides when it ends. */
static const char runbook_text[] =
  "{ \"sitrep_runbook\": 1, \"name\": \"Team actions\","
  "  \"severities\": [{ \"id\": \"P1\", \"label\": \"Urgent\", \"response_target\": \"10m\" }],"
  "  \"environment\": { \"context\": \"team-test\", \"namespace\": \"batch\" },"
  "  \"services\": [{ \"id\": \"batch\", \"name\": \"Batch\", \"actions\": [\"drain\"] }],"
  "  \"actions\": [{ \"id\": \"drain\", \"label\": \"Drain the queue\","
  "                 \"argv\": [\"@PROGRAM@\", \"@GO@\"] }] }";

static const char program_text[] =
  "#!/bin/sh\n"
  "while [ ! -e \"$1\" ]; do sleep 0.02; done\n"
  "echo drained\n";

static SitrepRunbook *
load_runbook (const char *program,
              const char *go)
{
  g_autoptr(GString) text = g_string_new (runbook_text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook;

  g_string_replace (text, "@PROGRAM@", program, 1);
  g_string_replace (text, "@GO@", go, 1);
  bytes = g_bytes_new (text->str, text->len);
  runbook = sitrep_runbook_load_bytes (bytes, "team-actions.json", &problems, &error);
  g_assert_no_error (error);
  return runbook;
}

/* A console: its store on the team database with a journal, its incidents and its commands. */
typedef struct
{
  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepIncidentManager *manager;
  SitrepActionController *controller;
  guint recorded;           /* "event-recorded" for the incident */
  gint64 incident;
} Console;

static void
event_recorded_cb (SitrepActionController *controller,
                   gint64                  incident,
                   Console                *console)
{
  if (incident == console->incident)
    console->recorded++;
}

static void
console_open (Console    *console,
              const char *uri,
              const char *journal,
              const char *program,
              const char *go,
              gint64      incident)
{
  g_autoptr(GBytes) key = g_bytes_new_static (KEY, 32);
  g_autoptr(GError) error = NULL;

  console->incident = incident;
  console->store = sitrep_store_open (uri, &error);
  g_assert_no_error (error);
  sitrep_store_set_journal_path (console->store, journal);
  sitrep_store_set_audit_key (console->store, key);
  console->runbook = load_runbook (program, go);
  console->manager = sitrep_incident_manager_new (console->store, console->runbook, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sitrep_incident_manager_get_current (console->manager));
  g_assert_cmpint (sitrep_incident_get_id (sitrep_incident_manager_get_current (console->manager)),
                   ==, incident);
  console->controller = sitrep_action_controller_new (console->store, console->runbook,
                                                      console->manager, FALSE);
  sitrep_action_controller_set_author (console->controller, "ana");
  g_signal_connect (console->controller, "event-recorded", G_CALLBACK (event_recorded_cb),
                    console);
}

static void
console_close (Console *console)
{
  g_clear_object (&console->controller);
  g_clear_object (&console->manager);
  g_clear_object (&console->runbook);
  g_clear_object (&console->store);
}

static SitrepActionRun *
console_run (Console *console)
{
  return run_action (console->controller, console->runbook, "batch", "drain");
}

/* The test's files: the command, the file that ends it, the journal. */
typedef struct
{
  char *program;
  char *go;
  char *journal;
} Files;

static void
files_init (Files *files)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  files->program = g_build_filename (g_get_user_data_dir (), "drain-queue", NULL);
  files->go = g_build_filename (g_get_user_data_dir (), "go", NULL);
  files->journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_assert_true (g_file_set_contents (files->program, program_text, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (files->program, 0755), ==, 0);
  g_unlink (files->go);
}

static void
files_clear (Files *files)
{
  g_free (files->program);
  g_free (files->go);
  g_free (files->journal);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Files, files_clear)

static void
let_it_end (Files *files)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (files->go, "", 0, &error));
  g_assert_no_error (error);
}

static gint64
new_incident (PgTestCluster *cluster)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) other = sitrep_store_open (cluster->uri, &error);
  gint64 incident;

  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (other, "Team actions", "P1", "Exports wait",
                                           g_get_real_time (), &error);
  g_assert_no_error (error);
  return incident;
}

/* Whether the audit log on the server is whole, as `sitrep audit verify` says. */
static void
assert_audit_verifies (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) reader = sitrep_store_open (uri, &error);
  g_autoptr(GBytes) key = g_bytes_new_static (KEY, 32);
  g_autofree char *reason = NULL;
  gint64 broken = -1;
  gboolean ok;

  g_assert_no_error (error);
  sitrep_store_set_audit_key (reader, key);
  ok = sitrep_store_verify_audit (reader, &broken, &reason, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reason, ==, NULL);
  g_assert_true (ok);
}

/* The audit log on the server: "action outcome" of each entry, in order. */
static char *
audit_on_server (PgTestCluster *cluster)
{
  return pg_test_cluster_query (cluster, "SELECT string_agg (action_id || ' ' || outcome, ','"
                                         " ORDER BY id) FROM audit_log");
}

static char *
events_on_server (PgTestCluster *cluster,
                  const char    *kind)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM timeline_events"
                                          " WHERE kind = '%s'", kind);

  return pg_test_cluster_query (cluster, sql);
}

static gboolean
started_on_server (gpointer data)
{
  g_autofree char *audited = audit_on_server (data);
  g_autofree char *events = events_on_server (data, SITREP_TIMELINE_KIND_ACTION_STARTED);

  return g_strcmp0 (audited, "drain " SITREP_AUDIT_STARTED) == 0
         && g_strcmp0 (events, "1") == 0;
}

static gboolean
run_ended (gpointer data)
{
  return sitrep_action_run_get_outcome (data) != SITREP_OUTCOME_NONE;
}

static gboolean
two_kept (gpointer data)
{
  return sitrep_store_get_offline (data) && sitrep_store_get_pending_changes (data) == 2;
}

static gboolean
store_caught_up (gpointer data)
{
  SitrepStore *store = data;

  return !sitrep_store_get_offline (store) && sitrep_store_get_journal_problem (store) == NULL
         && sitrep_store_get_pending_changes (store) == 0;
}

static gboolean
recorded_twice (gpointer data)
{
  return ((Console *) data)->recorded == 2;
}

/* A command starts (its start on the server), the server stops, the command ends: its outcome
 * and the outcome's line on the timeline are kept in the journal, not lost with a warning; once
 * the server is back both are on it, the line once, and the console is told then. */
static void
test_outcome_offline (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_auto(Files) files = { 0 };
  g_autoptr(SitrepActionRun) run = NULL;
  g_autofree char *audited = NULL;
  g_autofree char *finished = NULL;
  Console console = { 0 };
  gint64 incident = new_incident (cluster);

  files_init (&files);
  console_open (&console, cluster->uri, files.journal, files.program, files.go, incident);
  sitrep_store_wait_for_writes (console.store);

  run = console_run (&console);
  wait_until (started_on_server, cluster, 60, "the command's start on the server");
  g_assert_true (sitrep_action_run_get_spawned (run));

  pg_test_cluster_stop (cluster);
  let_it_end (&files);
  wait_until (run_ended, run, 60, "the command to end");
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_SUCCEEDED);
  /* The outcome and its line: kept, not written, and nobody told they are on the timeline. */
  wait_until (two_kept, console.store, 60, "the outcome and its line kept");
  g_assert_cmpuint (console.recorded, ==, 1);

  pg_test_cluster_start (cluster);
  wait_until (store_caught_up, console.store, 60, "the journal written");
  wait_until (recorded_twice, &console, 60, "the console told of the outcome's line");
  audited = audit_on_server (cluster);
  g_assert_cmpstr (audited, ==, "drain " SITREP_AUDIT_STARTED ",drain " SITREP_AUDIT_SUCCEEDED);
  finished = events_on_server (cluster, SITREP_TIMELINE_KIND_ACTION_FINISHED);
  g_assert_cmpstr (finished, ==, "1");
  assert_audit_verifies (cluster->uri);
  console_close (&console);
}

typedef struct
{
  Console *console;
  SitrepActionRun *run;
} Starting;

static void
start_run (gpointer data)
{
  Starting *starting = data;

  starting->run = console_run (starting->console);
}

/* The server stalls (SIGSTOP) as a command is started: the main loop keeps turning while its
 * "started" entry waits for the server, the command is running but no process is; once the
 * server answers the entry is written and then the command runs. */
static void
test_start_stalled (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_auto(Files) files = { 0 };
  g_autofree char *audited = NULL;
  Console console = { 0 };
  Starting starting = { &console, NULL };
  gint64 incident = new_incident (cluster);
  TeamStall stall = { 0 };
  gboolean running, spawned;
  guint n_running;

  files_init (&files);
  let_it_end (&files);
  console_open (&console, cluster->uri, files.journal, files.program, files.go, incident);
  sitrep_store_wait_for_writes (console.store);

  team_test_stall_begin (&stall, cluster);
  g_idle_add_once (start_run, &starting);
  spin (TEAM_TEST_STALL_SECONDS * 1000 / 2);
  /* Starting: running (its window shows it, with Cancel), nothing spawned yet. */
  running = starting.run != NULL && sitrep_action_run_get_running (starting.run);
  spawned = starting.run != NULL && sitrep_action_run_get_spawned (starting.run);
  n_running = sitrep_action_controller_get_n_running (console.controller);
  team_test_stall_end (&stall);
  g_assert_true (running);
  g_assert_false (spawned);
  g_assert_cmpuint (n_running, ==, 1);

  wait_until (run_ended, starting.run, 60, "the command to end");
  g_assert_cmpint (sitrep_action_run_get_outcome (starting.run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_assert_true (sitrep_action_run_get_spawned (starting.run));
  wait_until (store_caught_up, console.store, 60, "the writes");
  wait_until (recorded_twice, &console, 60, "the start's and the outcome's lines");
  audited = audit_on_server (cluster);
  g_assert_cmpstr (audited, ==, "drain " SITREP_AUDIT_STARTED ",drain " SITREP_AUDIT_SUCCEEDED);
  assert_audit_verifies (cluster->uri);
  g_clear_object (&starting.run);
  console_close (&console);
}

static gboolean
started_closed (gpointer data)
{
  g_autofree char *audited = audit_on_server (data);

  return g_strcmp0 (audited, "drain " SITREP_AUDIT_STARTED ",drain " SITREP_AUDIT_CANCELLED) == 0;
}

/* The server stalls as a command is started, and the user cancels it while its start waits
 * for the server: the run ends at once, cancelled, and nothing runs; once the server answers,
 * the "started" entry it got is closed as cancelled, and the timeline has no line of it. */
static void
test_cancel_while_starting (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_auto(Files) files = { 0 };
  g_autofree char *events = NULL;
  Console console = { 0 };
  Starting starting = { &console, NULL };
  gint64 incident = new_incident (cluster);
  GThread *resume;

  /* No "go": a command that started would never end. */
  files_init (&files);
  console_open (&console, cluster->uri, files.journal, files.program, files.go, incident);
  sitrep_store_wait_for_writes (console.store);

  pg_test_cluster_pause (cluster);
  resume = g_thread_new ("resume", team_test_resume_later, cluster);
  start_run (&starting);
  spin (500);
  g_assert_true (sitrep_action_run_get_running (starting.run));
  g_assert_false (sitrep_action_run_get_spawned (starting.run));
  sitrep_action_run_cancel (starting.run);
  g_assert_cmpint (sitrep_action_run_get_outcome (starting.run), ==, SITREP_OUTCOME_CANCELLED);
  g_assert_false (sitrep_action_run_get_running (starting.run));
  g_thread_join (resume);

  wait_until (started_closed, cluster, 60, "the start written, and closed as cancelled");
  wait_until (store_caught_up, console.store, 60, "the writes");
  g_assert_false (sitrep_action_run_get_spawned (starting.run));
  assert_audit_verifies (cluster->uri);
  events = pg_test_cluster_query (cluster, "SELECT count(*) FROM timeline_events"
                                           " WHERE kind LIKE 'action-%'");
  g_assert_cmpstr (events, ==, "0");
  g_assert_cmpuint (console.recorded, ==, 0);
  g_clear_object (&starting.run);
  console_close (&console);
}

static gboolean
session_ready (gpointer data)
{
  SitrepSession *session = data;
  SitrepStore *store = sitrep_session_get_store (session);

  return sitrep_session_get_incidents (session) != NULL
         && sitrep_session_get_actions (session) != NULL && store != NULL
         && sitrep_store_get_audit_key (store) != NULL;
}

/* The commander quits while a command's start waits for a stalled team database: the command
 * is cancelled and nothing runs; the start, which the server takes only after, is closed as
 * cancelled before the console is gone (no main loop turns after it quits), not left open
 * for the next start to call "never finished". */
static void
test_quit_while_starting (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_auto(Files) files = { 0 };
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SitrepSession) session = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepActionRun) run = NULL;
  g_autofree char *audited = NULL;
  g_autofree char *events = NULL;
  GThread *resume;

  new_incident (cluster);
  /* No "go": a command that started would never end. */
  files_init (&files);
  settings = g_settings_new (APP_ID);
  session = sitrep_session_new (settings);
  runbook = load_runbook (files.program, files.go);
  sitrep_session_pause_probes (session);
  sitrep_session_set_runbook (session, runbook);
  sitrep_session_trust_runbook (session, runbook);
  sitrep_session_open_store (session, cluster->uri);
  wait_until (session_ready, session, 60, "the team database, its incidents and the audit key");
  sitrep_store_wait_for_writes (sitrep_session_get_store (session));

  pg_test_cluster_pause (cluster);
  resume = g_thread_new ("resume", team_test_resume_later, cluster);
  run = run_action (sitrep_session_get_actions (session), runbook, "batch", "drain");
  spin (500);
  g_assert_true (sitrep_action_run_get_running (run));
  g_assert_false (sitrep_action_run_get_spawned (run));

  sitrep_session_close (session);
  g_thread_join (resume);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_CANCELLED);
  g_assert_false (sitrep_action_run_get_spawned (run));
  audited = audit_on_server (cluster);
  g_assert_cmpstr (audited, ==, "drain " SITREP_AUDIT_STARTED ",drain " SITREP_AUDIT_CANCELLED);
  events = pg_test_cluster_query (cluster, "SELECT count(*) FROM timeline_events"
                                           " WHERE kind LIKE 'action-%'");
  g_assert_cmpstr (events, ==, "0");
}

static gboolean
is_offline (gpointer data)
{
  return sitrep_store_get_offline (data);
}

/* The server is down as a command is started: nothing runs, at once, and the run says why,
 * where and what to do; the journal keeps no start for it, and nothing of it reaches the
 * server once it is back. */
static void
test_start_unreachable (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_auto(Files) files = { 0 };
  g_autoptr(SitrepActionRun) run = NULL;
  g_autofree char *audited = NULL;
  g_autofree char *output = NULL;
  Console console = { 0 };
  gint64 incident = new_incident (cluster);

  files_init (&files);
  let_it_end (&files);
  console_open (&console, cluster->uri, files.journal, files.program, files.go, incident);
  sitrep_store_wait_for_writes (console.store);

  pg_test_cluster_stop (cluster);
  run = console_run (&console);
  wait_until (run_ended, run, 30, "the command refused");
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_FAILED);
  g_assert_false (sitrep_action_run_get_spawned (run));
  output = g_strdup (sitrep_action_run_get_output (run));
  g_test_message ("%s", output);
  g_assert_nonnull (strstr (output, "was not run"));
  g_assert_nonnull (strstr (output, cluster->uri));
  g_assert_nonnull (strstr (output, "try it again"));
  wait_until (is_offline, console.store, 30, "the console to say it is offline");
  g_assert_cmpuint (sitrep_store_get_pending_changes (console.store), ==, 0);

  pg_test_cluster_start (cluster);
  wait_until (store_caught_up, console.store, 60, "the server back");
  audited = audit_on_server (cluster);
  g_assert_null (audited);
  g_assert_cmpuint (console.recorded, ==, 0);
  console_close (&console);
}

/* The console of the restart test's first half, in a process of its own (the test's program
 * run again): it starts the command, which the test lets end after stopping the server; once
 * its outcome and the outcome's line are kept in the journal the console closes. */
static gboolean
console_done (gpointer data)
{
  Console *console = data;

  return console->controller != NULL
         && sitrep_action_controller_get_n_running (console->controller) == 0
         && sitrep_store_get_pending_changes (console->store) == 2;
}

static int
run_console (char **argv)
{
  Console console = { 0 };
  g_autoptr(SitrepActionRun) run = NULL;

  /* URI JOURNAL PROGRAM GO INCIDENT */
  console_open (&console, argv[0], argv[1], argv[2], argv[3],
                g_ascii_strtoll (argv[4], NULL, 10));
  sitrep_store_wait_for_writes (console.store);
  run = console_run (&console);
  wait_until (console_done, &console, 60, "the outcome kept");
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_clear_object (&run);
  console_close (&console);
  return 0;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  char *err;
} Exit;

static void
console_exited_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Exit *exit = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &out, &err, &error);
  g_assert_no_error (error);
  exit->err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  exit->ok = g_subprocess_get_successful (G_SUBPROCESS (source));
  exit->done = TRUE;
}

static gboolean
has_exited (gpointer data)
{
  return ((Exit *) data)->done;
}

typedef struct
{
  SitrepActionController *controller;
  gint64 closed;
} Closing;

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Closing *closing = user_data;
  g_autoptr(GError) error = NULL;

  closing->closed = sitrep_action_controller_close_unfinished_finish (
    SITREP_ACTION_CONTROLLER (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
closing_done (gpointer data)
{
  return ((Closing *) data)->closed >= 0;
}

/* A console starts a command (its start on the server); the server stops; the command ends
 * (its outcome kept in the console's journal); the console closes. A new console opens with
 * the server back: it replays the journal before it closes the commands a stopped Sitrep left
 * unfinished, so the log shows the real outcome and not "never finished", verifies, and the
 * timeline has the outcome's line once. */
static void
test_restart_kept_outcome (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_auto(Files) files = { 0 };
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *incident_text = NULL;
  g_autofree char *audited = NULL;
  g_autofree char *finished = NULL;
  g_autofree char *never = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GError) error = NULL;
  Console console = { 0 };
  Exit exit = { 0 };
  Closing closing = { NULL, -1 };
  gint64 incident = new_incident (cluster);

  files_init (&files);
  incident_text = g_strdup_printf ("%" G_GINT64_FORMAT, incident);
  g_assert_nonnull (self_exe);
  /* A console of the same user on the same computer: its home and folders are this test's
   * (the audit log's anchor is kept there). */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  first = g_subprocess_launcher_spawn (launcher, &error, self_exe, "--console", cluster->uri,
                                       files.journal, files.program, files.go, incident_text,
                                       NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_async (first, NULL, NULL, console_exited_cb, &exit);

  wait_until (started_on_server, cluster, 60, "the command's start on the server");
  pg_test_cluster_stop (cluster);
  let_it_end (&files);
  wait_until (has_exited, &exit, 90, "the first console to close");
  if (exit.err != NULL && *exit.err != '\0')
    g_test_message ("the first console said: %s", exit.err);
  g_assert_true (exit.ok);

  pg_test_cluster_start (cluster);
  console_open (&console, cluster->uri, files.journal, files.program, files.go, incident);
  /* After what the controller did when it was made (the same, queued first). */
  closing.controller = console.controller;
  sitrep_action_controller_close_unfinished_async (console.controller, NULL, closed_cb, &closing);
  wait_until (closing_done, &closing, 60, "the unfinished commands closed");
  wait_until (store_caught_up, console.store, 60, "the journal written");

  audited = audit_on_server (cluster);
  g_assert_cmpstr (audited, ==, "drain " SITREP_AUDIT_STARTED ",drain " SITREP_AUDIT_SUCCEEDED);
  assert_audit_verifies (cluster->uri);
  finished = events_on_server (cluster, SITREP_TIMELINE_KIND_ACTION_FINISHED);
  g_assert_cmpstr (finished, ==, "1");
  never = events_on_server (cluster, SITREP_TIMELINE_KIND_ACTION_NEVER_FINISHED);
  g_assert_cmpstr (never, ==, "0");
  console_close (&console);
  g_free (exit.err);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 7 && g_str_equal (argv[1], "--console"))
    return run_console (argv + 2);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/team-actions/outcome-offline", test_outcome_offline);
  g_test_add_func ("/team-actions/start-stalled", test_start_stalled);
  g_test_add_func ("/team-actions/cancel-while-starting", test_cancel_while_starting);
  g_test_add_func ("/team-actions/quit-while-starting", test_quit_while_starting);
  g_test_add_func ("/team-actions/start-unreachable", test_start_unreachable);
  g_test_add_func ("/team-actions/restart-kept-outcome", test_restart_kept_outcome);

  return g_test_run ();
}
