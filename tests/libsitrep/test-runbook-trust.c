/* test-runbook-trust.c: untrusted runbooks run nothing; web links only; flatpak-spawn never shown */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "action-test-util.h"
#include "fixture-runbook.h"
#include "sitrep-action-controller.h"
#include "sitrep-argv-private.h"
#include "sitrep-monitor.h"
#include "sitrep-probe.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-runbook-trust.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-timeline.h"
#include "sitrep-timeline-event-render.h"
#include "fixture-incident.h"

/* A runbook of our own: a kube and a command probe, a follow-up, a choice filled from a command,
 * and links. */

static const char harbor[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Harbor Cranes\",\n"
  "  \"severities\": [{ \"id\": \"S1\", \"label\": \"Stop\", \"response_target\": \"10m\" }],\n"
  "  \"environment\": { \"context\": \"harbor-live\", \"namespace\": \"cranes\",\n"
  "    \"kubectl\": \"@KUBECTL@\",\n"
  "    \"links\": [ { \"id\": \"board\", \"label\": \"Board\", \"url\": \"@LINK@\" } ] },\n"
  "  \"checklist\": [ { \"id\": \"first\", \"title\": \"First\", \"items\": [\n"
  "    { \"id\": \"undo\", \"text\": \"Undo the hoist release\",\n"
  "      \"opens\": { \"action\": \"rollback-to\", \"service\": \"hoist\" } },\n"
  "    { \"id\": \"page\", \"text\": \"Open the status page\", \"opens\": { \"url\": \"@URL@\" } } ] } ],\n"
  "  \"services\": [\n"
  "    { \"id\": \"hoist\", \"name\": \"Hoist Controller\", \"target\": \"deployment/hoist\",\n"
  "      \"probes\": [\n"
  "        { \"id\": \"ready\", \"type\": \"kube\", \"timeout\": \"5s\",\n"
  "          \"conditions\": [ { \"check\": \"[STATUS] == 0\" } ] },\n"
  "        { \"id\": \"export\", \"type\": \"command\", \"argv\": [\"@COMMAND@\", \"{service}\"],\n"
  "          \"timeout\": \"5s\", \"conditions\": [ { \"check\": \"[STATUS] == 0\" } ] } ],\n"
  "      \"actions\": [\"restart\", \"rollback-to\"] }\n"
  "  ],\n"
  "  \"actions\": [\n"
  "    { \"id\": \"restart\", \"label\": \"Restart\", \"argv\": [\"kubectl\", \"rollout\", \"restart\", \"{target}\"],\n"
  "      \"mutates\": true, \"follow_up\": [\"kubectl\", \"rollout\", \"status\", \"{target}\", \"--timeout=60s\"] },\n"
  "    { \"id\": \"rollback-to\", \"label\": \"Roll back to…\",\n"
  "      \"argv\": [\"kubectl\", \"rollout\", \"undo\", \"{target}\", \"--to-revision={input.revision}\"],\n"
  "      \"inputs\": [ { \"name\": \"revision\", \"label\": \"Revision\", \"type\": \"choice\",\n"
  "                     \"choices_from\": [\"kubectl\", \"rollout\", \"history\", \"{target}\"] } ],\n"
  "      \"mutates\": true }\n"
  "  ]\n"
  "}\n";

static char *
harbor_text (const char *kubectl,
             const char *command,
             const char *link,
             const char *url)
{
  GString *text = g_string_new (harbor);

  g_string_replace (text, "@KUBECTL@", kubectl, 0);
  g_string_replace (text, "@COMMAND@", command, 0);
  g_string_replace (text, "@LINK@", link ? link : "https://board.harbor.test/", 0);
  g_string_replace (text, "@URL@", url ? url : "https://status.harbor.test/admin", 0);
  return g_string_free (text, FALSE);
}

/* This run's own folder: other programs may run these tests at the same time. */
static char *scratch;

static char *
write_file (const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (scratch, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static SitrepRunbook *
load_path (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);

  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  return runbook;
}

/* A program that leaves a mark when it runs, and says so. */
static char *
marker_script (const char *name,
               const char *marker)
{
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\necho \"$@\" >> '%s'\necho exported\n",
                                             marker);
  char *path = write_file (name, script);

  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static char *
commands_text (SitrepRunbook *runbook)
{
  g_autoptr(GPtrArray) commands = sitrep_runbook_trust_list_commands (runbook);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < commands->len; i++)
    {
      const SitrepTrustCommand *command = commands->pdata[i];

      g_string_append_printf (text, "%s: %s\n", command->what, command->command_line);
    }
  return g_string_free (text, FALSE);
}

/* Every program, exactly as it would run: the dialog shows this list. */
static void
test_list_commands (void)
{
  g_autofree char *text = harbor_text ("/opt/harbor/kubectl", "/opt/harbor/export-check", NULL,
                                       NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepRunbook) northwind = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *listed_northwind = NULL;

  runbook = sitrep_runbook_load_bytes (bytes, "harbor.json", NULL, &error);
  g_assert_no_error (error);

  listed = commands_text (runbook);
  g_test_message ("%s", listed);
  g_assert_true (g_str_has_prefix (listed, "kubectl, for every kubectl command below (context "
                                           "harbor-live, namespace cranes): /opt/harbor/kubectl\n"));
  g_assert_nonnull (strstr (listed, "Probe “ready” · Hoist Controller: /opt/harbor/kubectl "
                                    "--context harbor-live --namespace cranes get deployment/hoist "
                                    "-o json\n"));
  g_assert_nonnull (strstr (listed, "Probe “export” · Hoist Controller: /opt/harbor/export-check "
                                    "hoist\n"));
  g_assert_nonnull (strstr (listed, "Restart · Hoist Controller: /opt/harbor/kubectl --context "
                                    "harbor-live --namespace cranes rollout restart "
                                    "deployment/hoist\n"));
  g_assert_nonnull (strstr (listed, "Restart · Hoist Controller, then: /opt/harbor/kubectl "
                                    "--context harbor-live --namespace cranes rollout status "
                                    "deployment/hoist --timeout=60s\n"));
  /* Its choices come from a command too. */
  g_assert_nonnull (strstr (listed, "Roll back to… · Hoist Controller: /opt/harbor/kubectl "
                                    "--context harbor-live --namespace cranes rollout undo "
                                    "deployment/hoist '--to-revision={input.revision}'\n"));
  g_assert_nonnull (strstr (listed, "Roll back to… · Hoist Controller: the choices for “Revision”: "
                                    "/opt/harbor/kubectl --context harbor-live --namespace cranes "
                                    "rollout history deployment/hoist\n"));
  {
    g_auto(GStrv) lines = g_strsplit (listed, "\n", -1);

    /* kubectl, two probes, restart and its follow-up, the rollback and its choices. */
    g_assert_cmpuint (g_strv_length (lines), ==, 7 + 1);
  }

  /* The second runbook: its command probe and four actions, kubectl as the runbook names it. */
  northwind = fixture_runbook_load ("KUBECTL", "/usr/local/bin/kubectl", "COMMAND",
                                    "/srv/billing/check", NULL);
  listed_northwind = commands_text (northwind);
  g_test_message ("%s", listed_northwind);
  g_assert_nonnull (strstr (listed_northwind, "Probe “export” · Billing Export: /srv/billing/check\n"));
  g_assert_nonnull (strstr (listed_northwind, "Scale · Label Gateway: /usr/local/bin/kubectl "
                                              "--context nw-test --namespace freight scale "
                                              "deployment/nw-gateway '--replicas={input.replicas}'\n"));
  g_assert_nonnull (strstr (listed_northwind, "Undo last release · Label Gateway: "));
  g_assert_null (strstr (listed_northwind, "flatpak-spawn"));
}

static GSettings *
new_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);

  g_settings_reset (settings, SITREP_TRUST_SETTINGS_KEY);
  return settings;
}

