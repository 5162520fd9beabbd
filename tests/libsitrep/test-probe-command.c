/* test-probe-command.c: command probes, and kube probes with the real kubectl against a fake API */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "sitrep-drill-kube.h"
#include "fixture-processes.h"
#include "probe-test-util.h"
#include "sitrep-argv-private.h"
#include "sitrep-probe-private.h"
#include "sitrep-probe.h"
#include "sitrep-runbook-loader.h"

#define KUBECTL "/usr/bin/kubectl"

static const char runbook_json[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Probe tests\",\n"
  "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n"
  "  \"environment\": { \"context\": \"probe-cluster\", \"namespace\": \"probe-ns\" },\n"
  "  \"services\": [\n"
  "    { \"id\": \"api\", \"name\": \"API\", \"target\": \"deployment/api\",\n"
  "      \"probes\": [\n"
  "        { \"id\": \"true\", \"type\": \"command\", \"argv\": [\"true\"] },\n"
  "        { \"id\": \"false\", \"type\": \"command\", \"argv\": [\"false\"] },\n"
  "        { \"id\": \"nice\", \"type\": \"command\",\n"
  "          \"argv\": [\"cut\", \"-d\", \" \", \"-f\", \"19\", \"/proc/self/stat\"] },\n"
  "        { \"id\": \"json\", \"type\": \"command\",\n"
  "          \"argv\": [\"echo\", \"{{\\\"ok\\\": true, \\\"service\\\": \\\"{service}\\\"}}\"] },\n"
  "        { \"id\": \"missing\", \"type\": \"command\", \"argv\": [\"sitrep-no-such-program\"] },\n"
  "        { \"id\": \"slow\", \"type\": \"command\", \"argv\": [\"sleep\", \"10\"], \"timeout\": \"300ms\" },\n"
  "        { \"id\": \"orphan\", \"type\": \"command\", \"timeout\": \"300ms\",\n"
  "          \"argv\": [\"@ORPHAN@\"] },\n"
  "        { \"id\": \"endless\", \"type\": \"command\", \"argv\": [\"yes\"], \"timeout\": \"30s\" },\n"
  "        { \"id\": \"deployment\", \"type\": \"kube\", \"timeout\": \"20s\" },\n"
  "        { \"id\": \"gone\", \"type\": \"kube\", \"target\": \"deployment/nope\", \"timeout\": \"20s\" }\n"
  "      ] }\n"
  "  ]\n"
  "}\n";

/* A program that leaves a child holding its output open: a script, since a runbook's commands
 * never run through a shell. */
static char *
orphan_script (void)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "orphan.sh", NULL);
  g_autoptr(GError) error = NULL;

  g_assert (g_mkdir_with_parents (g_get_user_cache_dir (), 0700) == 0);
  g_file_set_contents (path, "#!/bin/sh\nsleep 30 & sleep 60\n", -1, &error);
  g_assert_no_error (error);
  g_assert (g_chmod (path, 0700) == 0);
  return g_steal_pointer (&path);
}

static SitrepRunbook *
load_runbook (void)
{
  g_autofree char *orphan = orphan_script ();
  g_auto(GStrv) parts = g_strsplit (runbook_json, "@ORPHAN@", -1);
  g_autofree char *json = g_strjoinv (orphan, parts);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_strdup (json), strlen (json));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_bytes (bytes, "probe-command.json", &problems, &error);

  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  return runbook;
}

/* Runs one probe inside a main loop whose 10 ms timer must keep firing. */
static SitrepProbeResult *
run_probe (SitrepProbeContext *context,
           const char         *probe_id,
           gint64             *elapsed_ms,
           GError            **error)
{
  /* Generous: a busy machine stalls the loop a few hundred ms under the sanitizers; a probe
   * that waited on the network would stall it for a timeout. */
  return probe_test_run_spec (context, "api", probe_id, 30, G_USEC_PER_SEC, elapsed_ms, error);
}

static SitrepProbeContext *
new_context (void)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook ();

  return sitrep_probe_context_new (runbook);
}

static void
test_true (void)
{
  g_autoptr(SitrepProbeContext) context = new_context ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = run_probe (context, "true", NULL, &error);

  g_assert_no_error (error);
  g_assert_true (result->ran);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_null (result->error);
  g_assert_cmpfloat (result->response_time_ms, >, 0);
}

static void
test_false (void)
{
  g_autoptr(SitrepProbeContext) context = new_context ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = run_probe (context, "false", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, 1);
  g_assert_nonnull (result->error);
  g_assert_nonnull (strstr (result->error, "exited with status 1"));
}

/* A probe's program runs below the console: the 19th field of a process's stat is its
 * niceness. */
