/* sitrep-action-controller.c: runs confirmed actions and records each on the audit log and timeline
 *
 * The audit log is written ahead: a run (real or dry) appends a "started" entry, synced to disk,
 * just before its process starts, and the process does not start unless that entry was written:
 * the user is told why instead. On a team database the entry is written on the store's writer
 * thread and the run is "starting" (running, no process) until it is on the server; a server
 * that cannot be reached refuses the run at once. When the run ends, a "finished" entry naming
 * the started one records the outcome, exit status and duration. So a command killed mid-run, or
 * a Sitrep that quit or was killed, leaves a "started" entry nothing finishes; the next Sitrep
 * closes it as "never-finished" once the Sitrep that owned it is gone.
 *
 * A refused confirmation is recorded as "refused" (and nothing runs), and a run undone during
 * the grace period as "cancelled" with no exit code. Real runs also put their start and outcome
 * on the current incident's timeline, as data (action-started, action-finished); previews and
 * refusals do not, since nothing changed. Everything recorded or shown is redacted with the
 * request's redactor first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-action-controller-private.h"
#include "sitrep-store-audit.h"

/* A confirmed run waiting out its grace period. */
typedef struct
{
  SitrepActionController *self; /* unowned: the controller cancels its pendings when disposed */
  SitrepActionRequest *request;
  char *confirmation;
  GCancellable *undo;
  gulong cancelled_id;
  guint source_id;
} Pending;

G_DEFINE_FINAL_TYPE (SitrepActionController, sitrep_action_controller, G_TYPE_OBJECT)

enum
{
  RUN_STARTED,
  RUN_FINISHED,
  EVENT_RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Read-only and trust are live: whoever holds the one source of truth binds them here, and every
 * check reads them at the moment it decides. */
enum
{
  PROP_0,
  PROP_READ_ONLY,
  PROP_TRUSTED,
  PROP_AUTHOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pending_free (Pending *pending)
{
  g_clear_handle_id (&pending->source_id, g_source_remove);
  if (pending->cancelled_id != 0)
    g_signal_handler_disconnect (pending->undo, pending->cancelled_id);
  g_clear_object (&pending->undo);
  g_clear_object (&pending->request);
  g_free (pending->confirmation);
  g_free (pending);
}

static void
sitrep_action_controller_dispose (GObject *object)
{
  SitrepActionController *self = SITREP_ACTION_CONTROLLER (object);

  /* Nothing starts behind the back of a console that went away. */
  g_ptr_array_set_size (self->pending, 0);

  g_clear_object (&self->manager);
  g_clear_object (&self->runbook);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (sitrep_action_controller_parent_class)->dispose (object);
}

static void
sitrep_action_controller_finalize (GObject *object)
{
  SitrepActionController *self = SITREP_ACTION_CONTROLLER (object);

  g_free (self->kubectl);
  g_free (self->author);
  g_clear_pointer (&self->kept_events, g_array_unref);
  g_ptr_array_unref (self->running);
  g_ptr_array_unref (self->pending);
  G_OBJECT_CLASS (sitrep_action_controller_parent_class)->finalize (object);
}

static void
sitrep_action_controller_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  SitrepActionController *self = SITREP_ACTION_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_TRUSTED:
      g_value_set_boolean (value, !self->untrusted);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_action_controller_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  SitrepActionController *self = SITREP_ACTION_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_READ_ONLY:
      sitrep_action_controller_set_read_only (self, g_value_get_boolean (value));
      break;
    case PROP_TRUSTED:
      sitrep_action_controller_set_trusted (self, g_value_get_boolean (value));
      break;
    case PROP_AUTHOR:
      sitrep_action_controller_set_author (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_action_controller_class_init (SitrepActionControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_action_controller_dispose;
  object_class->finalize = sitrep_action_controller_finalize;
  object_class->get_property = sitrep_action_controller_get_property;
  object_class->set_property = sitrep_action_controller_set_property;

  /* The app's read-only mode (command line, preferences); the runbook's own is read too. */
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the user trusts the runbook's commands: nothing runs while this is FALSE. */
  properties[PROP_TRUSTED] =
    g_param_spec_boolean ("trusted", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Who runs the actions (the name in Preferences): the author of every audit entry and
   * timeline event the controller writes. The session keeps it current. */
  properties[PROP_AUTHOR] =
    g_param_spec_string ("author", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A real or dry run started (run, request, dry_run); its output comes on the run's "line". */
  signals[RUN_STARTED] = g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 3, SITREP_TYPE_ACTION_RUN,
                                       SITREP_TYPE_ACTION_REQUEST, G_TYPE_BOOLEAN);
  /* A run ended and has been recorded. */
  signals[RUN_FINISHED] = g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        SITREP_TYPE_ACTION_RUN);
  /* A command's event is committed to an incident's timeline (incident id). The finished
   * event is written by the store's writer thread and may land after "run-finished": a view
   * of the timeline follows this signal, not that one. */
  signals[EVENT_RECORDED] = g_signal_new ("event-recorded", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                          G_TYPE_INT64);
}

void
sitrep_action_controller_emit_event_recorded (SitrepActionController *self,
                                              gint64                  incident_id)
{
  g_signal_emit (self, signals[EVENT_RECORDED], 0, incident_id);
}

static void
sitrep_action_controller_init (SitrepActionController *self)
{
  self->running = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  self->grace_ms = SITREP_ACTION_CONTROLLER_DEFAULT_GRACE_MS;
}

SitrepActionController *
sitrep_action_controller_new (SitrepStore           *store,
                              SitrepRunbook         *runbook,
                              SitrepIncidentManager *manager,
                              gboolean               app_read_only)
{
  SitrepActionController *self;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);
  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);
  g_return_val_if_fail (manager == NULL || SITREP_IS_INCIDENT_MANAGER (manager), NULL);

