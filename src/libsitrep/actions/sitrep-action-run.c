/* sitrep-action-run.c: runs one action's command line, streaming its output, bounded in time
 *
 * argv only, never a shell. stdout and stderr are read in chunks and split into lines by a
 * SitrepLineReader each, so a command printing a gigabyte without a newline costs 64 KiB.
 *
 * Every line is redacted (SitrepRedactor: credential shapes, and the exact values of the
 * secrets this run was handed) before it is kept or handed to anyone: the "line" signal, the
 * output tail and the summary never hold a secret. A run made for a request reads the keyring
 * entries its environment and standard input name just before it starts, and the before-spawn
 * hook (the audit log's "started" record) decides whether it starts at all.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-action-run.h"
#include "sitrep-argv.h"
#include "sitrep-line-reader.h"
#include "sitrep-timeline-event-render.h"

/* After the process exits, how long a child it left behind may keep its output open without
 * writing, and how long output may still be read at most. */
#define DRAIN_MS 1000
#define DRAIN_MAX_MS (30 * 1000)

struct _SitrepActionRun
{
  GObject parent_instance;

  GStrv argv;
  GStrv follow_up;
  SitrepActionRequest *request; /* NULL for a helper run */
  SitrepRedactor *redactor;
  GStrv env;                    /* NAME=VALUE, for the command and its follow-up */
  char *stdin_text;             /* for the command only */
  GOutputStream *stdin_pipe;
  gboolean in_key[2];           /* a private key is being printed on stdout, stderr */
  SitrepActionRunHook before_spawn;
  SitrepActionRunHook after_finish;
  gpointer hook_data;
  GDestroyNotify hook_destroy;
  gboolean spawned;             /* the before-spawn hook let a process start */
  char *record_error;
  gint64 timeout_ms;
  gint64 follow_up_timeout_ms;
  guint grace_ms;
  char *noop_output;

  GTask *task;
  GCancellable *caller;
  gulong caller_id;
  GSubprocess *process;
  GCancellable *io;
  guint pending;
  guint timeout_id;
  guint kill_id;
  guint drain_id;
  gint64 drain_until;
  SitrepLineReader *readers[2]; /* stdout, stderr */

  gboolean running;
  gboolean in_follow_up;
  gboolean watching_rollout;
  gboolean stopping;
  gboolean cancelled;
  gboolean timed_out;
  gboolean noop_seen;
  gboolean said_timed_out;
  gboolean said_deadline;

  GString *tail;
  gboolean tail_cut;
  char *last_error_line;
  gint64 started;
  gint64 finished;
  int exit_status;
  int term_signal;
  int follow_up_exit_status;
  SitrepOutcome outcome;
  SitrepRolloutState rollout;
};

G_DEFINE_FINAL_TYPE (SitrepActionRun, sitrep_action_run, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RUNNING,
  PROP_OUTCOME,
  N_PROPS
};

enum
{
  LINE,
  FOLLOW_UP,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_step (SitrepActionRun *self, const char *const *argv, gint64 timeout_ms);

const char *
sitrep_outcome_to_string (SitrepOutcome outcome)
{
  switch (outcome)
    {
    case SITREP_OUTCOME_NONE:
      return "none";
    case SITREP_OUTCOME_SUCCEEDED:
      return "succeeded";
    case SITREP_OUTCOME_NO_CHANGE:
      return "no-change";
    case SITREP_OUTCOME_FAILED:
      return "failed";
    case SITREP_OUTCOME_CANCELLED:
      return "cancelled";
    case SITREP_OUTCOME_TIMED_OUT:
      return "timed-out";
    default:
      g_return_val_if_reached (NULL);
    }
}

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

static void
clear_process (SitrepActionRun *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->kill_id, g_source_remove);
  g_clear_handle_id (&self->drain_id, g_source_remove);
  if (self->io != NULL)
    g_cancellable_cancel (self->io);
  g_clear_object (&self->io);
  g_clear_object (&self->process);
}

