/* test-cli-drill.c: `sitrep drill`: each scenario served at speed, then probed, mitigated wrongly
 * and rightly with the drill runbook's own actions, through the real kubectl and redis-cli */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "run-test-util.h"
#include "sitrep-action-request.h"
#include "sitrep-argv.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-runbook.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store.h"

/* Fast enough for a test, slow enough to watch each stage: 40 simulated seconds to the outage
 * take two real ones. */
#define SPEED "20"

static void
sitrep (TestRun        *run,
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

static void
pause_for (int seconds)
{
  gint64 until = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (20000);
    }
}

typedef struct
{
  GSubprocess *serve;
  char *dir;
  char *runbook_path;
  SitrepRunbook *runbook;
  guint redis_port;
  guint pg_port;
} Drill;

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                     &error);
  if (*line == NULL)
    *line = g_strdup (error ? error->message : "(end of output)");
}

/* The port a probe of @service aims at. */
static guint
probe_port (SitrepRunbook *runbook,
            const char    *service,
            const char    *probe)
{
  const SitrepService *s = sitrep_runbook_find_service (runbook, service);

  for (guint i = 0; s != NULL && i < s->probes->len; i++)
    {
      const SitrepProbeSpec *spec = s->probes->pdata[i];

      if (g_str_equal (spec->id, probe))
        {
          const char *port = spec->conninfo ? strstr (spec->conninfo, "port=") : NULL;

          return port ? (guint) g_ascii_strtoull (port + 5, NULL, 10) : spec->port;
        }
    }
  return 0;
}

static void
end_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* @path: (nullable): the PATH the drill runs with, to leave out a server */
static void
drill_start_with_path (Drill      *drill,
                       const char *scenario,
                       const char *path)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *line = NULL;
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  const SitrepEnvironment *env;

  /* GLib points HOME at /dev/null for isolated tests; kubectl wants one for its cache. */
  g_assert_true (g_mkdir_with_parents (g_get_home_dir (), 0700) == 0);
  g_setenv ("HOME", g_get_home_dir (), TRUE);
  /* Only the runbook's own commands may lead kubectl to the drill. */
  g_unsetenv ("KUBECONFIG");
  drill->dir = g_build_filename (g_get_user_cache_dir (), scenario, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  if (path != NULL)
    g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  /* A failed assertion aborts the test: the drill (and its servers) must not outlive it. */
  g_subprocess_launcher_set_child_setup (launcher, end_with_test, NULL, NULL);
  drill->serve = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SITREP_BIN"), "drill",
                                              "serve", scenario, "--dir", drill->dir, "--speed",
                                              SPEED, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (drill->serve));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_cb, &line);
  while (line == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (line, ==, "ready");

  drill->runbook_path = g_build_filename (drill->dir, "runbook.json", NULL);
  file = g_file_new_for_path (drill->runbook_path);
  drill->runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
  g_assert_no_error (error);
  env = sitrep_runbook_get_environment (drill->runbook);
  g_assert_true (env->drill);
  g_assert_cmpstr (env->context, ==, "drill-carecircle");
  /* The score counts the time to declare from the scenario's start, which the runbook says. */
  g_assert_cmpint (env->drill_started_at, >, g_get_real_time () - 600 * G_USEC_PER_SEC);
  g_assert_cmpint (env->drill_started_at, <=, g_get_real_time ());
  drill->redis_port = probe_port (drill->runbook, "redis", "ping");
  drill->pg_port = probe_port (drill->runbook, "database", "postgres");
  /* The test session has both servers: neither may be missing from the drill, unless the
   * test hid one. */
  if (path == NULL)
    g_assert_cmpuint (drill->redis_port, >, 0);
  g_assert_cmpuint (drill->pg_port, >, 0);
}

