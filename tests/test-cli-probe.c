/* test-cli-probe.c: `sitrep probe` against a real HTTP server: states, JSON and exit codes */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

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
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  run->done = TRUE;
}

/* Runs `sitrep probe ARGS…` while this process keeps serving HTTP. */
static void
run_probe (Run               *run,
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
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/probe", test_cli_probe);

  return g_test_run ();
}
