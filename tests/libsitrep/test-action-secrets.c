/* test-action-secrets.c: secret inputs and keyring secrets reach the command, and nothing else */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sitrep-action-controller.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-secrets.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"
#include "fixture-incident.h"

/* Every secret of this test contains it. */
#define CANARY "Zy8k"

#define TOKEN   CANARY "tok!$en#1"   /* a secret input: shell characters are fine here */
#define DB_PASS CANARY "db-pass"     /* a keyring entry, in the environment */
#define STDIN_PASS CANARY "stdin-pass" /* a keyring entry, on standard input */
#define LOGIN   CANARY "login-word"  /* a secret input, on standard input */

static const char runbook_text[] =
  "{\n"
  "  \"sitrep_runbook\": 1, \"name\": \"Billing\",\n"
  "  \"severities\": [{ \"id\": \"P1\", \"label\": \"Urgent\", \"response_target\": \"10m\" }],\n"
  "  \"environment\": { \"context\": \"billing-test\", \"namespace\": \"billing\" },\n"
  "  \"services\": [{ \"id\": \"ledger\", \"name\": \"Ledger\", \"actions\": [\"rotate\", \"login\"] }],\n"
  "  \"actions\": [\n"
  "    { \"id\": \"rotate\", \"label\": \"Rotate the export token\",\n"
  "      \"argv\": [\"@SCRIPT@\", \"--user\", \"exporter\", \"--note={input.note}\"],\n"
  "      \"inputs\": [\n"
  "        { \"name\": \"token\", \"label\": \"New token\", \"type\": \"string\", \"secret\": true,\n"
  "          \"pass_as\": { \"env\": \"API_TOKEN\" } },\n"
  "        { \"name\": \"note\", \"label\": \"Note\", \"type\": \"string\" }\n"
  "      ],\n"
  "      \"env\": { \"DB_PASSWORD\": \"${secret:ledger-db-password}\", \"REGION\": \"{service}-eu\" },\n"
  "      \"stdin\": \"${secret:ledger-stdin-password}\\n\", \"mutates\": true },\n"
  "    { \"id\": \"login\", \"label\": \"Log in\", \"argv\": [\"@SCRIPT@\", \"--login\"],\n"
  "      \"inputs\": [{ \"name\": \"word\", \"type\": \"string\", \"secret\": true,\n"
  "                   \"pass_as\": \"stdin\", \"pattern\": \"^.*-word$\" }] }\n"
  "  ]\n"
  "}\n";

/* The command: tells where it runs, writes down what it received, echoes it, waits for the test
 * to have looked at its /proc entry. */
static const char script_text[] =
  "#!/bin/sh\n"
  "dir=$(dirname \"$0\")\n"
  "read -r line\n"
  "printf '%s' \"$API_TOKEN\" > \"$dir/env-token\"\n"
  "printf '%s' \"$DB_PASSWORD\" > \"$dir/env-db\"\n"
  "printf '%s' \"$REGION\" > \"$dir/env-region\"\n"
  "printf '%s' \"$line\" > \"$dir/stdin\"\n"
  "echo $$ > \"$dir/pid.new\" && mv \"$dir/pid.new\" \"$dir/pid\"\n"
  "echo \"token $API_TOKEN, database $DB_PASSWORD\"\n"
  "echo \"read $line from stdin\" >&2\n"
  "while [ ! -e \"$dir/looked\" ]; do sleep 0.1; done\n";

/* Whether @needle is anywhere in @length bytes that may hold NULs. */
static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  char *dir;
  char *db;
  char *script;
  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepClock *clock;
  SitrepIncidentManager *manager;
  SitrepActionController *controller;
  gint64 incident;
} Fixture;