static void
sitrep_action_run_dispose (GObject *object)
{
  SitrepActionRun *self = SITREP_ACTION_RUN (object);

  if (self->process != NULL && g_subprocess_get_identifier (self->process) != NULL)
    g_subprocess_force_exit (self->process);
  clear_process (self);
  g_clear_object (&self->stdin_pipe);
  if (self->caller != NULL)
    g_cancellable_disconnect (self->caller, self->caller_id);
  self->caller_id = 0;
  g_clear_object (&self->caller);

  G_OBJECT_CLASS (sitrep_action_run_parent_class)->dispose (object);
}

static void
sitrep_action_run_finalize (GObject *object)
{
  SitrepActionRun *self = SITREP_ACTION_RUN (object);

  g_strfreev (self->argv);
  g_strfreev (self->follow_up);
  g_clear_object (&self->request);
  g_clear_pointer (&self->redactor, sitrep_redactor_unref);
  for (guint i = 0; self->env != NULL && self->env[i] != NULL; i++)
    memset (self->env[i], 0, strlen (self->env[i]));
  g_strfreev (self->env);
  if (self->stdin_text != NULL)
    memset (self->stdin_text, 0, strlen (self->stdin_text));
  g_free (self->stdin_text);
  g_free (self->record_error);
  if (self->hook_destroy != NULL)
    self->hook_destroy (self->hook_data);
  g_free (self->noop_output);
  for (guint i = 0; i < G_N_ELEMENTS (self->readers); i++)
    g_clear_pointer (&self->readers[i], sitrep_line_reader_free);
  g_string_free (self->tail, TRUE);
  g_free (self->last_error_line);

  G_OBJECT_CLASS (sitrep_action_run_parent_class)->finalize (object);
}

static void
sitrep_action_run_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SitrepActionRun *self = SITREP_ACTION_RUN (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_OUTCOME:
      g_value_set_int (value, self->outcome);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_action_run_class_init (SitrepActionRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_action_run_dispose;
  object_class->finalize = sitrep_action_run_finalize;
  object_class->get_property = sitrep_action_run_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME] =
    g_param_spec_int ("outcome", NULL, NULL, SITREP_OUTCOME_NONE, SITREP_OUTCOME_TIMED_OUT,
                      SITREP_OUTCOME_NONE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* One line of output as it arrives, without its newline, valid UTF-8, at most 64 KiB. */
  signals[LINE] = g_signal_new ("line", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
  /* The follow-up (rollout status) starts; its output comes on "line" too. */
  signals[FOLLOW_UP] = g_signal_new ("follow-up", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* A command that exits without reading its standard input must not take Sitrep with it; GIO
   * does the same for sockets. */
  signal (SIGPIPE, SIG_IGN);
}

static void stdout_line_cb (const char *text, gpointer user_data);
static void stderr_line_cb (const char *text, gpointer user_data);

static void
sitrep_action_run_init (SitrepActionRun *self)
{
  self->grace_ms = SITREP_ACTION_RUN_DEFAULT_GRACE_MS;
  self->timeout_ms = 5 * 60 * 1000;
  self->tail = g_string_new (NULL);
  self->readers[0] = sitrep_line_reader_new (SITREP_ACTION_RUN_MAX_LINE, stdout_line_cb, self);
  self->readers[1] = sitrep_line_reader_new (SITREP_ACTION_RUN_MAX_LINE, stderr_line_cb, self);
  self->exit_status = -1;
  self->follow_up_exit_status = -1;
  self->redactor = sitrep_redactor_new ();
}

SitrepActionRun *
sitrep_action_run_new (const char *const *argv)
{
  SitrepActionRun *self;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);
  self = g_object_new (SITREP_TYPE_ACTION_RUN, NULL);
  self->argv = g_strdupv ((GStrv) argv);
  return self;
}

/* The request's command (or its dry run, without a follow-up), timeout and no-op output; its
 * environment, standard input and redactor. */
SitrepActionRun *
sitrep_action_run_new_for_request (SitrepActionRequest *request,
                                   gboolean             dry_run)
{
  const SitrepAction *action = sitrep_action_request_get_action (request);
  const char *const *argv = dry_run ? sitrep_action_request_get_dry_run_argv (request)
                                    : sitrep_action_request_get_argv (request);
  SitrepActionRun *self;

  g_return_val_if_fail (argv != NULL, NULL);
  self = sitrep_action_run_new (argv);
  self->request = g_object_ref (request);
  sitrep_action_run_set_redactor (self, sitrep_action_request_get_redactor (request));
  sitrep_action_run_set_timeout (self, sitrep_action_request_get_timeout_ms (request));
  sitrep_action_run_set_noop_output (self, action->noop_output);
  if (!dry_run && sitrep_action_request_get_follow_up_argv (request) != NULL)
    sitrep_action_run_set_follow_up (self, sitrep_action_request_get_follow_up_argv (request),
                                     sitrep_action_request_get_follow_up_timeout_ms (request));
  return self;
}

/* What redacts the run's output; the request's, for a run made for one. */
void
sitrep_action_run_set_redactor (SitrepActionRun *self,
                                SitrepRedactor  *redactor)
{
  g_return_if_fail (SITREP_IS_ACTION_RUN (self));
  g_return_if_fail (redactor != NULL);
  sitrep_redactor_ref (redactor);
  sitrep_redactor_unref (self->redactor);
  self->redactor = redactor;
}

SitrepRedactor *
sitrep_action_run_get_redactor (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), NULL);
  return self->redactor;
}

