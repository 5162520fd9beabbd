/* sitrep-action-run-private.h: what the run's two files share: its fields, its steps, its end */
#pragma once

#include "sitrep-action-run.h"
#include "sitrep-line-reader.h"

G_BEGIN_DECLS

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
  gboolean start_held;          /* the before-spawn hook answers later (a team database) */
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
  gboolean read_to_end[2];      /* whether each pipe's reader has finished */
  guint64 lines_taken;
  guint64 lines_at_drain;

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

/* sitrep-action-run.c */
void sitrep_action_run_finish         (SitrepActionRun   *self,
                                       SitrepOutcome      outcome,
                                       GError            *error);
void sitrep_action_run_emit_line      (SitrepActionRun   *self,
                                       gboolean           is_stderr,
                                       const char        *line);
void sitrep_action_run_emit_follow_up (SitrepActionRun   *self,
                                       const char        *line);

/* sitrep-action-run-process.c */
void sitrep_action_run_init_readers   (SitrepActionRun   *self);
void sitrep_action_run_start_step     (SitrepActionRun   *self,
                                       const char *const *argv,
                                       gint64             timeout_ms);
void sitrep_action_run_note_error     (SitrepActionRun   *self,
                                       const char        *message);
void sitrep_action_run_stop           (SitrepActionRun   *self);
void sitrep_action_run_clear_process  (SitrepActionRun   *self);

G_END_DECLS
