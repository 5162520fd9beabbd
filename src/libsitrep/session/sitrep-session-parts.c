/* sitrep-session-parts.c: the session's monitor, incidents, webhook and commands, rebuilt together
 *
 * The parts follow the runbook and the database: another runbook, or a database opened later,
 * brings a new monitor, incident manager and action controller, built here in that order
 * because each needs the one before. A replaced controller's commands that already run keep it
 * alive until they finish and are recorded. sitrep-session.c holds the object itself: its
 * properties, the runbook's loading, read-only and trust.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-author.h"
#include "sitrep-drill-history.h"
#include "sitrep-session-private.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-reader.h"

/* A health change goes on the open incidents' timelines, then to whoever shows it. */
static void
health_changed_cb (SitrepSession      *self,
                   SitrepServiceState *state,
                   SitrepHealth        old_health,
                   SitrepHealth        new_health)
{
  if (self->incidents != NULL)
    sitrep_incident_manager_record_health (self->incidents, sitrep_service_state_get_id (state),
                                           sitrep_service_state_get_name (state),
                                           old_health, new_health,
                                           new_health != SITREP_HEALTH_UP
                                             ? sitrep_service_state_get_why (state) : NULL,
                                           sitrep_service_state_get_since (state));
  sitrep_session_emit_health_changed (self, state, old_health, new_health);
}

static void
clear_monitor (SitrepSession *self)
{
  if (self->monitor == NULL)
    return;
  sitrep_monitor_stop (self->monitor);
  g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
}

void
sitrep_session_replace_monitor (SitrepSession *self)
{
  clear_monitor (self);
  /* A command-line verb probes nothing. */
  if (self->runbook != NULL && !self->headless)
    {
      g_autoptr(SitrepStore) drill_history = NULL;
      g_autoptr(GError) error = NULL;

      /* A drill's samples never mix with production's same-named services. */
      if (sitrep_runbook_get_environment (self->runbook)->drill)
        {
          drill_history = sitrep_drill_open_health_store (self->runbook, &error);
          if (drill_history == NULL)
            g_message ("%s", error->message);
        }
      self->monitor = sitrep_monitor_new (self->runbook,
                                          sitrep_runbook_get_environment (self->runbook)->drill
                                            ? drill_history : self->store,
                                          NULL);
      /* Before the first probe: an untrusted runbook's command and kube probes never start. */
      sitrep_probe_context_set_trusted (sitrep_monitor_get_context (self->monitor), self->trusted);
      g_signal_connect_swapped (self->monitor, "health-changed", G_CALLBACK (health_changed_cb),
                                self);
      sitrep_monitor_set_paused (self->monitor, self->probes_paused);
      sitrep_monitor_start (self->monitor);
    }
  sitrep_session_notify (self, SITREP_SESSION_PROP_MONITOR);
}

static void
due_cb (SitrepSession  *self,
        SitrepIncident *incident,
        SitrepDue      *due)
{
  sitrep_session_emit_due (self, incident, due);
}

/* A replaced runbook's commands that are already running finish and are recorded: each run
 * keeps its controller alive until then. What has not started yet does not start. */
static void
retire_actions (SitrepSession *self)
{
  if (self->actions == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->actions_bindings); i++)
    g_clear_pointer (&self->actions_bindings[i], g_binding_unbind);
  sitrep_action_controller_cancel_pending (self->actions,
                                           _("Cancelled before it started: another runbook was "
                                             "opened"));
  for (guint i = self->retired->len; i > 0; i--)
    {
      g_autoptr(GObject) alive = g_weak_ref_get (self->retired->pdata[i - 1]);

      if (alive == NULL)
        g_ptr_array_remove_index (self->retired, i - 1);
    }
  if (sitrep_action_controller_get_n_running (self->actions) > 0)
    {
      GWeakRef *ref = g_new0 (GWeakRef, 1);

      g_weak_ref_init (ref, self->actions);
      g_ptr_array_add (self->retired, ref);
    }
  g_clear_object (&self->actions);
}

/* The commander's name (Preferences, as on the incidents) goes with every command recorded;
 * called again when Preferences change it. */
void
sitrep_session_update_author (SitrepSession *self)
{
  g_autofree char *name = NULL;

  if (self->actions == NULL)
    return;
  name = sitrep_author_name (self->settings);
  sitrep_action_controller_set_author (self->actions, name);
}

/* The commands follow the runbook, the database and the incidents; read-only and trust are
 * bound, so that every check reads what the session says at that moment. */
static void
replace_actions (SitrepSession *self)
{
  retire_actions (self);
  /* A command-line verb runs no commands. */
  if (self->runbook != NULL && self->store != NULL && !self->headless)
    {
      self->actions = sitrep_action_controller_new (self->store, self->runbook, self->incidents,
                                                    sitrep_session_get_read_only (self));
      self->actions_bindings[0] = g_object_bind_property (self, "read-only", self->actions,
                                                          "read-only", G_BINDING_SYNC_CREATE);
      self->actions_bindings[1] = g_object_bind_property (self, "trusted", self->actions,
                                                          "trusted", G_BINDING_SYNC_CREATE);
      sitrep_session_update_author (self);
    }
  sitrep_session_notify (self, SITREP_SESSION_PROP_ACTIONS);
}