/* NULL for a helper run. */
SitrepActionRequest *
sitrep_action_run_get_request (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), NULL);
  return self->request;
}

/**
 * sitrep_action_run_set_hooks:
 * @before_spawn: (nullable): called once, just before the first process would start; returning
 *   FALSE fails the run with its error and nothing starts
 * @after_finish: (nullable): called once the outcome is known, before "finished"; returning
 *   FALSE adds its error to the summary
 *
 * What the controller uses to put a run on the record before it starts, and after it ends.
 */
void
sitrep_action_run_set_hooks (SitrepActionRun     *self,
                             SitrepActionRunHook  before_spawn,
                             SitrepActionRunHook  after_finish,
                             gpointer             user_data,
                             GDestroyNotify       destroy)
{
  g_return_if_fail (SITREP_IS_ACTION_RUN (self));
  g_return_if_fail (self->task == NULL);
  if (self->hook_destroy != NULL)
    self->hook_destroy (self->hook_data);
  self->before_spawn = before_spawn;
  self->after_finish = after_finish;
  self->hook_data = user_data;
  self->hook_destroy = destroy;
}

/* Whether a process was let start (the before-spawn hook said yes). */
gboolean
sitrep_action_run_get_spawned (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), FALSE);
  return self->spawned;
}

/* 0: no timeout. */
void
sitrep_action_run_set_timeout (SitrepActionRun *self,
                               gint64           timeout_ms)
{
  g_return_if_fail (SITREP_IS_ACTION_RUN (self));
  self->timeout_ms = MAX (0, timeout_ms);
}

/* Between SIGTERM and SIGKILL. */
void
sitrep_action_run_set_grace (SitrepActionRun *self,
                             guint            grace_ms)
{
  g_return_if_fail (SITREP_IS_ACTION_RUN (self));
  self->grace_ms = grace_ms;
}

void
sitrep_action_run_set_noop_output (SitrepActionRun *self,
                                   const char      *noop_output)
{
  g_return_if_fail (SITREP_IS_ACTION_RUN (self));
  g_free (self->noop_output);
  self->noop_output = noop_output && *noop_output ? g_strdup (noop_output) : NULL;
}

/* Runs after the command succeeds (not after "nothing changed"), into the same output. */
void
sitrep_action_run_set_follow_up (SitrepActionRun   *self,
                                 const char *const *argv,
                                 gint64             timeout_ms)
{
  g_return_if_fail (SITREP_IS_ACTION_RUN (self));
  g_strfreev (self->follow_up);
  self->follow_up = argv ? g_strdupv ((GStrv) argv) : NULL;
  self->follow_up_timeout_ms = MAX (0, timeout_ms);
}

/* Output. */

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

static gboolean drain_cb (gpointer user_data);

