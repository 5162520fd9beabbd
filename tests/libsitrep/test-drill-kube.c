/* test-drill-kube.c: the drill's simulated Kubernetes API, asked by the real kubectl 1.32 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "run-test-util.h"
#include "sitrep-drill-kube.h"

#define KUBECTL "/usr/bin/kubectl"
#define NS "freight"

typedef struct
{
  SitrepDrillKube *kube;
  char *kubeconfig;
  GPtrArray *changes; /* "ns/resource/name" of each "changed" */
} Fixture;

static void
changed_cb (SitrepDrillKube *kube,
            const char      *namespace_,
            const char      *resource,
            const char      *name,
            Fixture         *fixture)
{
  g_ptr_array_add (fixture->changes, g_strdup_printf ("%s/%s/%s", namespace_, resource, name));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->kube = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  g_assert_true (g_mkdir_with_parents (g_get_user_config_dir (), 0700) == 0);
  fixture->kubeconfig = g_build_filename (g_get_user_config_dir (), "kubeconfig", NULL);
  sitrep_drill_kube_write_kubeconfig (fixture->kube, fixture->kubeconfig, "nw-drill", NS, TRUE,
                                      &error);
  g_assert_no_error (error);
  /* GLib points HOME at /dev/null for isolated tests; kubectl wants one for its cache. */
  g_assert_true (g_mkdir_with_parents (g_get_home_dir (), 0700) == 0);
  g_setenv ("HOME", g_get_home_dir (), TRUE);
  g_unsetenv ("KUBECONFIG");
  fixture->changes = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->kube, "changed", G_CALLBACK (changed_cb), fixture);

  sitrep_drill_kube_add_deployment (fixture->kube, NS, "nw-gateway", 2, 2, 2);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->kube);
  g_clear_pointer (&fixture->kubeconfig, g_free);
  g_clear_pointer (&fixture->changes, g_ptr_array_unref);
}

