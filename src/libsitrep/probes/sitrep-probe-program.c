/* sitrep-probe-program.c: running a program for a probe (command, kube): no shell, bounded in time */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "sitrep-argv.h"
#include "sitrep-probe-program.h"

#define MAX_OUTPUT (1024 * 1024)
#define MAX_ERRORS (64 * 1024)
#define READ_CHUNK 16384
/* A probe's program runs at a lower priority than the console: kubectl takes a tenth of a
 * second of processor or more, and a few of them at once must not slow what the commander
 * sees. It still gets the processor whenever the window does not need it. */
#define PROGRAM_NICE 10

/* One run: stdout and stderr are read as they come, each within a bound, while the process is
 * waited for; the probe is done when all three are, or at once when the deadline passes.
 *
 * The program runs in a process group of its own, and the whole group is killed when the probe
 * ends, however it ends (done, timed out, too much output, cancelled, the monitor gone): a
 * shell script's `sleep 300 &` or a kubectl plugin's helper must not outlive the check. */
typedef struct
{
  SitrepProbeRun *run;          /* its cancellable also stops reading past the output limit */
  const SitrepProbeSpec *spec;
  gboolean exit_status_fails;   /* a kube probe: kubectl failing is a check that did not complete */
  GSubprocess *process;
  pid_t group;                  /* the program's process group, 0 once it was killed */
  gulong cancelled_id;
  gboolean too_much;
  gboolean waited;
  gboolean completed;
  guint pending;
  char *program;
  GByteArray *out;
  GByteArray *err;
  guint8 out_buffer[READ_CHUNK];
  guint8 err_buffer[4096];
} Command;

/* SIGKILL to the program and everything it started: a probe has nothing to save, and a hung
 * kubectl must not hold a slot. Safe to call more than once. */
static void
kill_group (Command *cmd)
{
  if (cmd->group > 0)
    {
      if (kill (-cmd->group, SIGKILL) != 0 && errno != ESRCH)
        g_warning ("Cannot stop the processes of probe %s: %s", cmd->spec->id,
                   g_strerror (errno));
      cmd->group = 0;
    }
  if (cmd->process != NULL && g_subprocess_get_identifier (cmd->process) != NULL)
    g_subprocess_force_exit (cmd->process);
}

