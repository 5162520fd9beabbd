/* sitrep-action-controller-closing.c: the commands a Sitrep that stopped left started, closed as "never-finished"
 *
 * A "started" entry that nothing finishes and whose owner is gone (it quit, crashed or was
 * killed while the command ran) gets a "never-finished" entry and a line on its incident's
 * timeline, once when the controller is made. sitrep-action-controller-record.c writes the
 * entries of the runs themselves.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-action-audit.h"
#include "sitrep-action-controller-private.h"
#include "sitrep-store-audit.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"

/* Closing the runs a Sitrep that stopped left started: on the store's writer thread, which
 * reads the log on its own connection (a team database's answer is not waited for on the main
 * loop) and runs one change at a time, so two closings never close one entry twice. On a team
 * database the writer replays its journal before anything queued, so an outcome the stopped
 * console kept there is on the server before the closing looks: it is not "never-finished". */

typedef struct
{
  SitrepRunbook *runbook;
  char *author;
  gint64 at;
  gint64 closed;
  GArray *incidents;      /* gint64: those whose timeline got a line */
} Closing;

static void
closing_free (Closing *closing)
{
  g_clear_object (&closing->runbook);
  g_free (closing->author);
  g_array_unref (closing->incidents);
  g_free (closing);
}

/* On the writer thread, with the writer's store. */
static void
close_one (SitrepStore            *store,
           Closing                *closing,
           const SitrepAuditEntry *started)
{
  const SitrepAction *action = sitrep_runbook_find_action (closing->runbook, started->action_id);
  const SitrepService *service = started->service_id
                                   ? sitrep_runbook_find_service (closing->runbook,
                                                                  started->service_id)
                                   : NULL;
  g_autoptr(GError) error = NULL;
  SitrepAuditEntry entry = {
    .incident_id = started->incident_id,
    .context = started->context,
    .namespace = started->namespace,
    .action_id = started->action_id,
    .service_id = started->service_id,
    .argv = started->argv,
    .inputs = started->inputs,
    .confirmation = started->confirmation,
    .outcome = (char *) SITREP_AUDIT_NEVER_FINISHED,
    .output_tail = (char *) _("Sitrep stopped (it quit, crashed or was killed) while this command "
                              "ran: whether it finished, and how, is unknown."),
    .started_id = started->id,
    .process = started->process,
    /* This console closes it: the entry is its own, as the host says. */
    .author = closing->author,
  };

  if (sitrep_store_append_audit (store, &entry, &error) <= 0)
    {
      g_warning ("The audit log could not close entry %" G_GINT64_FORMAT ": %s", started->id,
                 error->message);
      return;
    }
  closing->closed++;
  if (started->incident_id > 0)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autoptr(SitrepRedactor) redactor = sitrep_redactor_new ();

      json_object_set_string_member (fields, "action", started->action_id);
      json_object_set_string_member (fields, "label", action ? action->label : started->action_id);
      if (started->service_id != NULL)
        json_object_set_string_member (fields, "service", started->service_id);
      json_object_set_string_member (fields, "service_name",
                                     service ? service->name
                                             : (started->service_id ? started->service_id
                                                                    : sitrep_runbook_get_name (closing->runbook)));
      json_object_set_int_member (fields, "started_at", started->at);
      /* The secrets it was handed are gone with the Sitrep that ran it: the forms remain. */
      sitrep_action_controller_redact_fields (redactor, fields);
      g_clear_error (&error);
      if (sitrep_store_record_event (store, started->incident_id, closing->at,
                                     SITREP_TIMELINE_KIND_ACTION_NEVER_FINISHED, fields,
                                     sitrep_action_controller_event_author (closing->author),
                                     &error) <= 0)
        g_warning ("Could not record on incident %" G_GINT64_FORMAT "’s timeline that entry %"
                   G_GINT64_FORMAT " never finished: %s",
                   started->incident_id, started->id, error->message);
      else
        g_array_append_val (closing->incidents, started->incident_id);
    }
}

static gboolean
close_unfinished (SitrepStore *store,
                  gpointer     data,
                  GError     **error)
{
  Closing *closing = data;
  g_autoptr(GPtrArray) unfinished = sitrep_store_list_unfinished_audit (store, error);

  if (unfinished == NULL)
    return FALSE;
  for (guint i = 0; i < unfinished->len; i++)
    {
      const SitrepAuditEntry *started = unfinished->pdata[i];

      if (sitrep_action_audit_owner_is_gone (started->owner))
        close_one (store, closing, started);
    }
  return TRUE;
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SitrepActionController *self = g_task_get_source_object (task);
  Closing *closing = sitrep_store_write_get_data (result);
  GError *error = NULL;

  if (!sitrep_store_write_finish (SITREP_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The Timeline view shows the lines the closing wrote. */
  for (guint i = 0; i < closing->incidents->len; i++)
    sitrep_action_controller_emit_event_recorded (self, g_array_index (closing->incidents,
                                                                       gint64, i));
  g_task_return_int (task, closing->closed);
}

static void
unfinished_key_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SitrepActionController *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  Closing *closing;
  GError *error = NULL;

  if (!sitrep_store_load_audit_key_finish (SITREP_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  closing = g_new0 (Closing, 1);
  closing->runbook = g_object_ref (self->runbook);
  closing->author = g_strdup (self->author);
  closing->at = sitrep_action_controller_now (self);
  closing->incidents = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* Signed with the key the store holds now, which the change carries to the thread. */
  sitrep_store_write_async (self->store, close_unfinished, closing, (GDestroyNotify) closing_free,
                            cancellable, closed_cb, g_steal_pointer (&task));
}

/**
 * sitrep_action_controller_close_unfinished_async:
 *
 * Finds the "started" entries that nothing finishes and whose Sitrep is gone (it quit, crashed
 * or was killed while the command ran), and closes each with a "never-finished" entry and a
 * line on its incident's timeline. Runs once when the controller is made.
 */
void
sitrep_action_controller_close_unfinished_async (SitrepActionController *self,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data)
{
  GTask *task;

  g_return_if_fail (SITREP_IS_ACTION_CONTROLLER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_action_controller_close_unfinished_async);
  sitrep_store_load_audit_key_async (self->store, cancellable, unfinished_key_cb, task);
}

/* Returns: how many were closed, or -1 with @error set (no key, say). */
gint64
sitrep_action_controller_close_unfinished_finish (SitrepActionController *self,
                                                  GAsyncResult           *result,
                                                  GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}