static void
take_line (SitrepActionRun *self,
           gboolean         is_stderr,
           const char      *text)
{
  g_autofree char *redacted = NULL;

  /* Output still coming after the exit is read to its end, however slow the machine: only a
   * pipe that stays silent is cut. */
  if (self->drain_id != 0 && g_get_monotonic_time () < self->drain_until)
    {
      g_source_remove (self->drain_id);
      self->drain_id = g_timeout_add (DRAIN_MS, drain_cb, self);
    }

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
  g_signal_emit (self, signals[LINE], 0, is_stderr, redacted);
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

/* The step: one process, its two pipes and its wait. */

static void finish_with_error (SitrepActionRun *self, SitrepOutcome outcome, GError *error);
static void finish (SitrepActionRun *self, SitrepOutcome outcome);

/* kubectl rollout status: finished, failed (progress deadline exceeded), or timed out, whether
 * by our timeout or by its own --timeout. */
static void
rollout_done (SitrepActionRun *self,
              gboolean         exited_ok)
{
  if (self->cancelled && !self->timed_out)
    finish (self, SITREP_OUTCOME_CANCELLED);
  else if (self->timed_out || (!exited_ok && self->said_timed_out && !self->said_deadline))
    {
      self->rollout = SITREP_ROLLOUT_TIMED_OUT;
      finish (self, SITREP_OUTCOME_TIMED_OUT);
    }
  else if (!exited_ok)
    {
      self->rollout = SITREP_ROLLOUT_FAILED;
      finish (self, SITREP_OUTCOME_FAILED);
    }
  else
    {
      self->rollout = SITREP_ROLLOUT_FINISHED;
      finish (self, SITREP_OUTCOME_SUCCEEDED);
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
  clear_process (self);

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
    finish (self, SITREP_OUTCOME_TIMED_OUT);
  else if (self->cancelled)
    finish (self, SITREP_OUTCOME_CANCELLED);
  else if (!exited_ok)
    finish (self, SITREP_OUTCOME_FAILED);
  else if (self->noop_seen)
    finish (self, SITREP_OUTCOME_NO_CHANGE);
  else if (self->follow_up != NULL)
    {
      g_auto(GStrv) shown = sitrep_redactor_redact_argv (self->redactor,
                                                         (const char *const *) self->follow_up);
      g_autofree char *line = sitrep_argv_to_string ((const char *const *) shown);
      g_autofree char *marker = g_strconcat ("$ ", line, NULL);

      self->in_follow_up = TRUE;
      add_to_tail (self, marker);
      g_signal_emit (self, signals[FOLLOW_UP], 0, line);
      start_step (self, (const char *const *) self->follow_up, self->follow_up_timeout_ms);
    }
  else
    finish (self, SITREP_OUTCOME_SUCCEEDED);
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

  read_done (user_data, self->readers[0], result);
}

static void
stderr_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SitrepActionRun *self = g_task_get_source_object (user_data);

  read_done (user_data, self->readers[1], result);
}

static gboolean
drain_cb (gpointer user_data)
{
  SitrepActionRun *self = user_data;

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
static void
stop (SitrepActionRun *self)
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
  stop (self);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable    *cancellable,
                     SitrepActionRun *self)
{
  sitrep_action_run_cancel (self);
}

/* @error: (transfer full) (nullable): the command could not start */
static void
finish_with_error (SitrepActionRun *self,
                   SitrepOutcome    outcome,
                   GError          *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  self->outcome = outcome;
  self->running = FALSE;
  self->finished = g_get_monotonic_time ();
  if (self->caller != NULL)
    g_cancellable_disconnect (self->caller, self->caller_id);
  self->caller_id = 0;
  g_clear_object (&self->caller);

  /* On the record before anyone hears of the outcome. */
  if (self->after_finish != NULL)
    {
      g_autoptr(GError) record_error = NULL;

      if (!self->after_finish (self, self->hook_data, &record_error))
        self->record_error = g_strdup (record_error->message);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[FINISHED], 0);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
finish (SitrepActionRun *self,
        SitrepOutcome    outcome)
{
  finish_with_error (self, outcome, NULL);
}

static void
stdin_closed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SitrepActionRun) self = user_data;

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

static void
start_step (SitrepActionRun   *self,
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
      add_to_tail (self, message);
      g_free (self->last_error_line);
      self->last_error_line = g_strdup (message);
      if (self->in_follow_up)
        self->rollout = SITREP_ROLLOUT_FAILED;
      finish_with_error (self, SITREP_OUTCOME_FAILED,
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
  sitrep_line_reader_read_async (self->readers[0], g_subprocess_get_stdout_pipe (self->process),
                                 self->io, stdout_read_cb, g_object_ref (self->task));
  sitrep_line_reader_read_async (self->readers[1], g_subprocess_get_stderr_pipe (self->process),
                                 self->io, stderr_read_cb, g_object_ref (self->task));
  g_subprocess_wait_async (self->process, NULL, wait_cb, g_object_ref (self->task));
  if (timeout_ms > 0)
    self->timeout_id = g_timeout_add (timeout_ms, timeout_cb, self);
}

static void
fail_before_start (SitrepActionRun *self,
                   const char      *reason)
{
  g_autofree char *message = sitrep_redactor_redact (self->redactor, reason);

  add_to_tail (self, message);
  g_free (self->last_error_line);
  self->last_error_line = g_strdup (message);
  finish_with_error (self, SITREP_OUTCOME_FAILED,
                     g_error_new_literal (SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_RUN,
                                          message));
}

/* The command is about to start: the before-spawn hook (the audit log's "started" record)
 * decides whether it does. */
static void
start_first_step (SitrepActionRun *self)
{
  if (self->cancelled)
    {
      finish (self, SITREP_OUTCOME_CANCELLED);
      return;
    }
  /* flatpak-spawn would put every variable on its own command line, for all to read. */
  if (self->env != NULL && self->env[0] != NULL && sitrep_argv_spawns_on_host ())
    {
      fail_before_start (self, _("Inside Flatpak a command on the host gets no environment "
                                 "variable that is not on a command line, where every local "
                                 "user can read it: this action was not run. Run Sitrep outside "
                                 "Flatpak for it, or have the runbook pass its secret on "
                                 "standard input."));
      return;
    }
  if (self->before_spawn != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!self->before_spawn (self, self->hook_data, &error))
        {
          fail_before_start (self, error->message);
          return;
        }
    }
  self->spawned = TRUE;
  start_step (self, (const char *const *) self->argv, self->timeout_ms);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SitrepActionRun) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  g_autofree char *stdin_text = NULL;

  if (!sitrep_action_request_resolve_finish (SITREP_ACTION_REQUEST (source), result, &env,
                                             &stdin_text, &error))
    {
      fail_before_start (self, error->message);
      return;
    }
  self->env = g_steal_pointer (&env);
  self->stdin_text = g_steal_pointer (&stdin_text);
  start_first_step (self);
}

