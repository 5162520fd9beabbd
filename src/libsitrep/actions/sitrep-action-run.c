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

#include "sitrep-action-run-private.h"
#include "sitrep-argv.h"
#include "sitrep-timeline-event-render.h"

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

void
sitrep_action_run_emit_line (SitrepActionRun *self,
                             gboolean         is_stderr,
                             const char      *line)
{
  g_signal_emit (self, signals[LINE], 0, is_stderr, line);
}

void
sitrep_action_run_emit_follow_up (SitrepActionRun *self,
                                  const char      *line)
{
  g_signal_emit (self, signals[FOLLOW_UP], 0, line);
}

static void
sitrep_action_run_dispose (GObject *object)
{
  SitrepActionRun *self = SITREP_ACTION_RUN (object);

  if (self->process != NULL && g_subprocess_get_identifier (self->process) != NULL)
    g_subprocess_force_exit (self->process);
  sitrep_action_run_clear_process (self);
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

static void
sitrep_action_run_init (SitrepActionRun *self)
{
  self->grace_ms = SITREP_ACTION_RUN_DEFAULT_GRACE_MS;
  self->timeout_ms = 5 * 60 * 1000;
  self->tail = g_string_new (NULL);
  sitrep_action_run_init_readers (self);
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
sitrep_action_run_set_hooks (SitrepActionRun    *self,
                             SitrepActionRunHook before_spawn,
                             SitrepActionRunHook after_finish,
                             gpointer            user_data,
                             GDestroyNotify      destroy)
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

static void
caller_cancelled_cb (GCancellable    *cancellable,
                     SitrepActionRun *self)
{
  sitrep_action_run_cancel (self);
}

/* @error: (transfer full) (nullable): the command could not start */
void
sitrep_action_run_finish (SitrepActionRun *self,
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
fail_before_start (SitrepActionRun *self,
                   const char      *reason)
{
  g_autofree char *message = sitrep_redactor_redact (self->redactor, reason);

  sitrep_action_run_note_error (self, message);
  sitrep_action_run_finish (self, SITREP_OUTCOME_FAILED,
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
      sitrep_action_run_finish (self, SITREP_OUTCOME_CANCELLED, NULL);
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
      /* Its answer comes with sitrep_action_run_release_start(). */
      if (self->start_held)
        return;
    }
  self->spawned = TRUE;
  sitrep_action_run_start_step (self, (const char *const *) self->argv, self->timeout_ms);
}

/**
 * sitrep_action_run_hold_start:
 *
 * From the before-spawn hook, which returns TRUE: its answer is not known yet (what it
 * records is written on another thread). The run is running, no process is, until the hook's
 * owner calls sitrep_action_run_release_start(). A cancel meanwhile ends the run at once, as
 * cancelled (the after-finish hook runs then, before the answer).
 */
void
sitrep_action_run_hold_start (SitrepActionRun *self)
{
  g_return_if_fail (SITREP_IS_ACTION_RUN (self));
  g_return_if_fail (self->task != NULL && !self->spawned);
  self->start_held = TRUE;
}

/**
 * sitrep_action_run_release_start:
 * @error: (nullable): why nothing may start, as the before-spawn hook would have failed
 *
 * The before-spawn hook's late answer (sitrep_action_run_hold_start()): the process starts,
 * or the run fails with @error and nothing starts. Nothing happens when the run was cancelled
 * meanwhile.
 */
void
sitrep_action_run_release_start (SitrepActionRun *self,
                                 const GError    *error)
{
  g_return_if_fail (SITREP_IS_ACTION_RUN (self));

  if (!self->start_held)
    {
      g_return_if_fail (self->cancelled && self->outcome == SITREP_OUTCOME_CANCELLED);
      return;
    }
  self->start_held = FALSE;
  if (error != NULL)
    fail_before_start (self, error->message);
  else
    {
      self->spawned = TRUE;
      sitrep_action_run_start_step (self, (const char *const *) self->argv, self->timeout_ms);
    }
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
sitrep_action_run_execute_async (SitrepActionRun    *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
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
  /* Waiting for the before-spawn hook's answer (a server that does not answer, say): nothing
   * runs, and the run ends now; the answer, when it comes, is for nobody. */
  if (self->start_held)
    {
      self->start_held = FALSE;
      sitrep_action_run_finish (self, SITREP_OUTCOME_CANCELLED, NULL);
      return;
    }
  sitrep_action_run_stop (self);
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

  program = g_path_get_basename (self->argv[0]);
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
