/* sitrep-action-run-process.c: one step of a run: its process, pipes, wait, timeout and stop
 *
 * The pipes are read line by line.
 *
 * A run is a command and, after it succeeds, its follow-up (kubectl rollout status): each is a
 * step here. Output is redacted line by line and its tail kept; after the process exits, a
 * child it left behind may hold the pipes only while it keeps writing. sitrep-action-run.c
 * holds the object: its settings, its start through the hooks, its end and what it reports.
 */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>

#include "sitrep-action-run-private.h"
#include "sitrep-argv.h"

/* After the process exits, how long a child it left behind may keep its output open without
 * writing, and how long output may still be read at most. */
#define DRAIN_MS 1000
#define DRAIN_MAX_MS (30 * 1000)

static char *
program_of (const char *const *argv)
{
  return g_path_get_basename (argv[0]);
}

static gboolean
is_rollout_status (const char *const *argv)
{
  for (guint i = 0; argv[i] != NULL && argv[i + 1] != NULL; i++)
    if (g_str_equal (argv[i], "rollout") && g_str_equal (argv[i + 1], "status"))
      return TRUE;
  return FALSE;
}

void
sitrep_action_run_clear_process (SitrepActionRun *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->kill_id, g_source_remove);
  g_clear_handle_id (&self->drain_id, g_source_remove);
  if (self->io != NULL)
    g_cancellable_cancel (self->io);
  g_clear_object (&self->io);
  g_clear_object (&self->process);
}

/* Keeps the last SITREP_ACTION_RUN_MAX_TAIL bytes, from the first whole line in them. */
static void
cut_tail (SitrepActionRun *self)
{
  const char *keep = self->tail->str + self->tail->len - SITREP_ACTION_RUN_MAX_TAIL;
  const char *nl = strchr (keep, '\n');

  if (nl != NULL && nl[1] != '\0')
    keep = nl + 1;
  g_string_erase (self->tail, 0, keep - self->tail->str);
  self->tail_cut = TRUE;
}

static void
add_to_tail (SitrepActionRun *self,
             const char      *line)
{
  g_string_append (self->tail, line);
  g_string_append_c (self->tail, '\n');
  /* Trimmed in halves, so a long output costs a copy per 64 KiB, not per line. */
  if (self->tail->len > 2 * SITREP_ACTION_RUN_MAX_TAIL)
    cut_tail (self);
}

/* The last 64 KiB of output, stdout and stderr interleaved as they came, whole lines. */
const char *
sitrep_action_run_get_output (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), NULL);
  if (self->tail->len > SITREP_ACTION_RUN_MAX_TAIL)
    cut_tail (self);
  return self->tail->str;
}

/* A message of Sitrep's own about the command, kept in the output as its last error. */
void
sitrep_action_run_note_error (SitrepActionRun *self,
                              const char      *message)
{
  add_to_tail (self, message);
  g_free (self->last_error_line);
  self->last_error_line = g_strdup (message);
}

static gboolean drain_cb (gpointer user_data);

static void
take_line (SitrepActionRun *self,
           gboolean         is_stderr,
           const char      *text)
{
  g_autofree char *redacted = NULL;

  /* Output still coming after the exit is read to its end, however slow the machine: only a
   * pipe that stays silent is cut (drain_cb). */
  self->lines_taken++;

  if (!self->in_follow_up && self->noop_output != NULL && strstr (text, self->noop_output) != NULL)
    self->noop_seen = TRUE;
  if (self->watching_rollout && strstr (text, "timed out waiting") != NULL)
    self->said_timed_out = TRUE;
  if (self->watching_rollout && strstr (text, "exceeded its progress deadline") != NULL)
    self->said_deadline = TRUE;
  redacted = sitrep_redactor_redact_line (self->redactor, text, &self->in_key[is_stderr ? 1 : 0]);
  if (redacted == NULL)
    return;
  if (is_stderr && *redacted != '\0')
    {
      g_free (self->last_error_line);
      self->last_error_line = g_strdup (redacted);
    }
  add_to_tail (self, redacted);
  sitrep_action_run_emit_line (self, is_stderr, redacted);
}

static void
stdout_line_cb (const char *text,
                gpointer    user_data)
{
  take_line (user_data, FALSE, text);
}

static void
stderr_line_cb (const char *text,
                gpointer    user_data)
{
  take_line (user_data, TRUE, text);
}

void
sitrep_action_run_init_readers (SitrepActionRun *self)
{
  self->readers[0] = sitrep_line_reader_new (SITREP_ACTION_RUN_MAX_LINE, stdout_line_cb, self);
  self->readers[1] = sitrep_line_reader_new (SITREP_ACTION_RUN_MAX_LINE, stderr_line_cb, self);
}

/* The step: one process, its two pipes and its wait. */

