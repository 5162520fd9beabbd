/* test-action.c: actions resolved and checked before they run, with a fake kubectl */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sitrep-action-request.h"
#include "sitrep-action-history.h"
#include "action-test-util.h"
#include "sitrep-runbook-loader.h"

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
    g_assert_nonnull (ok);
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

/* What the audit log keeps of how a command ran says when it ran in a drill. */
static void
test_drill_record (void)
{
  const char *drill_environment = "false, \"drill\": true, \"kubeconfig\": \"/run/drill/kubeconfig\"";
  char *text = g_strdup_printf (test_runbook_json, drill_environment);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) drill = sitrep_runbook_load_bytes (bytes, "drill.json", NULL, &error);
  g_autoptr(SitrepRunbook) open = test_runbook (FALSE);
  g_autoptr(SitrepActionRequest) in_drill = NULL;
  g_autoptr(SitrepActionRequest) in_production = NULL;
  g_autofree char *drill_record = NULL;
  g_autofree char *production_record = NULL;

  g_assert_no_error (error);
  g_assert_true (sitrep_runbook_get_environment (drill)->drill);
  in_drill = sitrep_action_request_new (drill, sitrep_runbook_find_service (drill, "api"),
                                        sitrep_runbook_find_action (drill, "restart"), NULL, NULL,
                                        fake_kubectl, &error);
  g_assert_no_error (error);
  in_production = sitrep_action_request_new (open, sitrep_runbook_find_service (open, "api"),
                                             sitrep_runbook_find_action (open, "restart"), NULL,
                                             NULL, fake_kubectl, &error);
  g_assert_no_error (error);
  drill_record = sitrep_action_request_get_process_record (in_drill);
  production_record = sitrep_action_request_get_process_record (in_production);
  g_assert_cmpstr (drill_record, ==, "{\"environment\":\"drill\"}");
  g_assert_cmpstr (production_record, ==, "{}");
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

/* kubectl exec -it goes to a terminal emulator, or reports there is none so it can be copied. */
static void
test_open_in_terminal (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "terminal-bin", NULL);
  g_autofree char *script = g_build_filename (dir, "kgx", NULL);
  g_autofree char *record = g_build_filename (dir, "args", NULL);
  g_autofree char *body = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  const char *argv[] = { "kubectl", "exec", "-it", "deployment/api", "--", "sh", NULL };
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_setenv ("PATH", dir, TRUE);
  g_assert_false (sitrep_action_open_in_terminal (argv, &error));
  g_assert_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_RUN);
  g_assert_nonnull (strstr (error->message, "copied"));
  g_clear_error (&error);

  body = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$@\" > '%s.tmp' && mv '%s.tmp' '%s'\n",
                          record, record, record);
  g_assert_true (g_file_set_contents (script, body, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  /* Console (kgx) is the first choice; the rest of PATH gives the script its mv. */
  {
    g_autofree char *path = g_strdup_printf ("%s:%s", dir, old_path);

    g_setenv ("PATH", path, TRUE);
  }
  g_assert_true (sitrep_action_open_in_terminal (argv, &error));
  g_assert_no_error (error);
  g_setenv ("PATH", old_path, TRUE);

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!g_file_get_contents (record, &seen, NULL, NULL) && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  g_assert_cmpstr (seen, ==, "--\nkubectl\nexec\n-it\ndeployment/api\n--\nsh\n");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fake_kubectl_set_up ();

  g_test_add_func ("/action/argv/carecircle", test_argv_carecircle);
  g_test_add_func ("/action/argv/dry-run", test_dry_run);
  g_test_add_func ("/action/argv/current-replicas", test_current_replicas);
  g_test_add_func ("/action/validate/hostile", test_hostile);
  g_test_add_func ("/action/confirmation", test_confirmation);
  g_test_add_func ("/action/read-only", test_read_only);
  g_test_add_func ("/action/drill-record", test_drill_record);
  g_test_add_func ("/action/parsers", test_parsers);
  g_test_add_func ("/action/open-in-terminal", test_open_in_terminal);

  status = g_test_run ();
  fake_kubectl_tear_down ();
  return status;
}
