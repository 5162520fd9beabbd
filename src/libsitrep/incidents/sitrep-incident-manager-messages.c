/* sitrep-incident-manager-messages.c: a stakeholder message recorded, and what it does to its incident
 *
 * A message copied to the chat is sent: it goes on the timeline and starts the incident's
 * "next update due" clock again (a post-mortem draft excepted). The store writes it on its
 * writer thread; the manager then shows the incident as the store has it. While the team
 * database is away the journal keeps the message instead (the store answers with id 0), and
 * the manager shows the clock started again itself, as the replay will write it.
 *
 * A message to post is only queued here: the webhook sends it, and marks it sent.
 */
#include "config.h"

#include "sitrep-incident-manager-private.h"
#include "sitrep-store-message-writes.h"

typedef struct
{
  gint64 incident_id;
  gint64 at;
  gboolean posted;
  gboolean resets_update;
} Recording;

/* A copied message the journal keeps: the incident is shown with its update clock started
 * again, as the replay will write it, since nothing can be read from the server meanwhile. */
static void
keep_message (SitrepIncidentManager *self,
              Recording             *recording)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "at", recording->at);
  json_object_set_boolean_member (body, "resets_update", recording->resets_update);
  _sitrep_incident_manager_keep_change (self, recording->incident_id, "message", body);
}

static void
recorded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SitrepIncidentManager *self = g_task_get_source_object (task);
  Recording *recording = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 id = sitrep_store_record_message_finish (SITREP_STORE (source), result, &error);

  if (id < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The manager went meanwhile: the message is stored, nothing is shown. */
  if (recording->posted || self->store == NULL)
    ;
  else if (id == 0)
    keep_message (self, recording);
  else
    /* The store reset the update clock: every view of the incident sees it. */
    sitrep_incident_manager_reload (self, recording->incident_id, NULL);
  g_task_return_int (task, id);
}

/**
 * sitrep_incident_manager_record_message_async:
 * @message: the message, copied (@message->posted FALSE) or to post
 *
 * Records @message on the store's writer thread, so that the main loop never waits on the
 * database, and shows its incident as it is then: for a copied message, with the update
 * clock started again (unless it is a post-mortem draft). It takes no cancellable: a message
 * copied to the chat is sent, whether or not its dialog is still open when the database
 * takes it.
 */
void
sitrep_incident_manager_record_message_async (SitrepIncidentManager     *self,
                                              const SitrepMessageRecord *message,
                                              GAsyncReadyCallback        callback,
                                              gpointer                   user_data)
{
  GTask *task;
  Recording *recording;

  g_return_if_fail (SITREP_IS_INCIDENT_MANAGER (self));
  g_return_if_fail (message != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, sitrep_incident_manager_record_message_async);
  recording = g_new0 (Recording, 1);
  recording->incident_id = message->incident_id;
  recording->at = message->at;
  recording->posted = message->posted;
  recording->resets_update = message->kind != SITREP_TEMPLATE_POSTMORTEM;
  g_task_set_task_data (task, recording, g_free);
  sitrep_store_record_message_async (self->store, message, NULL, recorded_cb, task);
}

/**
 * sitrep_incident_manager_record_message_finish:
 *
 * Returns: the message's id; 0 when the journal keeps it until the team database is back
 *   (a copied message, its incident shown with it meanwhile); -1 with @error set when it
 *   could not be recorded
 */
gint64
sitrep_incident_manager_record_message_finish (SitrepIncidentManager *self,
                                               GAsyncResult          *result,
                                               GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                          == sitrep_incident_manager_record_message_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}
