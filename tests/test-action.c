/* test-action.c: actions resolved and checked before they run, and the runner, with a fake kubectl */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "sitrep-action.h"
#include "sitrep-action-history.h"
#include "sitrep-action-run.h"

/* A runbook with what CareCircle's lacks: string inputs with patterns, a calm environment. */
static const char test_runbook_json[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Action tests\",\n"
  "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n"
  "  \"environment\": { \"context\": \"test-cluster\", \"namespace\": \"test-ns\", \"read_only\": %s },\n"
  "  \"services\": [\n"
  "    { \"id\": \"api\", \"name\": \"API\", \"target\": \"deployment/api\", \"selector\": \"app=api\",\n"
  "      \"actions\": [\"restart\", \"pod-logs\", \"since\"] }\n"
  "  ],\n"
  "  \"actions\": [\n"
  "    { \"id\": \"restart\", \"label\": \"Restart\", \"argv\": [\"kubectl\", \"rollout\", \"restart\", \"{target}\"],\n"
  "      \"mutates\": true, \"dry_run\": true },\n"
  "    { \"id\": \"pod-logs\", \"label\": \"Pod logs\", \"argv\": [\"kubectl\", \"logs\", \"{input.pod}\"],\n"
  "      \"inputs\": [{ \"name\": \"pod\", \"label\": \"Pod\", \"type\": \"string\",\n"
  "                   \"pattern\": \"[a-z0-9]([a-z0-9.-]*[a-z0-9])?\" }] },\n"
  "    { \"id\": \"since\", \"label\": \"Recent logs\",\n"
  "      \"argv\": [\"kubectl\", \"logs\", \"-l\", \"{selector}\", \"--since={input.since}\"],\n"
  "      \"inputs\": [{ \"name\": \"since\", \"label\": \"Since\", \"type\": \"string\" }] }\n"
  "  ]\n"
  "}\n";

static char *tmp_dir;
static char *fake_kubectl;
static char *record_file;

static SitrepRunbook *
carecircle (void)
{
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_default (&error);

  g_assert_no_error (error);
  return runbook;
}

static SitrepRunbook *
test_runbook (gboolean read_only)
{
  char *text = g_strdup_printf (test_runbook_json, read_only ? "true" : "false");
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook;

  runbook = sitrep_runbook_load_bytes (bytes, "action-test.json", &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  return runbook;
}

static GHashTable *
table (const char *first, ...)
{
  GHashTable *hash = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first);
  for (const char *key = first; key != NULL; key = va_arg (args, const char *))
    g_hash_table_insert (hash, g_strdup (key), g_strdup (va_arg (args, const char *)));
  va_end (args);
  return hash;
}

static GHashTable *
offered_revisions (void)
{
  static const char *const revisions[] = { "1", "2", "3", NULL };
  GHashTable *hash = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (hash, (char *) "revision", (gpointer) revisions);
  return hash;
}

static SitrepActionRequest *
resolve (SitrepRunbook *runbook,
         const char    *service_id,
         const char    *action_id,
         GHashTable    *inputs,
         GError       **error)
{
  const SitrepService *service = sitrep_runbook_find_service (runbook, service_id);
  const SitrepAction *action = sitrep_runbook_find_action (runbook, action_id);
  g_autoptr(GHashTable) offered = offered_revisions ();

  g_assert_nonnull (service);
  g_assert_nonnull (action);
  return sitrep_action_request_new (runbook, service, action, inputs, offered, fake_kubectl, error);
}

/* "K" stands for the fake kubectl with the runbook's context and namespace after it. */
static void
assert_argv (const char *const *argv,
             const char *const *expected)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) want = NULL;

  for (guint i = 0; expected[i] != NULL; i++)
    if (g_str_equal (expected[i], "K"))
      g_strv_builder_add_many (builder, fake_kubectl, "--context", "carecircle-production",
                               "--namespace", "carecircle", NULL);
    else
      g_strv_builder_add (builder, expected[i]);
  want = g_strv_builder_end (builder);
  g_assert_nonnull (argv);
  g_assert_cmpstrv (argv, want);
}

static char *
recorded (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (record_file, &text, NULL, NULL))
    return g_strdup ("");
  return g_steal_pointer (&text);
}

static void
assert_nothing_ran (void)
{
  g_autofree char *text = recorded ();

  g_assert_cmpstr (text, ==, "");
}

