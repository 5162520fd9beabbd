/* test-cli-probe.c: `sitrep probe` against a real HTTP server: states, JSON and exit codes */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fixture-processes.h"
#include "fixture-runbook.h"
#include "sitrep-secrets.h"

typedef struct
{
  int api_status;
  const char *db;
} Script;

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Script *script = user_data;
  g_autofree char *body = g_strdup_printf ("{\"checks\": {\"database\": \"%s\"}}", script->db);

  soup_server_message_set_status (msg, g_str_equal (path, "/api") ? script->api_status : 200,
                                  NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static char *
write_runbook (guint port)
{
  g_autofree char *json = g_strdup_printf (
    "{\n"
    "  \"sitrep_runbook\": 1,\n"
    "  \"name\": \"Probe test\",\n"
    "  \"severities\": [ { \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" } ],\n"
    "  \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
    "  \"services\": [\n"
    "    { \"id\": \"api\", \"name\": \"API\", \"probes\": [\n"
    "      { \"id\": \"health\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/api\",\n"
    "        \"conditions\": [ { \"check\": \"[STATUS] == 200\" } ] } ] },\n"
    "    { \"id\": \"db\", \"name\": \"Database\", \"probes\": [\n"
    "      { \"id\": \"check\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/db\",\n"
    "        \"conditions\": [ { \"check\": \"[BODY].checks.database == \\\"up\\\"\", \"severity\": \"warning\" } ] } ] }\n"
    "  ]\n"
    "}\n", port, port);
  char *path = g_build_filename (g_get_user_data_dir (), "probe-test.json", NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  return path;
}

typedef struct
{
  gboolean done;
  char *out;
  char *err;
  int status;
} Run;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  /* A crash is no exit status: say which signal, so a test can never mistake it for one. */
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
                  ? g_subprocess_get_exit_status (G_SUBPROCESS (source))
                  : 1000 + g_subprocess_get_term_sig (G_SUBPROCESS (source));
  run->done = TRUE;
}

static GSubprocess *start_probe (Run *run, const char *const *args);

/* Runs `sitrep probe ARGS…` while this process keeps serving HTTP. */
static void
run_probe (Run               *run,
           const char *const *args)
{
  g_autoptr(GSubprocess) process = start_probe (run, args);

  g_assert_nonnull (process);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
}

static GSubprocess *
start_probe (Run               *run,
             const char *const *args)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (bin == NULL)
    g_error ("SITREP_BIN is not set: run the tests with meson test");

  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "probe");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  memset (run, 0, sizeof *run);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, run);
  return g_steal_pointer (&process);
}

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static JsonObject *
service_json (JsonArray  *array,
              const char *id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "service"), id) == 0)
        return object;
    }
  g_error ("no service %s in the JSON output", id);
}

static void
test_cli_probe (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *runbook = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  Script script = { 200, "up" };
  JsonArray *array;
  JsonObject *api, *probe, *condition;
  Run run;

  soup_server_add_handler (server, NULL, handler, &script, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  runbook = write_runbook (g_uri_get_port (uris->data));

  /* Everything up: exit 0. */
  run_probe (&run, (const char *[]) { "--runbook", runbook, NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "api"));
  g_assert_nonnull (strstr (run.out, "✓ [STATUS] (200) == 200"));
  run_clear (&run);

  /* A warning condition fails: degraded, exit 1. */
  script.db = "slow";
  run_probe (&run, (const char *[]) { "--runbook", runbook, NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "Degraded"));
  run_clear (&run);

  /* The API answers 503: down, exit 2, and the JSON says why. */
  script.api_status = 503;
  run_probe (&run, (const char *[]) { "--runbook", runbook, "--json", NULL });
  g_assert_cmpint (run.status, ==, 2);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  api = service_json (array, "api");
  g_assert_cmpstr (json_object_get_string_member (api, "state"), ==, "down");
  g_assert_cmpstr (json_object_get_string_member (api, "reason"), ==, "status 503, expected 200");
  probe = json_array_get_object_element (json_object_get_array_member (api, "probes"), 0);
  g_assert_cmpstr (json_object_get_string_member (probe, "type"), ==, "http");
  g_assert_cmpint (json_object_get_int_member (probe, "status"), ==, 503);
  g_assert_cmpfloat (json_object_get_double_member (probe, "latency_ms"), >, 0);
  condition = json_array_get_object_element (json_object_get_array_member (probe, "conditions"), 0);
  g_assert_false (json_object_get_boolean_member (condition, "passed"));
  g_assert_cmpstr (json_object_get_string_member (condition, "resolved"), ==, "[STATUS] (503) == 200");
  g_assert_cmpstr (json_object_get_string_member (service_json (array, "db"), "state"), ==,
                   "degraded");
  run_clear (&run);

  /* One service only. */
  run_probe (&run, (const char *[]) { "--runbook", runbook, "--service", "db", "--json", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 1);
  run_clear (&run);

  /* A service the runbook does not have: a message, not a guess. */
  run_probe (&run, (const char *[]) { "--runbook", runbook, "--service", "nope", NULL });
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "There is no service \"nope\""));
  run_clear (&run);
}

