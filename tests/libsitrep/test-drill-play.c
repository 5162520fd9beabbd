/* test-drill-play.c: a drill scenario played on a manual clock, read with the real kubectl */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "run-test-util.h"
#include "sitrep-drill-kube.h"
#include "sitrep-drill-private.h"
#include "sitrep-drill-scenario.h"

#define KUBECTL "/usr/bin/kubectl"

static gboolean
pod_is_ready (JsonObject *pod)
{
  JsonObject *status = json_object_get_object_member (pod, "status");
  JsonArray *containers = json_object_get_array_member (status, "containerStatuses");

  return json_object_get_boolean_member (json_array_get_object_element (containers, 0), "ready");
}

/* The moment a pod of the API stops being ready, its container has crashed: what a commander
 * reads first, `kubectl logs --previous`, shows why, for that pod and for the deployment
 * (whichever pod kubectl picks). Before, the pods went unready a few simulated seconds before
 * their first crash, and under load the drill's CLI test asked in that gap. */
static void
test_unready_pod_has_crashed (void)
{
  const SitrepDrillScenarioInfo *scenario = sitrep_drill_scenario_find ("api-down");
  g_autofree char *scratch = g_dir_make_tmp ("sitrep-drill-play-XXXXXX", NULL);
  g_autofree char *kubeconfig = g_build_filename (scratch, "kubeconfig", NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(SitrepDrillKube) kube = NULL;
  g_autoptr(GError) error = NULL;
  SitrepDrillBackends *backends;
  SitrepDrillPlay *play;
  guint all_down_at = 0;

  if (!g_file_test (KUBECTL, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_fail_printf ("kubectl is missing: it is on the CI image at " KUBECTL);
      return;
    }
  g_assert_nonnull (scenario);
  /* GLib points HOME at /dev/null for isolated tests; kubectl wants one for its cache. */
  g_assert_true (g_mkdir_with_parents (g_get_home_dir (), 0700) == 0);
  g_setenv ("HOME", g_get_home_dir (), TRUE);
  g_unsetenv ("KUBECONFIG");
  kube = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  sitrep_drill_kube_write_kubeconfig (kube, kubeconfig, "drill", SITREP_DRILL_NAMESPACE, TRUE,
                                      &error);
  g_assert_no_error (error);
  /* The servers are never started: the play only records what it wants of them. */
  backends = sitrep_drill_backends_new (scratch);
  play = sitrep_drill_play_new (scenario, kube, backends);

  for (guint tenth = 0; tenth <= 1200 && all_down_at == 0; tenth += 5)
    {
      g_autoptr(GPtrArray) pods = NULL;
      guint unready = 0;

      sitrep_drill_play_tick (play, tenth / 10.0);
      pods = sitrep_drill_kube_list (kube, SITREP_DRILL_NAMESPACE, "pods", "app=carecircle-api");
      g_assert_cmpuint (pods->len, >, 0);
      for (guint i = 0; i < pods->len; i++)
        {
          JsonObject *pod = pods->pdata[i];
          const char *name = json_object_get_string_member (
            json_object_get_object_member (pod, "metadata"), "name");
          g_auto(TestRun) previous = { 0 };

          if (pod_is_ready (pod))
            continue;
          unready++;
          if (!g_hash_table_add (seen, g_strdup (name)))
            continue;
          test_run_kubectl (&previous, kubeconfig, "logs", name, "--previous", NULL);
          if (previous.status != 0)
            g_test_message ("at %.1f s, %s: %s", tenth / 10.0, name, previous.err);
          g_assert_cmpint (previous.status, ==, 0);
          g_assert_nonnull (strstr (previous.out, "JavaScript heap out of memory"));
        }
      if (unready == pods->len)
        all_down_at = tenth;
    }
  /* The outage came, and kubectl's own choice of pod finds the crash too. */
  g_assert_cmpuint (all_down_at, >, 0);
  {
    g_auto(TestRun) previous = { 0 };

    test_run_kubectl (&previous, kubeconfig,
                      "logs", "deployment/carecircle-api", "--previous", NULL);
    g_assert_cmpint (previous.status, ==, 0);
    g_assert_nonnull (strstr (previous.out, "JavaScript heap out of memory"));
  }

  sitrep_drill_play_free (play);
  sitrep_drill_backends_free (backends);
  g_remove (kubeconfig);
  g_rmdir (scratch);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/drill-play/unready-pod-has-crashed", test_unready_pod_has_crashed);
  return g_test_run ();
}
