/* test-probe-kind.c: a probe kind of the test's own, registered here, loaded and run by the monitor
 *
 * Everything the "static" kind needs is in this file and its one sitrep_probe_kind_register ()
 * call: its keys, how it reads and checks them, how a run goes. It answers from a script, one
 * entry per run: "up", "queue=N" (a JSON body {"queue": N}), "fail:WHY", "cannot:WHY", or
 * "hang" (never answers: the run's deadline and the caller's cancellable end it).
 */
#include "config.h"

#include <string.h>

#include "sitrep-monitor.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-runbook-trust.h"
#include "sitrep-probe-run.h"

typedef struct
{
  GStrv script;
  guint next;
} Script;

/* How often the kinds' hooks ran, to check the run calls each once, at the right time. */
static guint static_stops;
static guint static_timeouts;
static guint static_cancels;
static guint lazy_factory_calls;

static const char *const static_keys[] = { "script", NULL };
static const char *const lazy_keys[] = { "lazy_key", NULL };
static const char *const shell_keys[] = { "line", NULL };

static void
script_free (Script *script)
{
  g_strfreev (script->script);
  g_free (script);
}

static gboolean
entry_is_valid (const char *entry)
{
  gint64 n;

  if (g_str_equal (entry, "up") || g_str_equal (entry, "hang"))
    return TRUE;
  if (g_str_has_prefix (entry, "queue="))
    return g_ascii_string_to_signed (entry + 6, 10, 0, G_MAXINT32, &n, NULL);
  return (g_str_has_prefix (entry, "fail:") || g_str_has_prefix (entry, "cannot:"))
         && strchr (entry, ':')[1] != '\0';
}

static void
static_load (SitrepLoader        *l,
             JsonNode            *node,
             const SitrepService *service,
             SitrepProbeSpec     *spec)
{
  JsonObject *object = json_node_get_object (node);
  Script *script;

  if (sitrep_schema_member (object, "script") == NULL)
    {
      sitrep_schema_problem (l, AT_VALUE (node), "a static probe needs a \"script\"");
      return;
    }
  script = g_new0 (Script, 1);
  script->script = sitrep_schema_strv (l, object, "script");
  spec->settings = script;
  spec->free_settings = (GDestroyNotify) script_free;
  for (guint i = 0; script->script != NULL && script->script[i] != NULL; i++)
    if (!entry_is_valid (script->script[i]))
      sitrep_schema_problem (l, AT_VALUE (sitrep_schema_strv_element (object, "script", i)),
                             "\"%s\" is no script entry (up, queue=N, fail:WHY, cannot:WHY, hang)",
                             script->script[i]);
}

static void
static_start (SitrepProbeRun *run)
{
  Script *script = run->spec->settings;
  guint n = g_strv_length (script->script);
  const char *entry = script->script[MIN (script->next, n - 1)];

  script->next++;
  if (g_str_equal (entry, "hang"))
    return;
  if (g_str_has_prefix (entry, "fail:"))
    {
      sitrep_probe_run_fail (run, sitrep_reason_new_text (entry + strlen ("fail:")));
      return;
    }
  if (g_str_has_prefix (entry, "cannot:"))
    {
      sitrep_probe_run_cannot_run (run, sitrep_reason_new_text (entry + strlen ("cannot:")));
      return;
    }
  run->result->connected = TRUE;
  if (g_str_has_prefix (entry, "queue="))
    {
      g_autofree char *json = g_strdup_printf ("{\"queue\": %s}", entry + strlen ("queue="));
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

      sitrep_probe_result_set_body (run->result, body, FALSE);
    }
  sitrep_probe_run_complete (run);
}

static void
static_timed_out (SitrepProbeRun *run)
{
  static_timeouts++;
  sitrep_probe_run_fail (run, sitrep_reason_new_printf ("the script hung for %.1f s",
                                                        run->timeout_ms / 1000.0));
}

static void
static_cancelled (SitrepProbeRun *run)
{
  static_cancels++;
  sitrep_probe_run_fail (run, sitrep_reason_new_text ("cancelled"));
}

static void
static_stop (SitrepProbeRun *run)
{
  /* Before the result goes: the run is over and not returned yet. */
  g_assert_true (sitrep_probe_run_is_over (run));
  static_stops++;
}

static const SitrepProbeKind static_kind = {
  .load = static_load,
  .start = static_start,
  .timed_out = static_timed_out,
  .cancelled = static_cancelled,
  .stop = static_stop,
};

static const SitrepProbeKind *
static_kind_get (void)
{
  return &static_kind;
}

