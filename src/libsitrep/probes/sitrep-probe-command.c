/* sitrep-probe-command.c: the command and kube probes: run argv (never a shell), bounded in time */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "sitrep-argv.h"
#include "sitrep-probe.h"

#define MAX_OUTPUT (1024 * 1024)
#define MAX_ERRORS (64 * 1024)
#define READ_CHUNK 16384

/* One run: stdout and stderr are read as they come, each within a bound, while the process is
 * waited for; the probe is done when all three are, or at once when the deadline passes.
 *
 * The program runs in a process group of its own, and the whole group is killed when the probe
 * ends, however it ends (done, timed out, too much output, cancelled, the monitor gone): a
 * shell script's `sleep 300 &` or a kubectl plugin's helper must not outlive the check. */
typedef struct
{
  const SitrepProbeSpec *spec;
  SitrepProbeResult *result;
  GSubprocess *process;
  pid_t group;                  /* the program's process group, 0 once it was killed */
  gulong cancelled_id;
  SitrepProbeDeadline deadline; /* its cancellable also stops reading past the output limit */
  gboolean too_much;
  gboolean waited;
  gboolean completed;
  guint pending;
  gint64 started;
  char *program;
  GByteArray *out;
  GByteArray *err;
  guint8 out_buffer[READ_CHUNK];
  guint8 err_buffer[4096];
} Run;

/* SIGKILL to the program and everything it started: a probe has nothing to save, and a hung
 * kubectl must not hold a slot. Safe to call more than once. */
static void
kill_group (Run *run)
{
  if (run->group > 0)
    {
      if (kill (-run->group, SIGKILL) != 0 && errno != ESRCH)
        g_warning ("Cannot stop the processes of probe %s: %s", run->spec->id,
                   g_strerror (errno));
      run->group = 0;
    }
  if (run->process != NULL && g_subprocess_get_identifier (run->process) != NULL)
    g_subprocess_force_exit (run->process);
}

static void
run_free (Run *run)
{
  if (run->cancelled_id != 0)
    g_cancellable_disconnect (run->deadline.cancellable, run->cancelled_id);
  kill_group (run);
  sitrep_probe_deadline_clear (&run->deadline);
  g_clear_object (&run->process);
  g_clear_pointer (&run->result, sitrep_probe_result_unref);
  g_clear_pointer (&run->out, g_byte_array_unref);
  g_clear_pointer (&run->err, g_byte_array_unref);
  g_free (run->program);
  g_free (run);
}

static char *
last_line (GByteArray *bytes)
{
  g_autofree char *text = NULL;
  char *nl;

  if (bytes == NULL || bytes->len == 0)
    return NULL;
  text = g_utf8_make_valid ((const char *) bytes->data, bytes->len);
  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  nl = strrchr (text, '\n');
  return g_strdup (nl ? nl + 1 : text);
}