static char *
file_in (Fixture    *fixture,
         const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static char *
read_in (Fixture    *fixture,
         const char *name)
{
  g_autofree char *path = file_in (fixture, name);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(gint64 *) user_data = sitrep_action_controller_close_unfinished_finish (
    SITREP_ACTION_CONTROLLER (source), result, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (runbook_text);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gint64 ready = -2;

  fixture->dir = g_dir_make_tmp ("sitrep-secrets-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = file_in (fixture, "sitrep.db");
  fixture->script = file_in (fixture, "ledger-tool");
  g_file_set_contents (fixture->script, script_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fixture->script, 0755), ==, 0);

  g_string_replace (text, "@SCRIPT@", fixture->script, 0);
  bytes = g_bytes_new (text->str, text->len);
  fixture->runbook = sitrep_runbook_load_bytes (bytes, "billing.json", &problems, &error);
  g_assert_no_error (error);
  fixture->store = sitrep_store_open (fixture->db, &error);
  g_assert_no_error (error);
  fixture->clock = sitrep_clock_new ();
  fixture->manager = sitrep_incident_manager_new (fixture->store, fixture->runbook,
                                                  fixture->clock, &error);
  g_assert_no_error (error);
  fixture->incident = sitrep_incident_manager_declare (fixture->manager, "P1", "Exports stopped",
                                                       "Invoices late", "ana", NULL, NULL, &error);
  g_assert_no_error (error);
  sitrep_incident_manager_set_current (fixture->manager, fixture->incident);
  fixture->controller = sitrep_action_controller_new (fixture->store, fixture->runbook,
                                                      fixture->manager, FALSE);
  sitrep_action_controller_close_unfinished_async (fixture->controller, NULL, ready_cb, &ready);
  while (ready == -2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ready, ==, 0);

  g_assert_true (sitrep_secrets_store_sync ("ledger-db-password", DB_PASS, NULL, &error));
  g_assert_true (sitrep_secrets_store_sync ("ledger-stdin-password", STDIN_PASS, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sitrep_secrets_clear_sync ("ledger-db-password", NULL, NULL);
  sitrep_secrets_clear_sync ("ledger-stdin-password", NULL, NULL);
  g_clear_object (&fixture->controller);
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->clock);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->runbook);
  g_free (fixture->script);
  g_free (fixture->db);
  g_free (fixture->dir);
}

static SitrepActionRequest *
request (Fixture    *fixture,
         const char *action_id,
         const char *first_name,
         ...)
{
  g_autoptr(GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  SitrepActionRequest *result;
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (inputs, (char *) name, va_arg (args, char *));
  va_end (args);
  result = sitrep_action_controller_resolve (fixture->controller,
                                             sitrep_runbook_find_service (fixture->runbook,
                                                                          "ledger"),
                                             sitrep_runbook_find_action (fixture->runbook,
                                                                         action_id),
                                             inputs, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static void
finished_cb (SitrepActionController *controller,
             SitrepActionRun        *run,
             gpointer                user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Runs @req; while its process runs, hands @look the process id. */
static SitrepActionRun *
run_and_look (Fixture             *fixture,
              SitrepActionRequest *req,
              const char          *confirmation,
              void (*look) (Fixture *, const char *pid))
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pid_file = file_in (fixture, "pid");
  g_autofree char *looked = file_in (fixture, "looked");
  gboolean finished = FALSE;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  SitrepActionRun *run;
  gulong id;

  id = g_signal_connect (fixture->controller, "run-finished", G_CALLBACK (finished_cb), &finished);
  run = sitrep_action_controller_run (fixture->controller, req, confirmation, FALSE, &error);
  g_assert_no_error (error);
  g_object_ref (run);
  while (!finished && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_file_test (pid_file, G_FILE_TEST_EXISTS) && !g_file_test (looked, G_FILE_TEST_EXISTS))
        {
          g_autofree char *pid = read_in (fixture, "pid");

          g_strstrip (pid);
          if (look != NULL)
            look (fixture, pid);
          g_file_set_contents (looked, "", 0, &error);
          g_assert_no_error (error);
        }
      g_usleep (10000);
    }
  g_assert_true (finished);
  g_signal_handler_disconnect (fixture->controller, id);
  return run;
}

/* What every local user can read: the command line of the running command. */
static void
look_at_proc (Fixture    *fixture,
              const char *pid)
{
  g_autofree char *cmdline_path = g_build_filename ("/proc", pid, "cmdline", NULL);
  g_autofree char *environ_path = g_build_filename ("/proc", pid, "environ", NULL);
  g_autofree char *cmdline = NULL;
  g_autofree char *env_text = NULL;
  gsize length = 0, environ_length = 0;

  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  for (gsize i = 0; i < length; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  g_assert_nonnull (strstr (cmdline, "--user exporter"));
  g_assert_null (g_strstr_len (cmdline, length, CANARY));
  /* The environment is the child's and its user's alone: there the value is. */
  g_assert_true (g_file_get_contents (environ_path, &env_text, &environ_length, NULL));
  g_assert_true (contains_bytes (env_text, environ_length, "API_TOKEN=" TOKEN));
  g_object_set_data (G_OBJECT (fixture->controller), "looked", GINT_TO_POINTER (TRUE));
}

/* Nothing Sitrep keeps or shows holds a byte of any secret. */
static void
assert_nowhere (Fixture    *fixture,
                const char *also)
{
  static const char *const files[] = { "sitrep.db", "sitrep.db-wal", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const char *bin = g_getenv ("SITREP_BIN");

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = file_in (fixture, files[i]);
      g_autofree char *bytes = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &bytes, &length, NULL))
        continue;
      if (contains_bytes (bytes, length, CANARY))
        g_error ("a secret is in %s", files[i]);
    }
  {
    g_autoptr(GSubprocess) export = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, bin,
                                                      "audit", "export", "--json", "--database",
                                                      fixture->db, NULL);

    g_assert_true (g_subprocess_communicate_utf8 (export, NULL, NULL, &json, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (export), ==, 0);
    g_assert_null (strstr (json, CANARY));
  }
  if (also != NULL)
    g_assert_null (strstr (also, CANARY));
}

static void
test_secret_env_and_stdin (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = request (fixture, "rotate", "token", TOKEN, "note",
                                                "quarterly", NULL);
  g_autoptr(SitrepActionRun) run = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = sitrep_action_request_get_command_line (req);
  g_autofree char *env_token = NULL;
  g_autofree char *env_db = NULL;
  g_autofree char *env_region = NULL;
  g_autofree char *stdin_text = NULL;
  g_autofree char *summary = NULL;
  const SitrepAuditEntry *started;

  g_assert_null (strstr (command, CANARY));
  g_assert_cmpstrv (sitrep_action_request_get_argv (req),
                    ((const char *const[]) { fixture->script, "--user", "exporter",
                                             "--note=quarterly", NULL }));
  run = run_and_look (fixture, req, "confirmed", look_at_proc);
  g_assert_true (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (fixture->controller), "looked")));
  summary = sitrep_action_run_get_summary (run);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_SUCCEEDED);

  /* The command received each value. */
  env_token = read_in (fixture, "env-token");
  env_db = read_in (fixture, "env-db");
  env_region = read_in (fixture, "env-region");
  stdin_text = read_in (fixture, "stdin");
  g_assert_cmpstr (env_token, ==, TOKEN);
  g_assert_cmpstr (env_db, ==, DB_PASS);
  g_assert_cmpstr (env_region, ==, "ledger-eu");
  g_assert_cmpstr (stdin_text, ==, STDIN_PASS);

  /* It echoed them; what Sitrep kept is redacted by their exact values. */
  g_assert_cmpstr (sitrep_action_run_get_output (run), ==,
                   "token [redacted], database [redacted]\n"
                   "read [redacted] from stdin\n");

  /* The log records how each value was made, never the value. */
  entries = sitrep_store_list_audit (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  started = entries->pdata[0];
  g_assert_cmpstr (started->outcome, ==, SITREP_AUDIT_STARTED);
  g_assert_cmpstr (started->inputs, ==, "{\"note\":\"quarterly\",\"token\":\"[redacted]\"}");
  g_assert_cmpstr (started->process, ==,
                   "{\"env\":{\"DB_PASSWORD\":\"${secret:ledger-db-password}\","
                   "\"REGION\":\"ledger-eu\",\"API_TOKEN\":\"[secret input token]\"},"
                   "\"stdin\":\"${secret:ledger-stdin-password}\\n\"}");
  events = sitrep_store_list_events (fixture->store, fixture->incident,
                                     SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      const char *fields = sitrep_timeline_event_get_fields (events->pdata[i]);

      g_assert_null (strstr (fixture_shown_text (events->pdata[i]), CANARY));
      g_assert_null (strstr (fields ? fields : "", CANARY));
    }
  g_clear_object (&fixture->controller);
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->store);
  assert_nowhere (fixture, summary);
}