static void
message_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SitrepSession) self = user_data;
  g_autoptr(SitrepMessage) message = NULL;

  message = sitrep_store_load_message_finish (SITREP_STORE (source), result, NULL);
  /* Read from a database the console has since switched away from: not this one's. */
  if (message != NULL && self->incidents != NULL && source == (GObject *) self->store)
    sitrep_incident_manager_reload (self->incidents, message->incident_id, NULL);
}

/* A post the webhook delivered reset the incident's update clock in the store: the message
 * says which incident, read on the store's reader thread (a team database's is on the
 * network). */
static void
webhook_changed_cb (SitrepWebhook      *webhook,
                    gint64              message_id,
                    SitrepWebhookState  state,
                    SitrepSession      *self)
{
  if (state != SITREP_WEBHOOK_STATE_SENT || self->incidents == NULL)
    return;
  sitrep_store_load_message_async (self->store, message_id, NULL, message_loaded_cb,
                                   g_object_ref (self));
}

static void
clear_incidents (SitrepSession *self)
{
  if (self->incidents == NULL)
    return;
  sitrep_incident_manager_stop (self->incidents);
  g_signal_handlers_disconnect_by_data (self->incidents, self);
  g_clear_object (&self->incidents);
}

/**
 * sitrep_session_read_incidents:
 *
 * A headless session's incidents, read in the call (a verb has nothing else to do while it
 * waits), with no clocks running and no chat messages sent: for the verbs that change an
 * incident. A verb that only reads one, or the list, asks the store itself and is spared
 * reading every incident first. Needs the runbook and the database.
 *
 * Returns: whether #SitrepSession:incidents could be read; @error says why not
 */
gboolean
sitrep_session_read_incidents (SitrepSession *self,
                               GError       **error)
{
  g_return_val_if_fail (SITREP_IS_SESSION (self), FALSE);
  /* A console's are read when its database opens, on the reader thread. */
  g_return_val_if_fail (self->headless, FALSE);
  g_return_val_if_fail (self->runbook != NULL && self->store != NULL, FALSE);

  clear_incidents (self);
  self->incidents = sitrep_incident_manager_new (self->store, self->runbook, NULL, error);
  sitrep_session_notify (self, SITREP_SESSION_PROP_INCIDENTS);
  return self->incidents != NULL;
}

void
sitrep_session_replace_incidents (SitrepSession *self)
{
  g_autoptr(GError) error = NULL;

  clear_incidents (self);
  /* A verb reads them when it needs them: sitrep_session_read_incidents(). */
  if (self->headless)
    {
      sitrep_session_notify (self, SITREP_SESSION_PROP_INCIDENTS);
      return;
    }
  /* Messages still queued for the chat webhook go out once the database is open. */
  if (self->webhook == NULL && self->store != NULL)
    {
      self->webhook = sitrep_webhook_new (self->store, NULL);
      g_signal_connect (self->webhook, "changed", G_CALLBACK (webhook_changed_cb), self);
      sitrep_session_notify (self, SITREP_SESSION_PROP_WEBHOOK);
    }
  if (self->webhook != NULL)
    sitrep_webhook_set_allow_plain_http (self->webhook,
                                         self->runbook != NULL
                                           && sitrep_runbook_get_webhook_allow_plain_http (self->runbook));
  if (self->runbook != NULL && self->store != NULL)
    {
      /* On a team database the list comes from the reader thread: the window never waits on
       * the network for it. */
      self->incidents = sitrep_incident_manager_new_in_background (self->store, self->runbook,
                                                                   NULL, &error);
      if (self->incidents == NULL)
        {
          sitrep_session_set_store_error (self, error->message);
        }
      else
        {
          g_signal_connect_swapped (self->incidents, "due", G_CALLBACK (due_cb), self);
          sitrep_incident_manager_start (self->incidents);
        }
    }
  sitrep_session_notify (self, SITREP_SESSION_PROP_INCIDENTS);
  replace_actions (self);
}

/* The console quits: probing stops, and every command still running is stopped, the replaced
 * runbooks' too, and recorded so. */
void
sitrep_session_close_parts (SitrepSession *self)
{
  clear_monitor (self);
  if (self->actions != NULL)
    sitrep_action_controller_cancel_all (self->actions);
  for (guint i = 0; i < G_N_ELEMENTS (self->actions_bindings); i++)
    g_clear_pointer (&self->actions_bindings[i], g_binding_unbind);
  g_clear_object (&self->actions);
  for (guint i = 0; i < self->retired->len; i++)
    {
      g_autoptr(SitrepActionController) retired = g_weak_ref_get (self->retired->pdata[i]);

      if (retired != NULL)
        sitrep_action_controller_cancel_all (retired);
    }
  g_ptr_array_set_size (self->retired, 0);
  if (self->webhook != NULL)
    g_signal_handlers_disconnect_by_data (self->webhook, self);
  g_clear_object (&self->webhook);
  clear_incidents (self);
}
