/* test-cli-drill-replay.c: `sitrep drill --replay INCIDENT`: a recorded incident's health
 * history played again, watched through `sitrep probe` */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fixture-incident.h"
#include "fixture-runbook.h"
#include "pg-test-util.h"
#include "run-test-util.h"
#include "sitrep-condition-eval.h"
#include "sitrep-reason.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store.h"

#define MIN_US ((gint64) 60 * G_USEC_PER_SEC)

static void
sitrep (TestRun    *run,
        const char *first,
        ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  va_list args;

  g_strv_builder_add (builder, g_getenv ("SITREP_BIN"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);
  test_run_argv (run, (const char *const *) argv, 120);
}

static char *
database_path (void)
{
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_data_dir (), "sitrep.db", NULL);
}

/* An incident of Northwind's, declared at @declared, resolved @minutes later. */
static gint64
record_incident (SitrepStore *store,
                 gint64       declared,
                 gint64       minutes)
{
  g_autoptr(SitrepRunbook) northwind = fixture_runbook_load (NULL);
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GError) error = NULL;
  const char *services[] = { "gateway", NULL };
  gint64 id;

  id = fixture_declare_incident (store, northwind, "P1", "Labels do not print", NULL, "alice",
                                 NULL, services, declared, &error);
  g_assert_no_error (error);
  incident = sitrep_store_load_incident (store, id, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_set_status (store, incident, SITREP_STATUS_RESOLVED,
                                          declared + minutes * MIN_US, "alice", &error));
  g_assert_no_error (error);
  return id;
}

static void
end_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **line = user_data;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                     NULL);
  if (*line == NULL)
    *line = g_strdup ("(end of output)");
}

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* What `sitrep probe --json` says of the gateway: its state. */
static char *
probe_gateway (const char *runbook,
               char      **reason)
{
  g_auto(TestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *first;

  sitrep (&run, "probe", "--runbook", runbook, "--service", "gateway", "--json", NULL);
  root = json_from_string (run.out, NULL);
  if (root == NULL)
    g_test_message ("sitrep probe: %s%s", run.out, run.err);
  g_assert_nonnull (root);
  first = json_array_get_object_element (json_node_get_array (root), 0);
  if (reason != NULL)
    *reason = g_strdup (json_object_get_null_member (first, "reason")
                          ? "" : json_object_get_string_member (first, "reason"));
  return g_strdup (json_object_get_string_member (first, "state"));
}

/* Why the probe said the gateway was down, as the monitor records it: its condition
 * "[STATUS] == 200" judged against an answer of @status. */
static SitrepReason *
status_failed (int status)
{
  g_autoptr(SitrepCondition) condition = sitrep_condition_parse ("[STATUS] == 200", NULL, NULL);
  g_autoptr(SitrepProbeResult) result = sitrep_probe_result_new ();
  SitrepReason *why = NULL;

  g_assert_nonnull (condition);
  result->ran = result->connected = TRUE;
  result->status = status;
  g_assert_false (sitrep_condition_evaluate (condition, result, NULL, &why));
  g_assert_nonnull (why);
  return why;
}

/* What the replay serves for the gateway now (the URL of its probe in the replay's runbook):
 * why it was not up, as the replay words it, or "" when the gateway was up. */
static char *
replayed_error (const char *runbook)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) served = NULL;
  JsonArray *services;
  const char *url = NULL;

  g_assert_true (json_parser_load_from_file (parser, runbook, &error));
  g_assert_no_error (error);
  services = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "services");
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);

      if (g_str_equal (json_object_get_string_member (service, "id"), "gateway"))
        url = json_object_get_string_member (
          json_array_get_object_element (json_object_get_array_member (service, "probes"), 0),
          "url");
    }
  g_assert_nonnull (url);
  msg = soup_message_new ("GET", url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  served = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (served),
                                                               "error", ""));
}

/* The gateway was down for 8 recorded minutes (its probe said why, in English and as data),
 * then up for 10: replayed @speed times faster in @language (NULL: English), `sitrep probe` sees
 * it down, then up, in that order, and never the other way round; while it is down, the replay
 * serves why in its own language (@expected). The ledger, of which nothing was kept, is not
 * part of the replay. */
