/* test-argv.c: commands stay in the environment's context and namespace, checked again at run time */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "sitrep-drill-kube.h"
#include "fixture-runbook.h"
#include "sitrep-action-run.h"
#include "sitrep-argv.h"
#include "sitrep-runbook-loader.h"

#define KUBECTL "/usr/bin/kubectl"

/* Northwind's environment: context "nw-test", namespace "freight". */
#define OUTSIDE "the command would act outside context \"nw-test\", namespace \"freight\": "

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
hung_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A runbook that went around the loader (or a value that made an argument) is still refused
 * when its command is built: every form, with what to write instead. */
static void
test_expand_refuses (void)
{
  static const struct
  {
    const char *argv[7];
    const char *message;
  } cases[] = {
    { { "env", "kubectl", "delete", "pod", "x", NULL },
      "\"env\" runs another program (and can hand it KUBECONFIG or KUBECTL), hidden from the "
      "console's checks and from the --context and --namespace it adds to kubectl; write the "
      "program itself first, e.g. [\"kubectl\", …]: the console sets no variables for a "
      "command" },
    { { "/usr/bin/env", "KUBECONFIG=/tmp/other", "kubectl", "get", "pods", NULL },
      "\"/usr/bin/env\" runs another program (and can hand it KUBECONFIG or KUBECTL), hidden "
      "from the console's checks and from the --context and --namespace it adds to kubectl; "
      "write the program itself first, e.g. [\"kubectl\", …]: the console sets no variables "
      "for a command" },
    { { "bash", "-c", "kubectl delete pod x", NULL },
      "\"bash\": commands run as argv, never through a shell, so that the console sees every "
      "program and argument; write the program and each of its arguments as entries of the "
      "list, e.g. [\"kubectl\", \"get\", \"pods\"]" },
    { { "kubectl", "get", "pods", "--context", "prod", NULL },
      "\"--context\": the console runs kubectl with --context \"nw-test\" and --namespace "
      "\"freight\" from \"environment\", so a command cannot aim at another cluster; remove "
      "it (another cluster needs its own runbook)" },
    { { KUBECTL, "get", "pods", "--token=abc", NULL },
      "\"--token=abc\": kubectl acts as the user the kubeconfig gives context \"nw-test\"; a "
      "command cannot take another identity or carry credentials; remove it (credentials "
      "belong in the kubeconfig, never in the runbook)" },
    { { "kubectl", "get", "pods", "-A", NULL },
      "\"-A\": every command stays in namespace \"freight\" from \"environment\"; remove it "
      "(another namespace needs its own runbook)" },
    { { "kubectl", "delete", "pod", "x", "-n", "kube-system", NULL },
      "\"-n kube-system\": every command runs in namespace \"freight\" from \"environment\", "
      "which the console adds itself; remove the flag, or write {namespace}" },
    { { "kubectl", "config", "use-context", "prod", NULL },
      "\"use-context\": kubectl config use-context changes the kubeconfig for every program on "
      "this machine; remove this command (the console gives each command --context "
      "\"nw-test\" itself)" },
  };
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  const SitrepService *gateway = sitrep_runbook_find_service (runbook, "gateway");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = sitrep_argv_expand (cases[i].argv, runbook, gateway, NULL, NULL,
                                               &error);
      g_autofree char *expected = g_strconcat (OUTSIDE, cases[i].message, NULL);

      g_assert_null (argv);
      g_assert_error (error, SITREP_ARGV_ERROR, SITREP_ARGV_ERROR_ESCAPE);
      g_assert_cmpstr (error->message, ==, expected);
    }

  /* An argument a value completes is checked as it will run: "--{input.flag}" passes the
   * loader, "--context=prod" does not pass here. */
  {
    const char *const template_[] = { "kubectl", "get", "pods", "--{input.flag}", NULL };
    g_autoptr(GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) argv = NULL;

    g_hash_table_insert (inputs, (char *) "flag", (char *) "context=prod");
    argv = sitrep_argv_expand (template_, runbook, gateway, inputs, NULL, &error);
    g_assert_null (argv);
    g_assert_error (error, SITREP_ARGV_ERROR, SITREP_ARGV_ERROR_ESCAPE);
    g_assert_true (g_str_has_prefix (error->message, OUTSIDE "\"--context=prod\": "));
  }
}

/* What is built for kubectl, however the runbook names it, leads with the context and the
 * namespace; {namespace} and the environment's own namespace are fine. */
static void
test_expand_adds_environment (void)
{
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load ("KUBECTL", "/opt/kube/bin/k8s", NULL);
  const SitrepService *gateway = sitrep_runbook_find_service (runbook, "gateway");
  static const char *const programs[] = { "kubectl", KUBECTL, "/opt/kube/bin/k8s" };

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      const char *const template_[] = { programs[i], "get", "{target}", "-n", "{namespace}",
                                        NULL };
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = sitrep_argv_expand (template_, runbook, gateway, NULL, NULL, &error);
      g_autofree char *line = NULL;

      g_assert_no_error (error);
      line = sitrep_argv_to_string ((const char *const *) argv);
      g_assert_cmpstr (line, ==, "/opt/kube/bin/k8s --context nw-test --namespace freight get "
                                 "deployment/nw-gateway -n freight");
    }
}