/**
 * sitrep_action_run_execute_async:
 *
 * Starts the command; when it is done, "finished" is emitted and @callback called. Cancelling
 * @cancellable is sitrep_action_run_cancel(). A run executes once.
 */
void
sitrep_action_run_execute_async (SitrepActionRun     *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (SITREP_IS_ACTION_RUN (self));
  g_return_if_fail (self->task == NULL && self->outcome == SITREP_OUTCOME_NONE);

  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, sitrep_action_run_execute_async);
  self->running = TRUE;
  self->started = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (g_cancellable_is_cancelled (cancellable))
    self->cancelled = TRUE;
  if (cancellable != NULL && !self->cancelled)
    {
      self->caller = g_object_ref (cancellable);
      self->caller_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                               self, NULL);
    }
  /* The keyring entries the environment and standard input name, read now, not before. */
  if (self->request != NULL && !self->cancelled)
    sitrep_action_request_resolve_async (self->request, NULL, resolved_cb, g_object_ref (self));
  else
    start_first_step (self);
}

/* FALSE only when the command could not start (a missing program); else see the outcome. */
gboolean
sitrep_action_run_execute_finish (SitrepActionRun *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Stops the command (SIGTERM, then SIGKILL); a run that has not started yet never will. */
void
sitrep_action_run_cancel (SitrepActionRun *self)
{
  g_return_if_fail (SITREP_IS_ACTION_RUN (self));
  if (self->cancelled || self->outcome != SITREP_OUTCOME_NONE)
    return;
  self->cancelled = TRUE;
  stop (self);
}

const char *const *
sitrep_action_run_get_argv (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), NULL);
  return (const char *const *) self->argv;
}