static void
test_nice (void)
{
  g_autoptr(SitrepProbeContext) context = new_context ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = run_probe (context, "nice", NULL, &error);
  g_autofree char *expected = g_strdup_printf ("%d", MIN (getpriority (PRIO_PROCESS, 0) + 10,
                                                          19));

  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpstr (result->result, ==, expected);
}

/* Inside Flatpak the program runs on the host through flatpak-spawn, which a priority set in
 * the child does not reach: `nice` goes before the host's command instead. A flatpak-spawn of
 * the test's own writes down what it was asked to run, then runs it. */
static void
test_nice_on_host (void)
{
  g_autofree char *bin = g_build_filename (g_get_user_cache_dir (), "host-bin", NULL);
  g_autofree char *fake = g_build_filename (bin, "flatpak-spawn", NULL);
  g_autofree char *asked = g_build_filename (bin, "asked", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$@\" > '%s'\n"
                                             "[ \"$1\" = --host ] || exit 99\nshift\n"
                                             "exec \"$@\"\n", asked);
  g_autofree char *path = g_strdup_printf ("%s:%s", bin, g_getenv ("PATH"));
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autoptr(SitrepProbeContext) context = NULL;
  g_autoptr(SitrepProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  g_autofree char *expected = g_strdup_printf ("%d", MIN (getpriority (PRIO_PROCESS, 0) + 10,
                                                          19));

  g_assert_cmpint (g_mkdir_with_parents (bin, 0700), ==, 0);
  g_file_set_contents (fake, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fake, 0700), ==, 0);
  g_setenv ("PATH", path, TRUE);
  sitrep_argv_set_sandboxed_for_testing (TRUE);

  context = new_context ();
  result = run_probe (context, "nice", NULL, &error);

  sitrep_argv_set_sandboxed_for_testing (FALSE);
  g_setenv ("PATH", old_path, TRUE);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_true (g_file_get_contents (asked, &args, NULL, NULL));
  g_assert_cmpstr (args, ==, "--host\nnice\n-n\n10\ncut\n-d\n \n-f\n19\n/proc/self/stat\n");
  /* Once, on the host's side: flatpak-spawn itself runs at the console's priority. */
  g_assert_cmpstr (result->result, ==, expected);
}

static void
test_json (void)
{
  g_autoptr(SitrepProbeContext) context = new_context ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = run_probe (context, "json", NULL, &error);
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_null (result->error);
  g_assert_null (result->json_error);
  g_assert_nonnull (result->json);
  object = json_node_get_object (result->json);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  /* {service} was expanded inside one argument, and nothing was split. */
  g_assert_cmpstr (json_object_get_string_member (object, "service"), ==, "api");
  g_assert_nonnull (strstr (result->result, "\"ok\": true"));
}

static void
test_missing (void)
{
  g_autoptr(SitrepProbeContext) context = new_context ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = run_probe (context, "missing", NULL, &error);

  g_assert_null (result);
  g_assert_error (error, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN);
  g_assert_nonnull (strstr (error->message, "sitrep-no-such-program"));
  g_assert_nonnull (strstr (error->message, "not installed or not on PATH"));
}

static void
test_timeout (void)
{
  g_autoptr(SitrepProbeContext) context = new_context ();
  g_autoptr(GError) error = NULL;
  gint64 elapsed;
  g_autoptr(SitrepProbeResult) result = run_probe (context, "slow", &elapsed, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result->error);
  g_assert_nonnull (strstr (result->error, "did not finish within"));
  g_assert_cmpint (result->status, !=, 0);
  g_assert_cmpint (elapsed, >=, 290);
  /* Ended by the timeout, not by sleep's 10 s (generous: a sanitized, busy machine). */
  g_assert_cmpint (elapsed, <, 8000);
}

/* A command that leaves a child holding its output open must not hold the probe past its
 * timeout. */
static void
test_timeout_orphan (void)
{
  g_autoptr(SitrepProbeContext) context = new_context ();
  g_autoptr(GError) error = NULL;
  gint64 elapsed;
  g_autoptr(SitrepProbeResult) result = run_probe (context, "orphan", &elapsed, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result->error);
  g_assert_nonnull (strstr (result->error, "did not finish within"));
  /* Not held by the child's 30 s. */
  g_assert_cmpint (elapsed, <, 8000);
}

/* Output that never ends is cut at the limit, without waiting for the timeout. */
static void
test_endless_output (void)
{
  g_autoptr(SitrepProbeContext) context = new_context ();
  g_autoptr(GError) error = NULL;
  gint64 elapsed;
  g_autoptr(SitrepProbeResult) result = run_probe (context, "endless", &elapsed, &error);

  g_assert_no_error (error);
  g_assert_true (result->body_truncated);
  g_assert_cmpuint (g_bytes_get_size (result->body), ==, 1024 * 1024);
  g_assert_nonnull (result->json_error);
  g_assert_nonnull (result->error);
  g_assert_nonnull (strstr (result->error, "output"));
  /* Cut at the limit, not at the 30 s timeout. */
  g_assert_cmpint (elapsed, <, 20000);
}