static void
complete (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  SitrepProbeResult *result = run->result;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *failure = NULL;

  if (run->completed)
    return;
  run->completed = TRUE;
  sitrep_probe_deadline_stop (&run->deadline);
  result->response_time_ms = (g_get_monotonic_time () - run->started) / 1000.0;
  /* The program is done: whatever it left running in the background goes with it. */
  kill_group (run);

  body = g_bytes_new (run->out->data, run->out->len);
  sitrep_probe_result_set_body (result, body, run->too_much);
  result->result = run->out->len > 0 ? g_utf8_make_valid ((const char *) run->out->data,
                                                         MIN (run->out->len, 4096))
                                     : g_strdup ("");
  g_strstrip (result->result);

  if (run->waited && g_subprocess_get_if_exited (run->process))
    result->status = g_subprocess_get_exit_status (run->process);
  result->connected = result->status == 0;

  /* A program that did not run to its end did not complete the check. */
  if (run->deadline.timed_out)
    failure = g_strdup_printf (_("%s did not finish within %.1f s"), run->program,
                               run->spec->timeout_ms / 1000.0);
  else if (run->too_much)
    failure = g_strdup_printf (_("%s wrote more than %d KiB of output; it was stopped"),
                               run->program, MAX_OUTPUT / 1024);
  else if (run->waited && g_subprocess_get_if_signaled (run->process))
    failure = g_strdup_printf (_("%s was killed by signal %d"), run->program,
                               g_subprocess_get_term_sig (run->process));
  else if (!run->waited)
    failure = g_strdup_printf (_("%s was stopped"), run->program);
  else if (result->status != 0)
    {
      g_autofree char *why = last_line (run->err);

      result->error = why ? g_strdup_printf (_("%s exited with status %d: %s"), run->program,
                                             result->status, why)
                          : g_strdup_printf (_("%s exited with status %d"), run->program,
                                             result->status);
      /* A command's exit status is its answer, which its conditions judge ([STATUS] == 0);
       * kubectl failing to read the object is a check that did not complete. */
      if (run->spec->type == SITREP_PROBE_KUBE)
        sitrep_probe_result_fail (result, result->error);
    }
  if (failure != NULL)
    sitrep_probe_result_fail (result, failure);

  g_task_return_pointer (task, sitrep_probe_result_ref (result),
                         (GDestroyNotify) sitrep_probe_result_unref);
}

/* Each of the three pending operations holds a reference on the task. */
static void
pending_done (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  if (--run->pending == 0)
    complete (task);
  g_object_unref (task);
}

static void read_out (GTask *task);
static void read_err (GTask *task);

static void
read_out_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, NULL);

  if (n <= 0)
    {
      pending_done (task);
      return;
    }
  g_byte_array_append (run->out, run->out_buffer, n);
  if (run->out->len > MAX_OUTPUT)
    {
      /* Output past the limit is not read into memory: the command is stopped instead. */
      g_byte_array_set_size (run->out, MAX_OUTPUT);
      run->too_much = TRUE;
      kill_group (run);
      g_cancellable_cancel (run->deadline.cancellable);
      pending_done (task);
      return;
    }
  read_out (task);
}

static void
read_out (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_input_stream_read_async (g_subprocess_get_stdout_pipe (run->process), run->out_buffer,
                             sizeof run->out_buffer, G_PRIORITY_DEFAULT, run->deadline.cancellable,
                             read_out_cb, task);
}

static void
read_err_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, NULL);

  if (n <= 0)
    {
      pending_done (task);
      return;
    }
  /* Keep the start of stderr and drain the rest, so the command never blocks on a full pipe. */
  if (run->err->len < MAX_ERRORS)
    g_byte_array_append (run->err, run->err_buffer, MIN ((gsize) n, MAX_ERRORS - run->err->len));
  read_err (task);
}

static void
read_err (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_input_stream_read_async (g_subprocess_get_stderr_pipe (run->process), run->err_buffer,
                             sizeof run->err_buffer, G_PRIORITY_DEFAULT, run->deadline.cancellable,
                             read_err_cb, task);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  run->waited = g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  /* The program is done, and its exit status is the answer: what it left in the background
   * goes now, rather than hold its output open until the deadline. */
  if (run->waited)
    kill_group (run);
  pending_done (task);
}

/* The deadline passed, the caller cancelled, or the monitor went away: the group goes at once,
 * not when the main loop next comes round, since a quitting application may not let it. The
 * cancellation also stops the reads, since a child left behind may hold the output open. */
static void
cancelled_cb (GCancellable *cancellable,
              Run          *run)
{
  kill_group (run);
}

typedef struct
{
  pid_t parent;
  int report; /* where the child writes its pid, which is its process group's id */
} ChildSetup;

/* In the child, before exec (async-signal-safe calls only): a process group of its own, so the
 * probe can kill everything the program starts; and, on Linux, death with Sitrep should Sitrep
 * itself be killed. The child reports its pid because GSubprocess forgets it as soon as the
 * process is reaped, which for a quick program can be before the parent asks; its group, with
 * whatever it left running, lives on. */