static gboolean
have_kubectl (void)
{
  if (g_file_test (KUBECTL, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  g_test_fail_printf ("kubectl is missing: it is on the CI image at " KUBECTL);
  return FALSE;
}

static void
add_crashing_pod (Fixture *fixture)
{
  g_autoptr(JsonNode) node = json_from_string (
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"nw-gateway-7d9c-x2k4q\","
    "\"labels\":{\"app\":\"nw-gateway\"}},\"spec\":{\"containers\":[{\"name\":\"gateway\","
    "\"image\":\"nw-gateway:2\"}]},\"status\":{\"phase\":\"Running\",\"containerStatuses\":["
    "{\"name\":\"gateway\",\"ready\":false,\"restartCount\":7,\"image\":\"nw-gateway:2\","
    "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\",\"message\":\"back-off 5m0s\"}},"
    "\"lastState\":{\"terminated\":{\"reason\":\"OOMKilled\",\"exitCode\":137,"
    "\"finishedAt\":\"2024-01-01T00:00:00Z\"}}}]}}", NULL);

  sitrep_drill_kube_add_object (fixture->kube, NS, "pods", json_node_get_object (node));
  sitrep_drill_kube_set_log (fixture->kube, NS, "nw-gateway-7d9c-x2k4q",
                             "booting\nlistening on :8080\nheap 1.9 GB\n",
                             "heap 2.0 GB\nFATAL: JavaScript heap out of memory\n");
}

/* What a person reads first: the pod list with its crash loop and restarts. */
static void
test_get_pods (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(TestRun) run = { 0 };

  if (!have_kubectl ())
    return;
  sitrep_drill_kube_add_pod (fixture->kube, NS, "nw-gateway-7d9c-abcde", "nw-gateway", 0, "ok\n");
  add_crashing_pod (fixture);

  test_run_kubectl (&run, fixture->kubeconfig, "get", "pods", "-l", "app=nw-gateway", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "NAME"));
  g_assert_nonnull (strstr (run.out, "STATUS"));
  g_assert_true (g_regex_match_simple ("nw-gateway-7d9c-abcde +1/1 +Running +0 ", run.out, 0, 0));
  g_assert_true (g_regex_match_simple ("nw-gateway-7d9c-x2k4q +0/1 +CrashLoopBackOff +7 \\(\\d+d ago\\)",
                                       run.out, 0, 0));
}

static void
test_logs (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(TestRun) tail = { 0 };
  g_auto(TestRun) previous = { 0 };
  g_auto(TestRun) none = { 0 };

  if (!have_kubectl ())
    return;
  add_crashing_pod (fixture);

  test_run_kubectl (&tail, fixture->kubeconfig, "logs", "nw-gateway-7d9c-x2k4q", "--tail=2", NULL);
  g_assert_cmpint (tail.status, ==, 0);
  g_assert_cmpstr (tail.out, ==, "listening on :8080\nheap 1.9 GB\n");

  test_run_kubectl (&previous, fixture->kubeconfig,
                    "logs", "-l", "app=nw-gateway", "--previous", NULL);
  g_assert_cmpint (previous.status, ==, 0);
  g_assert_cmpstr (previous.out, ==, "heap 2.0 GB\nFATAL: JavaScript heap out of memory\n");

  /* A pod that never restarted has no previous run, as a real cluster says. */
  sitrep_drill_kube_add_pod (fixture->kube, NS, "nw-gateway-7d9c-abcde", "nw-gateway", 0, "ok\n");
  test_run_kubectl (&none, fixture->kubeconfig,
                    "logs", "nw-gateway-7d9c-abcde", "--previous", NULL);
  g_assert_cmpint (none.status, ==, 1);
  g_assert_cmpstr (none.out, ==, "");
  g_assert_nonnull (strstr (none.err, "previous terminated container \"nw-gateway\" in pod "
                                      "\"nw-gateway-7d9c-abcde\" not found"));
}

static void
test_events_and_describe (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(TestRun) events = { 0 };
  g_auto(TestRun) describe = { 0 };

  if (!have_kubectl ())
    return;
  add_crashing_pod (fixture);
  sitrep_drill_kube_add_event (fixture->kube, NS, "Deployment", "nw-gateway", FALSE,
                               "ScalingReplicaSet", "Scaled up replica set nw-gateway-7d9c to 2");
  sitrep_drill_kube_add_event (fixture->kube, NS, "Pod", "nw-gateway-7d9c-x2k4q", TRUE,
                               "BackOff", "Back-off restarting failed container gateway");
  sitrep_drill_kube_add_event (fixture->kube, NS, "Pod", "nw-gateway-7d9c-x2k4q", TRUE,
                               "BackOff", "Back-off restarting failed container gateway");

  test_run_kubectl (&events, fixture->kubeconfig,
                    "get", "events", "--sort-by=.lastTimestamp", NULL);
  g_assert_cmpint (events.status, ==, 0);
  g_assert_true (g_regex_match_simple ("Normal +ScalingReplicaSet +deployment/nw-gateway +Scaled "
                                       "up replica set", events.out, 0, 0));
  g_assert_true (g_regex_match_simple ("Warning +BackOff +pod/nw-gateway-7d9c-x2k4q +Back-off "
                                       "restarting failed container gateway", events.out, 0, 0));
  /* The same event again counts up instead of appearing twice. */
  g_assert_nonnull (strstr (events.out, "BackOff"));
  g_assert_null (strstr (strstr (events.out, "BackOff") + 1, "BackOff"));

  test_run_kubectl (&describe, fixture->kubeconfig, "describe", "deployment/nw-gateway", NULL);
  g_assert_cmpint (describe.status, ==, 0);
  g_assert_true (g_regex_match_simple ("^Name: +nw-gateway$", describe.out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Replicas: +2 desired", describe.out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("Normal +ScalingReplicaSet .*Scaled up replica set "
                                       "nw-gateway-7d9c to 2", describe.out, 0, 0));
  /* Only the deployment's own events. */
  g_assert_null (strstr (describe.out, "Back-off restarting"));
}

static void
test_top (Fixture       *fixture,
          gconstpointer  data)
{
  g_auto(TestRun) top = { 0 };

  if (!have_kubectl ())
    return;
  add_crashing_pod (fixture);
  sitrep_drill_kube_add_pod (fixture->kube, NS, "nw-gateway-7d9c-abcde", "nw-gateway", 0, "ok\n");
  sitrep_drill_kube_set_pod_metrics (fixture->kube, NS, "nw-gateway-7d9c-abcde", 950,
                                     (gint64) 1900 * 1024 * 1024);

  test_run_kubectl (&top, fixture->kubeconfig, "top", "pods", NULL);
  g_assert_cmpint (top.status, ==, 0);
  g_assert_true (g_regex_match_simple ("NAME +CPU\\(cores\\) +MEMORY\\(bytes\\)", top.out, 0, 0));
  g_assert_true (g_regex_match_simple ("nw-gateway-7d9c-abcde +950m +1900Mi", top.out, 0, 0));
  /* A pod the metrics server has nothing for is left out, as kubectl top does. */
  g_assert_null (strstr (top.out, "x2k4q"));
}

static const char *
image_of (Fixture *fixture)
{
  JsonObject *deployment = sitrep_drill_kube_lookup (fixture->kube, NS, "deployments",
                                                     "nw-gateway");
  JsonObject *spec = json_object_get_object_member (deployment, "spec");
  JsonObject *template_ = json_object_get_object_member (spec, "template");
  JsonArray *containers = json_object_get_array_member (
    json_object_get_object_member (template_, "spec"), "containers");

  return json_object_get_string_member (json_array_get_object_element (containers, 0), "image");
}

/* The mitigations: a new image, its history, the rollback, a restart, a scale, and a dry run. */
static void
test_rollouts (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(TestRun) deploy = { 0 };
  g_auto(TestRun) history = { 0 };
  g_auto(TestRun) dry = { 0 };
  g_auto(TestRun) undo = { 0 };
  g_auto(TestRun) status = { 0 };
  g_auto(TestRun) restart = { 0 };
  g_auto(TestRun) scale = { 0 };
  JsonObject *deployment;

  if (!have_kubectl ())
    return;

  test_run_kubectl (&deploy, fixture->kubeconfig,
                    "set", "image", "deployment/nw-gateway", "nw-gateway=nw-gateway:2", NULL);
  g_assert_cmpint (deploy.status, ==, 0);
  g_assert_cmpstr (image_of (fixture), ==, "nw-gateway:2");
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  g_assert_cmpstr (fixture->changes->pdata[0], ==, NS "/deployments/nw-gateway");

  test_run_kubectl (&history, fixture->kubeconfig,
                    "rollout", "history", "deployment/nw-gateway", NULL);
  g_assert_cmpint (history.status, ==, 0);
  g_assert_true (g_regex_match_simple ("^1 ", history.out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^2 ", history.out, G_REGEX_MULTILINE, 0));

  test_run_kubectl (&dry, fixture->kubeconfig,
                    "rollout", "undo", "deployment/nw-gateway", "--dry-run=server", NULL);
  g_assert_cmpint (dry.status, ==, 0);
  g_assert_cmpstr (image_of (fixture), ==, "nw-gateway:2");
  g_assert_cmpuint (fixture->changes->len, ==, 1);

  test_run_kubectl (&undo, fixture->kubeconfig, "rollout", "undo", "deployment/nw-gateway", NULL);
  g_assert_cmpint (undo.status, ==, 0);
  g_assert_nonnull (strstr (undo.out, "rolled back"));
  g_assert_cmpstr (image_of (fixture), ==, "nw-gateway:1");
  g_assert_cmpuint (fixture->changes->len, ==, 2);

  test_run_kubectl (&status, fixture->kubeconfig,
                    "rollout", "status", "deployment/nw-gateway", "--timeout=20s", NULL);
  g_assert_cmpint (status.status, ==, 0);
  g_assert_nonnull (strstr (status.out, "successfully rolled out"));

  test_run_kubectl (&restart, fixture->kubeconfig,
                    "rollout", "restart", "deployment/nw-gateway", NULL);
  g_assert_cmpint (restart.status, ==, 0);
  deployment = sitrep_drill_kube_lookup (fixture->kube, NS, "deployments", "nw-gateway");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_object_get_object_member (deployment,
                                                                                   "metadata"),
                                                    "annotations"),
                     "deployment.kubernetes.io/revision"), ==, "4");
  g_assert_cmpuint (fixture->changes->len, ==, 3);

  test_run_kubectl (&scale, fixture->kubeconfig, "scale", "deployment/nw-gateway", "--replicas=5",
                    "--current-replicas=2", NULL);
  g_assert_cmpint (scale.status, ==, 0);
  deployment = sitrep_drill_kube_lookup (fixture->kube, NS, "deployments", "nw-gateway");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (deployment, "spec"),
                                               "replicas"), ==, 5);
  g_assert_cmpuint (fixture->changes->len, ==, 4);
}