/* kubectl rollout status: finished, failed (progress deadline exceeded), or timed out, whether
 * by our timeout or by its own --timeout. */
static void
rollout_done (SitrepActionRun *self,
              gboolean         exited_ok)
{
  if (self->cancelled && !self->timed_out)
    sitrep_action_run_finish (self, SITREP_OUTCOME_CANCELLED, NULL);
  else if (self->timed_out || (!exited_ok && self->said_timed_out && !self->said_deadline))
    {
      self->rollout = SITREP_ROLLOUT_TIMED_OUT;
      sitrep_action_run_finish (self, SITREP_OUTCOME_TIMED_OUT, NULL);
    }
  else if (!exited_ok)
    {
      self->rollout = SITREP_ROLLOUT_FAILED;
      sitrep_action_run_finish (self, SITREP_OUTCOME_FAILED, NULL);
    }
  else
    {
      self->rollout = SITREP_ROLLOUT_FINISHED;
      sitrep_action_run_finish (self, SITREP_OUTCOME_SUCCEEDED, NULL);
    }
}

static void
step_done (SitrepActionRun *self)
{
  gboolean exited_ok = self->process != NULL && g_subprocess_get_if_exited (self->process)
                       && g_subprocess_get_exit_status (self->process) == 0;
  int status = -1;

  if (self->process != NULL && g_subprocess_get_if_exited (self->process))
    status = g_subprocess_get_exit_status (self->process);
  else if (self->process != NULL && g_subprocess_get_if_signaled (self->process)
           && !self->in_follow_up)
    self->term_signal = g_subprocess_get_term_sig (self->process);
  sitrep_action_run_clear_process (self);

  if (self->in_follow_up)
    {
      self->follow_up_exit_status = status;
      rollout_done (self, exited_ok);
      return;
    }

  self->exit_status = status;
  if (self->watching_rollout)
    rollout_done (self, exited_ok);
  else if (self->timed_out)
    sitrep_action_run_finish (self, SITREP_OUTCOME_TIMED_OUT, NULL);
  else if (self->cancelled)
    sitrep_action_run_finish (self, SITREP_OUTCOME_CANCELLED, NULL);
  else if (!exited_ok)
    sitrep_action_run_finish (self, SITREP_OUTCOME_FAILED, NULL);
  else if (self->noop_seen)
    sitrep_action_run_finish (self, SITREP_OUTCOME_NO_CHANGE, NULL);
  else if (self->follow_up != NULL)
    {
      g_auto(GStrv) shown = sitrep_redactor_redact_argv (self->redactor,
                                                         (const char *const *) self->follow_up);
      g_autofree char *line = sitrep_argv_to_string ((const char *const *) shown);
      g_autofree char *marker = g_strconcat ("$ ", line, NULL);

      self->in_follow_up = TRUE;
      add_to_tail (self, marker);
      sitrep_action_run_emit_follow_up (self, line);
      sitrep_action_run_start_step (self, (const char *const *) self->follow_up,
                                    self->follow_up_timeout_ms);
    }
  else
    sitrep_action_run_finish (self, SITREP_OUTCOME_SUCCEEDED, NULL);
}

static void
pending_done (GTask *task)
{
  SitrepActionRun *self = g_task_get_source_object (task);

  if (--self->pending == 0)
    step_done (self);
  g_object_unref (task);
}

/* A pipe read to its end, or cut off by the drain or a dispose. */
static void
read_done (GTask            *task,
           SitrepLineReader *reader,
           GAsyncResult     *result)
{
  sitrep_line_reader_read_finish (reader, result, NULL);
  pending_done (task);
}

static void
stdout_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SitrepActionRun *self = g_task_get_source_object (user_data);

  self->read_to_end[0] = TRUE;
  read_done (user_data, self->readers[0], result);
}

static void
stderr_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SitrepActionRun *self = g_task_get_source_object (user_data);

  self->read_to_end[1] = TRUE;
  read_done (user_data, self->readers[1], result);
}

/* Whether a pipe still being read has something to read now (or its end): a main loop too
 * busy to read it for a while is not a silent pipe. */
static gboolean
pipes_have_more (SitrepActionRun *self)
{
  GInputStream *pipes[2] = { g_subprocess_get_stdout_pipe (self->process),
                             g_subprocess_get_stderr_pipe (self->process) };

  for (guint i = 0; i < G_N_ELEMENTS (pipes); i++)
    {
      struct pollfd ready = { .events = POLLIN };

      if (self->read_to_end[i] || !G_IS_UNIX_INPUT_STREAM (pipes[i]))
        continue;
      ready.fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (pipes[i]));
      if (poll (&ready, 1, 0) > 0)
        return TRUE;
    }
  return FALSE;
}