/* Every CareCircle action, for every service that has it, resolves to exactly this. */
static void
test_argv_carecircle (void)
{
  static const struct
  {
    const char *service;
    const char *action;
    const char *argv[12];
    const char *follow_up[12];
  } cases[] = {
    { "api", "pods", { "K", "get", "pods", "-l", "app=carecircle-api" } },
    { "api", "logs", { "K", "logs", "-l", "app=carecircle-api", "--tail=100" } },
    { "api", "logs-memory", { "K", "logs", "-l", "app=carecircle-api", "--tail=500" } },
    { "api", "logs-previous", { "K", "logs", "-l", "app=carecircle-api", "--previous" } },
    { "api", "describe", { "K", "describe", "deployment/carecircle-api" } },
    { "api", "events", { "K", "get", "events", "--sort-by=.lastTimestamp" } },
    { "api", "top", { "K", "top", "pods" } },
    { "api", "restart", { "K", "rollout", "restart", "deployment/carecircle-api" },
      { "K", "rollout", "status", "deployment/carecircle-api", "--timeout=5m" } },
    { "api", "rollback", { "K", "rollout", "undo", "deployment/carecircle-api" },
      { "K", "rollout", "status", "deployment/carecircle-api", "--timeout=5m" } },
    { "api", "rollback-to", { "K", "rollout", "undo", "deployment/carecircle-api", "--to-revision=2" },
      { "K", "rollout", "status", "deployment/carecircle-api", "--timeout=5m" } },
    { "api", "history", { "K", "rollout", "history", "deployment/carecircle-api" } },
    { "api", "status", { "K", "rollout", "status", "deployment/carecircle-api", "--timeout=2m" } },
    { "api", "scale", { "K", "scale", "deployment/carecircle-api", "--replicas=5" } },
    { "api", "exec-shell", { "K", "exec", "-it", "deployment/carecircle-api", "--", "sh" } },
    { "web", "restart", { "K", "rollout", "restart", "deployment/carecircle-web" },
      { "K", "rollout", "status", "deployment/carecircle-web", "--timeout=5m" } },
    { "web", "rollback-to", { "K", "rollout", "undo", "deployment/carecircle-web", "--to-revision=2" },
      { "K", "rollout", "status", "deployment/carecircle-web", "--timeout=5m" } },
    { "workers", "worker-health", { "K", "exec", "deployment/carecircle-workers", "--", "curl", "-s",
                                    "localhost:3002/health" } },
    { "workers", "logs-workers", { "K", "logs", "-l", "app=carecircle-workers", "--tail=200" } },
    { "database", "restart-api-pool", { "K", "rollout", "restart", "deployment/carecircle-api" },
      { "K", "rollout", "status", "deployment/carecircle-api", "--timeout=5m" } },
    { "redis", "redis-ping", { "redis-cli", "-h", "your-redis-host", "ping" } },
    { "redis", "redis-memory", { "redis-cli", "-h", "your-redis-host", "info", "memory" } },
    { "redis", "redis-flushdb", { "redis-cli", "-h", "your-redis-host", "FLUSHDB" } },
    { "queues", "queue-medication-reminder", { "redis-cli", "-h", "your-redis-host", "LLEN",
                                               "bull:medication-reminder:wait" } },
    { "queues", "queue-notification", { "redis-cli", "-h", "your-redis-host", "LLEN",
                                        "bull:notification:wait" } },
  };
  g_autoptr(SitrepRunbook) runbook = carecircle ();
  g_autoptr(GHashTable) covered = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *services = sitrep_runbook_get_services (runbook);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const SitrepAction *action = sitrep_runbook_find_action (runbook, cases[i].action);
      g_autoptr(GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(SitrepActionRequest) request = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s on %s", cases[i].action, cases[i].service);
      g_assert_nonnull (action);
      if (g_str_equal (cases[i].action, "rollback-to"))
        g_hash_table_insert (inputs, (char *) "revision", (char *) "2");
      if (g_str_equal (cases[i].action, "scale"))
        g_hash_table_insert (inputs, (char *) "replicas", (char *) "5");
      request = resolve (runbook, cases[i].service, cases[i].action, inputs, &error);
      g_assert_no_error (error);
      assert_argv (sitrep_action_request_get_argv (request), cases[i].argv);
      if (cases[i].follow_up[0] != NULL)
        assert_argv (sitrep_action_request_get_follow_up_argv (request), cases[i].follow_up);
      else
        g_assert_null (sitrep_action_request_get_follow_up_argv (request));
      g_assert_cmpstr (sitrep_action_request_get_context (request), ==, "carecircle-production");
      g_assert_cmpstr (sitrep_action_request_get_namespace (request), ==, "carecircle");
      g_hash_table_add (covered, (char *) cases[i].action);
    }

  /* Every action some service offers is in the table above. */
  for (guint i = 0; i < services->len; i++)
    {
      const SitrepService *service = services->pdata[i];

      for (guint a = 0; service->actions != NULL && service->actions[a] != NULL; a++)
        if (!g_hash_table_contains (covered, service->actions[a]))
          g_test_fail_printf ("action %s of %s has no expected argv", service->actions[a],
                              service->id);
    }

  /* The scale default is the runbook's, 4, when no value is given. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SitrepActionRequest) request = resolve (runbook, "api", "scale", NULL, &error);
    const char *const want[] = { "K", "scale", "deployment/carecircle-api", "--replicas=4", NULL };

    g_assert_no_error (error);
    assert_argv (sitrep_action_request_get_argv (request), want);
  }
  assert_nothing_ran ();
}

static void
test_dry_run (void)
{
  g_autoptr(SitrepRunbook) runbook = carecircle ();
  g_autoptr(GHashTable) revision = table ("revision", "3", NULL);
  g_autoptr(GHashTable) replicas = table ("replicas", "7", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepActionRequest) restart = resolve (runbook, "api", "restart", NULL, &error);
  g_autoptr(SitrepActionRequest) rollback = resolve (runbook, "api", "rollback", NULL, &error);
  g_autoptr(SitrepActionRequest) rollback_to = resolve (runbook, "api", "rollback-to", revision, &error);
  g_autoptr(SitrepActionRequest) scale = resolve (runbook, "api", "scale", replicas, &error);
  g_autoptr(SitrepActionRequest) logs = resolve (runbook, "api", "logs", NULL, &error);
  g_autoptr(SitrepActionRequest) flush = resolve (runbook, "redis", "redis-flushdb", NULL, &error);
  const char *const *argv;
  const char *const want_undo[] = { "K", "rollout", "undo", "deployment/carecircle-api",
                                    "--dry-run=server", NULL };
  const char *const want_undo_to[] = { "K", "rollout", "undo", "deployment/carecircle-api",
                                       "--to-revision=3", "--dry-run=server", NULL };
  const char *const want_scale[] = { "K", "scale", "deployment/carecircle-api", "--replicas=7",
                                     "--dry-run=server", NULL };

  g_assert_no_error (error);
  /* kubectl 1.32's rollout restart has no --dry-run: the same change as a dry-run patch. */
  argv = sitrep_action_request_get_dry_run_argv (restart);
  g_assert_nonnull (argv);
  g_assert_cmpuint (g_strv_length ((GStrv) argv), ==, 11);
  g_assert_cmpstr (argv[0], ==, fake_kubectl);
  g_assert_cmpstr (argv[1], ==, "--context");
  g_assert_cmpstr (argv[2], ==, "carecircle-production");
  g_assert_cmpstr (argv[5], ==, "patch");
  g_assert_cmpstr (argv[6], ==, "deployment/carecircle-api");
  g_assert_cmpstr (argv[7], ==, "--type=strategic");
  g_assert_cmpstr (argv[8], ==, "-p");
  g_assert_true (g_str_has_prefix (argv[9], "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                                            "{\"kubectl.kubernetes.io/restartedAt\":\""));
  g_assert_cmpstr (argv[10], ==, "--dry-run=server");

  assert_argv (sitrep_action_request_get_dry_run_argv (rollback), want_undo);
  assert_argv (sitrep_action_request_get_dry_run_argv (rollback_to), want_undo_to);
  assert_argv (sitrep_action_request_get_dry_run_argv (scale), want_scale);
  g_assert_null (sitrep_action_request_get_dry_run_argv (logs));
  g_assert_null (sitrep_action_request_get_dry_run_argv (flush));
}

static void
test_current_replicas (void)
{
  g_autoptr(SitrepRunbook) runbook = carecircle ();
  g_autoptr(GHashTable) replicas = table ("replicas", "6", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepActionRequest) scale = resolve (runbook, "api", "scale", replicas, &error);
  g_autoptr(SitrepActionRequest) restart = resolve (runbook, "api", "restart", NULL, &error);
  const char *const want[] = { "K", "scale", "deployment/carecircle-api", "--replicas=6",
                               "--current-replicas=3", NULL };
  const char *const want_dry[] = { "K", "scale", "deployment/carecircle-api", "--replicas=6",
                                   "--current-replicas=3", "--dry-run=server", NULL };

  g_assert_no_error (error);
  g_assert_true (sitrep_action_request_is_scale (scale));
  g_assert_false (sitrep_action_request_is_scale (restart));
  g_assert_true (sitrep_action_request_set_current_replicas (scale, 2, &error));
  /* Set again: replaced, not added twice. */
  g_assert_true (sitrep_action_request_set_current_replicas (scale, 3, &error));
  g_assert_no_error (error);
  assert_argv (sitrep_action_request_get_argv (scale), want);
  assert_argv (sitrep_action_request_get_dry_run_argv (scale), want_dry);

  g_assert_false (sitrep_action_request_set_current_replicas (restart, 3, &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_BUILD);
}

static void
test_hostile (void)
{
  static const struct
  {
    const char *value;
    const char *input; /* replicas (CareCircle scale), revision (rollback-to), pod, since */
    const char *why;
  } cases[] = {
    { "; rm -rf /", "pod", "“;”" },
    { "$(id)", "pod", "“$”" },
    { "`id`", "since", "“`”" },
    { "a\nb", "pod", "control character" },
    { "--kubeconfig=/tmp/x", "since", "starts with “-”" },
    { "-n", "pod", "starts with “-”" },
    { "4; reboot", "replicas", "“;”" },
    { "4 5", "replicas", "white space" },
    { NULL /* "x" * 10000 */, "pod", "longer than 256 bytes" },
    { "\xff", "since", "not valid UTF-8" },
    { "../../etc/passwd", "pod", "does not match the pattern" },
    { "\xef\xbc\x90" /* full-width 0 */, "replicas", "not a whole number" },
    { "", "replicas", "empty" },
    { " ", "since", "white space" },
    { "1e3", "replicas", "not a whole number" },
    { "0x10", "replicas", "not a whole number" },
    { "-1", "replicas", "starts with “-”" },
    { "21", "replicas", "more than the maximum, 20" },
    { "$HOME", "since", "“$”" },
    { "|cat", "revision", "“|”" },
  };
  g_autoptr(SitrepRunbook) runbook = carecircle ();
  g_autoptr(SitrepRunbook) other = test_runbook (FALSE);
  g_autofree char *long_value = g_strnfill (10000, 'x');

  g_assert_cmpuint (G_N_ELEMENTS (cases), ==, 20);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *value = cases[i].value ? cases[i].value : long_value;
      g_autoptr(GHashTable) inputs = table (cases[i].input, value, NULL);
      g_autoptr(SitrepActionRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      const char *label;

      if (g_str_equal (cases[i].input, "replicas"))
        request = resolve (runbook, "api", "scale", inputs, &error), label = "Replicas";
      else if (g_str_equal (cases[i].input, "revision"))
        request = resolve (runbook, "api", "rollback-to", inputs, &error), label = "Revision";
      else if (g_str_equal (cases[i].input, "pod"))
        request = resolve (other, "api", "pod-logs", inputs, &error), label = "Pod";
      else
        request = resolve (other, "api", "since", inputs, &error), label = "Since";

      g_assert_null (request);
      g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_INVALID_INPUT);
      g_test_message ("case %u refused: %s", i, error->message);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_true (g_str_has_prefix (error->message, label));
      g_assert_nonnull (strstr (error->message, cases[i].why));
      /* The value itself is never echoed when it is long or not text. */
      g_assert_cmpuint (strlen (error->message), <, 200);
    }
  assert_nothing_ran ();

  /* The good values pass, and a revision that was not offered does not. */
  {
    g_autoptr(GHashTable) good = table ("pod", "carecircle-api-5d4f8.x-1", NULL);
    g_autoptr(GHashTable) since = table ("since", "15m", NULL);
    g_autoptr(GHashTable) revision = table ("revision", "9", NULL);
    g_autoptr(GHashTable) unknown = table ("replicas", "3", "kubeconfig", "x", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(SitrepActionRequest) ok = resolve (other, "api", "pod-logs", good, &error);
    g_autoptr(SitrepActionRequest) ok2 = resolve (other, "api", "since", since, &error);
    g_autoptr(SitrepActionRequest) bad = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (sitrep_action_request_get_argv (ok2)[8], ==, "--since=15m");
    bad = resolve (runbook, "api", "rollback-to", revision, &error);
    g_assert_null (bad);
    g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "not one of the offered choices"));
    g_clear_error (&error);
    bad = resolve (runbook, "api", "rollback-to", NULL, &error);
    g_assert_null (bad);
    g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_MISSING_INPUT);
    g_clear_error (&error);
    bad = resolve (runbook, "api", "scale", unknown, &error);
    g_assert_null (bad);
    g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "kubeconfig"));
  }
  assert_nothing_ran ();
}

