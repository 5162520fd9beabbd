/* test-action-run.c: the runner, SitrepActionRun, with real processes and a fake kubectl */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "action-test-util.h"

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
  /* Ended by the cancel, not by sleep's 30 s. */
  g_assert_cmpint (elapsed, <, 15000);
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
  /* Ended by the cancel, not by sleep's 30 s. */
  g_assert_cmpint (elapsed, <, 15000);

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
  /* 2 s: a loaded machine has the shell's trap in place by then, so SIGTERM is ignored. */
  elapsed = run_watched (run, &watch, 2000, NULL);
  g_assert_cmpint (sitrep_action_run_get_outcome (run), ==, SITREP_OUTCOME_CANCELLED);
  g_assert_cmpint (sitrep_action_run_get_term_signal (run), ==, SIGKILL);
  /* The cancel, then the whole grace period, then SIGKILL; the loop never ends by itself. */
  g_assert_cmpint (elapsed, >=, 2490);
  g_assert_cmpint (elapsed, <, 15000);
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
  /* Ended by the timeout, not by sleep's 30 s. */
  g_assert_cmpint (elapsed, <, 15000);
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
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fake_kubectl_set_up ();

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
  fake_kubectl_tear_down ();
  return status;
}
