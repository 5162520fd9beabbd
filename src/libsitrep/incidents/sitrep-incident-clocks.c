/* sitrep-incident-clocks.c: records, once each, the escalations and updates that fall due
 *
 * Called on every tick of the console's clock (and once after a restart): whatever fell due
 * since is written to the store with its timeline event, exactly once, so a restart after
 * kill -9 neither loses nor repeats an escalation.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-incident-clocks.h"
#include "sitrep-store-incidents.h"
#include "sitrep-timeline-event-render.h"

void
sitrep_due_free (SitrepDue *due)
{
  g_free (due->text);
  g_free (due->message);
  g_free (due);
}

/* The ready message to a contact when escalating: who, which incident, how long, where. */
char *
sitrep_incident_escalation_message (SitrepIncident             *incident,
                                    const SitrepEscalationStep *step,
                                    const SitrepContact        *contact,
                                    gint64                      now)
{
  g_autofree char *age = NULL;
  gint64 span = MAX (0, now - sitrep_incident_get_declared_at (incident));

  age = g_strdup_printf ("%d", (int) (span / G_USEC_PER_SEC / 60));
  /* Translators: the ready message to a contact when escalating, e.g. "@teamlead: SEV-1
   * incident unresolved for 15 min: API returns 503s. Channel: #incident-… Please join." */
  return g_strdup_printf (_("%s: %s incident unresolved for %s min: %s. Channel: %s. "
                            "Please join."),
                          contact && contact->handle ? contact->handle : step->role,
                          sitrep_incident_get_severity (incident), age,
                          sitrep_incident_get_summary (incident),
                          sitrep_incident_get_channel (incident));
}

/**
 * sitrep_incident_escalation_fields:
 * @contact: (nullable): the step's contact
 *
 * What the timeline keeps of an escalation step: its index, role and contact as the runbook
 * says them now.
 *
 * Returns: (transfer full): the fields of an "escalation-due" or "escalation" event
 */
JsonObject *
sitrep_incident_escalation_fields (const SitrepEscalationStatus *status,
                                   const SitrepContact          *contact)
{
  JsonObject *fields = json_object_new ();

  json_object_set_int_member (fields, "step", status->index);
  json_object_set_string_member (fields, "role", status->step->role);
  json_object_set_string_member (fields, "contact", status->step->contact);
  if (contact != NULL && contact->handle != NULL)
    json_object_set_string_member (fields, "handle", contact->handle);
  return fields;
}

/**
 * sitrep_incident_check_clocks:
 *
 * Records every escalation step and status update of @incident that is due at @now and was
 * not recorded yet. Nothing is due once the incident is resolved.
 *
 * Returns: (transfer full) (element-type SitrepDue): what fell due just now, or %NULL on error
 */
GPtrArray *
sitrep_incident_check_clocks (SitrepStore    *store,
                              SitrepIncident *incident,
                              SitrepRunbook  *runbook,
                              gint64          now,
                              GError        **error)
{
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_due_free);
  g_autoptr(GArray) steps = NULL;
  gint64 update_due;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), NULL);

  if (sitrep_incident_get_status (incident) == SITREP_STATUS_RESOLVED)
    return g_steal_pointer (&due);

  steps = sitrep_incident_escalation (incident, runbook, now);
  for (guint i = 0; i < steps->len; i++)
    {
      const SitrepEscalationStatus *status = &g_array_index (steps, SitrepEscalationStatus, i);
      const SitrepContact *contact;
      g_autoptr(JsonObject) fields = NULL;
      gboolean newly = FALSE;
      SitrepDue *item;

      if (status->state != SITREP_ESCALATION_DUE)
        continue;
      contact = sitrep_runbook_find_contact (runbook, status->step->contact);
      fields = sitrep_incident_escalation_fields (status, contact);
      if (!sitrep_store_note_escalation_due (store, sitrep_incident_get_id (incident),
                                             status->index, status->due_at, fields, &newly, error))
        return NULL;
      /* A step due at the declaration itself ("on-call at once") is part of declaring: it is on
       * the record, but raising a banner and a notification at the moment the commander
       * declares only interrupts them. */
      if (!newly || status->due_at <= sitrep_incident_get_declared_at (incident))
        continue;
      item = g_new0 (SitrepDue, 1);
      item->kind = SITREP_DUE_ESCALATION;
      item->step = status->index;
      item->escalation = status->step;
      item->contact = contact;
      item->due_at = status->due_at;
      item->text = sitrep_timeline_render (SITREP_TIMELINE_KIND_ESCALATION_DUE, fields, NULL,
                                           SITREP_TIMELINE_RENDER_DEFAULT);
      item->message = sitrep_incident_escalation_message (incident, status->step, contact, now);
      g_ptr_array_add (due, item);
    }

  update_due = sitrep_incident_next_update_due_at (incident, runbook);
  if (update_due > 0 && now >= update_due)
    {
      gboolean newly = FALSE;

      if (!sitrep_store_note_update_overdue (store, sitrep_incident_get_id (incident), update_due,
                                             &newly, error))
        return NULL;
      if (newly)
        {
          SitrepDue *item = g_new0 (SitrepDue, 1);

          item->kind = SITREP_DUE_UPDATE;
          item->due_at = update_due;
          item->text = g_strdup (_("Status update overdue"));
          g_ptr_array_add (due, item);
        }
    }
  return g_steal_pointer (&due);
}