  self = g_object_new (SITREP_TYPE_ACTION_CONTROLLER, NULL);
  self->store = g_object_ref (store);
  self->runbook = g_object_ref (runbook);
  self->manager = manager ? g_object_ref (manager) : NULL;
  self->read_only = app_read_only;
  sitrep_action_controller_follow_journal (self);
  /* Loads the audit log's key, so the first run does not wait for it, and closes what a
   * Sitrep that stopped left started. */
  sitrep_action_controller_close_unfinished_async (self, NULL, NULL, NULL);
  return self;
}

SitrepStore *
sitrep_action_controller_get_store (SitrepActionController *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), NULL);
  return self->store;
}

SitrepRunbook *
sitrep_action_controller_get_runbook (SitrepActionController *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), NULL);
  return self->runbook;
}

gboolean
sitrep_action_controller_get_read_only (SitrepActionController *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), TRUE);
  return self->read_only;
}

void
sitrep_action_controller_set_read_only (SitrepActionController *self,
                                        gboolean                read_only)
{
  g_return_if_fail (SITREP_IS_ACTION_CONTROLLER (self));

  if (self->read_only == !!read_only)
    return;
  self->read_only = !!read_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

gboolean
sitrep_action_controller_get_trusted (SitrepActionController *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), FALSE);
  return !self->untrusted;
}

void
sitrep_action_controller_set_trusted (SitrepActionController *self,
                                      gboolean                trusted)
{
  g_return_if_fail (SITREP_IS_ACTION_CONTROLLER (self));

  if (self->untrusted == !trusted)
    return;
  self->untrusted = !trusted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUSTED]);
}

const char *
sitrep_action_controller_get_kubectl (SitrepActionController *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), NULL);
  return self->kubectl;
}

void
sitrep_action_controller_set_author (SitrepActionController *self,
                                     const char             *author)
{
  g_return_if_fail (SITREP_IS_ACTION_CONTROLLER (self));

  if (author != NULL && *author == '\0')
    author = NULL;
  if (g_strcmp0 (self->author, author) == 0)
    return;
  g_free (self->author);
  self->author = g_strdup (author);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHOR]);
}

const char *
sitrep_action_controller_get_author (SitrepActionController *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), NULL);
  return self->author;
}

gboolean
sitrep_action_controller_is_hidden (SitrepActionController *self,
                                    const SitrepAction     *action)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), TRUE);
  return sitrep_action_is_hidden (action, self->runbook, self->read_only);
}

/**
 * sitrep_action_controller_check_allowed:
 *
 * Whether @action may run at all: nothing of a runbook the user has not trusted may, nor a
 * mutating action in read-only mode, and @error says so in words for the commander.
 */
gboolean
sitrep_action_controller_check_allowed (SitrepActionController *self,
                                        const SitrepAction     *action,
                                        GError                **error)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), FALSE);

  if (self->untrusted)
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_UNTRUSTED,
                   _("“%s” was not run: review this runbook's commands and trust it first"),
                   action->label);
      return FALSE;
    }
  if (!sitrep_action_controller_is_hidden (self, action))
    return TRUE;
  g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_READ_ONLY,
               _("“%s” changes the cluster, and Sitrep is read-only"), action->label);
  return FALSE;
}

/* The service's actions that may be shown (const SitrepAction *, owned by the runbook). */
GPtrArray *
sitrep_action_controller_list_actions (SitrepActionController *self,
                                       const SitrepService    *service)
{
  GPtrArray *actions = g_ptr_array_new ();

  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), actions);
  for (guint i = 0; service != NULL && service->actions != NULL && service->actions[i]; i++)
    {
      const SitrepAction *action = sitrep_runbook_find_action (self->runbook, service->actions[i]);

      if (action != NULL && !sitrep_action_controller_is_hidden (self, action))
        g_ptr_array_add (actions, (gpointer) action);
    }
  return actions;
}