/* Trust is remembered by content: the same bytes are trusted again, an edit asks again. */
static void
test_remembered_by_content (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autofree char *text = harbor_text ("kubectl", "/bin/true", NULL, NULL);
  g_autofree char *path = write_file ("harbor-trust.json", text);
  g_autofree char *copy_path = write_file ("harbor-copy.json", text);
  g_autoptr(SitrepRunbook) first = load_path (path);
  g_autoptr(SitrepRunbook) again = NULL;
  g_autoptr(SitrepRunbook) copy = NULL;
  g_autoptr(SitrepRunbook) edited = NULL;
  g_autoptr(SitrepRunbook) builtin = NULL;
  g_autoptr(SitrepRunbook) builtin_file = NULL;
  g_autoptr(SitrepRunbook) quiet = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) remembered = NULL;
  g_autofree char *builtin_path = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpuint (strlen (sitrep_runbook_get_digest (first)), ==, 64);
  expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  g_assert_cmpstr (sitrep_runbook_get_digest (first), ==, expected);

  g_assert_false (sitrep_runbook_trust_is_trusted (first, settings));
  g_assert_false (sitrep_runbook_trust_is_trusted (first, NULL));
  sitrep_runbook_trust_remember (first, settings);
  g_assert_true (sitrep_runbook_trust_is_trusted (first, settings));
  remembered = g_settings_get_strv (settings, SITREP_TRUST_SETTINGS_KEY);
  g_assert_cmpuint (g_strv_length (remembered), ==, 1);
  g_assert_cmpstr (remembered[0], ==, expected);

  /* Read again, or from another path with the same bytes: still trusted. */
  again = load_path (path);
  g_assert_true (sitrep_runbook_trust_is_trusted (again, settings));
  copy = load_path (copy_path);
  g_assert_true (sitrep_runbook_trust_is_trusted (copy, settings));

  /* One character changed: asked again. */
  g_clear_pointer (&text, g_free);
  text = harbor_text ("kubectl", "/bin/false", NULL, NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  edited = load_path (path);
  g_assert_cmpstr (sitrep_runbook_get_digest (edited), !=, sitrep_runbook_get_digest (first));
  g_assert_false (sitrep_runbook_trust_is_trusted (edited, settings));

  /* The built-in runbook, and a copy of it on disk, are trusted without asking. */
  builtin = sitrep_runbook_load_default (&error);
  g_assert_no_error (error);
  g_assert_true (sitrep_runbook_get_builtin (builtin));
  g_assert_true (sitrep_runbook_trust_is_trusted (builtin, NULL));
  builtin_path = g_strdup (g_getenv ("SITREP_RUNBOOK"));
  g_assert_nonnull (builtin_path);
  builtin_file = load_path (builtin_path);
  g_assert_false (sitrep_runbook_get_builtin (builtin_file));
  g_assert_true (sitrep_runbook_trust_is_trusted (builtin_file, NULL));

  /* A runbook that runs nothing has nothing to trust. */
  {
    static const char nothing[] =
      "{ \"sitrep_runbook\": 1, \"name\": \"Quiet\",\n"
      "  \"severities\": [{ \"id\": \"S1\", \"label\": \"Stop\", \"response_target\": \"10m\" }],\n"
      "  \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
      "  \"services\": [ { \"id\": \"web\", \"name\": \"Web\", \"probes\": [ { \"id\": \"h\", \"type\": \"http\",\n"
      "    \"url\": \"http://127.0.0.1:9/\" } ] } ] }\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (nothing, strlen (nothing));

    quiet = sitrep_runbook_load_bytes (bytes, "quiet.json", NULL, &error);
    g_assert_no_error (error);
    g_assert_true (sitrep_runbook_trust_is_trusted (quiet, NULL));
  }

  g_unlink (path);
  g_unlink (copy_path);
}