/* A kind whose code is brought in by its factory: counts when that happens. */
static void
lazy_load (SitrepLoader        *l,
           JsonNode            *node,
           const SitrepService *service,
           SitrepProbeSpec     *spec)
{
}

static void
lazy_start (SitrepProbeRun *run)
{
  run->result->connected = TRUE;
  sitrep_probe_run_complete (run);
}

static const SitrepProbeKind lazy_kind = {
  .load = lazy_load,
  .start = lazy_start,
};

static const SitrepProbeKind *
lazy_kind_get (void)
{
  lazy_factory_calls++;
  return &lazy_kind;
}

/* A kind that runs a program of the runbook's: it says which, so that the trust review lists it,
 * and it does not start before the user trusts the runbook. */
static guint shell_starts;

static void
shell_load (SitrepLoader        *l,
            JsonNode            *node,
            const SitrepService *service,
            SitrepProbeSpec     *spec)
{
  spec->settings = sitrep_schema_text (l, json_node_get_object (node), "line");
  spec->free_settings = g_free;
}

static GStrv
shell_program (const SitrepProbeSpec *spec)
{
  const char *argv[] = { "/bin/sh", "-c", spec->settings, NULL };

  return g_strdupv ((char **) argv);
}

static void
shell_start (SitrepProbeRun *run)
{
  shell_starts++;
  run->result->connected = TRUE;
  sitrep_probe_run_complete (run);
}

static const SitrepProbeKind shell_kind = {
  .load = shell_load,
  .program = shell_program,
  .start = shell_start,
};

static const SitrepProbeKind *
shell_kind_get (void)
{
  return &shell_kind;
}