static void
replay_from (const char *database,
             const char *speed,
             const char *language,
             const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "replay", NULL);
  g_autofree char *runbook = g_build_filename (dir, "runbook.json", NULL);
  g_autofree char *number = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (database, &error);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) replay = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *first_reason = NULL;
  g_autofree char *served = NULL;
  g_auto(TestRun) ledger = { 0 };
  gint64 declared = g_get_real_time () - 2 * 60 * MIN_US;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  gboolean done = FALSE;
  g_autoptr(SitrepReason) why = status_failed (503);
  g_autofree char *packed = sitrep_reason_pack (why);
  gint64 id;

  g_assert_no_error (error);
  id = record_incident (store, declared, 18);
  /* What the console kept: a sample every 30 s, through the store's own API. */
  for (gint64 at = declared; at <= declared + 18 * MIN_US; at += 30 * G_USEC_PER_SEC)
    {
      gboolean down = at < declared + 8 * MIN_US;
      SitrepHealthSample sample = { "gateway", "health", at, down ? "down" : "up",
                                    down ? -1 : 40,
                                    down ? sitrep_reason_to_string (why) : NULL,
                                    down ? packed : NULL };

      g_assert_true (sitrep_store_add_health (store, &sample, 1, NULL, 0, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&store);

  number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, end_with_test, NULL, NULL);
  if (language != NULL)
    {
      /* LANGUAGE is honoured with any locale but C. */
      g_subprocess_launcher_setenv (launcher, "LANGUAGE", language, TRUE);
      g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
    }
  replay = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SITREP_BIN"), "drill",
                                        "--replay", number, "--database", database, "--dir", dir,
                                        "--speed", speed, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (replay));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_cb, &line);
  while (line == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (line, ==, "ready");

  /* The replay lasts 36 s at 30 times (the gateway down for the first 16 s); watch until the
   * gateway is up (or the test gives up). */
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *reason = NULL;
      char *state = probe_gateway (runbook, &reason);

      if (seen->len == 0 || !g_str_equal (seen->pdata[seen->len - 1], state))
        {
          g_ptr_array_add (seen, state);
          if (seen->len == 1)
            {
              first_reason = g_steal_pointer (&reason);
              served = replayed_error (runbook);
            }
        }
      else
        g_free (state);
      if (g_str_equal (seen->pdata[seen->len - 1], "up"))
        break;
    }
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (seen->pdata[0], ==, "down");
  g_assert_cmpstr (seen->pdata[1], ==, "up");
  g_assert_nonnull (strstr (first_reason, "503"));
  /* Still down when it was asked: served at most a second of replayed time later. */
  g_test_message ("the replay serves: %s", served);
  g_assert_cmpstr (served, ==, expected);

  /* Nothing was kept of the ledger: the replay says so instead of failing. */
  sitrep (&ledger, "probe", "--runbook", runbook, "--service", "ledger", NULL);
  g_assert_nonnull (strstr (ledger.out, "not part of this drill"));

  g_subprocess_send_signal (replay, SIGTERM);
  g_subprocess_wait_async (replay, NULL, waited_cb, &done);
  while (!done && g_get_monotonic_time () < deadline + 30 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done);
  g_assert_true (g_subprocess_get_if_exited (replay));
  g_assert_cmpint (g_subprocess_get_exit_status (replay), ==, 0);
}

static void
test_replay (void)
{
  g_autofree char *database = database_path ();

  replay_from (database, "30", "de", "Status 503, erwartet wurde 200");
}

/* The same replay of an incident kept on a team database (the password from PGPASSFILE), 40
 * times faster, in English. */
static void
test_replay_team (void)
{
  g_autoptr(PgTestDatabase) team = pg_test_database_new ("sitrep_replay", TRUE);

  replay_from (team->uri, "40", NULL, "status 503, expected 200");
}

/* An incident that is not there, one with nothing kept of its time, and a command line that
 * makes no sense: each says what is wrong and what to do, with its exit status. */
static void
test_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = database_path ();
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "bad", NULL);
  g_autoptr(SitrepStore) store = sitrep_store_open (database, &error);
  g_auto(TestRun) unknown = { 0 };
  g_auto(TestRun) silent = { 0 };
  g_auto(TestRun) word = { 0 };
  g_auto(TestRun) no_dir = { 0 };
  g_auto(TestRun) both = { 0 };
  g_autofree char *number = NULL;
  gint64 declared = g_get_real_time () - 2 * 60 * MIN_US;
  SitrepHealthSample before = { "gateway", "health", declared - 3 * 60 * MIN_US, "down", -1,
                                "refused" };
  gint64 id;

  g_assert_no_error (error);
  id = record_incident (store, declared, 18);
  /* A sample from long before: not of this incident's time. */
  g_assert_true (sitrep_store_add_health (store, &before, 1, NULL, 0, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  sitrep (&unknown, "drill", "--replay", "99", "--database", database, "--dir", dir, NULL);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "99"));
  g_assert_cmpstr (unknown.out, ==, "");

  sitrep (&silent, "drill", "--replay", number, "--database", database, "--dir", dir, NULL);
  g_assert_cmpint (silent.status, ==, 1);
  g_assert_nonnull (strstr (silent.err, "has no health samples from"));
  g_assert_cmpstr (silent.out, ==, "");
  /* Nothing was written for a replay that did not start. */
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  sitrep (&word, "drill", "--replay", "last-week", "--database", database, "--dir", dir, NULL);
  g_assert_cmpint (word.status, ==, 2);
  g_assert_nonnull (strstr (word.err, "“last-week” is not an incident number"));

  sitrep (&no_dir, "drill", "--replay", number, "--database", database, NULL);
  g_assert_cmpint (no_dir.status, ==, 2);
  g_assert_nonnull (strstr (no_dir.err, "--replay needs --dir DIR"));

  sitrep (&both, "drill", "serve", "api-down", "--replay", number, "--dir", dir, NULL);
  g_assert_cmpint (both.status, ==, 2);
  g_assert_nonnull (strstr (both.err, "--replay takes no scenario"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/drill-replay/down-then-up", test_replay);
  g_test_add_func ("/drill-replay/team", test_replay_team);
  g_test_add_func ("/drill-replay/bad-input", test_bad_input);

  return g_test_run ();
}
