/* test-action-kubectl.c: actions run by the real kubectl against the fake Kubernetes API server */
#include "config.h"

#include <string.h>

#include "sitrep-drill-kube.h"
#include "sitrep-action-request.h"
#include "sitrep-action-history.h"
#include "sitrep-action-run.h"
#include "sitrep-runbook-loader.h"

#define KUBECTL "/usr/bin/kubectl"
#define NS "action-ns"

/* CareCircle's actions, aimed at a test cluster, with short rollout timeouts. */
static const char runbook_json[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"kubectl action tests\",\n"
  "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n"
  "  \"environment\": { \"context\": \"action-cluster\", \"namespace\": \"" NS "\", \"protected\": true },\n"
  "  \"services\": [\n"
  "    { \"id\": \"api\", \"name\": \"API\", \"target\": \"deployment/api\", \"selector\": \"app=api\",\n"
  "      \"actions\": [\"restart\", \"rollback-to\", \"scale\", \"status\", \"status-short\"] }\n"
  "  ],\n"
  "  \"actions\": [\n"
  "    { \"id\": \"restart\", \"label\": \"Restart\", \"argv\": [\"kubectl\", \"rollout\", \"restart\", \"{target}\"],\n"
  "      \"mutates\": true, \"dry_run\": true, \"confirm\": \"Restart {target}?\",\n"
  "      \"follow_up\": [\"kubectl\", \"rollout\", \"status\", \"{target}\", \"--timeout=20s\"] },\n"
  "    { \"id\": \"rollback-to\", \"label\": \"Roll back to a revision\",\n"
  "      \"argv\": [\"kubectl\", \"rollout\", \"undo\", \"{target}\", \"--to-revision={input.revision}\"],\n"
  "      \"inputs\": [{ \"name\": \"revision\", \"label\": \"Revision\", \"type\": \"choice\",\n"
  "                   \"choices_from\": [\"kubectl\", \"rollout\", \"history\", \"{target}\"] }],\n"
  "      \"mutates\": true, \"dry_run\": true, \"noop_output\": \"skipped rollback\",\n"
  "      \"follow_up\": [\"kubectl\", \"rollout\", \"status\", \"{target}\", \"--timeout=20s\"] },\n"
  "    { \"id\": \"scale\", \"label\": \"Scale\", \"argv\": [\"kubectl\", \"scale\", \"{target}\",\n"
  "      \"--replicas={input.replicas}\"], \"inputs\": [{ \"name\": \"replicas\", \"label\": \"Replicas\",\n"
  "      \"type\": \"integer\", \"min\": 1, \"max\": 20, \"default\": 4 }], \"mutates\": true, \"dry_run\": true },\n"
  "    { \"id\": \"status\", \"label\": \"Rollout status\",\n"
  "      \"argv\": [\"kubectl\", \"rollout\", \"status\", \"{target}\", \"--timeout=20s\"] },\n"
  "    { \"id\": \"status-short\", \"label\": \"Rollout status\",\n"
  "      \"argv\": [\"kubectl\", \"rollout\", \"status\", \"{target}\", \"--timeout=2s\"] }\n"
  "  ]\n"
  "}\n";

typedef struct
{
  SitrepDrillKube *server;
  SitrepRunbook *runbook;
  const SitrepService *service;
} Fixture;

static gboolean
have_kubectl (void)
{
  if (g_file_test (KUBECTL, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  g_test_fail_printf ("kubectl is missing: it is on the CI image at " KUBECTL);
  return FALSE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (runbook_json, strlen (runbook_json));
  g_autofree char *kubeconfig = g_build_filename (g_get_user_config_dir (), "kubeconfig", NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  fixture->runbook = sitrep_runbook_load_bytes (bytes, "action-kubectl.json", &problems, &error);
  g_assert_no_error (error);
  fixture->service = sitrep_runbook_find_service (fixture->runbook, "api");

  fixture->server = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  g_assert_true (g_mkdir_with_parents (g_get_user_config_dir (), 0700) == 0);
  sitrep_drill_kube_write_kubeconfig (fixture->server, kubeconfig, "action-cluster", NS, FALSE, &error);
  g_assert_no_error (error);
  g_setenv ("KUBECONFIG", kubeconfig, TRUE);
  /* GLib points HOME at /dev/null for isolated tests; kubectl wants one for its cache. */
  g_assert_true (g_mkdir_with_parents (g_get_home_dir (), 0700) == 0);
  g_setenv ("HOME", g_get_home_dir (), TRUE);

  sitrep_drill_kube_add_deployment (fixture->server, NS, "api", 3, 3, 3);
  sitrep_drill_kube_add_pod (fixture->server, NS, "api-1", "api", 0, "started\n");
  /* The same name where the kubeconfig's current context points: never touched. */
  sitrep_drill_kube_add_deployment (fixture->server, "decoy", "api", 9, 9, 9);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->runbook);
}

static gboolean
quit_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Iterates until @result is set, at most 60 s. */
static void
wait_for (GAsyncResult **result)
{
  gboolean hung = FALSE;
  guint guard = g_timeout_add_seconds (60, quit_cb, &hung);

  while (*result == NULL && !hung)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hung);
  g_source_remove (guard);
}

static void
line_cb (SitrepActionRun *run,
         gboolean         is_stderr,
         const char      *line,
         gpointer         user_data)
{
  g_test_message ("%s %s", is_stderr ? "!" : "|", line);
}

static SitrepActionRun *
run (SitrepActionRun *action_run)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  g_signal_connect (action_run, "line", G_CALLBACK (line_cb), NULL);
  sitrep_action_run_execute_async (action_run, NULL, store_cb, &result);
  wait_for (&result);
  g_assert_true (sitrep_action_run_execute_finish (action_run, result, &error));
  g_assert_no_error (error);
  summary = sitrep_action_run_get_summary (action_run);
  g_test_message ("outcome %s: %s", sitrep_outcome_to_string (sitrep_action_run_get_outcome (action_run)),
                  summary);
  return action_run;
}

static SitrepActionRequest *
request (Fixture    *fixture,
         const char *action_id,
         const char *input,
         const char *value)
{
  static const char *const revisions[] = { "1", "2", "3", "4", "5", NULL };
  g_autoptr(GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) offered = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  SitrepActionRequest *req;

  if (input != NULL)
    g_hash_table_insert (inputs, (char *) input, (char *) value);
  g_hash_table_insert (offered, (char *) "revision", (gpointer) revisions);
  req = sitrep_action_request_new (fixture->runbook, fixture->service,
                                   sitrep_runbook_find_action (fixture->runbook, action_id),
                                   inputs, offered, KUBECTL, &error);
  g_assert_no_error (error);
  return req;
}

static JsonObject *
deployment (Fixture *fixture)
{
  return sitrep_drill_kube_lookup (fixture->server, NS, "deployments", "api");
}

static const char *
image_of (Fixture *fixture)
{
  JsonObject *spec = json_object_get_object_member (deployment (fixture), "spec");
  JsonObject *pod = json_object_get_object_member (json_object_get_object_member (spec, "template"), "spec");
  JsonArray *containers = json_object_get_array_member (pod, "containers");

  return json_object_get_string_member (json_array_get_object_element (containers, 0), "image");
}

static const char *
revision_of (Fixture *fixture)
{
  JsonObject *metadata = json_object_get_object_member (deployment (fixture), "metadata");

  return json_object_get_string_member (json_object_get_object_member (metadata, "annotations"),
                                        "deployment.kubernetes.io/revision");
}

static gint64
replicas_of (Fixture *fixture)
{
  return json_object_get_int_member (json_object_get_object_member (deployment (fixture), "spec"),
                                     "replicas");
}

/* A new image, as a deploy would set it: a new revision. */
static void
set_image (Fixture    *fixture,
           const char *image)
{
  g_autofree char *assignment = g_strdup_printf ("api=%s", image);
  const char *const argv[] = { KUBECTL, "--context", "action-cluster", "--namespace", NS, "set",
                               "image", "deployment/api", assignment, NULL };
  g_autoptr(SitrepActionRun) action_run = sitrep_action_run_new (argv);

  run (action_run);
  g_assert_cmpint (sitrep_action_run_get_outcome (action_run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (image_of (fixture), ==, image);
}

static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(SitrepActionRun) action_run = NULL;
  const SitrepDrillKubeRequest *patch;

  if (!have_kubectl ())
    return;
  req = request (fixture, "restart", NULL, NULL);
  g_assert_true (sitrep_action_request_get_needs_typed_confirmation (req));
  g_assert_true (sitrep_action_request_check_confirmation (req, "api"));
  action_run = run (sitrep_action_run_new_for_request (req, FALSE));

  g_assert_cmpint (sitrep_action_run_get_outcome (action_run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_assert_cmpint (sitrep_action_run_get_exit_status (action_run), ==, 0);
  g_assert_cmpint (sitrep_action_run_get_rollout_state (action_run), ==, SITREP_ROLLOUT_FINISHED);
  g_assert_nonnull (strstr (sitrep_action_run_get_output (action_run), "deployment.apps/api restarted"));
  g_assert_nonnull (strstr (sitrep_action_run_get_output (action_run), "successfully rolled out"));

  patch = sitrep_drill_kube_find_request (fixture->server, "PATCH", "/deployments/api");
  g_assert_nonnull (patch);
  g_assert_cmpstr (patch->path, ==, "/apis/apps/v1/namespaces/" NS "/deployments/api");
  g_assert_cmpstr (patch->content_type, ==, "application/strategic-merge-patch+json");
  g_assert_nonnull (strstr (patch->body, "\"kubectl.kubernetes.io/restartedAt\""));
  g_assert_cmpstr (revision_of (fixture), ==, "2");
  g_assert_null (sitrep_drill_kube_find_request (fixture->server, "GET", "/namespaces/decoy/"));
}

static void
test_rollback_to (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(SitrepActionRun) action_run = NULL;
  const SitrepAction *action = sitrep_runbook_find_action (fixture->runbook, "rollback-to");
  const SitrepActionInput *input = action->inputs->pdata[0];
  const SitrepDrillKubeRequest *patch;

  if (!have_kubectl ())
    return;
  set_image (fixture, "api:2");
  set_image (fixture, "api:3");

  /* The picker: revisions from rollout history, each with its image. */
  sitrep_action_list_revisions_async (fixture->runbook, fixture->service, input, KUBECTL, NULL,
                                      store_cb, &result);
  wait_for (&result);
  revisions = sitrep_action_list_revisions_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      SitrepRevision *revision = revisions->pdata[i];
      g_autofree char *image = g_strdup_printf ("api:%u", i + 1);

      g_assert_cmpint (revision->revision, ==, i + 1);
      g_assert_cmpstr (revision->image, ==, image);
    }

  req = request (fixture, "rollback-to", "revision", "1");
  action_run = run (sitrep_action_run_new_for_request (req, FALSE));
  g_assert_cmpint (sitrep_action_run_get_outcome (action_run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_assert_cmpint (sitrep_action_run_get_rollout_state (action_run), ==, SITREP_ROLLOUT_FINISHED);
  g_assert_nonnull (strstr (sitrep_action_run_get_output (action_run), "rolled back"));
  patch = sitrep_drill_kube_find_request (fixture->server, "PATCH", "/deployments/api");
  g_assert_nonnull (patch);
  g_assert_cmpstr (patch->content_type, ==, "application/json-patch+json");
  g_assert_cmpstr (image_of (fixture), ==, "api:1");
  g_assert_cmpstr (revision_of (fixture), ==, "4");

  /* As the controller does: revision 1 became revision 4. */
  g_clear_object (&result);
  sitrep_action_list_revisions_async (fixture->runbook, fixture->service, input, KUBECTL, NULL,
                                      store_cb, &result);
  wait_for (&result);
  after = sitrep_action_list_revisions_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 3);
  g_assert_cmpint (((SitrepRevision *) after->pdata[0])->revision, ==, 2);
  g_assert_cmpint (((SitrepRevision *) after->pdata[2])->revision, ==, 4);
  g_assert_cmpstr (((SitrepRevision *) after->pdata[2])->image, ==, "api:1");
}

/* Undo to the revision already running: kubectl says "skipped rollback", and nothing changed. */
static void
test_rollback_no_op (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(SitrepActionRun) action_run = NULL;
  g_autofree char *summary = NULL;

  if (!have_kubectl ())
    return;
  set_image (fixture, "api:2");
  sitrep_drill_kube_clear_requests (fixture->server);
  req = request (fixture, "rollback-to", "revision", "2");
  action_run = run (sitrep_action_run_new_for_request (req, FALSE));

  g_assert_cmpint (sitrep_action_run_get_outcome (action_run), ==, SITREP_OUTCOME_NO_CHANGE);
  g_assert_cmpint (sitrep_action_run_get_exit_status (action_run), ==, 0);
  g_assert_cmpint (sitrep_action_run_get_rollout_state (action_run), ==, SITREP_ROLLOUT_NOT_CHECKED);
  g_assert_nonnull (strstr (sitrep_action_run_get_output (action_run), "skipped rollback"));
  summary = sitrep_action_run_get_summary (action_run);
  g_assert_nonnull (strstr (summary, "Nothing changed"));
  g_assert_null (sitrep_drill_kube_find_request (fixture->server, "PATCH", "/deployments/api"));
  g_assert_cmpstr (revision_of (fixture), ==, "2");
}

static void
test_scale (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(SitrepActionRequest) late = NULL;
  g_autoptr(SitrepActionRun) action_run = NULL;
  g_autoptr(SitrepActionRun) late_run = NULL;
  gint64 current;

  if (!have_kubectl ())
    return;
  sitrep_action_get_replicas_async (fixture->runbook, fixture->service, KUBECTL, NULL, store_cb,
                                    &result);
  wait_for (&result);
  current = sitrep_action_get_replicas_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (current, ==, 3);

  req = request (fixture, "scale", "replicas", "5");
  g_assert_true (sitrep_action_request_set_current_replicas (req, current, &error));
  action_run = run (sitrep_action_run_new_for_request (req, FALSE));
  g_assert_cmpint (sitrep_action_run_get_outcome (action_run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_assert_cmpint (replicas_of (fixture), ==, 5);

  /* Someone else scales to 7 after we read 5: our scale to 6 must not overwrite it. */
  json_object_set_int_member (json_object_get_object_member (deployment (fixture), "spec"),
                              "replicas", 7);
  late = request (fixture, "scale", "replicas", "6");
  g_assert_true (sitrep_action_request_set_current_replicas (late, 5, &error));
  late_run = run (sitrep_action_run_new_for_request (late, FALSE));
  g_assert_cmpint (sitrep_action_run_get_outcome (late_run), ==, SITREP_OUTCOME_FAILED);
  g_assert_cmpint (sitrep_action_run_get_exit_status (late_run), !=, 0);
  g_assert_nonnull (strstr (sitrep_action_run_get_output (late_run), "Expected replicas to be 5, was 7"));
  g_assert_cmpint (replicas_of (fixture), ==, 7);
}

static void
set_ready (Fixture *fixture,
           gint64   ready)
{
  JsonObject *status = json_object_get_object_member (deployment (fixture), "status");

  json_object_set_int_member (status, "readyReplicas", ready);
  json_object_set_int_member (status, "availableReplicas", ready);
}

static void
test_status_finished (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(SitrepActionRun) action_run = NULL;

  if (!have_kubectl ())
    return;
  req = request (fixture, "status", NULL, NULL);
  action_run = run (sitrep_action_run_new_for_request (req, FALSE));
  g_assert_cmpint (sitrep_action_run_get_outcome (action_run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_assert_cmpint (sitrep_action_run_get_rollout_state (action_run), ==, SITREP_ROLLOUT_FINISHED);
}

static gboolean
become_ready_cb (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), deployment (fixture));
  g_autoptr(JsonNode) copy = json_node_copy (node);

  set_ready (fixture, 3);
  /* Stored again, so the open watch gets a MODIFIED event. */
  sitrep_drill_kube_add_object (fixture->server, NS, "deployments", json_node_get_object (copy));
  return G_SOURCE_REMOVE;
}

/* Not ready yet: rollout status waits on its watch until the pods are ready. */
static void
test_status_waits (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(SitrepActionRun) action_run = NULL;

  if (!have_kubectl ())
    return;
  set_ready (fixture, 1);
  req = request (fixture, "status", NULL, NULL);
  g_timeout_add (1500, become_ready_cb, fixture);
  action_run = run (sitrep_action_run_new_for_request (req, FALSE));
  g_assert_cmpint (sitrep_action_run_get_outcome (action_run), ==, SITREP_OUTCOME_SUCCEEDED);
  g_assert_cmpint (sitrep_action_run_get_rollout_state (action_run), ==, SITREP_ROLLOUT_FINISHED);
  g_assert_nonnull (strstr (sitrep_action_run_get_output (action_run), "Waiting for deployment"));
  g_assert_cmpint (sitrep_action_run_get_duration_ms (action_run), >=, 1400);
}

/* The restart succeeds; the rollout after it does not. */
static void
test_status_failed (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(SitrepActionRun) action_run = NULL;
  g_autoptr(JsonNode) conditions = NULL;
  g_autofree char *summary = NULL;

  if (!have_kubectl ())
    return;
  conditions = json_from_string ("[{\"type\":\"Available\",\"status\":\"False\"},"
                                 "{\"type\":\"Progressing\",\"status\":\"False\","
                                 "\"reason\":\"ProgressDeadlineExceeded\","
                                 "\"message\":\"ReplicaSet \\\"api-1\\\" has timed out progressing.\"}]",
                                 NULL);
  json_object_set_member (json_object_get_object_member (deployment (fixture), "status"),
                          "conditions", g_steal_pointer (&conditions));
  req = request (fixture, "restart", NULL, NULL);
  action_run = run (sitrep_action_run_new_for_request (req, FALSE));
  g_assert_cmpint (sitrep_action_run_get_exit_status (action_run), ==, 0);
  g_assert_cmpint (sitrep_action_run_get_outcome (action_run), ==, SITREP_OUTCOME_FAILED);
  g_assert_cmpint (sitrep_action_run_get_rollout_state (action_run), ==, SITREP_ROLLOUT_FAILED);
  g_assert_cmpint (sitrep_action_run_get_follow_up_exit_status (action_run), !=, 0);
  summary = sitrep_action_run_get_summary (action_run);
  g_assert_nonnull (strstr (summary, "rollout failed"));
  g_assert_nonnull (strstr (summary, "exceeded its progress deadline"));
}

static void
test_status_timeout (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SitrepActionRequest) req = NULL;
  g_autoptr(SitrepActionRun) action_run = NULL;
  g_autofree char *summary = NULL;
  gint64 duration;

  if (!have_kubectl ())
    return;
  set_ready (fixture, 1);
  req = request (fixture, "status-short", NULL, NULL);
  action_run = run (sitrep_action_run_new_for_request (req, FALSE));
  duration = sitrep_action_run_get_duration_ms (action_run);
  g_assert_cmpint (sitrep_action_run_get_outcome (action_run), ==, SITREP_OUTCOME_TIMED_OUT);
  g_assert_cmpint (sitrep_action_run_get_rollout_state (action_run), ==, SITREP_ROLLOUT_TIMED_OUT);
  g_assert_cmpint (duration, >=, 1900);
  g_assert_cmpint (duration, <, 15000);
  summary = sitrep_action_run_get_summary (action_run);
  g_assert_nonnull (strstr (summary, "did not finish in time"));
  g_assert_nonnull (strstr (summary, "timed out waiting"));
}

/* A preview sends dryRun=All and changes nothing. */
static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  static const struct { const char *action, *input, *value, *says; } cases[] = {
    { "restart", NULL, NULL, "deployment.apps/api patched" },
    { "rollback-to", "revision", "1", "rolled back (server dry run)" },
    { "scale", "replicas", "9", "scaled (server dry run)" },
  };

  if (!have_kubectl ())
    return;
  set_image (fixture, "api:2");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SitrepActionRequest) req = request (fixture, cases[i].action, cases[i].input,
                                                    cases[i].value);
      g_autoptr(SitrepActionRun) action_run = NULL;
      const SitrepDrillKubeRequest *change;

      sitrep_drill_kube_clear_requests (fixture->server);
      action_run = run (sitrep_action_run_new_for_request (req, TRUE));
      g_assert_cmpint (sitrep_action_run_get_outcome (action_run), ==, SITREP_OUTCOME_SUCCEEDED);
      g_assert_cmpint (sitrep_action_run_get_rollout_state (action_run), ==, SITREP_ROLLOUT_NOT_CHECKED);
      g_assert_nonnull (strstr (sitrep_action_run_get_output (action_run), cases[i].says));
      change = sitrep_drill_kube_find_request (fixture->server, "PATCH", "/deployments/api");
      if (change == NULL)
        change = sitrep_drill_kube_find_request (fixture->server, "PUT", "/deployments/api");
      g_assert_nonnull (change);
      g_assert_nonnull (change->query);
      g_assert_nonnull (strstr (change->query, "dryRun=All"));

      g_assert_cmpstr (image_of (fixture), ==, "api:2");
      g_assert_cmpstr (revision_of (fixture), ==, "2");
      g_assert_cmpint (replicas_of (fixture), ==, 3);
    }
  /* No replica set was made for the previews either. */
  {
    const char *const argv[] = { KUBECTL, "--context", "action-cluster", "--namespace", NS,
                                 "rollout", "history", "deployment/api", NULL };
    g_autoptr(SitrepActionRun) history = run (sitrep_action_run_new (argv));
    g_autoptr(GPtrArray) revisions = sitrep_action_parse_history (sitrep_action_run_get_output (history), NULL);

    g_assert_nonnull (revisions);
    g_assert_cmpuint (revisions->len, ==, 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/action-kubectl/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("restart", test_restart);
  ADD ("rollback-to", test_rollback_to);
  ADD ("rollback-no-op", test_rollback_no_op);
  ADD ("scale", test_scale);
  ADD ("status/finished", test_status_finished);
  ADD ("status/waits", test_status_waits);
  ADD ("status/failed", test_status_failed);
  ADD ("status/timeout", test_status_timeout);
  ADD ("dry-run", test_dry_run);
#undef ADD

  return g_test_run ();
}