const char *const *
sitrep_action_run_get_follow_up_argv (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), NULL);
  return (const char *const *) self->follow_up;
}

gboolean
sitrep_action_run_get_running (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), FALSE);
  return self->running;
}

SitrepOutcome
sitrep_action_run_get_outcome (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), SITREP_OUTCOME_NONE);
  return self->outcome;
}

/* The command's exit status; -1 when it did not exit by itself (killed, or never started). */
int
sitrep_action_run_get_exit_status (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), -1);
  return self->exit_status;
}

/* The signal that ended the command, or 0. */
int
sitrep_action_run_get_term_signal (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), 0);
  return self->term_signal;
}

/* Including the follow-up; up to now while running. */
gint64
sitrep_action_run_get_duration_ms (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), 0);
  if (self->started == 0)
    return 0;
  return ((self->running ? g_get_monotonic_time () : self->finished) - self->started) / 1000;
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

gboolean
sitrep_action_run_get_output_truncated (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), FALSE);
  sitrep_action_run_get_output (self);
  return self->tail_cut;
}

SitrepRolloutState
sitrep_action_run_get_rollout_state (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), SITREP_ROLLOUT_NOT_CHECKED);
  return self->rollout;
}

int
sitrep_action_run_get_follow_up_exit_status (SitrepActionRun *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), -1);
  return self->follow_up_exit_status;
}

static const char *
outcome_name (SitrepOutcome outcome)
{
  static const char *const names[] = { "running", "succeeded", "no-change", "failed",
                                       "cancelled", "timed-out" };

  g_return_val_if_fail (outcome < G_N_ELEMENTS (names), "failed");
  return names[outcome];
}

/**
 * sitrep_action_run_get_outcome_fields:
 *
 * What happened, as data: the outcome, the rollout's end, the program, the duration, the exit
 * status or signal and the reason, as a timeline event keeps them (see
 * sitrep-timeline-event-render.h), not yet redacted.
 *
 * Returns: (transfer full): the fields
 */
JsonObject *
sitrep_action_run_get_outcome_fields (SitrepActionRun *self)
{
  static const char *const rollouts[] = { NULL, "finished", "failed", "timed-out" };
  g_autofree char *program = NULL;
  JsonObject *fields;

  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), NULL);

  program = program_of ((const char *const *) self->argv);
  fields = json_object_new ();
  json_object_set_string_member (fields, "outcome", outcome_name (self->outcome));
  if (self->rollout < G_N_ELEMENTS (rollouts) && rollouts[self->rollout] != NULL)
    json_object_set_string_member (fields, "rollout", rollouts[self->rollout]);
  json_object_set_string_member (fields, "program", program);
  json_object_set_int_member (fields, "duration_ms", sitrep_action_run_get_duration_ms (self));
  json_object_set_int_member (fields, "timeout_ms", self->timeout_ms);
  json_object_set_int_member (fields, "exit_status", self->exit_status);
  json_object_set_int_member (fields, "signal", self->term_signal);
  json_object_set_string_member (fields, "reason",
                                 self->last_error_line ? self->last_error_line : "");
  if (self->outcome == SITREP_OUTCOME_NO_CHANGE)
    json_object_set_string_member (fields, "no_change", self->noop_output);
  if (self->record_error != NULL)
    json_object_set_string_member (fields, "audit_error", self->record_error);
  return fields;
}

/* One sentence for a person: what happened, and why when it went wrong; and when the audit log
 * could not record the outcome, that too. */
char *
sitrep_action_run_get_summary (SitrepActionRun *self)
{
  g_autoptr(JsonObject) fields = NULL;

  g_return_val_if_fail (SITREP_IS_ACTION_RUN (self), NULL);
  fields = sitrep_action_run_get_outcome_fields (self);
  /* The timeline's words for it, so the window and the timeline say the same. */
  return sitrep_timeline_render_outcome (fields);
}