static void
test_confirmation (void)
{
  g_autoptr(SitrepRunbook) runbook = carecircle ();
  g_autoptr(SitrepRunbook) calm = test_runbook (FALSE);
  g_autoptr(GHashTable) replicas = table ("replicas", "5", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepActionRequest) flush = resolve (runbook, "redis", "redis-flushdb", NULL, &error);
  g_autoptr(SitrepActionRequest) restart = resolve (runbook, "api", "restart", NULL, &error);
  g_autoptr(SitrepActionRequest) scale = resolve (runbook, "api", "scale", replicas, &error);
  g_autoptr(SitrepActionRequest) logs = resolve (runbook, "api", "logs", NULL, &error);
  g_autoptr(SitrepActionRequest) calm_restart = resolve (calm, "api", "restart", NULL, &error);
  g_autofree char *line = NULL;

  g_assert_no_error (error);
  /* Dangerous: the service id, since Redis has no kube target. */
  g_assert_true (sitrep_action_request_get_needs_confirmation (flush));
  g_assert_true (sitrep_action_request_get_needs_typed_confirmation (flush));
  g_assert_cmpstr (sitrep_action_request_get_confirmation_word (flush), ==, "redis");
  g_assert_true (sitrep_action_request_check_confirmation (flush, "redis"));
  g_assert_false (sitrep_action_request_check_confirmation (flush, "Redis"));
  g_assert_false (sitrep_action_request_check_confirmation (flush, ""));
  g_assert_false (sitrep_action_request_check_confirmation (flush, NULL));
  g_assert_cmpstr (sitrep_action_request_get_confirm_text (flush), ==,
                   "FLUSHDB clears all sessions: every user is signed out. Type the service name "
                   "to confirm.");

  /* Mutating in the protected CareCircle environment: the target's name. */
  g_assert_true (sitrep_action_request_get_needs_typed_confirmation (restart));
  g_assert_cmpstr (sitrep_action_request_get_confirmation_word (restart), ==, "carecircle-api");
  g_assert_false (sitrep_action_request_check_confirmation (restart, "deployment/carecircle-api"));
  g_assert_true (sitrep_action_request_check_confirmation (restart, "carecircle-api"));
  g_assert_cmpstr (sitrep_action_request_get_confirm_text (restart), ==,
                   "Restart deployment/carecircle-api? Its pods are replaced one by one.");
  g_assert_cmpstr (sitrep_action_request_get_confirm_text (scale), ==,
                   "Scale deployment/carecircle-api to 5 replicas?");
  g_assert_cmpstr (sitrep_action_request_get_description (restart), ==,
                   "Replace every pod of deployment/carecircle-api, one at a time.");
  line = sitrep_action_request_get_command_line (scale);
  g_assert_true (g_str_has_suffix (line, " --context carecircle-production --namespace carecircle "
                                         "scale deployment/carecircle-api --replicas=5"));

  /* Read-only: no dialog at all. */
  g_assert_false (sitrep_action_request_get_needs_confirmation (logs));
  g_assert_false (sitrep_action_request_get_needs_typed_confirmation (logs));
  g_assert_true (sitrep_action_request_check_confirmation (logs, NULL));

  /* Mutating, not dangerous, not protected: a plain confirmation. */
  g_assert_true (sitrep_action_request_get_needs_confirmation (calm_restart));
  g_assert_false (sitrep_action_request_get_needs_typed_confirmation (calm_restart));
  g_assert_cmpstr (sitrep_action_request_get_confirm_text (calm_restart), ==,
                   "Run “Restart” on API?");

  g_assert_cmpint (sitrep_action_request_get_timeout_ms (restart), ==, 5 * 60 * 1000);
  g_assert_cmpint (sitrep_action_request_get_follow_up_timeout_ms (restart), ==, 5 * 60 * 1000 + 30 * 1000);
}