/* The list keeps the newest digests and never grows without bound. */
static void
test_remembered_bounded (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autofree char *first_digest = NULL;
  g_auto(GStrv) remembered = NULL;

  for (guint i = 0; i < SITREP_TRUST_MAX_REMEMBERED + 20; i++)
    {
      g_autofree char *command = g_strdup_printf ("/bin/check-%u", i);
      g_autofree char *text = harbor_text ("kubectl", command, NULL, NULL);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(SitrepRunbook) runbook = NULL;
      g_autoptr(GError) error = NULL;

      runbook = sitrep_runbook_load_bytes (bytes, "harbor.json", NULL, &error);
      g_assert_no_error (error);
      if (i == 0)
        first_digest = g_strdup (sitrep_runbook_get_digest (runbook));
      sitrep_runbook_trust_remember (runbook, settings);
      /* Trusting twice keeps one entry. */
      sitrep_runbook_trust_remember (runbook, settings);
    }
  remembered = g_settings_get_strv (settings, SITREP_TRUST_SETTINGS_KEY);
  g_assert_cmpuint (g_strv_length (remembered), ==, SITREP_TRUST_MAX_REMEMBERED);
  g_assert_false (g_strv_contains ((const char *const *) remembered, first_digest));
}

static void
test_link_check (void)
{
  const char *good[] = { "https://grafana.example.com/d/abc?x=1", "http://10.0.0.7:3000/",
                         "HTTPS://STATUS.EXAMPLE.COM", NULL };
  const char *bad[] = { "file:///etc/passwd", "javascript:alert(1)", "ssh://prod-bastion",
                        "vscode://file/etc/hosts", "../operations/BACKUP_PROCEDURES.md",
                        "https://", "data:text/html,<script>1</script>", "", NULL };

  for (guint i = 0; good[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (sitrep_runbook_trust_check_link (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sitrep_runbook_trust_check_link (bad[i], &error));
      g_assert_error (error, SITREP_TRUST_ERROR, SITREP_TRUST_ERROR_LINK);
      g_assert_nonnull (strstr (error->message, "opens only http:// and https:// links"));
    }
}

/* A link that is not a web address is an error where it is written, in `sitrep check` too. */
static void
test_link_at_load_time (void)
{
  g_autofree char *text = harbor_text ("kubectl", "/bin/true", "file:///etc/passwd",
                                       "javascript:alert(1)");
  g_autofree char *path = write_file ("harbor-links.json", text);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected_link = NULL;
  g_autofree char *expected_url = NULL;

  g_assert_null (runbook);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, 2);
  g_clear_error (&error);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, g_getenv ("SITREP_BIN"), "check", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  /* Line 7 holds the environment link, line 11 the checklist item's url. */
  expected_link = g_strdup_printf ("%s:7:58: “file:///etc/passwd” is not a web address: Sitrep "
                                   "opens only http:// and https:// links\n", path);
  expected_url = g_strdup_printf ("%s:11:71: “javascript:alert(1)” is not a web address: Sitrep "
                                  "opens only http:// and https:// links\n", path);
  g_assert_nonnull (strstr (err, expected_link));
  g_assert_nonnull (strstr (err, expected_url));
  g_unlink (path);
}

typedef struct
{
  gboolean done;
  SitrepProbeResult *result;
  GError *error;
} ProbeWait;

static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ProbeWait *wait = user_data;

  wait->result = sitrep_probe_run_finish (result, &wait->error);
  wait->done = TRUE;
}