static void
empty_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
}

/* Empty answers: an HTTP 200 with no body, and Northwind's billing export, a command that
 * prints nothing. Conditions over them fail or hold with a reason; nothing crashes. */
static void
test_cli_probe_empty (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;
  g_autofree char *northwind = NULL;
  g_autofree char *blank = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *service, *probe;
  JsonArray *conditions;
  Run run;

  soup_server_add_handler (server, NULL, empty_handler, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%u", g_uri_get_port (uris->data));

  /* /bin/true prints nothing: [STATUS] == 0 holds, [BODY] == "exported" fails, degraded. */
  northwind = fixture_runbook_write ("HTTP_URL", url, "COMMAND", "/bin/true", NULL);
  run_probe (&run, (const char *[]) { "--runbook", northwind, "--service", "billing", "--json", NULL });
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  service = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpstr (json_object_get_string_member (service, "state"), ==, "degraded");
  g_assert_cmpstr (json_object_get_string_member (service, "reason"), ==,
                   "the body is empty, expected \"exported\"");
  run_clear (&run);

  /* An HTTP 200 with an empty body, judged as a whole and by its length. */
  blank = g_strdup_printf (
    "{ \"sitrep_runbook\": 1, \"name\": \"Blank\",\n"
    "  \"severities\": [ { \"id\": \"P1\", \"label\": \"Urgent\", \"response_target\": \"10m\" } ],\n"
    "  \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
    "  \"services\": [ { \"id\": \"gateway\", \"name\": \"Gateway\", \"probes\": [\n"
    "    { \"id\": \"health\", \"type\": \"http\", \"url\": \"%s/health\",\n"
    "      \"conditions\": [ { \"check\": \"[STATUS] == 200\" },\n"
    "                      { \"check\": \"[BODY] == \\\"ok\\\"\", \"severity\": \"warning\" },\n"
    "                      { \"check\": \"[BODY] != \\\"\\\"\", \"severity\": \"warning\" },\n"
    "                      { \"check\": \"len([BODY]) > 0\", \"severity\": \"warning\" } ] } ] } ]\n"
    "}\n", url);
  g_free (northwind);
  northwind = g_build_filename (g_get_user_data_dir (), "blank.json", NULL);
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_assert_true (g_file_set_contents (northwind, blank, -1, NULL));
  run_probe (&run, (const char *[]) { "--runbook", northwind, "--json", NULL });
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  service = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpstr (json_object_get_string_member (service, "state"), ==, "degraded");
  probe = json_array_get_object_element (json_object_get_array_member (service, "probes"), 0);
  conditions = json_object_get_array_member (probe, "conditions");
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (conditions, 0), "passed"));
  for (guint i = 1; i < 4; i++)
    {
      JsonObject *condition = json_array_get_object_element (conditions, i);

      g_assert_false (json_object_get_boolean_member (condition, "passed"));
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conditions, 1), "reason"),
                   ==, "the body is empty, expected \"ok\"");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conditions, 3), "reason"),
                   ==, "len([BODY]) is 0, expected more than 0");
  run_clear (&run);
}

/* Ctrl+C on `sitrep probe` stops it, and the programs its probes started go with it. */
static void
test_cli_probe_interrupt (void)
{
  g_autofree char *dir = fixture_scratch_dir ();
  g_autofree char *pid_file = NULL;
  g_autofree char *script = fixture_forking_script (dir, FIXTURE_SCRIPT_WAITS, &pid_file);
  g_autofree char *northwind = fixture_runbook_write ("COMMAND", script, NULL);
  g_autoptr(GSubprocess) process = NULL;
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GPid shell, grandchild;
  Run run;

  process = start_probe (&run, (const char *[]) { "--runbook", northwind, "--service", "billing", NULL });
  while (!fixture_read_pids (pid_file, &shell, &grandchild))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  g_subprocess_send_signal (process, SIGINT);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "Interrupted"));
  g_assert_true (fixture_processes_gone (shell, grandchild, shell, 10));
  run_clear (&run);
}

/* The test PostgreSQL has no TLS: `sitrep probe` says the check was not encrypted. */
static void
test_cli_probe_unencrypted (void)
{
  const char *conninfo = g_getenv ("SITREP_TEST_PG_CONNINFO");
  g_autoptr(GError) error = NULL;
  g_autofree char *northwind = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *service, *probe;
  Run run;

  if (conninfo == NULL || g_getenv ("SITREP_TEST_KEYRING") == NULL)
    {
      g_test_fail_printf ("PostgreSQL or the keyring is missing: run the tests with "
                          "build-aux/sitrep-dev test, which starts them");
      return;
    }
  sitrep_secrets_store_sync ("northwind-ledger-url", conninfo, NULL, &error);
  g_assert_no_error (error);
  northwind = fixture_runbook_write (NULL, NULL);

  run_probe (&run, (const char *[]) { "--runbook", northwind, "--service", "ledger", "--json", NULL });
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  service = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  probe = json_array_get_object_element (json_object_get_array_member (service, "probes"), 0);
  g_assert_true (json_object_get_boolean_member (probe, "unencrypted"));
  g_assert_false (json_object_get_boolean_member (probe, "failed"));
  run_clear (&run);

  run_probe (&run, (const char *[]) { "--runbook", northwind, "--service", "ledger", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "! Not encrypted: the connection does not use TLS"));
  run_clear (&run);
}