static void
command_free (Command *cmd)
{
  if (cmd->cancelled_id != 0)
    g_cancellable_disconnect (cmd->run->cancellable, cmd->cancelled_id);
  kill_group (cmd);
  g_clear_object (&cmd->process);
  g_clear_pointer (&cmd->out, g_byte_array_unref);
  g_clear_pointer (&cmd->err, g_byte_array_unref);
  g_free (cmd->program);
  g_free (cmd);
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
complete (Command *cmd)
{
  SitrepProbeRun *run = cmd->run;
  SitrepProbeResult *result = run->result;
  g_autoptr(GBytes) body = NULL;
  SitrepReason *failure = NULL;

  if (cmd->completed)
    return;
  cmd->completed = TRUE;
  /* The program is done: whatever it left running in the background goes with it. */
  kill_group (cmd);

  body = g_bytes_new (cmd->out->data, cmd->out->len);
  sitrep_probe_result_set_body (result, body, cmd->too_much);
  result->result = cmd->out->len > 0 ? g_utf8_make_valid ((const char *) cmd->out->data,
                                                         MIN (cmd->out->len, 4096))
                                     : g_strdup ("");
  g_strstrip (result->result);

  if (cmd->waited && g_subprocess_get_if_exited (cmd->process))
    result->status = g_subprocess_get_exit_status (cmd->process);
  result->connected = result->status == 0;

  /* A program that did not run to its end did not complete the check. */
  if (run->timed_out)
    failure = sitrep_reason_new (N_("%s did not finish within %s s"),
                                 sitrep_reason_new_text (cmd->program),
                                 sitrep_probe_seconds_reason (cmd->spec->timeout_ms));
  else if (cmd->too_much)
    failure = sitrep_reason_new (N_("%s wrote more than %s KiB of output; it was stopped"),
                                 sitrep_reason_new_text (cmd->program),
                                 sitrep_reason_new_printf ("%d", MAX_OUTPUT / 1024));
  else if (cmd->waited && g_subprocess_get_if_signaled (cmd->process))
    failure = sitrep_reason_new (N_("%s was killed by signal %s"),
                                 sitrep_reason_new_text (cmd->program),
                                 sitrep_reason_new_printf ("%d", g_subprocess_get_term_sig (
                                                                   cmd->process)));
  else if (!cmd->waited)
    failure = sitrep_reason_new (N_("%s was stopped"), sitrep_reason_new_text (cmd->program));
  else if (result->status != 0)
    {
      g_autofree char *why = last_line (cmd->err);
      SitrepReason *program = sitrep_reason_new_text (cmd->program);
      SitrepReason *status = sitrep_reason_new_printf ("%d", result->status);
      SitrepReason *exited = why ? sitrep_reason_new (N_("%s exited with status %s: %s"), program,
                                                      status, sitrep_reason_new_text (why))
                                 : sitrep_reason_new (N_("%s exited with status %s"), program,
                                                      status);

      /* A command's exit status is its answer, which its conditions judge ([STATUS] == 0);
       * kubectl failing to read the object is a check that did not complete. */
      if (cmd->exit_status_fails)
        sitrep_probe_result_fail_because (result, exited);
      else
        {
          result->error = g_strdup (sitrep_reason_to_string (exited));
          result->why = exited;
        }
    }
  if (failure != NULL)
    sitrep_probe_run_fail (run, failure);
  else
    sitrep_probe_run_complete (run);
}

/* The run ends when all three pending operations are done, so none outlives it. */
static void
pending_done (Command *cmd)
{
  if (--cmd->pending == 0)
    complete (cmd);
}

static void read_pipe (Command  *cmd,
                       gboolean  is_err);

static void
read_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Command *cmd = user_data;
  gboolean is_err = G_INPUT_STREAM (source) == g_subprocess_get_stderr_pipe (cmd->process);
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, NULL);

  if (n <= 0)
    {
      pending_done (cmd);
      return;
    }
  if (is_err)
    {
      /* Keep the start of stderr and drain the rest, so the command never blocks on a full
       * pipe. */
      if (cmd->err->len < MAX_ERRORS)
        g_byte_array_append (cmd->err, cmd->err_buffer,
                             MIN ((gsize) n, MAX_ERRORS - cmd->err->len));
    }
  else
    {
      g_byte_array_append (cmd->out, cmd->out_buffer, n);
      if (cmd->out->len > MAX_OUTPUT)
        {
          /* Output past the limit is not read into memory: the command is stopped instead. */
          g_byte_array_set_size (cmd->out, MAX_OUTPUT);
          cmd->too_much = TRUE;
          kill_group (cmd);
          g_cancellable_cancel (cmd->run->cancellable);
          pending_done (cmd);
          return;
        }
    }
  read_pipe (cmd, is_err);
}

/* The next chunk of stdout or stderr. */
static void
read_pipe (Command *cmd,
           gboolean is_err)
{
  GInputStream *pipe = is_err ? g_subprocess_get_stderr_pipe (cmd->process)
                              : g_subprocess_get_stdout_pipe (cmd->process);
  guint8 *buffer = is_err ? cmd->err_buffer : cmd->out_buffer;
  gsize size = is_err ? sizeof cmd->err_buffer : sizeof cmd->out_buffer;

  g_input_stream_read_async (pipe, buffer, size, G_PRIORITY_DEFAULT, cmd->run->cancellable,
                             read_cb, cmd);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Command *cmd = user_data;

  cmd->waited = g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  /* The program is done, and its exit status is the answer: what it left in the background
   * goes now, rather than hold its output open until the deadline. */
  if (cmd->waited)
    kill_group (cmd);
  pending_done (cmd);
}

/* The deadline passed, the caller cancelled, or the monitor went away: the group goes at once,
 * not when the main loop next comes round, since a quitting application may not let it. The
 * cancellation also stops the reads, since a child left behind may hold the output open. */
static void
cancelled_cb (GCancellable *cancellable,
              Command      *cmd)
{
  kill_group (cmd);
}

typedef struct
{
  pid_t parent;
  int report;       /* where the child writes its pid, which is its process group's id */
  gboolean niced;   /* the child lowers its own priority: the program runs here, not on the
                     * host through flatpak-spawn (where `nice` does it) */
} ChildSetup;

/* In the child, before exec (plain system calls only): a lower priority than the console; a
 * process group of its own, so the probe can kill everything the program starts; and, on
 * Linux, death with Sitrep should Sitrep itself be killed. The child reports its pid because
 * GSubprocess forgets it as soon as the process is reaped, which for a quick program can be
 * before the parent asks; its group, with whatever it left running, lives on. */