/* A secret input on standard input, checked by its pattern without the value in the message. */
static void
test_secret_stdin_input (Fixture       *fixture,
                         gconstpointer  data)
{
  const SitrepAction *login = sitrep_runbook_find_action (fixture->runbook, "login");
  g_autoptr(SitrepActionRequest) req = request (fixture, "login", "word", LOGIN, NULL);
  g_autoptr(SitrepActionRun) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdin_text = NULL;

  g_assert_false (sitrep_action_validate_input (login->inputs->pdata[0], "hunter2", NULL, NULL,
                                                &error));
  g_assert_nonnull (strstr (error->message, "does not match the pattern"));
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);
  g_assert_false (sitrep_action_validate_input (login->inputs->pdata[0], CANARY "\nx", NULL, NULL,
                                                &error));
  g_assert_null (strstr (error->message, CANARY));
  g_clear_error (&error);

  run = run_and_look (fixture, req, NULL, NULL);
  stdin_text = read_in (fixture, "stdin");
  g_assert_cmpstr (stdin_text, ==, LOGIN);
  g_assert_cmpstr (sitrep_action_run_get_output (run), ==,
                   "token , database \nread [redacted] from stdin\n");
  g_clear_object (&fixture->controller);
  g_clear_object (&fixture->manager);
  g_clear_object (&fixture->store);
  assert_nowhere (fixture, NULL);
}