static void
drill_start (Drill      *drill,
             const char *scenario)
{
  drill_start_with_path (drill, scenario, NULL);
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

static gboolean
port_answers (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, 2);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

/* The scratch folder (the servers' data) of the drill served by @serve. */
static char *
scratch_of (GSubprocess *serve)
{
  const char *pid = g_subprocess_get_identifier (serve);
  g_autoptr(GDir) tmp = g_dir_open (g_get_tmp_dir (), 0, NULL);

  for (const char *name = g_dir_read_name (tmp); name != NULL; name = g_dir_read_name (tmp))
    {
      g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
      g_autofree char *pid_path = g_build_filename (path, "pid", NULL);
      g_autofree char *text = NULL;

      if (g_str_has_prefix (name, "sitrep-drill-")
          && g_file_get_contents (pid_path, &text, NULL, NULL) && atoi (text) == atoi (pid))
        return g_steal_pointer (&path);
    }
  return NULL;
}

/* SIGTERM: the drill ends with status 0, and so does everything it started. */
static void
drill_stop (Drill *drill)
{
  gboolean done = FALSE;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autofree char *pid = g_strdup (g_subprocess_get_identifier (drill->serve));
  g_autoptr(GDir) tmp = NULL;

  g_subprocess_send_signal (drill->serve, SIGTERM);
  g_subprocess_wait_async (drill->serve, NULL, waited_cb, &done);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done);
  g_assert_true (g_subprocess_get_if_exited (drill->serve));
  g_assert_cmpint (g_subprocess_get_exit_status (drill->serve), ==, 0);

  if (drill->redis_port != 0)
    g_assert_false (port_answers (drill->redis_port));
  g_assert_false (port_answers (drill->pg_port));
  /* Its scratch folder (the servers' data) is gone too. */
  tmp = g_dir_open (g_get_tmp_dir (), 0, NULL);
  for (const char *name = g_dir_read_name (tmp); name != NULL; name = g_dir_read_name (tmp))
    {
      g_autofree char *pid_path = g_build_filename (g_get_tmp_dir (), name, "pid", NULL);
      g_autofree char *text = NULL;

      if (g_str_has_prefix (name, "sitrep-drill-")
          && g_file_get_contents (pid_path, &text, NULL, NULL))
        g_assert_cmpint (atoi (text), !=, atoi (pid));
    }

  g_clear_object (&drill->serve);
  g_clear_object (&drill->runbook);
  g_clear_pointer (&drill->dir, g_free);
  g_clear_pointer (&drill->runbook_path, g_free);
}

/* What `sitrep probe --json` says of @service. */
static JsonNode *
probe_json (Drill      *drill,
            const char *service)
{
  g_auto(TestRun) run = { 0 };
  JsonNode *root;

  sitrep (&run, "probe", "--runbook", drill->runbook_path, "--service", service, "--json", NULL);
  root = json_from_string (run.out, NULL);
  if (root == NULL)
    g_test_message ("sitrep probe: %s%s", run.out, run.err);
  g_assert_nonnull (root);
  return root;
}

/* The state `sitrep probe` gives @service, and its reason. */
static char *
probe (Drill      *drill,
       const char *service,
       char      **reason)
{
  g_autoptr(JsonNode) root = probe_json (drill, service);
  JsonObject *first = json_array_get_object_element (json_node_get_array (root), 0);

  if (reason != NULL)
    *reason = g_strdup (json_object_get_null_member (first, "reason")
                          ? "" : json_object_get_string_member (first, "reason"));
  return g_strdup (json_object_get_string_member (first, "state"));
}

/* The error one probe of @service reports, "" when none. */
static char *
probe_error (Drill      *drill,
             const char *service,
             const char *probe_id)
{
  g_autoptr(JsonNode) root = probe_json (drill, service);
  JsonObject *first = json_array_get_object_element (json_node_get_array (root), 0);
  JsonArray *probes = json_object_get_array_member (first, "probes");

  for (guint i = 0; i < json_array_get_length (probes); i++)
    {
      JsonObject *one = json_array_get_object_element (probes, i);

      if (g_str_equal (json_object_get_string_member (one, "id"), probe_id))
        return g_strdup (json_object_get_null_member (one, "error")
                           ? "" : json_object_get_string_member (one, "error"));
    }
  g_assert_not_reached ();
}