static void
test_read_only (void)
{
  g_autoptr(SitrepRunbook) runbook = carecircle ();
  g_autoptr(SitrepRunbook) locked = test_runbook (TRUE);
  g_autoptr(SitrepRunbook) open = test_runbook (FALSE);

  g_assert_false (sitrep_action_is_hidden (sitrep_runbook_find_action (runbook, "restart"), runbook, FALSE));
  g_assert_true (sitrep_action_is_hidden (sitrep_runbook_find_action (runbook, "restart"), runbook, TRUE));
  g_assert_true (sitrep_action_is_hidden (sitrep_runbook_find_action (runbook, "redis-flushdb"), runbook, TRUE));
  g_assert_false (sitrep_action_is_hidden (sitrep_runbook_find_action (runbook, "logs"), runbook, TRUE));
  g_assert_false (sitrep_action_is_hidden (sitrep_runbook_find_action (runbook, "history"), runbook, TRUE));
  g_assert_true (sitrep_action_is_hidden (sitrep_runbook_find_action (locked, "restart"), locked, FALSE));
  g_assert_false (sitrep_action_is_hidden (sitrep_runbook_find_action (locked, "pod-logs"), locked, FALSE));
  g_assert_false (sitrep_action_is_hidden (sitrep_runbook_find_action (open, "restart"), open, FALSE));
}