/* A runbook whose probes run the three kinds of forking script in @dir. */
static SitrepProbeContext *
scripts_context (const char *dir,
                 char      **pid_files)
{
  g_autofree char *waits = fixture_forking_script (dir, FIXTURE_SCRIPT_WAITS, &pid_files[0]);
  g_autofree char *exits = fixture_forking_script (dir, FIXTURE_SCRIPT_EXITS, &pid_files[1]);
  g_autofree char *holding = fixture_forking_script (dir, FIXTURE_SCRIPT_EXITS_HOLDING,
                                                     &pid_files[2]);
  g_autofree char *json = g_strdup_printf (
    "{ \"sitrep_runbook\": 1, \"name\": \"Scripts\",\n"
    "  \"severities\": [{ \"id\": \"P1\", \"label\": \"Urgent\", \"response_target\": \"10m\" }],\n"
    "  \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
    "  \"services\": [{ \"id\": \"api\", \"name\": \"Export\", \"probes\": [\n"
    "    { \"id\": \"waits\", \"type\": \"command\", \"argv\": [\"%s\"], \"timeout\": \"3s\" },\n"
    "    { \"id\": \"exits\", \"type\": \"command\", \"argv\": [\"%s\"], \"timeout\": \"20s\" },\n"
    "    { \"id\": \"holding\", \"type\": \"command\", \"argv\": [\"%s\"], \"timeout\": \"20s\" }\n"
    "  ] }]\n"
    "}\n", waits, exits, holding);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_bytes (bytes, "scripts.json", NULL, &error);

  g_assert_no_error (error);
  return sitrep_probe_context_new (runbook);
}

/* A program that forks a grandchild and then hangs (3 s leave a loaded machine time to fork it
 * and write the pid file first): at the timeout, the whole process group
 * goes, the grandchild with it. */
static void
test_timeout_kills_group (void)
{
  g_autofree char *dir = fixture_scratch_dir ();
  g_auto(GStrv) pid_files = g_new0 (char *, 4);
  g_autoptr(SitrepProbeContext) context = scripts_context (dir, pid_files);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = NULL;
  GPid shell, grandchild;
  gint64 elapsed;

  result = run_probe (context, "waits", &elapsed, &error);
  g_assert_no_error (error);
  g_assert_true (result->failed);
  g_assert_nonnull (strstr (result->error, "did not finish within 3.0 s"));
  g_assert_true (fixture_read_pids (pid_files[0], &shell, &grandchild));
  g_assert_true (fixture_processes_gone (shell, grandchild, shell, 10));
}

/* A program that exits at once but leaves a grandchild running: the check completed, and the
 * grandchild does not outlive it, even when it holds the program's output open. */
static void
test_done_kills_group (void)
{
  const char *probes[] = { "exits", "holding" };
  g_autofree char *dir = fixture_scratch_dir ();
  g_auto(GStrv) pid_files = g_new0 (char *, 4);
  g_autoptr(SitrepProbeContext) context = scripts_context (dir, pid_files);

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SitrepProbeResult) result = NULL;
      GPid shell, grandchild;
      gint64 elapsed;

      result = run_probe (context, probes[i], &elapsed, &error);
      g_assert_no_error (error);
      g_assert_false (result->failed);
      g_assert_null (result->error);
      g_assert_cmpint (result->status, ==, 0);
      g_assert_cmpstr (result->result, ==, "exported");
      /* Done when the program is, not at the timeout. */
      g_assert_cmpint (elapsed, <, 10000);
      g_assert_true (fixture_read_pids (pid_files[i + 1], &shell, &grandchild));
      g_assert_true (fixture_processes_gone (shell, grandchild, shell, 10));
    }
}

/* kube: the real kubectl against the fake API server. */