#ifdef SITREP_HIREDIS_SONAME
typedef struct
{
  char *fifo;
  int writer;     /* open while the library is held */
  gint64 release; /* when it is let go */
  gboolean released;
} Held;

/* A reader (the dynamic loader of `sitrep probe`) has opened the FIFO when a writer can: the
 * writer is then kept open without writing, so the loader waits in read() until the release. */
static gboolean
hold_cb (gpointer user_data)
{
  Held *held = user_data;

  if (held->writer < 0)
    {
      held->writer = open (held->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (held->writer >= 0)
        held->release = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
      return G_SOURCE_CONTINUE;
    }
  if (g_get_monotonic_time () < held->release)
    return G_SOURCE_CONTINUE;
  /* An empty file: the loader gives up on it ("file too short"). */
  close (held->writer);
  held->released = TRUE;
  return G_SOURCE_REMOVE;
}

/* The first Redis probe opens hiredis (sitrep-lazy-hiredis.c). Here the opening takes 3 s:
 * hiredis is a FIFO on LD_LIBRARY_PATH that this test holds. The main loop must not wait for
 * it: the HTTP probe that started just before, to a server that answers at once, reports the
 * time of its request, not the library's. Before, the library was opened on the main loop, and
 * the HTTP probe's response time was the 3 s it stood still; the Redis probe says it could not
 * load its library either way. */
static void
test_cli_probe_library_off_main_loop (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "held", NULL);
  g_autofree char *runbook = g_build_filename (g_get_user_data_dir (), "held.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  Script script = { 200, "up" };
  Held held = { NULL, -1, 0, FALSE };
  JsonArray *array;
  JsonObject *probe;
  guint hold_id;
  Run run = { 0 };

  soup_server_add_handler (server, NULL, handler, &script, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  /* The HTTP probe first: it is in flight when the Redis probe starts, in the same round. */
  json = g_strdup_printf (
    "{ \"sitrep_runbook\": 1, \"name\": \"Held library\",\n"
    "  \"severities\": [ { \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" } ],\n"
    "  \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
    "  \"services\": [\n"
    "    { \"id\": \"api\", \"name\": \"API\", \"probes\": [\n"
    "      { \"id\": \"health\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/api\",\n"
    "        \"conditions\": [ { \"check\": \"[STATUS] == 200\" } ] } ] },\n"
    "    { \"id\": \"cache\", \"name\": \"Cache\", \"probes\": [\n"
    "      { \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", \"port\": 1,\n"
    "        \"check\": \"ping\", \"timeout\": \"10s\",\n"
    "        \"conditions\": [ { \"check\": \"[RESULT] == \\\"PONG\\\"\" } ] } ] } ] }\n",
    g_uri_get_port (uris->data));
  g_assert_true (g_mkdir_with_parents (g_get_user_data_dir (), 0700) == 0);
  g_assert_true (g_file_set_contents (runbook, json, -1, NULL));
  g_assert_true (g_mkdir_with_parents (dir, 0700) == 0);
  held.fifo = g_build_filename (dir, SITREP_HIREDIS_SONAME, NULL);
  g_assert_cmpint (mkfifo (held.fifo, 0600), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LD_LIBRARY_PATH", dir, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SITREP_BIN"), "probe",
                                         "--runbook", runbook, "--json", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &run);
  hold_id = g_timeout_add (10, hold_cb, &held);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  if (!held.released)
    g_source_remove (hold_id);
  g_test_message ("%s%s", run.out, run.err);

  /* The library was held for its 3 s: `sitrep probe` did open it. */
  g_assert_true (held.released);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  probe = json_array_get_object_element (
    json_object_get_array_member (service_json (array, "api"), "probes"), 0);
  g_assert_cmpint (json_object_get_int_member (probe, "status"), ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (probe, "latency_ms"), <, 3000);
  probe = json_array_get_object_element (
    json_object_get_array_member (service_json (array, "cache"), "probes"), 0);
  g_assert_nonnull (strstr (json_object_get_string_member (probe, "error"),
                            SITREP_HIREDIS_SONAME));
  g_assert_cmpint (g_unlink (held.fifo), ==, 0);
  g_free (held.fifo);
  run_clear (&run);
}
#endif

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/probe", test_cli_probe);
  g_test_add_func ("/cli/probe/empty", test_cli_probe_empty);
  g_test_add_func ("/cli/probe/interrupt", test_cli_probe_interrupt);
#ifdef SITREP_HIREDIS_SONAME
  /* Linked, not opened, in sanitized builds (sitrep-lazy-linked.c): nothing to hold there. */
  g_test_add_func ("/cli/probe/library-off-main-loop", test_cli_probe_library_off_main_loop);
#endif
  g_test_add_func ("/cli/probe/unencrypted", test_cli_probe_unencrypted);

  return g_test_run ();
}