/* kubectl 1.32's output, as printed. */
static const char history_text[] =
  "deployment.apps/carecircle-api \n"
  "REVISION  CHANGE-CAUSE\n"
  "3         <none>\n"
  "4         kubectl set image deployment/carecircle-api api=ghcr.io/carecircle/api:2.4.1\n"
  "12        deploy 2.4.2 (#812)\n"
  "\n";

static const char revision_json[] =
  "{\n"
  "    \"kind\": \"ReplicaSet\",\n"
  "    \"apiVersion\": \"apps/v1\",\n"
  "    \"metadata\": {\n"
  "        \"name\": \"carecircle-api-7c9d5b6f4d\",\n"
  "        \"namespace\": \"carecircle\",\n"
  "        \"annotations\": { \"deployment.kubernetes.io/revision\": \"4\" }\n"
  "    },\n"
  "    \"spec\": {\n"
  "        \"replicas\": 0,\n"
  "        \"template\": {\n"
  "            \"metadata\": { \"creationTimestamp\": null, \"labels\": { \"app\": \"carecircle-api\" } },\n"
  "            \"spec\": {\n"
  "                \"containers\": [\n"
  "                    { \"name\": \"api\", \"image\": \"ghcr.io/carecircle/api:2.4.1\", \"resources\": {} },\n"
  "                    { \"name\": \"proxy\", \"image\": \"envoyproxy/envoy:v1.30\", \"resources\": {} }\n"
  "                ]\n"
  "            }\n"
  "        }\n"
  "    },\n"
  "    \"status\": { \"replicas\": 0 }\n"
  "}\n";