static gboolean
have_kubectl (void)
{
  if (g_file_test (KUBECTL, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  g_test_fail_printf ("kubectl is missing: it is on the CI image at " KUBECTL);
  return FALSE;
}

static SitrepDrillKube *
start_cluster (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepDrillKube) server = sitrep_drill_kube_new (&error);
  g_autofree char *kubeconfig = g_build_filename (g_get_user_config_dir (), "kubeconfig", NULL);

  g_assert_no_error (error);
  g_assert_true (g_mkdir_with_parents (g_get_user_config_dir (), 0700) == 0);
  sitrep_drill_kube_write_kubeconfig (server, kubeconfig, "probe-cluster", "probe-ns", FALSE, &error);
  g_assert_no_error (error);
  g_setenv ("KUBECONFIG", kubeconfig, TRUE);
  /* GLib points HOME at /dev/null for isolated tests; kubectl wants one for its cache. */
  g_assert_true (g_mkdir_with_parents (g_get_home_dir (), 0700) == 0);
  g_setenv ("HOME", g_get_home_dir (), TRUE);

  sitrep_drill_kube_add_deployment (server, "probe-ns", "api", 3, 2, 3);
  sitrep_drill_kube_add_pod (server, "probe-ns", "api-1", "api", 0, "started\n");
  sitrep_drill_kube_add_pod (server, "probe-ns", "api-2", "api", 4, "crashed\n");
  /* The same name in the decoy namespace: reading it would be the wrong cluster's answer. */
  sitrep_drill_kube_add_deployment (server, "decoy", "api", 9, 9, 9);
  return g_steal_pointer (&server);
}

static void
test_kube_deployment (void)
{
  g_autoptr(SitrepProbeContext) context = NULL;
  g_autoptr(SitrepDrillKube) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = NULL;
  const SitrepDrillKubeRequest *request;
  JsonObject *object, *status;

  if (!have_kubectl ())
    return;
  server = start_cluster ();
  context = new_context ();
  sitrep_probe_context_set_kubectl (context, KUBECTL);
  result = run_probe (context, "deployment", NULL, &error);

  g_assert_no_error (error);
  if (result->error != NULL)
    g_test_message ("kubectl failed: %s", result->error);
  g_assert_null (result->error);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_null (result->json_error);
  g_assert_nonnull (result->json);
  object = json_node_get_object (result->json);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "Deployment");
  status = json_object_get_object_member (object, "status");
  g_assert_cmpint (json_object_get_int_member (status, "readyReplicas"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (status, "replicas"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (status, "updatedReplicas"), ==, 3);

  /* The runbook's namespace and context, not the kubeconfig's current ones: the current
   * context "decoy" points at a port where nothing listens. */
  request = sitrep_drill_kube_find_request (server, "GET", "/deployments/api");
  g_assert_nonnull (request);
  g_assert_cmpstr (request->path, ==, "/apis/apps/v1/namespaces/probe-ns/deployments/api");
  g_assert_null (sitrep_drill_kube_find_request (server, "GET", "/namespaces/decoy/"));
}

static void
test_kube_not_found (void)
{
  g_autoptr(SitrepProbeContext) context = NULL;
  g_autoptr(SitrepDrillKube) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = NULL;

  if (!have_kubectl ())
    return;
  server = start_cluster ();
  context = new_context ();
  sitrep_probe_context_set_kubectl (context, KUBECTL);
  result = run_probe (context, "gone", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (result->status, !=, 0);
  g_assert_nonnull (result->error);
  g_test_message ("kubectl said: %s", result->error);

  g_assert_nonnull (strstr (result->error, "NotFound"));
  g_assert_nonnull (strstr (result->error, "\"nope\" not found"));
  g_assert_null (result->json);
  g_assert_nonnull (sitrep_drill_kube_find_request (server, "GET",
                                                    "/namespaces/probe-ns/deployments/nope"));
}

/* No kubectl is no verdict on the service: the probe could not run. */
static void
test_kube_no_kubectl (void)
{
  g_autoptr(SitrepProbeContext) context = new_context ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = NULL;

  sitrep_probe_context_set_kubectl (context, "/nonexistent/kubectl");
  result = run_probe (context, "deployment", NULL, &error);

  g_assert_null (result);
  g_assert_error (error, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN);
  g_assert_nonnull (strstr (error->message, "not installed or not on PATH"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/probe-command/true", test_true);
  g_test_add_func ("/probe-command/false", test_false);
  g_test_add_func ("/probe-command/nice", test_nice);
  g_test_add_func ("/probe-command/nice-on-host", test_nice_on_host);
  g_test_add_func ("/probe-command/json", test_json);
  g_test_add_func ("/probe-command/missing", test_missing);
  g_test_add_func ("/probe-command/timeout", test_timeout);
  g_test_add_func ("/probe-command/timeout-orphan", test_timeout_orphan);
  g_test_add_func ("/probe-command/timeout-kills-group", test_timeout_kills_group);
  g_test_add_func ("/probe-command/done-kills-group", test_done_kills_group);
  g_test_add_func ("/probe-command/endless-output", test_endless_output);
  g_test_add_func ("/probe-command/kube/deployment", test_kube_deployment);
  g_test_add_func ("/probe-command/kube/not-found", test_kube_not_found);
  g_test_add_func ("/probe-command/kube/no-kubectl", test_kube_no_kubectl);

  return g_test_run ();
}