static void
run_probe (SitrepProbeContext  *context,
           SitrepRunbook       *runbook,
           const char          *probe_id,
           ProbeWait           *wait)
{
  const SitrepService *service = sitrep_runbook_find_service (runbook, "hoist");

  for (guint i = 0; i < service->probes->len; i++)
    {
      const SitrepProbeSpec *spec = service->probes->pdata[i];

      if (g_str_equal (spec->id, probe_id))
        sitrep_probe_run_async (context, service, spec, NULL, probe_done_cb, wait);
    }
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
}

/* Untrusted, neither the command probe nor the kube probe starts its program: the service is
 * unknown, with what to do. Trusted, both run. */
static void
test_probes_wait_for_trust (void)
{
  g_autofree char *marker = g_build_filename (scratch, "probe-marker", NULL);
  g_autofree char *command = marker_script ("export-check", marker);
  g_autofree char *kubectl = marker_script ("kubectl-marker", marker);
  g_autofree char *text = harbor_text (kubectl, command, NULL, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_bytes (bytes, "harbor.json", NULL, &error);
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autofree char *marks = NULL;
  SitrepProbeContext *context;
  SitrepServiceState *state;
  gint64 deadline;

  g_assert_no_error (error);
  g_unlink (marker);
  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  context = sitrep_monitor_get_context (monitor);
  g_assert_true (sitrep_probe_context_get_trusted (context));
  sitrep_probe_context_set_trusted (context, FALSE);

  for (guint i = 0; i < 2; i++)
    {
      ProbeWait wait = { 0 };

      run_probe (context, runbook, i == 0 ? "export" : "ready", &wait);
      g_assert_null (wait.result);
      g_assert_error (wait.error, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN);
      g_assert_cmpstr (wait.error->message, ==, "Waiting for you to trust this runbook");
      g_clear_error (&wait.error);
    }
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* Through the monitor, as the console runs them: unknown, never down. */
  sitrep_monitor_start (monitor);
  state = sitrep_monitor_find_service (monitor, "hoist");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((sitrep_service_state_get_reason (state) == NULL
          || !g_str_has_suffix (sitrep_service_state_get_reason (state),
                                ": Waiting for you to trust this runbook"))
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (sitrep_service_state_get_health (state), ==, SITREP_HEALTH_UNKNOWN);
  g_assert_true (g_str_has_suffix (sitrep_service_state_get_reason (state),
                                   ": Waiting for you to trust this runbook"));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));

  sitrep_probe_context_set_trusted (context, TRUE);
  sitrep_monitor_probe_now (monitor);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((marks == NULL || strstr (marks, "hoist") == NULL || strstr (marks, "get") == NULL)
         && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      g_clear_pointer (&marks, g_free);
      g_file_get_contents (marker, &marks, NULL, NULL);
    }
  g_assert_nonnull (marks);
  /* The command probe's argument, and kubectl's get. */
  g_assert_nonnull (strstr (marks, "hoist\n"));
  g_assert_nonnull (strstr (marks, "--context harbor-live --namespace cranes get deployment/hoist "
                                   "-o json\n"));
  sitrep_monitor_stop (monitor);
  g_unlink (marker);
  g_unlink (command);
  g_unlink (kubectl);
}