SitrepActionRequest *
sitrep_action_controller_resolve (SitrepActionController *self,
                                  const SitrepService    *service,
                                  const SitrepAction     *action,
                                  GHashTable             *inputs,
                                  GHashTable             *offered,
                                  GError                **error)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), NULL);
  return sitrep_action_request_new (self->runbook, service, action, inputs, offered,
                                    self->kubectl, error);
}

static void
execute_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SitrepActionRun *run = SITREP_ACTION_RUN (source);
  g_autoptr(SitrepActionController) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The outcome and its reason are on the run: recorded by after_finish_cb, shown by the view. */
  if (!sitrep_action_run_execute_finish (run, result, &error))
    g_debug ("%s", error->message);
  g_signal_emit (self, signals[RUN_FINISHED], 0, run);
  g_ptr_array_remove (self->running, run);
}

/* A run waiting for the audit log's key, and the controller that starts it then. */
typedef struct
{
  SitrepActionController *self;
  SitrepActionRun *run;
} KeyWait;

/* The key is there (or cannot be had, which the "started" entry will say): start. */
static void
key_ready_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  KeyWait *wait = user_data;

  sitrep_store_load_audit_key_finish (SITREP_STORE (source), result, NULL);
  /* execute_cb takes over the reference to the controller. */
  sitrep_action_run_execute_async (wait->run, NULL, execute_cb, wait->self);
  g_object_unref (wait->run);
  g_free (wait);
}

/* Records a refusal; @error gets a note when even that could not be recorded. */
static void
refuse (SitrepActionController *self,
        SitrepActionRequest    *request,
        const char             *confirmation,
        GError                **error)
{
  g_autoptr(GError) record_error = NULL;

  if (!sitrep_action_controller_record_not_run (self, request, confirmation,
                                                SITREP_AUDIT_REFUSED, (*error)->message,
                                                &record_error))
    g_prefix_error (error, _("The audit log could not record this refusal (%s). "),
                    record_error->message);
}

/* @request's action when it may run now and, if @confirm, @confirmation is the word it asks for;
 * else NULL, with the refusal recorded and in @error. */
static const SitrepAction *
allowed_action (SitrepActionController *self,
                SitrepActionRequest    *request,
                const char             *confirmation,
                gboolean                confirm,
                GError                **error)
{
  const SitrepAction *action = sitrep_action_request_get_action (request);
  g_autoptr(GError) local_error = NULL;

  if (sitrep_action_controller_check_allowed (self, action, &local_error)
      && (!confirm || sitrep_action_request_check_confirmation (request, confirmation)))
    return action;
  if (local_error == NULL)
    g_set_error (&local_error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_INVALID_INPUT,
                 _("“%s” was not run: type “%s” to confirm"), action->label,
                 sitrep_action_request_get_confirmation_word (request));
  refuse (self, request, confirmation, &local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* Starts @request, or refuses it: a refusal is recorded and returned in @error. The process
 * starts once its "started" entry is on disk; if that cannot be written, the run ends "failed"
 * with the reason, and nothing ran. The run belongs to the controller until it ends; take a
 * reference to keep it longer. */
SitrepActionRun *
sitrep_action_controller_run (SitrepActionController *self,
                              SitrepActionRequest    *request,
                              const char             *confirmation,
                              gboolean                dry_run,
                              GError                **error)
{
  const SitrepAction *action;
  SitrepActionRun *run;
  KeyWait *wait;

  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), NULL);
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (request), NULL);

  /* A preview changes nothing: it needs no confirmation. */
  action = allowed_action (self, request, confirmation, !dry_run, error);
  if (action == NULL)
    return NULL;
  if (dry_run && sitrep_action_request_get_dry_run_argv (request) == NULL)
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_RUN,
                   _("“%s” has no preview"), action->label);
      return NULL;
    }

  run = sitrep_action_run_new_for_request (request, dry_run);
  g_ptr_array_add (self->running, run);

  sitrep_action_controller_record_run (self, run, request, confirmation, dry_run);
  wait = g_new0 (KeyWait, 1);
  wait->self = g_object_ref (self);
  wait->run = g_object_ref (run);

  g_signal_emit (self, signals[RUN_STARTED], 0, run, request, dry_run);
  sitrep_store_load_audit_key_async (self->store, NULL, key_ready_cb, wait);
  return run;
}

guint
sitrep_action_controller_get_grace_ms (SitrepActionController *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), 0);
  return self->grace_ms;
}