static void
child_setup (gpointer user_data)
{
  const ChildSetup *setup = user_data;
  pid_t self = getpid ();

  setpgid (0, 0);
  /* Relative to the console's own: a console run with nice stays above its probes. */
  if (setup->niced)
    setpriority (PRIO_PROCESS, 0, getpriority (PRIO_PROCESS, 0) + PROGRAM_NICE);
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

/* Runs @argv_template, expanded for the probe's service, and reads what it says: the output is
 * the body, the exit status the status. With @exit_status_fails, a program that exits non-zero
 * is a check that did not complete. */
void
sitrep_probe_run_program (SitrepProbeRun    *run,
                          const char *const *argv_template,
                          gboolean           exit_status_fails)
{
  SitrepRunbook *runbook = sitrep_probe_context_get_runbook (run->context);
  const char *kubectl = sitrep_probe_context_get_kubectl (run->context);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) spawned = NULL;
  g_auto(GStrv) niced_on_host = NULL;
  g_autoptr(GError) error = NULL;
  SitrepReason *why = NULL;
  Command *cmd = g_new0 (Command, 1);
  ChildSetup setup;
  int report[2];

  cmd->run = run;
  cmd->spec = run->spec;
  cmd->exit_status_fails = exit_status_fails;
  cmd->out = g_byte_array_new ();
  cmd->err = g_byte_array_new ();
  sitrep_probe_run_set_data (run, cmd, (GDestroyNotify) command_free);

  argv = sitrep_argv_expand (argv_template, runbook, run->service, NULL, kubectl, &error);
  if (argv == NULL)
    {
      sitrep_probe_run_cannot_run_error (run, error);
      return;
    }
  cmd->program = g_path_get_basename (argv[0]);

  /* stdin is /dev/null: a probe that asks a question must not wait for an answer. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (!g_unix_open_pipe (report, FD_CLOEXEC, &error))
    {
      why = sitrep_reason_new (N_("cannot start %s: %s"),
                               sitrep_reason_new_text (argv[0]),
                               sitrep_reason_new_text (error->message));
      sitrep_probe_run_cannot_run (run, why);
      return;
    }
  if (!g_unix_set_fd_nonblocking (report[0], TRUE, &error))
    {
      close (report[0]);
      close (report[1]);
      why = sitrep_reason_new (N_("cannot start %s: %s"),
                               sitrep_reason_new_text (argv[0]),
                               sitrep_reason_new_text (error->message));
      sitrep_probe_run_cannot_run (run, why);
      return;
    }
  setup.parent = getpid ();
  setup.report = report[1];
  setup.niced = !sitrep_argv_spawns_on_host ();
  if (!setup.niced)
    {
      /* flatpak-spawn starts the program on the host, where no priority set here reaches. */
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autofree char *level = g_strdup_printf ("%d", PROGRAM_NICE);

      g_strv_builder_add_many (builder, "nice", "-n", level, NULL);
      g_strv_builder_addv (builder, (const char **) argv);
      niced_on_host = g_strv_builder_end (builder);
    }
  g_subprocess_launcher_set_child_setup (launcher, child_setup, &setup, NULL);
  sitrep_probe_run_start_clock (run);
  spawned = sitrep_argv_for_spawn ((const char *const *) (setup.niced ? argv : niced_on_host));
  cmd->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) spawned, &error);
  close (report[1]);
  if (cmd->process != NULL)
    cmd->group = read_group (report[0]);
  close (report[0]);
  if (cmd->process == NULL)
    {
      /* kubectl missing is not the service being down: the state is unknown. */
      if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        why = sitrep_reason_new (N_("%s is not installed or not on PATH"),
                                 sitrep_reason_new_text (argv[0]));
      else
        why = sitrep_reason_new (N_("cannot start %s: %s"),
                                 sitrep_reason_new_text (argv[0]),
                                 sitrep_reason_new_text (error->message));
      sitrep_probe_run_cannot_run (run, why);
      return;
    }

  cmd->cancelled_id = g_cancellable_connect (run->cancellable, G_CALLBACK (cancelled_cb), cmd,
                                             NULL);

  cmd->pending = 3;
  read_pipe (cmd, FALSE);
  read_pipe (cmd, TRUE);
  g_subprocess_wait_async (cmd->process, run->cancellable, wait_cb, cmd);
}

/* A program's probe is good without conditions when it exits 0. */
gboolean
sitrep_probe_program_exited_zero (const SitrepProbeSpec   *spec,
                                  const SitrepProbeResult *result)
{
  return result->status == 0;
}