static void
wait_for (Drill      *drill,
          const char *service,
          const char *state)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autofree char *last = NULL;
  g_autofree char *reason = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_clear_pointer (&last, g_free);
      g_clear_pointer (&reason, g_free);
      last = probe (drill, service, &reason);
      if (g_str_equal (last, state))
        return;
      pause_for (1);
    }
  g_test_message ("%s is %s (%s), not %s", service, last, reason, state);
  g_assert_cmpstr (last, ==, state);
}

/* A wrong mitigation: some simulated minutes later the service is still not up. */
static void
assert_still (Drill      *drill,
              const char *service,
              const char *state)
{
  g_autofree char *now = NULL;

  pause_for (4);
  now = probe (drill, service, NULL);
  g_assert_cmpstr (now, ==, state);
}

/* Runs a runbook action exactly as the console expands it (kubectl with the drill's context,
 * namespace and kubeconfig; redis-cli at the drill's Redis), and returns what it printed. */
static char *
act (Drill      *drill,
     const char *service_id,
     const char *action_id,
     const char *input,
     const char *value)
{
  const SitrepService *service = sitrep_runbook_find_service (drill->runbook, service_id);
  const SitrepAction *action = sitrep_runbook_find_action (drill->runbook, action_id);
  g_autoptr(GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(TestRun) run = { 0 };

  g_assert_nonnull (service);
  g_assert_nonnull (action);
  if (input != NULL)
    g_hash_table_insert (inputs, (char *) input, (char *) value);
  argv = sitrep_argv_expand ((const char *const *) action->argv, drill->runbook, service, inputs,
                             NULL, &error);
  g_assert_no_error (error);
  test_run_argv (&run, (const char *const *) argv, 120);
  if (run.status != 0)
    g_test_message ("%s: %s%s", action_id, run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  return g_steal_pointer (&run.out);
}

static void
assert_contains (const char *text,
                 const char *fragment)
{
  if (strstr (text, fragment) == NULL)
    g_test_message ("no \"%s\" in:\n%s", fragment, text);
  g_assert_nonnull (strstr (text, fragment));
}

/* The preview the console offers before a change: kubectl's server-side dry run, with the
 * drill's kubeconfig in front of the verb as in the command itself. */
static void
preview (Drill      *drill,
         const char *service_id,
         const char *action_id)
{
  const SitrepService *service = sitrep_runbook_find_service (drill->runbook, service_id);
  const SitrepAction *action = sitrep_runbook_find_action (drill->runbook, action_id);
  g_autoptr(SitrepActionRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kubeconfig = g_build_filename (drill->dir, "kubeconfig", NULL);
  const char *const *argv;
  g_auto(TestRun) run = { 0 };

  request = sitrep_action_request_new (drill->runbook, service, action, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  argv = sitrep_action_request_get_dry_run_argv (request);
  g_assert_nonnull (argv);
  g_assert_cmpstr (argv[5], ==, "--kubeconfig");
  g_assert_cmpstr (argv[6], ==, kubeconfig);
  g_assert_cmpstr (argv[7], ==, "patch");
  g_assert_true (g_strv_contains (argv, "--dry-run=server"));
  test_run_argv (&run, argv, 120);
  if (run.status != 0)
    g_test_message ("%s: %s%s", action_id, run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_list (void)
{
  g_auto(TestRun) text = { 0 };
  g_auto(TestRun) json = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  const char *const ids[] = {
    "api-down", "db-pool", "redis-memory", "worker-queue", "web-bad-deploy", "api-cpu"
  };

  sitrep (&text, "drill", "list", NULL);
  g_assert_cmpint (text.status, ==, 0);
  sitrep (&json, "drill", "list", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = json_from_string (json.out, NULL);
  g_assert_nonnull (root);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      JsonObject *scenario = json_array_get_object_element (array, i);
      g_autofree char *line = g_strdup_printf ("%s ", ids[i]);

      g_assert_cmpstr (json_object_get_string_member (scenario, "id"), ==, ids[i]);
      g_assert_cmpuint (strlen (json_object_get_string_member (scenario, "title")), >, 0);
      g_assert_cmpuint (strlen (json_object_get_string_member (scenario, "summary")), >, 20);
      g_assert_true (g_str_has_prefix (strstr (text.out, ids[i]), line));
    }
}

static void
test_usage (void)
{
  const struct
  {
    const char *args[6];
    const char *message;
  } cases[] = {
    { { "drill", NULL }, "list or serve?" },
    { { "drill", "serve", NULL }, "which scenario?" },
    { { "drill", "serve", "api-down", NULL }, "serve needs --dir DIR" },
    { { "drill", "serve", "no-such", "--dir", "/tmp/x", NULL }, "There is no drill scenario" },
    { { "drill", "serve", "api-down", "--dir", "/tmp/x", "--speed=0" },
      "The speed of a drill is from 1" },
    { { "drill", "list", "extra", NULL }, "list takes no other word" },
    { { "drill", "launch", NULL }, "“launch” is not a drill command" },
    { { "drill", "--speed", "fast", NULL }, "Cannot parse double value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(TestRun) run = { 0 };
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) argv = NULL;

      g_strv_builder_add (builder, g_getenv ("SITREP_BIN"));
      for (guint k = 0; k < G_N_ELEMENTS (cases[i].args) && cases[i].args[k]; k++)
        g_strv_builder_add (builder, cases[i].args[k]);
      argv = g_strv_builder_end (builder);
      test_run_argv (&run, (const char *const *) argv, 120);
      g_assert_cmpint (run.status, ==, 2);
      if (strstr (run.err, cases[i].message) == NULL)
        g_test_message ("%s", run.err);
      g_assert_nonnull (strstr (run.err, cases[i].message));
      g_assert_cmpstr (run.out, ==, "");
    }
  /* Nothing was started for a refused drill. */
  g_assert_false (g_file_test ("/tmp/x/runbook.json", G_FILE_TEST_EXISTS));
}

/* The runbook a drill writes passes `sitrep check`, and kubectl works with its kubeconfig
 * alone, as against a real cluster. */
static void
test_runbook_and_kubeconfig (void)
{
  Drill drill = { 0 };
  g_auto(TestRun) check = { 0 };
  g_auto(TestRun) pods = { 0 };
  g_autofree char *kubeconfig = NULL;
  const SitrepService *redis;

  drill_start (&drill, "api-cpu");
  sitrep (&check, "check", drill.runbook_path, NULL);
  g_assert_cmpint (check.status, ==, 0);
  g_assert_nonnull (strstr (check.out, "CareCircle (drill)"));
  /* Production's secrets are not asked for: the drill's servers have none. */
  redis = sitrep_runbook_find_service (drill.runbook, "redis");
  g_assert_null (((SitrepProbeSpec *) redis->probes->pdata[0])->secret);
  /* Every stakeholder message of a drill says so on its first line, wherever it is pasted. */
  g_assert_true (g_str_has_prefix (sitrep_runbook_find_template (drill.runbook,
                                                                 "initial-status")->body,
                                   "[DRILL] This is a practice exercise, not a real incident.\n"
                                   "🔴 INCIDENT DECLARED\n"));
  for (guint i = 0; i < sitrep_runbook_get_templates (drill.runbook)->len; i++)
    {
      const SitrepTemplate *template = sitrep_runbook_get_templates (drill.runbook)->pdata[i];

      g_assert_true (g_str_has_prefix (template->body, "[DRILL] ")
                     == (g_strcmp0 (template->id, "postmortem") != 0));
    }

  kubeconfig = g_build_filename (drill.dir, "kubeconfig", NULL);
  {
    const char *argv[] = { "kubectl", "--kubeconfig", kubeconfig, "get", "pods", NULL };

    test_run_argv (&pods, argv, 120);
  }
  g_assert_cmpint (pods.status, ==, 0);
  g_assert_true (g_regex_match_simple ("^carecircle-api-[0-9a-f]{8}-[a-z0-9]{5} +1/1 +Running",
                                       pods.out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^carecircle-workers-", pods.out, G_REGEX_MULTILINE, 0));

  /* An incident declared in the drill is practice: marked so, and out of the real list unless
   * asked for. */
  {
    g_autofree char *database = g_build_filename (drill.dir, "incidents.db", NULL);
    g_autoptr(SitrepRunbook) real = sitrep_runbook_load_default (NULL);
    g_autoptr(SitrepStore) store = sitrep_store_open (database, NULL);
    g_autoptr(SitrepDeclaration) in_drill = sitrep_declaration_new (
      drill.runbook, "SEV-2", "Practice: CPU high", "", "Dana", "", NULL, g_get_real_time (), NULL);
    g_autoptr(SitrepDeclaration) in_production = sitrep_declaration_new (
      real, "SEV-3", "Search slow", "", "Dana", "", NULL, g_get_real_time (), NULL);
    g_auto(TestRun) list = { 0 };
    g_auto(TestRun) all = { 0 };
    g_auto(TestRun) json = { 0 };

    g_assert_nonnull (store);
    g_assert_cmpint (sitrep_store_declare_incident (store, in_drill, NULL), >, 0);
    g_assert_cmpint (sitrep_store_declare_incident (store, in_production, NULL), >, 0);
    g_clear_object (&store);
    sitrep (&list, "incident", "list", "--database", database, NULL);
    g_assert_cmpint (list.status, ==, 0);
    assert_contains (list.out, "Search slow");
    g_assert_null (strstr (list.out, "CPU high"));
    sitrep (&all, "incident", "list", "--drills", "--database", database, NULL);
    g_assert_cmpint (all.status, ==, 0);
    assert_contains (all.out, "Search slow");
    assert_contains (all.out, "[Drill] Practice: CPU high");
    g_assert_null (strstr (all.out, "[Drill] Search slow"));
    sitrep (&json, "incident", "list", "--json", "--drills", "--database", database, NULL);
    g_assert_cmpint (json.status, ==, 0);
    assert_contains (json.out, "\"summary\" : \"Practice: CPU high\"");
    assert_contains (json.out, "\"drill\" : true");
    assert_contains (json.out, "\"drill\" : false");
  }
  drill_stop (&drill);
}

/* Without redis-server, Redis is not part of the drill: its tiles say so instead of failing,
 * and the runbook offers no redis-cli action that could only fail. */
static void
test_absent_server (void)
{
  Drill drill = { 0 };
  g_autofree char *empty = g_build_filename (g_get_user_cache_dir (), "empty-bin", NULL);
  g_autofree char *reason = NULL;
  g_autofree char *state = NULL;
  g_autofree char *queues = NULL;
  g_auto(TestRun) check = { 0 };

  g_assert_true (g_mkdir_with_parents (empty, 0700) == 0);
  drill_start_with_path (&drill, "redis-memory", empty);
  g_assert_cmpuint (drill.redis_port, ==, 0);
  state = probe (&drill, "redis", &reason);
  g_assert_cmpstr (state, ==, "unknown");
  assert_contains (reason, "not part of this drill: redis-server is not installed");
  queues = probe (&drill, "queues", NULL);
  g_assert_cmpstr (queues, ==, "unknown");
  g_assert_null (sitrep_runbook_find_action (drill.runbook, "redis-flushdb"));
  sitrep (&check, "check", drill.runbook_path, NULL);
  g_assert_cmpint (check.status, ==, 0);
  /* The rest of the drill runs. */
  wait_for (&drill, "api", "up");
  drill_stop (&drill);
}

/* A drill killed outright takes its servers with it; the next drill removes what it left. */
static void
test_killed (void)
{
  Drill drill = { 0 };
  Drill next = { 0 };
  g_autofree char *scratch = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gboolean done = FALSE;

  drill_start (&drill, "api-down");
  scratch = scratch_of (drill.serve);
  g_assert_nonnull (scratch);
  g_subprocess_force_exit (drill.serve);
  g_subprocess_wait_async (drill.serve, NULL, waited_cb, &done);
  while ((!done || port_answers (drill.redis_port) || port_answers (drill.pg_port))
         && g_get_monotonic_time () < deadline)
    pause_for (1);
  g_assert_true (done);
  g_assert_false (port_answers (drill.redis_port));
  g_assert_false (port_answers (drill.pg_port));
  g_assert_true (g_file_test (scratch, G_FILE_TEST_IS_DIR));

  drill_start (&next, "api-down");
  g_assert_false (g_file_test (scratch, G_FILE_TEST_EXISTS));
  drill_stop (&next);

  g_clear_object (&drill.serve);
  g_clear_object (&drill.runbook);
  g_free (drill.dir);
  g_free (drill.runbook_path);
}

static void
test_api_down (void)
{
  Drill drill = { 0 };

  g_autofree char *previous = NULL;
  g_autofree char *events = NULL;

  drill_start (&drill, "api-down");
  wait_for (&drill, "api", "down");
  /* The crashed containers' last words, and kubelet's back-off, tell why. */
  previous = act (&drill, "api", "logs-previous", NULL, NULL);
  assert_contains (previous, "JavaScript heap out of memory");
  events = act (&drill, "api", "events", NULL, NULL);
  assert_contains (events, "Back-off restarting failed container");
  /* The restart's preview (a server-side dry run) reaches the drill and changes nothing. */
  preview (&drill, "api", "restart");
  assert_still (&drill, "api", "down");
  /* More pods of a leaking API crash the same way. */
  g_free (act (&drill, "api", "scale", "replicas", "5"));
  assert_still (&drill, "api", "down");
  g_free (act (&drill, "api", "restart", NULL, NULL));
  wait_for (&drill, "api", "up");
  drill_stop (&drill);
}

static void
test_db_pool (void)
{
  Drill drill = { 0 };
  g_autofree char *error = NULL;
  g_autofree char *api = NULL;
  g_autofree char *logs = NULL;

  drill_start (&drill, "db-pool");
  wait_for (&drill, "database", "down");
  /* The real PostgreSQL refuses the probe: the API's pool holds every connection it gives the
   * application's role. */
  error = probe_error (&drill, "database", "postgres");
  if (strstr (error, "connection slots are reserved") == NULL)
    g_test_message ("postgres probe: %s", error);
  g_assert_nonnull (strstr (error, "connection slots are reserved"));
  api = probe (&drill, "api", NULL);
  g_assert_cmpstr (api, ==, "down");
  logs = act (&drill, "api", "logs", NULL, NULL);
  assert_contains (logs, "timeout exceeded when trying to connect");
  g_free (act (&drill, "workers", "restart", NULL, NULL));
  assert_still (&drill, "database", "down");
  g_free (act (&drill, "database", "restart-api-pool", NULL, NULL));
  wait_for (&drill, "database", "up");
  wait_for (&drill, "api", "up");
  drill_stop (&drill);
}

static void
test_redis_memory (void)
{
  Drill drill = { 0 };

  g_autofree char *logs = NULL;

  drill_start (&drill, "redis-memory");
  wait_for (&drill, "redis", "degraded");
  wait_for (&drill, "api", "degraded");
  g_free (act (&drill, "api", "restart", NULL, NULL));
  assert_still (&drill, "redis", "degraded");
  g_free (act (&drill, "redis", "redis-flushdb", NULL, NULL));
  wait_for (&drill, "redis", "up");
  wait_for (&drill, "api", "up");
  logs = act (&drill, "api", "logs", NULL, NULL);
  assert_contains (logs, "sessions were cleared from Redis (FLUSHDB)");
  drill_stop (&drill);
}

static void
test_worker_queue (void)
{
  Drill drill = { 0 };

  g_autofree char *waiting = NULL;

  drill_start (&drill, "worker-queue");
  wait_for (&drill, "workers", "down");
  wait_for (&drill, "queues", "degraded");
  waiting = act (&drill, "queues", "queue-notification", NULL, NULL);
  g_assert_cmpint (g_ascii_strtoll (waiting, NULL, 10), >=, 1000);
  g_free (act (&drill, "api", "restart", NULL, NULL));
  assert_still (&drill, "workers", "down");
  g_free (act (&drill, "workers", "restart", NULL, NULL));
  wait_for (&drill, "workers", "up");
  /* The backlog drains once the workers take jobs again. */
  wait_for (&drill, "queues", "up");
  drill_stop (&drill);
}

static void
test_web_bad_deploy (void)
{
  Drill drill = { 0 };

  g_autofree char *history = NULL;

  drill_start (&drill, "web-bad-deploy");
  wait_for (&drill, "web", "down");
  history = act (&drill, "web", "history", NULL, NULL);
  assert_contains (history, "3         deploy 2024.06.5");
  /* A restart starts the same broken release again. */
  g_free (act (&drill, "web", "restart", NULL, NULL));
  assert_still (&drill, "web", "down");
  /* Revision 2 is the release before the bad one. */
  g_free (act (&drill, "web", "rollback-to", "revision", "2"));
  wait_for (&drill, "web", "up");
  drill_stop (&drill);
}

static void
test_api_cpu (void)
{
  Drill drill = { 0 };

  g_autofree char *top = NULL;

  drill_start (&drill, "api-cpu");
  wait_for (&drill, "api", "degraded");
  top = act (&drill, "api", "top", NULL, NULL);
  g_assert_true (g_regex_match_simple ("^carecircle-api-\\S+ +(9[0-9][0-9]|1000)m ", top,
                                       G_REGEX_MULTILINE, 0));
  g_free (act (&drill, "api", "restart", NULL, NULL));
  assert_still (&drill, "api", "degraded");
  g_free (act (&drill, "api", "scale", "replicas", "4"));
  wait_for (&drill, "api", "up");
  drill_stop (&drill);
}

int
main (int   argc,
      char *argv[])
{
  const char *tmp = g_getenv ("TMPDIR");
  g_autofree char *own_tmp = g_strdup_printf ("%s/sitrep-cli-drill-%d", tmp ? tmp : "/tmp",
                                              (int) getpid ());
  int status;

  /* A drill clears the scratch folders of drills whose Sitrep died, whoever started them:
   * /drill/killed must see its own left alone until its next drill, not cleared by a drill of
   * another test running meanwhile. Its servers (PostgreSQL as another user) go through it. */
  g_assert_true (g_mkdir_with_parents (own_tmp, 0711) == 0);
  g_chmod (own_tmp, 0711);
  g_setenv ("TMPDIR", own_tmp, TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/drill/list", test_list);
  g_test_add_func ("/drill/usage", test_usage);
  g_test_add_func ("/drill/runbook-and-kubeconfig", test_runbook_and_kubeconfig);
  g_test_add_func ("/drill/absent-server", test_absent_server);
  g_test_add_func ("/drill/killed", test_killed);
  g_test_add_func ("/drill/scenario/api-down", test_api_down);
  g_test_add_func ("/drill/scenario/db-pool", test_db_pool);
  g_test_add_func ("/drill/scenario/redis-memory", test_redis_memory);
  g_test_add_func ("/drill/scenario/worker-queue", test_worker_queue);
  g_test_add_func ("/drill/scenario/web-bad-deploy", test_web_bad_deploy);
  g_test_add_func ("/drill/scenario/api-cpu", test_api_cpu);

  status = g_test_run ();
  g_rmdir (own_tmp);
  return status;
}