/* The real kubectl, named three ways (by name, by path, by environment.kubectl), reaches the
 * environment's context and namespace: the kubeconfig's current context is a decoy where
 * nothing listens, so an answer proves the console chose the context. */
static void
test_real_kubectl (void)
{
  g_autofree char *kubeconfig = g_build_filename (g_get_user_config_dir (), "kubeconfig", NULL);
  g_autofree char *alias = g_build_filename (g_get_user_cache_dir (), "k8s", NULL);
  g_autoptr(SitrepDrillKube) server = NULL;
  g_autoptr(GError) error = NULL;
  const char *const programs[] = { "kubectl", KUBECTL, alias };

  if (!g_file_test (KUBECTL, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_fail_printf ("kubectl is missing: it is on the CI image at " KUBECTL);
      return;
    }

  server = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  g_assert_true (g_mkdir_with_parents (g_get_user_config_dir (), 0700) == 0);
  g_assert_true (g_mkdir_with_parents (g_get_user_cache_dir (), 0700) == 0);
  sitrep_drill_kube_write_kubeconfig (server, kubeconfig, "nw-test", "freight", FALSE, &error);
  g_assert_no_error (error);
  g_setenv ("KUBECONFIG", kubeconfig, TRUE);
  /* GLib points HOME at /dev/null for isolated tests; kubectl wants one for its cache. */
  g_assert_true (g_mkdir_with_parents (g_get_home_dir (), 0700) == 0);
  g_setenv ("HOME", g_get_home_dir (), TRUE);
  /* environment.kubectl names kubectl by another name. */
  g_assert_cmpint (symlink (KUBECTL, alias), ==, 0);

  sitrep_drill_kube_add_deployment (server, "freight", "nw-gateway", 2, 2, 2);
  sitrep_drill_kube_add_deployment (server, "decoy", "nw-gateway", 9, 9, 9);

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *argv_json = g_strdup_printf ("[\"%s\", \"get\", \"{target}\", \"-o\", "
                                                    "\"name\"]",
                                                    programs[i]);
      g_autofree char *text = fixture_runbook_text ("KUBECTL", alias, NULL);
      g_auto(GStrv) parts = g_strsplit (text, "[\"kubectl\", \"describe\", \"{target}\"]", 2);
      g_autofree char *json = g_strjoinv (argv_json, parts);
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
      g_autoptr(SitrepRunbook) runbook = NULL;
      g_autoptr(SitrepActionRequest) request = NULL;
      g_autoptr(SitrepActionRun) run = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      const SitrepDrillKubeRequest *get;
      const char *const *ran;
      gboolean hung = FALSE;
      guint guard;

      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      runbook = sitrep_runbook_load_bytes (bytes, "northwind.json", NULL, &error);
      g_assert_no_error (error);
      request = sitrep_action_request_new (runbook, sitrep_runbook_find_service (runbook, "gateway"),
                                           sitrep_runbook_find_action (runbook, "describe"),
                                           NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      run = sitrep_action_run_new_for_request (request, FALSE);
      ran = sitrep_action_run_get_argv (run);
      g_assert_cmpstr (ran[0], ==, alias);
      g_assert_cmpstr (ran[1], ==, "--context");
      g_assert_cmpstr (ran[2], ==, "nw-test");
      g_assert_cmpstr (ran[3], ==, "--namespace");
      g_assert_cmpstr (ran[4], ==, "freight");

      sitrep_drill_kube_clear_requests (server);
      guard = g_timeout_add_seconds (60, hung_cb, &hung);
      sitrep_action_run_execute_async (run, NULL, wait_cb, &result);
      while (result == NULL && !hung)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (hung);
      g_source_remove (guard);
      g_assert_true (sitrep_action_run_execute_finish (run, result, &error));
      g_assert_no_error (error);

      g_test_message ("%s: %s", programs[i], sitrep_action_run_get_output (run));
      g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_SUCCEEDED);
      g_assert_nonnull (strstr (sitrep_action_run_get_output (run), "deployment.apps/nw-gateway"));
      get = sitrep_drill_kube_find_request (server, "GET", "/deployments/nw-gateway");
      g_assert_nonnull (get);
      g_assert_cmpstr (get->path, ==, "/apis/apps/v1/namespaces/freight/deployments/nw-gateway");
      g_assert_null (sitrep_drill_kube_find_request (server, "GET", "/namespaces/decoy/"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/argv/expand/refuses", test_expand_refuses);
  g_test_add_func ("/argv/expand/adds-environment", test_expand_adds_environment);
  g_test_add_func ("/argv/real-kubectl", test_real_kubectl);

  return g_test_run ();
}