/* A keyring entry that is not there: nothing starts, and the reason says what to do. */
static void
test_secret_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = request (fixture, "rotate", "token", TOKEN, "note", "x",
                                                NULL);
  g_autoptr(SitrepActionRun) run = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *pid = NULL;

  g_assert_true (sitrep_secrets_clear_sync ("ledger-db-password", NULL, &error));
  run = run_and_look (fixture, req, "confirmed", NULL);
  summary = sitrep_action_run_get_summary (run);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_FAILED);
  g_assert_false (sitrep_action_run_get_spawned (run));
  g_assert_nonnull (strstr (summary, "“Rotate the export token” was not run: secret "
                                     "\"ledger-db-password\" is not in the keyring: add it with "
                                     "secret-tool store"));
  pid = read_in (fixture, "pid");
  g_assert_null (pid);
  entries = sitrep_store_list_audit (fixture->store, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((SitrepAuditEntry *) entries->pdata[0])->outcome, ==, SITREP_AUDIT_FAILED);
  g_assert_cmpint (((SitrepAuditEntry *) entries->pdata[0])->started_id, ==, 0);
}

/* The runbook says which inputs are secret, and sitrep check is strict about it. */
typedef struct
{
  const char *action;
  const char *problem;
} Bad;

static const Bad bad[] = {
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"inputs\": [{ \"name\": \"t\","
    " \"type\": \"string\", \"secret\": true }] }",
    "a secret input needs \"pass_as\": {\"env\": \"NAME\"} or \"stdin\"" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"inputs\": [{ \"name\": \"t\","
    " \"type\": \"string\", \"pass_as\": \"stdin\" }] }",
    "\"pass_as\" is for secret inputs: add \"secret\": true" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"inputs\": [{ \"name\": \"t\","
    " \"type\": \"integer\", \"secret\": true, \"pass_as\": \"stdin\" }] }",
    "a secret input is typed text" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\", \"--token={input.t}\"], \"inputs\":"
    " [{ \"name\": \"t\", \"type\": \"string\", \"secret\": true, \"pass_as\": \"stdin\" }] }",
    "{input.t} is a secret input and cannot be used in \"argv\"" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"confirm\": \"Use {input.t}?\","
    " \"inputs\": [{ \"name\": \"t\", \"type\": \"string\", \"secret\": true, \"pass_as\": "
    "\"stdin\" }] }",
    "{input.t} is a secret input and cannot be used in \"confirm\"" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"inputs\": [{ \"name\": \"t\","
    " \"type\": \"string\", \"secret\": true, \"pass_as\": { \"env\": \"9X\" } }] }",
    "\"9X\" is not an environment variable name" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"kubectl\", \"get\", \"pods\"], \"env\":"
    " { \"KUBECONFIG\": \"/tmp/other\" } }",
    "\"KUBECONFIG\" cannot be set by a runbook" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"stdin\": \"x\", \"inputs\":"
    " [{ \"name\": \"t\", \"type\": \"string\", \"secret\": true, \"pass_as\": \"stdin\" }] }",
    "a command has one standard input" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"env\": { \"X\": \"1\" },"
    " \"inputs\": [{ \"name\": \"t\", \"type\": \"string\", \"secret\": true, \"pass_as\":"
    " { \"env\": \"X\" } }] }",
    "the environment variable \"X\" is set twice" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"env\": { \"X\": \"${secret:db\" } }",
    "\"${secret:\" without its closing \"}\"" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"env\": { \"X\": \"${secret:a b}\" } }",
    "\"a b\" is not a keyring entry name" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"stdin\": \"{nope}\" }",
    "unknown placeholder {nope} in \"stdin\"" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"inputs\": [{ \"name\": \"c\","
    " \"type\": \"choice\", \"choices\": [\"x\"], \"choices_format\": \"lines\" }] }",
    "\"choices_format\" says how to read the output of \"choices_from\"" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"inputs\": [{ \"name\": \"c\","
    " \"type\": \"choice\", \"choices_from\": [\"ls\"], \"choices_format\": \"line\" }] }",
    "unknown choices format \"line\"; did you mean \"lines\"?" },
  { "{ \"id\": \"a\", \"label\": \"A\", \"argv\": [\"tool\"], \"terminal\": true, \"env\":"
    " { \"X\": \"${secret:x}\" } }",
    "a \"terminal\" action runs in a terminal emulator" },
};

