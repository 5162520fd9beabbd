/* sitrep-action-run.h: runs one action's command line, streaming its output, bounded in time */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sitrep-action-request.h"

G_BEGIN_DECLS

typedef enum
{
  SITREP_OUTCOME_NONE, /* not finished yet */
  SITREP_OUTCOME_SUCCEEDED,
  SITREP_OUTCOME_NO_CHANGE,
  SITREP_OUTCOME_FAILED,
  SITREP_OUTCOME_CANCELLED,
  SITREP_OUTCOME_TIMED_OUT,
} SitrepOutcome;

/* What the follow-up (kubectl rollout status) said about the rollout. */
typedef enum
{
  SITREP_ROLLOUT_NOT_CHECKED,
  SITREP_ROLLOUT_FINISHED,
  SITREP_ROLLOUT_FAILED,
  SITREP_ROLLOUT_TIMED_OUT,
} SitrepRolloutState;

/* Each line of output, and the kept tail of it all, is cut at this many bytes. */
#define SITREP_ACTION_RUN_MAX_LINE (64 * 1024)
#define SITREP_ACTION_RUN_MAX_TAIL (64 * 1024)
#define SITREP_ACTION_RUN_DEFAULT_GRACE_MS 2000

#define SITREP_TYPE_ACTION_RUN (sitrep_action_run_get_type ())

G_DECLARE_FINAL_TYPE (SitrepActionRun, sitrep_action_run, SITREP, ACTION_RUN, GObject)

/* Returning FALSE with @error set: see sitrep_action_run_set_hooks(). */
typedef gboolean (*SitrepActionRunHook) (SitrepActionRun *run,
                                         gpointer         user_data,
                                         GError         **error);

SitrepActionRun    *sitrep_action_run_new                (const char *const   *argv);
SitrepActionRun    *sitrep_action_run_new_for_request    (SitrepActionRequest *request,
                                                          gboolean             dry_run);

void                sitrep_action_run_set_redactor       (SitrepActionRun     *self,
                                                          SitrepRedactor      *redactor);
SitrepRedactor     *sitrep_action_run_get_redactor       (SitrepActionRun     *self);
SitrepActionRequest *sitrep_action_run_get_request       (SitrepActionRun     *self);
void                sitrep_action_run_set_hooks          (SitrepActionRun     *self,
                                                          SitrepActionRunHook  before_spawn,
                                                          SitrepActionRunHook  after_finish,
                                                          gpointer             user_data,
                                                          GDestroyNotify       destroy);
gboolean            sitrep_action_run_get_spawned        (SitrepActionRun     *self);
void                sitrep_action_run_hold_start         (SitrepActionRun     *self);
void                sitrep_action_run_release_start      (SitrepActionRun     *self,
                                                          const GError        *error);
void                sitrep_action_run_set_timeout        (SitrepActionRun     *self,
                                                          gint64               timeout_ms);
void                sitrep_action_run_set_grace          (SitrepActionRun     *self,
                                                          guint                grace_ms);
void                sitrep_action_run_set_noop_output    (SitrepActionRun     *self,
                                                          const char          *noop_output);
void                sitrep_action_run_set_follow_up      (SitrepActionRun     *self,
                                                          const char *const   *argv,
                                                          gint64               timeout_ms);

void                sitrep_action_run_execute_async      (SitrepActionRun     *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean            sitrep_action_run_execute_finish     (SitrepActionRun     *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
void                sitrep_action_run_cancel             (SitrepActionRun     *self);

const char *const  *sitrep_action_run_get_argv           (SitrepActionRun     *self);
const char *const  *sitrep_action_run_get_follow_up_argv (SitrepActionRun     *self);
gboolean            sitrep_action_run_get_running        (SitrepActionRun     *self);
SitrepOutcome       sitrep_action_run_get_outcome        (SitrepActionRun     *self);
int                 sitrep_action_run_get_exit_status    (SitrepActionRun     *self);
int                 sitrep_action_run_get_term_signal    (SitrepActionRun     *self);
gint64              sitrep_action_run_get_duration_ms    (SitrepActionRun     *self);
const char         *sitrep_action_run_get_output         (SitrepActionRun     *self);
gboolean            sitrep_action_run_get_output_truncated (SitrepActionRun   *self);
SitrepRolloutState  sitrep_action_run_get_rollout_state  (SitrepActionRun     *self);
int                 sitrep_action_run_get_follow_up_exit_status (SitrepActionRun *self);
char               *sitrep_action_run_get_summary        (SitrepActionRun     *self);
JsonObject         *sitrep_action_run_get_outcome_fields (SitrepActionRun     *self);

const char         *sitrep_outcome_to_string             (SitrepOutcome        outcome);

G_END_DECLS