static gboolean
grace_over_cb (gpointer user_data)
{
  Pending *pending = user_data;
  SitrepActionController *self = pending->self;
  g_autoptr(GError) error = NULL;
  guint index;

  pending->source_id = 0;
  g_object_ref (self);
  if (g_ptr_array_find (self->pending, pending, &index))
    g_ptr_array_steal_index (self->pending, index);
  /* Checked again: a refusal now is recorded like any other. */
  if (sitrep_action_controller_run (self, pending->request, pending->confirmation, FALSE, &error)
      == NULL)
    g_warning ("%s", error->message);

  pending_free (pending);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
undo_cb (GCancellable *undo,
         Pending      *pending)
{
  SitrepActionController *self = pending->self;

  sitrep_action_controller_record_undone (self, pending->request, pending->confirmation);
  /* Frees @pending, which disconnects this handler: GCancellable allows that from within. */
  g_ptr_array_remove (self->pending, pending);
}

/* Starts a confirmed real run after the grace period; cancelling the returned GCancellable
 * before then is the Undo: nothing runs and the log records "cancelled". The refusals of
 * sitrep_action_controller_run() happen here, at once. */
GCancellable *
sitrep_action_controller_schedule (SitrepActionController *self,
                                   SitrepActionRequest    *request,
                                   const char             *confirmation,
                                   GError                **error)
{
  const SitrepAction *action;
  Pending *pending;

  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), NULL);
  g_return_val_if_fail (SITREP_IS_ACTION_REQUEST (request), NULL);

  action = allowed_action (self, request, confirmation, TRUE, error);
  if (action == NULL)
    return NULL;

  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->request = g_object_ref (request);
  pending->confirmation = g_strdup (confirmation);
  pending->undo = g_cancellable_new ();
  pending->cancelled_id = g_signal_connect (pending->undo, "cancelled", G_CALLBACK (undo_cb),
                                            pending);
  pending->source_id = g_timeout_add (self->grace_ms, grace_over_cb, pending);
  g_source_set_name_by_id (pending->source_id, "[sitrep] action grace period");
  g_ptr_array_add (self->pending, pending);
  return g_object_ref (pending->undo);
}

guint
sitrep_action_controller_get_n_pending (SitrepActionController *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), 0);
  return self->pending->len;
}

/* The user confirmed, then pressed Undo before the grace period ended: nothing ran. The attempt
 * is still recorded, as "cancelled" with no exit code or duration, so the log shows it. */
void
sitrep_action_controller_record_undone (SitrepActionController *self,
                                        SitrepActionRequest    *request,
                                        const char             *confirmation)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SITREP_IS_ACTION_CONTROLLER (self));
  g_return_if_fail (SITREP_IS_ACTION_REQUEST (request));
  if (!sitrep_action_controller_record_not_run (self, request, confirmation,
                                                SITREP_AUDIT_CANCELLED,
                                                _("Cancelled before it started (Undo during the "
                                                  "grace period)"),
                                                &error))
    g_warning ("The audit log could not record that “%s” was undone: %s",
               sitrep_action_request_get_action (request)->id, error->message);
}

/* The runbook is being replaced: confirmed runs still in their grace period must not start
 * against a runbook the console no longer shows. Each is recorded as cancelled, with @reason. */
void
sitrep_action_controller_cancel_pending (SitrepActionController *self,
                                         const char             *reason)
{
  g_return_if_fail (SITREP_IS_ACTION_CONTROLLER (self));

  while (self->pending->len > 0)
    {
      Pending *pending = g_ptr_array_steal_index (self->pending, 0);
      g_autoptr(GError) error = NULL;

      if (!sitrep_action_controller_record_not_run (self, pending->request,
                                                    pending->confirmation,
                                                    SITREP_AUDIT_CANCELLED, reason, &error))
        g_warning ("The audit log could not record that “%s” was cancelled: %s",
                   sitrep_action_request_get_action (pending->request)->id, error->message);
      pending_free (pending);
    }
}

guint
sitrep_action_controller_get_n_running (SitrepActionController *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), 0);
  return self->running->len;
}

/**
 * sitrep_action_controller_is_settled:
 *
 * Whether every command is over and on the record, or queued for it on the store's writer: no
 * command runs, and none cancelled while its "started" entry was being written waits for that
 * entry to be closed. A console that quits turns its main loop until this holds (the closing
 * entry is queued from a callback on it), then waits for the store's writes.
 */
gboolean
sitrep_action_controller_is_settled (SitrepActionController *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_CONTROLLER (self), TRUE);
  return self->running->len == 0 && self->n_closing == 0;
}

void
sitrep_action_controller_cancel_all (SitrepActionController *self)
{
  g_return_if_fail (SITREP_IS_ACTION_CONTROLLER (self));
  for (guint i = 0; i < self->running->len; i++)
    sitrep_action_run_cancel (self->running->pdata[i]);
}

/* Closing the runs a Sitrep that stopped left started. */