static char *
runbook_with (const char *action)
{
  return g_strdup_printf ("{\n \"sitrep_runbook\": 1, \"name\": \"Strict\",\n"
                          " \"severities\": [{ \"id\": \"P1\", \"label\": \"U\","
                          " \"response_target\": \"10m\" }],\n"
                          " \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
                          " \"services\": [{ \"id\": \"s\", \"name\": \"S\", \"actions\": [\"a\"] }],\n"
                          " \"actions\": [\n  %s\n ]\n}\n",
                          action);
}

static void
test_strict (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = runbook_with (bad[i].action);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_bytes (bytes, "strict.json",
                                                                    &problems, &error);
      gboolean found = FALSE;

      g_assert_null (runbook);
      for (guint k = 0; problems != NULL && k < problems->len; k++)
        {
          g_autofree char *line = sitrep_runbook_problem_to_string (problems->pdata[k]);

          if (strstr (line, bad[i].problem) != NULL)
            {
              /* FILE:LINE:COLUMN: the action is on line 7. */
              g_assert_true (g_str_has_prefix (line, "strict.json:7:"));
              found = TRUE;
            }
        }
      if (!found)
        g_error ("expected “%s” for %s", bad[i].problem, bad[i].action);
    }

  /* The same through `sitrep check`, as a runbook's CI would run it. */
  {
    g_autofree char *text = runbook_with (bad[0].action);
    g_autofree char *dir = g_dir_make_tmp ("sitrep-check-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "strict.json", NULL);
    g_autofree char *err = NULL;
    g_autoptr(GSubprocess) check = NULL;
    g_autoptr(GError) error = NULL;

    g_file_set_contents (path, text, -1, &error);
    check = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                              &error, g_getenv ("SITREP_BIN"), "check", path, NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (check, NULL, NULL, NULL, &err, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (check), ==, 1);
    g_assert_nonnull (strstr (err, "strict.json:7:"));
    g_assert_nonnull (strstr (err, "a secret input needs \"pass_as\""));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/action-secrets/env-and-stdin", Fixture, NULL, fixture_set_up,
              test_secret_env_and_stdin, fixture_tear_down);
  g_test_add ("/action-secrets/stdin-input", Fixture, NULL, fixture_set_up,
              test_secret_stdin_input, fixture_tear_down);
  g_test_add ("/action-secrets/missing", Fixture, NULL, fixture_set_up, test_secret_missing,
              fixture_tear_down);
  g_test_add_func ("/action-secrets/strict", test_strict);

  return g_test_run ();
}