/* The simulated pods run nothing: exec says so instead of hanging or pretending. */
static void
test_exec_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(TestRun) run = { 0 };

  if (!have_kubectl ())
    return;
  sitrep_drill_kube_add_pod (fixture->kube, NS, "nw-gateway-7d9c-abcde", "nw-gateway", 0, "ok\n");
  sitrep_drill_kube_set_exec_message (fixture->kube, "this is a drill: the pods run no programs");

  test_run_kubectl (&run, fixture->kubeconfig, "exec", "deployment/nw-gateway", "--", "curl", "-s",
                    "localhost:3002/health", NULL);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "this is a drill: the pods run no programs"));
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  GBytes *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (bytes != NULL)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

/* The server answers in this thread's main loop: the request must not block it. */
static GBytes *
send_and_read (SoupSession *session,
               SoupMessage *msg,
               GError     **error)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, read_cb,
                                    g_object_ref (task));
  while (!g_task_get_completed (task))
    g_main_context_iteration (NULL, TRUE);
  return g_task_propagate_pointer (task, error);
}

/* Bodies kubectl would never send: a clear refusal, and nothing changes. */
static void
test_hostile_requests (Fixture       *fixture,
                       gconstpointer  data)
{
  const struct
  {
    const char *method;
    const char *path;
    const char *type;
    const char *body;
    guint status;
  } cases[] = {
    { "PATCH", "/apis/apps/v1/namespaces/" NS "/deployments/nw-gateway",
      "application/merge-patch+json", "{not json", SOUP_STATUS_BAD_REQUEST },
    { "PATCH", "/apis/apps/v1/namespaces/" NS "/deployments/nw-gateway",
      "application/json-patch+json", "[{\"op\":\"move\",\"path\":\"/spec\"}]",
      SOUP_STATUS_UNPROCESSABLE_ENTITY },
    { "PATCH", "/apis/apps/v1/namespaces/" NS "/deployments/nw-gateway",
      "application/json-patch+json", "[42, \"x\"]", SOUP_STATUS_UNPROCESSABLE_ENTITY },
    { "PATCH", "/apis/apps/v1/namespaces/" NS "/deployments/nw-gateway/scale",
      "application/merge-patch+json", "{\"spec\":null}", SOUP_STATUS_UNPROCESSABLE_ENTITY },
    { "PATCH", "/apis/apps/v1/namespaces/" NS "/deployments/missing",
      "application/merge-patch+json", "{}", SOUP_STATUS_NOT_FOUND },
    { "GET", "/api/v1/namespaces/" NS "/secrets", NULL, NULL, SOUP_STATUS_NOT_FOUND },
    { "DELETE", "/api/v1/namespaces/" NS "/pods", NULL, NULL, SOUP_STATUS_METHOD_NOT_ALLOWED },
    { "GET", "/api/v1/namespaces/" NS "/pods/none/log", NULL, NULL, SOUP_STATUS_NOT_FOUND },
    { "GET", "/apis/metrics.k8s.io/v1beta1/namespaces/" NS "/pods/none", NULL, NULL,
      SOUP_STATUS_NOT_FOUND },
    { "GET", "/nowhere", NULL, NULL, SOUP_STATUS_NOT_FOUND },
  };
  /* A proxy must not stand between the test and loopback. */
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *url = sitrep_drill_kube_get_url (fixture->kube);
  JsonObject *before = json_object_ref (sitrep_drill_kube_lookup (fixture->kube, NS, "deployments",
                                                                  "nw-gateway"));
  g_autoptr(JsonNode) before_node = json_node_init_object (json_node_alloc (), before);
  g_autofree char *before_text = json_to_string (before_node, FALSE);

  json_object_unref (before);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *uri = g_strconcat (url, cases[i].path, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new (cases[i].method, uri);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) status = NULL;

      if (cases[i].body != NULL)
        {
          g_autoptr(GBytes) body = g_bytes_new_static (cases[i].body, strlen (cases[i].body));

          soup_message_set_request_body_from_bytes (msg, cases[i].type, body);
        }
      answer = send_and_read (session, msg, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, cases[i].status);
      /* Every refusal is a Status a client can show. */
      status = json_from_string (g_bytes_get_data (answer, NULL), NULL);
      g_assert_nonnull (status);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (status), "kind"), ==,
                       "Status");
    }
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  {
    g_autoptr(JsonNode) after_node = json_node_init_object (
      json_node_alloc (), sitrep_drill_kube_lookup (fixture->kube, NS, "deployments",
                                                    "nw-gateway"));
    g_autofree char *after_text = json_to_string (after_node, FALSE);

    g_assert_cmpstr (after_text, ==, before_text);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/drill-kube/get-pods", Fixture, NULL, fixture_set_up, test_get_pods,
              fixture_tear_down);
  g_test_add ("/drill-kube/logs", Fixture, NULL, fixture_set_up, test_logs, fixture_tear_down);
  g_test_add ("/drill-kube/events-and-describe", Fixture, NULL, fixture_set_up,
              test_events_and_describe, fixture_tear_down);
  g_test_add ("/drill-kube/top", Fixture, NULL, fixture_set_up, test_top, fixture_tear_down);
  g_test_add ("/drill-kube/rollouts", Fixture, NULL, fixture_set_up, test_rollouts,
              fixture_tear_down);
  g_test_add ("/drill-kube/exec-refused", Fixture, NULL, fixture_set_up, test_exec_refused,
              fixture_tear_down);
  g_test_add ("/drill-kube/hostile-requests", Fixture, NULL, fixture_set_up,
              test_hostile_requests, fixture_tear_down);

  return g_test_run ();
}