static void
test_parsers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = sitrep_action_parse_history (history_text, &error);
  g_autoptr(GPtrArray) none = sitrep_action_parse_history ("No rollout history found.\n", &error);
  g_autofree char *image = NULL;
  g_autofree char *template_image = NULL;
  SitrepRevision *revision;
  gint64 replicas = -1;

  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 3);
  revision = revisions->pdata[0];
  g_assert_cmpint (revision->revision, ==, 3);
  g_assert_null (revision->change_cause);
  revision = revisions->pdata[1];
  g_assert_cmpint (revision->revision, ==, 4);
  g_assert_cmpstr (revision->change_cause, ==,
                   "kubectl set image deployment/carecircle-api api=ghcr.io/carecircle/api:2.4.1");
  revision = revisions->pdata[2];
  g_assert_cmpint (revision->revision, ==, 12);
  g_assert_cmpstr (revision->change_cause, ==, "deploy 2.4.2 (#812)");
  g_assert_cmpuint (none->len, ==, 0);

  g_assert_null (sitrep_action_parse_history ("error: deployments.apps \"x\" not found\n", &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (sitrep_action_parse_history ("REVISION  CHANGE-CAUSE\nx  <none>\n", &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE);
  g_clear_error (&error);

  image = sitrep_action_parse_revision_image (revision_json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (image, ==, "ghcr.io/carecircle/api:2.4.1, envoyproxy/envoy:v1.30");
  /* Older kubectl prints the pod template itself. */
  template_image = sitrep_action_parse_revision_image (
    "{\"kind\":\"PodTemplateSpec\",\"metadata\":{},\"spec\":{\"containers\":"
    "[{\"name\":\"api\",\"image\":\"api:7\"}]}}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (template_image, ==, "api:7");
  g_assert_null (sitrep_action_parse_revision_image ("{\"kind\":\"ReplicaSet\"}", &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (sitrep_action_parse_revision_image ("not json", &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_true (sitrep_action_parse_replicas ("{\"kind\":\"Deployment\",\"spec\":{\"replicas\":4}}",
                                               &replicas, &error));
  g_assert_no_error (error);
  g_assert_cmpint (replicas, ==, 4);
  g_assert_false (sitrep_action_parse_replicas ("{\"spec\":{\"replicas\":\"4\"}}", &replicas, &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_cmpint (sitrep_action_kubectl_duration_ms ("5m"), ==, 300000);
  g_assert_cmpint (sitrep_action_kubectl_duration_ms ("1m30s"), ==, 90000);
  g_assert_cmpint (sitrep_action_kubectl_duration_ms ("500ms"), ==, 500);
  g_assert_cmpint (sitrep_action_kubectl_duration_ms ("1h"), ==, 3600000);
  g_assert_cmpint (sitrep_action_kubectl_duration_ms ("5"), ==, -1);
  g_assert_cmpint (sitrep_action_kubectl_duration_ms ("soon"), ==, -1);
}

/* The runner. */

typedef struct
{
  GMainLoop *loop;
  GPtrArray *out;
  GPtrArray *err;
  GPtrArray *follow_ups;
  gint64 started;
  gint64 first_line_at;
  guint finished_signals;
  gboolean done;
  gboolean ok;
  GError *error;
} Watch;

static void
line_cb (SitrepActionRun *run,
         gboolean         is_stderr,
         const char      *line,
         Watch           *watch)
{
  g_assert_true (g_utf8_validate (line, -1, NULL));
  if (watch->first_line_at == 0)
    watch->first_line_at = g_get_monotonic_time ();
  g_ptr_array_add (is_stderr ? watch->err : watch->out, g_strdup (line));
}

static void
follow_up_cb (SitrepActionRun *run,
              const char      *command_line,
              Watch           *watch)
{
  g_ptr_array_add (watch->follow_ups, g_strdup (command_line));
}

static void
finished_cb (SitrepActionRun *run,
             Watch           *watch)
{
  watch->finished_signals++;
  g_assert_false (sitrep_action_run_get_running (run));
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Watch *watch = user_data;

  watch->ok = sitrep_action_run_execute_finish (SITREP_ACTION_RUN (source), result, &watch->error);
  watch->done = TRUE;
  g_main_loop_quit (watch->loop);
}

static gboolean
cancel_cb (gpointer user_data)
{
  sitrep_action_run_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
hung_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs to the end; @cancel_after_ms > 0 cancels then. Returns the elapsed time. */
static gint64
run_watched (SitrepActionRun *run,
             Watch           *watch,
             guint            cancel_after_ms,
             GCancellable    *cancellable)
{
  guint guard;

  watch->loop = g_main_loop_new (NULL, FALSE);
  watch->out = g_ptr_array_new_with_free_func (g_free);
  watch->err = g_ptr_array_new_with_free_func (g_free);
  watch->follow_ups = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (run, "line", G_CALLBACK (line_cb), watch);
  g_signal_connect (run, "follow-up", G_CALLBACK (follow_up_cb), watch);
  g_signal_connect (run, "finished", G_CALLBACK (finished_cb), watch);
  watch->started = g_get_monotonic_time ();
  sitrep_action_run_execute_async (run, cancellable, done_cb, watch);
  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, cancel_cb, run);
  guard = g_timeout_add_seconds (30, hung_cb, watch->loop);
  if (!watch->done)
    g_main_loop_run (watch->loop);
  g_assert_true (watch->done);
  g_source_remove (guard);
  g_assert_cmpuint (watch->finished_signals, ==, 1);
  g_signal_handlers_disconnect_by_data (run, watch);
  return (g_get_monotonic_time () - watch->started) / 1000;
}

static void
watch_clear (Watch *watch)
{
  g_clear_pointer (&watch->loop, g_main_loop_unref);
  g_clear_pointer (&watch->out, g_ptr_array_unref);
  g_clear_pointer (&watch->err, g_ptr_array_unref);
  g_clear_pointer (&watch->follow_ups, g_ptr_array_unref);
  g_clear_error (&watch->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Watch, watch_clear)

static SitrepActionRun *
shell (const char *script)
{
  const char *argv[] = { "/bin/sh", "-c", script, NULL };

  return sitrep_action_run_new (argv);
}

static void
test_run_streams (void)
{
  g_autoptr(SitrepActionRun) run = shell ("echo out1; echo err1 >&2; echo out2; echo err2 >&2; "
                                          "printf 'bad \\377 byte\\r\\nno newline'");
  g_auto(Watch) watch = { 0 };
  const char *output;

  run_watched (run, &watch, 0, NULL);
  g_assert_no_error (watch.error);
  g_assert_true (watch.ok);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_assert_cmpint (sitrep_action_run_get_exit_status (run), ==, 0);
  g_assert_cmpuint (watch.out->len, ==, 4);
  g_assert_cmpstr (watch.out->pdata[0], ==, "out1");
  g_assert_cmpstr (watch.out->pdata[1], ==, "out2");
  g_assert_cmpstr (watch.out->pdata[2], ==, "bad \xef\xbf\xbd byte");
  g_assert_cmpstr (watch.out->pdata[3], ==, "no newline");
  g_assert_cmpuint (watch.err->len, ==, 2);
  g_assert_cmpstr (watch.err->pdata[0], ==, "err1");
  g_assert_cmpstr (watch.err->pdata[1], ==, "err2");
  output = sitrep_action_run_get_output (run);
  g_assert_nonnull (strstr (output, "out1\n"));
  g_assert_nonnull (strstr (output, "err2\n"));
  g_assert_false (sitrep_action_run_get_output_truncated (run));
  g_assert_cmpint (sitrep_action_run_get_duration_ms (run), >=, 0);
}

/* Lines come as they are written, not when the command ends. */
static void
test_run_live (void)
{
  g_autoptr(SitrepActionRun) run = shell ("echo first; sleep 1; echo second");
  g_auto(Watch) watch = { 0 };
  gint64 elapsed = run_watched (run, &watch, 0, NULL);

  g_assert_cmpuint (watch.out->len, ==, 2);
  g_assert_cmpint ((watch.first_line_at - watch.started) / 1000, <, 700);
  g_assert_cmpint (elapsed, >=, 1000);
  g_assert_cmpint (sitrep_action_run_get_duration_ms (run), >=, 1000);
}

static void
test_run_exit_status (void)
{
  g_autoptr(SitrepActionRun) run = shell ("echo 'error: deployments.apps \"x\" not found' >&2; exit 3");
  g_auto(Watch) watch = { 0 };
  g_autofree char *summary = NULL;

  run_watched (run, &watch, 0, NULL);
  g_assert_true (watch.ok);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_FAILED);
  g_assert_cmpint (sitrep_action_run_get_exit_status (run), ==, 3);
  summary = sitrep_action_run_get_summary (run);
  g_assert_nonnull (strstr (summary, "exit status 3"));
  g_assert_nonnull (strstr (summary, "not found"));
}

static void
test_run_no_change (void)
{
  const char *const follow_up[] = { "/bin/sh", "-c", "echo should-not-run", NULL };
  g_autoptr(SitrepActionRun) run = shell (
    "echo 'deployment.apps/api skipped rollback (current template already matches revision 2)'");
  g_auto(Watch) watch = { 0 };
  g_autofree char *summary = NULL;

  sitrep_action_run_set_noop_output (run, "skipped rollback");
  sitrep_action_run_set_follow_up (run, follow_up, 5000);
  run_watched (run, &watch, 0, NULL);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_NO_CHANGE);
  g_assert_cmpint (sitrep_action_run_get_exit_status (run), ==, 0);
  g_assert_cmpuint (watch.follow_ups->len, ==, 0);
  g_assert_cmpint (sitrep_action_run_get_rollout_state (run), ==, SITREP_ROLLOUT_NOT_CHECKED);
  summary = sitrep_action_run_get_summary (run);
  g_assert_nonnull (strstr (summary, "Nothing changed"));
  g_assert_cmpstr (sitrep_outcome_to_string (SITREP_OUTCOME_NO_CHANGE), ==, "no-change");
}

static void
test_run_follow_up (void)
{
  static const struct
  {
    const char *script;
    SitrepOutcome outcome;
    SitrepRolloutState rollout;
    const char *summary;
  } cases[] = {
    { "echo 'deployment \"api\" successfully rolled out'", SITREP_OUTCOME_SUCCEEDED,
      SITREP_ROLLOUT_FINISHED, "rollout finished" },
    { "echo 'error: deployment \"api\" exceeded its progress deadline' >&2; exit 1",
      SITREP_OUTCOME_FAILED, SITREP_ROLLOUT_FAILED, "rollout failed" },
    { "echo 'error: timed out waiting for the condition' >&2; exit 1", SITREP_OUTCOME_TIMED_OUT,
      SITREP_ROLLOUT_TIMED_OUT, "did not finish in time" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const follow_up[] = { "/bin/sh", "-c", cases[i].script, NULL };
      g_autoptr(SitrepActionRun) run = shell ("echo 'deployment.apps/api restarted'");
      g_auto(Watch) watch = { 0 };
      g_autofree char *summary = NULL;

      sitrep_action_run_set_noop_output (run, "skipped rollback");
      sitrep_action_run_set_follow_up (run, follow_up, 5000);
      run_watched (run, &watch, 0, NULL);
      g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, cases[i].outcome);
      g_assert_cmpint (sitrep_action_run_get_rollout_state (run), ==, cases[i].rollout);
      g_assert_cmpint (sitrep_action_run_get_exit_status (run), ==, 0);
      g_assert_cmpint (sitrep_action_run_get_follow_up_exit_status (run), ==,
                       cases[i].outcome == SITREP_OUTCOME_SUCCEEDED ? 0 : 1);
      g_assert_cmpuint (watch.follow_ups->len, ==, 1);
      g_assert_true (g_str_has_prefix (watch.follow_ups->pdata[0], "/bin/sh -c "));
      g_assert_cmpstr (watch.out->pdata[0], ==, "deployment.apps/api restarted");
      g_assert_nonnull (strstr (sitrep_action_run_get_output (run), "$ /bin/sh -c "));
      summary = sitrep_action_run_get_summary (run);
      g_test_message ("%s", summary);
      g_assert_nonnull (strstr (summary, cases[i].summary));
    }
}

static void
test_run_cancel (void)
{
  const char *const argv[] = { "sleep", "30", NULL };
  g_autoptr(SitrepActionRun) run = sitrep_action_run_new (argv);
  g_auto(Watch) watch = { 0 };
  gint64 elapsed = run_watched (run, &watch, 200, NULL);

  g_assert_true (watch.ok);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_CANCELLED);
  g_assert_cmpint (sitrep_action_run_get_term_signal (run), ==, SIGTERM);
  g_assert_cmpint (sitrep_action_run_get_exit_status (run), ==, -1);
  g_assert_cmpint (elapsed, >=, 190);
  g_assert_cmpint (elapsed, <, 1500);
}

static gboolean
cancel_cancellable_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_run_cancellable (void)
{
  const char *const argv[] = { "sleep", "30", NULL };
  g_autoptr(SitrepActionRun) run = sitrep_action_run_new (argv);
  g_autoptr(SitrepActionRun) never = sitrep_action_run_new (argv);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_auto(Watch) watch = { 0 };
  g_auto(Watch) watch2 = { 0 };
  gint64 elapsed;

  g_timeout_add (200, cancel_cancellable_cb, cancellable);
  elapsed = run_watched (run, &watch, 0, cancellable);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_CANCELLED);
  g_assert_cmpint (elapsed, <, 1500);

  g_cancellable_cancel (cancelled);
  run_watched (never, &watch2, 0, cancelled);
  g_assert_cmpint (sitrep_action_run_get_outcome (never), ==, SITREP_OUTCOME_CANCELLED);
}

/* A command that ignores SIGTERM is killed after the grace period. */
static void
test_run_cancel_kill (void)
{
  g_autoptr(SitrepActionRun) run = shell ("trap '' TERM; echo ready; while :; do sleep 0.1; done");
  g_auto(Watch) watch = { 0 };
  gint64 elapsed;

  sitrep_action_run_set_grace (run, 500);
  elapsed = run_watched (run, &watch, 300, NULL);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_CANCELLED);
  g_assert_cmpint (sitrep_action_run_get_term_signal (run), ==, SIGKILL);
  g_assert_cmpint (elapsed, >=, 790);
  g_assert_cmpint (elapsed, <, 2500);
  g_assert_cmpstr (watch.out->pdata[0], ==, "ready");
}

static void
test_run_timeout (void)
{
  const char *const argv[] = { "sleep", "30", NULL };
  g_autoptr(SitrepActionRun) run = sitrep_action_run_new (argv);
  g_auto(Watch) watch = { 0 };
  g_autofree char *summary = NULL;
  gint64 elapsed;

  sitrep_action_run_set_timeout (run, 300);
  sitrep_action_run_set_grace (run, 500);
  elapsed = run_watched (run, &watch, 0, NULL);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_TIMED_OUT);
  g_assert_cmpint (elapsed, >=, 290);
  g_assert_cmpint (elapsed, <, 300 + 500 + 1000);
  summary = sitrep_action_run_get_summary (run);
  g_assert_nonnull (strstr (summary, "did not finish within 0.3 s"));
}

static void
test_run_missing (void)
{
  const char *const argv[] = { "sitrep-no-such-program", "--help", NULL };
  g_autoptr(SitrepActionRun) run = sitrep_action_run_new (argv);
  g_auto(Watch) watch = { 0 };

  run_watched (run, &watch, 0, NULL);
  g_assert_false (watch.ok);
  g_assert_error (watch.error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_RUN);
  g_assert_cmpstr (watch.error->message, ==, "sitrep-no-such-program is not installed or not on PATH");
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_FAILED);
}

static void
test_run_large_output (void)
{
  g_autoptr(SitrepActionRun) run = shell ("head -c 300000 /dev/zero | tr '\\000' a; echo; "
                                          "seq 1 30000");
  g_auto(Watch) watch = { 0 };
  const char *output;

  run_watched (run, &watch, 0, NULL);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_assert_cmpuint (watch.out->len, ==, 30001);
  g_assert_cmpuint (strlen (watch.out->pdata[0]), ==, SITREP_ACTION_RUN_MAX_LINE + strlen ("…"));
  g_assert_true (g_str_has_suffix (watch.out->pdata[0], "a…"));
  g_assert_cmpstr (watch.out->pdata[30000], ==, "30000");
  output = sitrep_action_run_get_output (run);
  g_assert_cmpuint (strlen (output), <=, SITREP_ACTION_RUN_MAX_TAIL);
  g_assert_cmpuint (strlen (output), >, SITREP_ACTION_RUN_MAX_TAIL - 100);
  g_assert_true (g_str_has_suffix (output, "\n29999\n30000\n"));
  g_assert_true (g_ascii_isdigit (output[0]));
  g_assert_true (sitrep_action_run_get_output_truncated (run));
}

/* End to end with the recording kubectl: exactly the argv shown is the argv run. */
static void
test_run_request (void)
{
  g_autoptr(SitrepRunbook) runbook = carecircle ();
  g_autoptr(GHashTable) replicas = table ("replicas", "5", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepActionRequest) request = resolve (runbook, "api", "scale", replicas, &error);
  g_autoptr(SitrepActionRun) run = NULL;
  g_auto(Watch) watch = { 0 };
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_true (sitrep_action_request_set_current_replicas (request, 4, &error));
  run = sitrep_action_run_new_for_request (request, FALSE);
  run_watched (run, &watch, 0, NULL);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_SUCCEEDED);
  text = recorded ();
  g_assert_cmpstr (text, ==, "--context\ncarecircle-production\n--namespace\ncarecircle\n"
                             "scale\ndeployment/carecircle-api\n--replicas=5\n--current-replicas=4\n");
  g_assert_cmpint (g_unlink (record_file), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* A kubectl that only writes down its arguments, one per line. */
  tmp_dir = g_dir_make_tmp ("sitrep-action-XXXXXX", &error);
  g_assert_no_error (error);
  fake_kubectl = g_build_filename (tmp_dir, "kubectl", NULL);
  record_file = g_build_filename (tmp_dir, "record", NULL);
  script = g_strdup_printf ("#!/bin/sh\nfor a in \"$@\"; do printf '%%s\\n' \"$a\" >> '%s'; done\n",
                            record_file);
  g_file_set_contents (fake_kubectl, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fake_kubectl, 0755), ==, 0);

  g_test_add_func ("/action/argv/carecircle", test_argv_carecircle);
  g_test_add_func ("/action/argv/dry-run", test_dry_run);
  g_test_add_func ("/action/argv/current-replicas", test_current_replicas);
  g_test_add_func ("/action/validate/hostile", test_hostile);
  g_test_add_func ("/action/confirmation", test_confirmation);
  g_test_add_func ("/action/read-only", test_read_only);
  g_test_add_func ("/action/parsers", test_parsers);
  g_test_add_func ("/action/run/streams", test_run_streams);
  g_test_add_func ("/action/run/live", test_run_live);
  g_test_add_func ("/action/run/exit-status", test_run_exit_status);
  g_test_add_func ("/action/run/no-change", test_run_no_change);
  g_test_add_func ("/action/run/follow-up", test_run_follow_up);
  g_test_add_func ("/action/run/cancel", test_run_cancel);
  g_test_add_func ("/action/run/cancellable", test_run_cancellable);
  g_test_add_func ("/action/run/cancel-kill", test_run_cancel_kill);
  g_test_add_func ("/action/run/timeout", test_run_timeout);
  g_test_add_func ("/action/run/missing", test_run_missing);
  g_test_add_func ("/action/run/large-output", test_run_large_output);
  g_test_add_func ("/action/run/request", test_run_request);

  status = g_test_run ();
  g_unlink (fake_kubectl);
  g_unlink (record_file);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  g_free (fake_kubectl);
  g_free (record_file);
  return status;
}