typedef struct
{
  SitrepStore *store;
  SitrepIncidentManager *manager;
  SitrepActionController *controller;
  SitrepRunbook *runbook;
  gint64 incident_id;
} Console;

static void
console_init (Console    *console,
              const char *kubectl)
{
  g_autoptr(GError) error = NULL;

  console->store = sitrep_store_open (":memory:", &error);
  g_assert_no_error (error);
  console->runbook = fixture_runbook_load ("KUBECTL", kubectl, NULL);
  console->manager = sitrep_incident_manager_new (console->store, console->runbook, NULL, &error);
  g_assert_no_error (error);
  console->incident_id = sitrep_incident_manager_declare (console->manager, "P1", "Labels stuck",
                                                          "Depots", "ana", NULL, NULL, &error);
  g_assert_no_error (error);
  sitrep_incident_manager_set_current (console->manager, console->incident_id);
  console->controller = sitrep_action_controller_new (console->store, console->runbook,
                                                      console->manager, FALSE);
}

static void
console_clear (Console *console)
{
  g_clear_object (&console->controller);
  g_clear_object (&console->manager);
  g_clear_object (&console->runbook);
  g_clear_object (&console->store);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Console, console_clear)

static void
finished_cb (SitrepActionController *controller,
             SitrepActionRun        *run,
             gboolean               *finished)
{
  *finished = TRUE;
}