static void
child_setup (gpointer user_data)
{
  const ChildSetup *setup = user_data;
  pid_t self = getpid ();

  setpgid (0, 0);
  if (write (setup->report, &self, sizeof self) != sizeof self)
    _exit (127);
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != setup->parent)
    _exit (127);
#endif
}

/* The pid the child reported; it wrote it before exec, and spawning returns after exec. */
static pid_t
read_group (int report)
{
  pid_t group = 0;

  if (read (report, &group, sizeof group) != sizeof group)
    return 0;
  return group;
}

void
sitrep_probe_command_run_async (SitrepProbeContext    *context,
                                const SitrepService   *service,
                                const SitrepProbeSpec *spec,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  SitrepRunbook *runbook = sitrep_probe_context_get_runbook (context);
  const char *kubectl = sitrep_probe_context_get_kubectl (context);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) spawned = NULL;
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);
  ChildSetup setup;
  int report[2];

  g_task_set_source_tag (task, sitrep_probe_command_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  run->spec = spec;
  run->result = sitrep_probe_result_new ();
  run->out = g_byte_array_new ();
  run->err = g_byte_array_new ();

  if (spec->type == SITREP_PROBE_KUBE)
    {
      const char *kube_argv[] = { "kubectl", "get", spec->target, "-o", "json", NULL };

      argv = sitrep_argv_expand (kube_argv, runbook, service, NULL, kubectl, &error);
    }
  else
    {
      argv = sitrep_argv_expand ((const char *const *) spec->argv, runbook, service, NULL, kubectl,
                                 &error);
    }
  if (argv == NULL)
    {
      g_task_return_new_error (task, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN,
                               "%s", error->message);
      g_object_unref (task);
      return;
    }
  run->program = g_path_get_basename (argv[0]);

  /* stdin is /dev/null: a probe that asks a question must not wait for an answer. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (!g_unix_open_pipe (report, FD_CLOEXEC, &error))
    {
      g_task_return_new_error (task, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN,
                               _("cannot start %s: %s"), argv[0], error->message);
      g_object_unref (task);
      return;
    }
  if (!g_unix_set_fd_nonblocking (report[0], TRUE, &error))
    {
      close (report[0]);
      close (report[1]);
      g_task_return_new_error (task, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN,
                               _("cannot start %s: %s"), argv[0], error->message);
      g_object_unref (task);
      return;
    }
  setup.parent = getpid ();
  setup.report = report[1];
  g_subprocess_launcher_set_child_setup (launcher, child_setup, &setup, NULL);
  run->started = g_get_monotonic_time ();
  run->result->started_at = g_get_real_time ();
  spawned = sitrep_argv_for_spawn ((const char *const *) argv);
  run->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) spawned, &error);
  close (report[1]);
  if (run->process != NULL)
    run->group = read_group (report[0]);
  close (report[0]);
  if (run->process == NULL)
    {
      /* kubectl missing is not the service being down: the state is unknown. */
      if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        g_task_return_new_error (task, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN,
                                 _("%s is not installed or not on PATH"), argv[0]);
      else
        g_task_return_new_error (task, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN,
                                 _("cannot start %s: %s"), argv[0], error->message);
      g_object_unref (task);
      return;
    }

  sitrep_probe_deadline_start (&run->deadline, cancellable, spec->timeout_ms, NULL, NULL);
  run->cancelled_id = g_cancellable_connect (run->deadline.cancellable, G_CALLBACK (cancelled_cb),
                                             run, NULL);

  run->pending = 3;
  read_out (g_object_ref (task));
  read_err (g_object_ref (task));
  g_subprocess_wait_async (run->process, run->deadline.cancellable, wait_cb, g_object_ref (task));
  g_object_unref (task);
}

SitrepProbeResult *
sitrep_probe_command_run_finish (GAsyncResult *result,
                                 GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