/* A drain tick: cut the pipes only when a whole tick passed with no line read and nothing
 * waiting in them, or when the drain has gone on for its longest. */
static gboolean
drain_cb (gpointer user_data)
{
  SitrepActionRun *self = user_data;
  gboolean progress = self->lines_taken != self->lines_at_drain || pipes_have_more (self);

  self->lines_at_drain = self->lines_taken;
  if (progress && g_get_monotonic_time () < self->drain_until)
    return G_SOURCE_CONTINUE;
  self->drain_id = 0;
  g_cancellable_cancel (self->io);
  return G_SOURCE_REMOVE;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  SitrepActionRun *self = g_task_get_source_object (task);

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->kill_id, g_source_remove);
  if (self->pending > 1)
    {
      self->drain_until = g_get_monotonic_time () + DRAIN_MAX_MS * 1000;
      self->lines_at_drain = self->lines_taken;
      self->drain_id = g_timeout_add (DRAIN_MS, drain_cb, self);
    }
  pending_done (task);
}

static gboolean
kill_cb (gpointer user_data)
{
  SitrepActionRun *self = user_data;

  self->kill_id = 0;
  if (self->process != NULL)
    g_subprocess_force_exit (self->process);
  return G_SOURCE_REMOVE;
}

/* SIGTERM, then SIGKILL after the grace period. */
void
sitrep_action_run_stop (SitrepActionRun *self)
{
  if (self->process == NULL || self->stopping)
    return;
  self->stopping = TRUE;
  g_subprocess_send_signal (self->process, SIGTERM);
  self->kill_id = g_timeout_add (MAX (1, self->grace_ms), kill_cb, self);
}

static gboolean
timeout_cb (gpointer user_data)
{
  SitrepActionRun *self = user_data;

  self->timeout_id = 0;
  self->timed_out = TRUE;
  sitrep_action_run_stop (self);
  return G_SOURCE_REMOVE;
}

static void
stdin_closed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SitrepActionRun) self G_GNUC_UNUSED = user_data;

  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, NULL);
}

static void
stdin_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SitrepActionRun *self = user_data;

  /* A command that does not read it, or exits first, is its own business. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_output_stream_close_async (G_OUTPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL,
                               stdin_closed_cb, self);
}

void
sitrep_action_run_start_step (SitrepActionRun   *self,
                              const char *const *argv,
                              gint64             timeout_ms)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) spawned = sitrep_argv_for_spawn (argv);
  gboolean give_stdin = self->stdin_text != NULL && !self->in_follow_up;

  self->stopping = FALSE;
  self->watching_rollout = self->in_follow_up || is_rollout_status (argv);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE
                                        | (give_stdin ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0));
  for (guint i = 0; self->env != NULL && self->env[i] != NULL; i++)
    {
      const char *equals = strchr (self->env[i], '=');
      g_autofree char *name = g_strndup (self->env[i], equals - self->env[i]);

      g_subprocess_launcher_setenv (launcher, name, equals + 1, TRUE);
    }
  self->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) spawned, &error);
  if (self->process == NULL)
    {
      g_autofree char *program = program_of (argv);
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        message = g_strdup_printf (_("%s is not installed or not on PATH"), program);
      else
        message = g_strdup_printf (_("Cannot start %s: %s"), program, error->message);
      sitrep_action_run_note_error (self, message);
      if (self->in_follow_up)
        self->rollout = SITREP_ROLLOUT_FAILED;
      sitrep_action_run_finish (self, SITREP_OUTCOME_FAILED,
                                self->in_follow_up ? NULL
                                                   : g_error_new (SITREP_ACTION_ERROR,
                                                                  SITREP_ACTION_ERROR_CANNOT_RUN,
                                                                  "%s", message));
      return;
    }

  if (give_stdin)
    {
      g_set_object (&self->stdin_pipe, g_subprocess_get_stdin_pipe (self->process));
      g_output_stream_write_all_async (self->stdin_pipe, self->stdin_text,
                                       strlen (self->stdin_text), G_PRIORITY_DEFAULT, NULL,
                                       stdin_written_cb, g_object_ref (self));
    }
  self->io = g_cancellable_new ();
  self->pending = 3;
  self->read_to_end[0] = self->read_to_end[1] = FALSE;
  sitrep_line_reader_read_async (self->readers[0], g_subprocess_get_stdout_pipe (self->process),
                                 self->io, stdout_read_cb, g_object_ref (self->task));
  sitrep_line_reader_read_async (self->readers[1], g_subprocess_get_stderr_pipe (self->process),
                                 self->io, stderr_read_cb, g_object_ref (self->task));
  g_subprocess_wait_async (self->process, NULL, wait_cb, g_object_ref (self->task));
  if (timeout_ms > 0)
    self->timeout_id = g_timeout_add (timeout_ms, timeout_cb, self);
}
