/* run-test-util.c: a program run to its end while the test's servers answer in its main loop */
#include "config.h"

#include "run-test-util.h"

void
test_run_clear (TestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TestRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
                  ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : 255;
}

void
test_run_argv (TestRun           *run,
               const char *const *argv,
               guint              seconds)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  test_run_clear (run);
  run->status = -1;
  process = g_subprocess_newv (argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, run);
  while (run->status == -1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (run->status == -1)
    g_error ("%s did not end within %u s", argv[0], seconds);
}

void
test_run_kubectl (TestRun    *run,
                  const char *kubeconfig,
                  const char *first,
                  ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  va_list args;

  g_strv_builder_add_many (builder, "/usr/bin/kubectl", "--kubeconfig", kubeconfig, NULL);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);
  test_run_argv (run, (const char *const *) argv, 60);
}