static void
wait_finished (SitrepActionController *controller)
{
  gboolean finished = FALSE;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gulong id = g_signal_connect (controller, "run-finished", G_CALLBACK (finished_cb), &finished);

  while (!finished && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (controller, id);
  g_assert_true (finished);
}

static SitrepActionRequest *
gateway_request (Console    *console,
                 const char *action_id)
{
  g_autoptr(GError) error = NULL;
  SitrepActionRequest *request =
    sitrep_action_controller_resolve (console->controller,
                                      sitrep_runbook_find_service (console->runbook, "gateway"),
                                      sitrep_runbook_find_action (console->runbook, action_id),
                                      NULL, NULL, &error);

  g_assert_no_error (error);
  return request;
}

/* Untrusted, the controller runs nothing, and says so on the record. */
static void
test_actions_wait_for_trust (void)
{
  g_auto(Console) console = { 0 };
  g_autoptr(SitrepActionRequest) describe = NULL;
  g_autoptr(SitrepActionRequest) restart = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) undo = NULL;
  g_autofree char *args = NULL;

  fake_kubectl_set_up ();
  console_init (&console, fake_kubectl);
  sitrep_action_controller_set_trusted (console.controller, FALSE);
  describe = gateway_request (&console, "describe");
  restart = gateway_request (&console, "restart");

  g_assert_false (sitrep_action_controller_check_allowed (console.controller,
                                                          sitrep_action_request_get_action (describe),
                                                          &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_UNTRUSTED);
  g_clear_error (&error);
  g_assert_null (sitrep_action_controller_run (console.controller, describe, NULL, FALSE, &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_UNTRUSTED);
  g_clear_error (&error);
  g_assert_null (sitrep_action_controller_run (console.controller, describe, NULL, TRUE, &error));
  g_clear_error (&error);
  undo = sitrep_action_controller_schedule (console.controller, restart, NULL, &error);
  g_assert_null (undo);
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_UNTRUSTED);
  g_clear_error (&error);

  /* A little while for anything that might have started. */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  }
  args = recorded ();
  g_assert_cmpstr (args, ==, "");
  entries = sitrep_store_list_audit (console.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  for (guint i = 0; i < entries->len; i++)
    {
      SitrepAuditEntry *entry = entries->pdata[i];

      g_assert_cmpstr (entry->outcome, ==, SITREP_AUDIT_REFUSED);
      g_assert_nonnull (strstr (entry->output_tail, "trust it first"));
    }

  sitrep_action_controller_set_trusted (console.controller, TRUE);
  g_assert_nonnull (sitrep_action_controller_run (console.controller, describe, NULL, FALSE,
                                                  &error));
  g_assert_no_error (error);
  wait_finished (console.controller);
  g_clear_pointer (&args, g_free);
  args = recorded ();
  g_assert_nonnull (strstr (args, "describe\ndeployment/nw-gateway\n"));

  console_clear (&console);
  fake_kubectl_tear_down ();
}

/* Inside Flatpak, commands reach the host through flatpak-spawn: only the spawn sees it. What is
 * shown, copied, audited and put on the timeline is the command itself. */
static void
test_flatpak_spawn_never_shown (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sitrep-host-XXXXXX", &error);
  g_autofree char *spawn = NULL;
  g_autofree char *spawned_file = NULL;
  g_autofree char *script = NULL;
  g_autofree char *path_env = NULL;
  g_autofree char *spawned = NULL;
  g_autofree char *line = NULL;
  g_autofree char *args = NULL;
  g_auto(Console) console = { 0 };
  g_autoptr(SitrepActionRequest) describe = NULL;
  g_autoptr(SitrepActionRequest) undo = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_auto(GStrv) expanded = NULL;
  const char *const *dry_run;
  const char *const describe_template[] = { "kubectl", "describe", "{target}", NULL };

  g_assert_no_error (error);
  /* A flatpak-spawn that writes down how it was called, then runs the command on the "host". */
  spawn = g_build_filename (dir, "flatpak-spawn", NULL);
  spawned_file = g_build_filename (dir, "spawned", NULL);
  script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$@\" >> '%s'\n"
                            "[ \"$1\" = --host ] || exit 99\nshift\nexec \"$@\"\n", spawned_file);
  g_file_set_contents (spawn, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (spawn, 0755), ==, 0);
  path_env = g_strdup_printf ("%s:%s", dir, g_getenv ("PATH"));
  g_setenv ("PATH", path_env, TRUE);

  fake_kubectl_set_up ();
  console_init (&console, fake_kubectl);
  sitrep_argv_set_sandboxed_for_testing (TRUE);

  /* Shown (service page, dialog) and copied. */
  expanded = sitrep_argv_expand (describe_template, console.runbook,
                                 sitrep_runbook_find_service (console.runbook, "gateway"), NULL,
                                 NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (expanded[0], ==, fake_kubectl);
  describe = gateway_request (&console, "describe");
  g_assert_cmpstr (sitrep_action_request_get_argv (describe)[0], ==, fake_kubectl);
  line = sitrep_action_request_get_command_line (describe);
  g_assert_null (strstr (line, "flatpak-spawn"));
  g_assert_true (g_str_has_suffix (line, " --context nw-test --namespace freight describe "
                                         "deployment/nw-gateway"));
  /* The preview flag still lands after the verb. */
  undo = gateway_request (&console, "undo");
  dry_run = sitrep_action_request_get_dry_run_argv (undo);
  g_assert_nonnull (dry_run);
  g_assert_cmpstr (dry_run[0], ==, fake_kubectl);
  g_assert_cmpstr (dry_run[5], ==, "rollout");
  g_assert_cmpstr (dry_run[8], ==, "--dry-run=server");

  /* Run through the controller: it goes through flatpak-spawn --host… */
  g_assert_nonnull (sitrep_action_controller_run (console.controller, describe, NULL, FALSE,
                                                  &error));
  g_assert_no_error (error);
  wait_finished (console.controller);
  g_assert_true (g_file_get_contents (spawned_file, &spawned, NULL, NULL));
  g_assert_true (g_str_has_prefix (spawned, "--host\n"));
  g_assert_nonnull (strstr (spawned, fake_kubectl));
  args = recorded ();
  g_assert_nonnull (strstr (args, "--context\nnw-test\n--namespace\nfreight\ndescribe\n"
                                  "deployment/nw-gateway\n"));

  /* …and the record never mentions it. */
  entries = sitrep_store_list_audit (console.store, &error);
  g_assert_no_error (error);
  /* Written ahead: "started", then "succeeded". */
  g_assert_cmpuint (entries->len, ==, 2);
  for (guint k = 0; k < entries->len; k++)
    {
      SitrepAuditEntry *entry = entries->pdata[k];

      g_assert_cmpstr (entry->outcome, ==, k == 0 ? SITREP_AUDIT_STARTED : SITREP_AUDIT_SUCCEEDED);
      g_assert_cmpstr (entry->argv[0], ==, fake_kubectl);
      for (guint i = 0; entry->argv[i] != NULL; i++)
        g_assert_cmpstr (entry->argv[i], !=, "flatpak-spawn");
    }
  events = sitrep_store_list_events (console.store, console.incident_id,
                                     SITREP_TIMELINE_LIST_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    g_assert_null (strstr (fixture_shown_text (events->pdata[i]), "flatpak-spawn"));
  {
    g_autofree char *listed = commands_text (console.runbook);

    g_assert_null (strstr (listed, "flatpak-spawn"));
  }

  /* A command probe goes the same way, niced on the host's side (sitrep-probe-program.c). */
  {
    g_autoptr(SitrepRunbook) runbook = fixture_runbook_load ("COMMAND", "/bin/echo", NULL);
    g_autoptr(SitrepProbeContext) context = sitrep_probe_context_new (runbook);
    const SitrepService *billing = sitrep_runbook_find_service (runbook, "billing");
    ProbeWait wait = { 0 };
    g_autofree char *after = NULL;

    sitrep_probe_run_async (context, billing, billing->probes->pdata[0], NULL, probe_done_cb,
                            &wait);
    while (!wait.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_no_error (wait.error);
    g_assert_cmpint (wait.result->status, ==, 0);
    sitrep_probe_result_unref (wait.result);
    g_assert_true (g_file_get_contents (spawned_file, &after, NULL, NULL));
    g_assert_nonnull (strstr (after, "--host\nnice\n-n\n10\n/bin/echo\n"));
  }

  sitrep_argv_set_sandboxed_for_testing (FALSE);
  console_clear (&console);
  fake_kubectl_tear_down ();
  g_unlink (spawn);
  g_unlink (spawned_file);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  scratch = g_dir_make_tmp ("sitrep-trust-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/trust/list-commands", test_list_commands);
  g_test_add_func ("/trust/remembered-by-content", test_remembered_by_content);
  g_test_add_func ("/trust/remembered-bounded", test_remembered_bounded);
  g_test_add_func ("/trust/link-check", test_link_check);
  g_test_add_func ("/trust/link-at-load-time", test_link_at_load_time);
  g_test_add_func ("/trust/probes-wait", test_probes_wait_for_trust);
  g_test_add_func ("/trust/actions-wait", test_actions_wait_for_trust);
  g_test_add_func ("/trust/flatpak-spawn-never-shown", test_flatpak_spawn_never_shown);

  status = g_test_run ();
  g_rmdir (scratch);
  g_free (scratch);
  return status;
}