static const char runbook_head[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Ledger\",\n"
  "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\",\n"
  "                   \"response_target\": \"15m\" }],\n"
  "  \"environment\": { \"context\": \"test\", \"namespace\": \"test\" },\n"
  "  \"services\": [\n";

static SitrepRunbook *
load_services (const char *services,
               GPtrArray **problems)
{
  g_autofree char *text = g_strconcat (runbook_head, services, "\n  ]\n}\n", NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_bytes (bytes, "ledger.json", problems, &error);

  for (guint i = 0; *problems != NULL && i < (*problems)->len; i++)
    {
      g_autofree char *problem = sitrep_runbook_problem_to_string ((*problems)->pdata[i]);

      g_test_message ("%s", problem);
    }
  return runbook;
}

static SitrepRunbook *
load_valid (const char *services)
{
  g_autoptr(GPtrArray) problems = NULL;
  SitrepRunbook *runbook = load_services (services, &problems);

  g_assert_nonnull (runbook);
  return runbook;
}

/* Whether one of @problems, as the user reads it, contains every one of the strings after it. */
static gboolean
has_problem (GPtrArray  *problems,
             const char *first,
             ...)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *text = sitrep_runbook_problem_to_string (problems->pdata[i]);
      gboolean all = TRUE;
      va_list args;

      va_start (args, first);
      for (const char *part = first; part != NULL && all; part = va_arg (args, const char *))
        all = strstr (text, part) != NULL;
      va_end (args);
      if (all)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  GMainLoop *loop;
  gboolean ok;
  GError *error;
} Wait;

static void
ran_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = sitrep_monitor_run_once_finish (SITREP_MONITOR (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
run_once (SitrepMonitor *monitor)
{
  Wait wait = { g_main_loop_new (NULL, FALSE), FALSE, NULL };

  sitrep_monitor_run_once_async (monitor, NULL, NULL, ran_cb, &wait);
  g_main_loop_run (wait.loop);
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_main_loop_unref (wait.loop);
}

static SitrepHealth
health_of (SitrepMonitor *monitor,
           const char    *service_id)
{
  return sitrep_service_state_get_health (sitrep_monitor_find_service (monitor, service_id));
}

static const char *
reason_of (SitrepMonitor *monitor,
           const char    *service_id)
{
  const char *reason = sitrep_service_state_get_reason (sitrep_monitor_find_service (monitor,
                                                                                      service_id));

  return reason != NULL ? reason : "";
}

/* The kind's probes, read from the runbook by the kind itself, go through the monitor to the
 * services' tiles: up, down with the kind's reason, degraded by a condition on its body,
 * unknown when it cannot run. */
static void
test_monitor (void)
{
  g_autoptr(SitrepRunbook) runbook = load_valid (
    "    { \"id\": \"ledger\", \"name\": \"Ledger\", \"probes\": [\n"
    "      { \"id\": \"seal\", \"type\": \"static\", \"fail_after\": 1, \"recover_after\": 1,\n"
    "        \"script\": [\"up\", \"fail:the ledger is sealed\", \"up\"] } ] },\n"
    "    { \"id\": \"queue\", \"name\": \"Queue\", \"probes\": [\n"
    "      { \"id\": \"depth\", \"type\": \"static\", \"fail_after\": 1, \"recover_after\": 1,\n"
    "        \"script\": [\"queue=3\", \"queue=42\", \"queue=4\"],\n"
    "        \"conditions\": [{ \"check\": \"[BODY].queue < 10\",\n"
    "                         \"severity\": \"warning\" }] } ] },\n"
    "    { \"id\": \"vault\", \"name\": \"Vault\", \"probes\": [\n"
    "      { \"id\": \"key\", \"type\": \"static\",\n"
    "        \"script\": [\"cannot:the vault key is not in the keyring\"] } ] }");
  g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (runbook, NULL, NULL);
  const SitrepService *ledger = sitrep_runbook_get_services (runbook)->pdata[0];
  const SitrepProbeSpec *seal = ledger->probes->pdata[0];
  guint stops = static_stops;

  g_assert_cmpstr (seal->type_name, ==, "static");
  g_assert_cmpuint (seal->fail_after, ==, 1);

  run_once (monitor);
  g_assert_cmpint (health_of (monitor, "ledger"), ==, SITREP_HEALTH_UP);
  g_assert_cmpint (health_of (monitor, "queue"), ==, SITREP_HEALTH_UP);
  g_assert_cmpint (health_of (monitor, "vault"), ==, SITREP_HEALTH_UNKNOWN);
  g_assert_cmpstr (reason_of (monitor, "vault"), ==, "the vault key is not in the keyring");
  /* Every run ended through the kind's stop hook, once. */
  g_assert_cmpuint (static_stops - stops, ==, 3);

  run_once (monitor);
  g_assert_cmpint (health_of (monitor, "ledger"), ==, SITREP_HEALTH_DOWN);
  g_assert_cmpstr (reason_of (monitor, "ledger"), ==, "the ledger is sealed");
  g_assert_cmpint (health_of (monitor, "queue"), ==, SITREP_HEALTH_DEGRADED);
  g_assert_nonnull (strstr (reason_of (monitor, "queue"), "42"));

  run_once (monitor);
  g_assert_cmpint (health_of (monitor, "ledger"), ==, SITREP_HEALTH_UP);
  g_assert_cmpint (health_of (monitor, "queue"), ==, SITREP_HEALTH_UP);
  g_assert_cmpuint (static_stops - stops, ==, 9);
}

/* The loader knows the kind by its registration: its keys belong to it and to no other kind,
 * its own checks report where the problem is, and a near miss of its name is suggested. */
static void
test_loader (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(SitrepRunbook) runbook = load_services (
    "    { \"id\": \"ledger\", \"name\": \"Ledger\", \"probes\": [\n"
    "      { \"id\": \"a\", \"type\": \"statc\", \"script\": [\"up\"] },\n"
    "      { \"id\": \"b\", \"type\": \"http\", \"url\": \"http://127.0.0.1/\",\n"
    "        \"script\": [\"up\"] },\n"
    "      { \"id\": \"c\", \"type\": \"static\", \"url\": \"http://127.0.0.1/\",\n"
    "        \"script\": [\"up\"] },\n"
    "      { \"id\": \"d\", \"type\": \"static\", \"script\": [\"up\", \"maybe\"] },\n"
    "      { \"id\": \"e\", \"type\": \"static\" },\n"
    "      { \"id\": \"f\", \"type\": \"static\", \"script\": [\"up\"],\n"
    "        \"scripts\": [\"up\"] } ] }",
    &problems);

  g_assert_null (runbook);
  g_assert_nonnull (problems);
  g_assert_true (has_problem (problems, "ledger.json:9:", "unknown probe type \"statc\"",
                              "did you mean \"static\"?", "command, static, lazy, shell)", NULL));
  g_assert_true (has_problem (problems, "ledger.json:11:",
                              "\"script\" does not apply to a http probe", NULL));
  g_assert_true (has_problem (problems, "ledger.json:12:",
                              "\"url\" does not apply to a static probe", NULL));
  /* The kind's own check, at the entry's line and column. */
  g_assert_true (has_problem (problems, "ledger.json:14:55:",
                              "\"maybe\" is no script entry", NULL));
  g_assert_true (has_problem (problems, "ledger.json:15:", "a static probe needs a \"script\"",
                              NULL));
  /* A key no kind has: named with the kind, where it is, and what was meant. */
  g_assert_true (has_problem (problems, "ledger.json:17:9:",
                              "unknown key \"scripts\" in a probe of type \"static\"",
                              "did you mean \"script\"?", NULL));
  g_assert_cmpuint (problems->len, ==, 6);
}

/* A kind's code is brought in the first time a runbook has a probe of it, once; its keys are
 * known before that, from its registration alone. */
static void
test_lazy (void)
{
  g_autoptr(SitrepRunbook) without = NULL;
  g_autoptr(SitrepRunbook) with = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(SitrepRunbook) misplaced = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;

  g_assert_cmpuint (lazy_factory_calls, ==, 0);
  without = load_valid ("    { \"id\": \"ledger\", \"name\": \"Ledger\", \"probes\": [\n"
                        "      { \"id\": \"a\", \"type\": \"static\", \"script\": [\"up\"] } ] }");
  misplaced = load_services ("    { \"id\": \"ledger\", \"name\": \"Ledger\", \"probes\": [\n"
                             "      { \"id\": \"a\", \"type\": \"static\", \"script\": [\"up\"],\n"
                             "        \"lazy_key\": 1 } ] }",
                             &problems);
  g_assert_null (misplaced);
  g_assert_true (has_problem (problems, "\"lazy_key\" does not apply to a static probe", NULL));
  g_assert_cmpuint (lazy_factory_calls, ==, 0);

  with = load_valid ("    { \"id\": \"ledger\", \"name\": \"Ledger\", \"probes\": [\n"
                     "      { \"id\": \"a\", \"type\": \"lazy\", \"lazy_key\": 1 } ] }");
  g_assert_cmpuint (lazy_factory_calls, ==, 1);
  monitor = sitrep_monitor_new (with, NULL, NULL);
  run_once (monitor);
  run_once (monitor);
  g_assert_cmpint (health_of (monitor, "ledger"), ==, SITREP_HEALTH_UP);
  g_assert_cmpuint (lazy_factory_calls, ==, 1);
}

typedef struct
{
  GMainLoop *loop;
  SitrepProbeResult *result;
  GError *error;
} Probe;

static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Probe *probe = user_data;

  probe->result = sitrep_probe_run_finish (result, &probe->error);
  g_main_loop_quit (probe->loop);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* A kind whose work no cancellable reaches (as a hiredis or libpq connection): the deadline
 * ends the run through the kind's timed_out hook, the caller through its cancelled hook, and
 * its stop hook runs once either way. */
static void
test_deadline_and_cancel (void)
{
  g_autoptr(SitrepRunbook) runbook = load_valid (
    "    { \"id\": \"stuck\", \"name\": \"Stuck\", \"probes\": [\n"
    "      { \"id\": \"hang\", \"type\": \"static\", \"timeout\": \"1s\",\n"
    "        \"script\": [\"hang\"] } ] }");
  const SitrepService *service = sitrep_runbook_get_services (runbook)->pdata[0];
  const SitrepProbeSpec *spec = service->probes->pdata[0];
  g_autoptr(SitrepProbeContext) context = sitrep_probe_context_new (runbook);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Probe timed_out = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  Probe cancelled = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  guint stops = static_stops, timeouts = static_timeouts, cancels = static_cancels;

  sitrep_probe_run_async (context, service, spec, NULL, probed_cb, &timed_out);
  g_main_loop_run (timed_out.loop);
  g_assert_no_error (timed_out.error);
  g_assert_true (timed_out.result->failed);
  g_assert_cmpstr (timed_out.result->error, ==, "the script hung for 1.0 s");
  g_assert_cmpfloat (timed_out.result->response_time_ms, >=, 1000);
  g_assert_cmpuint (static_timeouts - timeouts, ==, 1);
  g_assert_cmpuint (static_stops - stops, ==, 1);

  /* Long before the deadline. */
  sitrep_probe_run_async (context, service, spec, cancellable, probed_cb, &cancelled);
  g_idle_add (cancel_cb, cancellable);
  g_main_loop_run (cancelled.loop);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (cancelled.result);
  g_assert_cmpuint (static_cancels - cancels, ==, 1);
  g_assert_cmpuint (static_timeouts - timeouts, ==, 1);
  g_assert_cmpuint (static_stops - stops, ==, 2);

  g_clear_pointer (&timed_out.result, sitrep_probe_result_unref);
  g_main_loop_unref (timed_out.loop);
  g_clear_error (&cancelled.error);
  g_main_loop_unref (cancelled.loop);
}

/* A kind that runs a program is reviewed like the built-in ones: the trust review lists its
 * program, and it does not run until the user trusts the runbook. */
static void
test_program_needs_trust (void)
{
  g_autoptr(SitrepRunbook) runbook = load_valid (
    "    { \"id\": \"ledger\", \"name\": \"Ledger\", \"probes\": [\n"
    "      { \"id\": \"wipe\", \"type\": \"shell\", \"line\": \"rm -rf ~/ledger\" } ] }");
  const SitrepService *service = sitrep_runbook_get_services (runbook)->pdata[0];
  const SitrepProbeSpec *spec = service->probes->pdata[0];
  g_autoptr(GPtrArray) commands = sitrep_runbook_trust_list_commands (runbook);
  g_autoptr(SitrepProbeContext) context = sitrep_probe_context_new (runbook);
  Probe untrusted = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  Probe trusted = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  const SitrepTrustCommand *command;

  g_assert_cmpuint (commands->len, ==, 1);
  command = commands->pdata[0];
  g_assert_nonnull (strstr (command->what, "wipe"));
  g_assert_nonnull (strstr (command->what, "Ledger"));
  g_assert_cmpstr (command->command_line, ==, "/bin/sh -c 'rm -rf ~/ledger'");

  sitrep_probe_context_set_trusted (context, FALSE);
  sitrep_probe_run_async (context, service, spec, NULL, probed_cb, &untrusted);
  g_main_loop_run (untrusted.loop);
  g_assert_error (untrusted.error, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN);
  g_assert_nonnull (strstr (untrusted.error->message, "trust"));
  g_assert_cmpuint (shell_starts, ==, 0);

  sitrep_probe_context_set_trusted (context, TRUE);
  sitrep_probe_run_async (context, service, spec, NULL, probed_cb, &trusted);
  g_main_loop_run (trusted.loop);
  g_assert_no_error (trusted.error);
  g_assert_true (trusted.result->connected);
  g_assert_cmpuint (shell_starts, ==, 1);

  g_clear_error (&untrusted.error);
  g_main_loop_unref (untrusted.loop);
  g_clear_pointer (&trusted.result, sitrep_probe_result_unref);
  g_main_loop_unref (trusted.loop);
}

/* A runbook without redis or postgres probes never brings in their kinds' code: not when it
 * loads, not when its trust is reviewed, not when the monitor runs its probes. In a process of
 * its own, so that no other test has brought them in before. */
static void
test_builtin_lazy (void)
{
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepRunbook) with_redis = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  /* Port 1 on loopback refuses at once. */
  runbook = load_valid (
    "    { \"id\": \"web\", \"name\": \"Web\", \"probes\": [\n"
    "      { \"id\": \"page\", \"type\": \"http\", \"url\": \"http://127.0.0.1:1/\" },\n"
    "      { \"id\": \"port\", \"type\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": 1 },\n"
    "      { \"id\": \"true\", \"type\": \"command\", \"argv\": [\"true\"] } ] }");
  commands = sitrep_runbook_trust_list_commands (runbook);
  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  run_once (monitor);
  /* It ran: refused twice, so down. */
  g_assert_cmpint (health_of (monitor, "web"), !=, SITREP_HEALTH_UNKNOWN);
  g_assert_true (sitrep_probe_kind_is_loaded ("http"));
  g_assert_true (sitrep_probe_kind_is_loaded ("tcp"));
  g_assert_true (sitrep_probe_kind_is_loaded ("command"));
  g_assert_false (sitrep_probe_kind_is_loaded ("redis"));
  g_assert_false (sitrep_probe_kind_is_loaded ("postgres"));

  /* A runbook that has one brings it in as it loads, and only that one. */
  with_redis = load_valid (
    "    { \"id\": \"cache\", \"name\": \"Cache\", \"probes\": [\n"
    "      { \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\" } ] }");
  g_assert_true (sitrep_probe_kind_is_loaded ("redis"));
  g_assert_false (sitrep_probe_kind_is_loaded ("postgres"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* The one registration each kind needs. */
  sitrep_probe_kind_register ("static", static_keys, static_kind_get);
  sitrep_probe_kind_register ("lazy", lazy_keys, lazy_kind_get);
  sitrep_probe_kind_register ("shell", shell_keys, shell_kind_get);

  g_test_add_func ("/probe-kind/lazy", test_lazy);
  g_test_add_func ("/probe-kind/monitor", test_monitor);
  g_test_add_func ("/probe-kind/loader", test_loader);
  g_test_add_func ("/probe-kind/deadline-and-cancel", test_deadline_and_cancel);
  g_test_add_func ("/probe-kind/program-needs-trust", test_program_needs_trust);
  g_test_add_func ("/probe-kind/builtin-lazy", test_builtin_lazy);

  return g_test_run ();
}
