/* sitrep-incident-manager-sync.c: the commander's changes made in the call
 *
 * The headless verbs' way (sitrep incident declare, note, status…) and a file's: each change is
 * made on the caller's thread, committed before the call returns, and the incident read again
 * from the store. A change the database refuses as busy (another writer holds what it needs
 * past the busy timeout, or a team database's lock_timeout, a deadlock) is tried again, as the
 * writer thread tries a console's (sitrep_store_write_sync()). A console on a team database
 * makes them on the writer thread instead (sitrep-incident-manager-writes.c), so that the main
 * loop never waits on the network. Both ask the store through _sitrep_change_apply(), here.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-incident-manager-private.h"
#include "sitrep-incident-status.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-writer.h"

gboolean
_sitrep_change_apply (SitrepStore   *store,
                      SitrepChange  *change,
                      GError       **error)
{
  switch (change->kind)
    {
    case SITREP_CHANGE_DECLARE:
      change->id = sitrep_store_declare_incident (store, change->declaration, error);
      return change->id >= 0;
    case SITREP_CHANGE_SEVERITY:
      return sitrep_store_set_severity (store, change->base, change->text, change->at,
                                        change->author, error);
    case SITREP_CHANGE_STATUS:
      return sitrep_store_change_status (store, change->base, change->stage, change->status_id,
                                         change->old_label, change->new_label, change->at,
                                         change->author, error);
    case SITREP_CHANGE_ITEM:
      return sitrep_store_set_item (store, change->id, change->text, change->item_text,
                                    change->flag, change->at, change->author, error);
    case SITREP_CHANGE_ESCALATION:
      return sitrep_store_answer_escalation (store, change->id, change->step, change->due_at,
                                             change->flag, change->fields, change->at,
                                             change->author, error);
    case SITREP_CHANGE_UPDATE_SENT:
      return sitrep_store_mark_update_sent (store, change->id, change->at, change->author,
                                            error);
    case SITREP_CHANGE_CHANNEL:
      return sitrep_store_set_channel (store, change->id, change->text, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
apply_cb (SitrepStore *store,
          gpointer     data,
          GError     **error)
{
  return _sitrep_change_apply (store, data, error);
}

/* Makes @change, waiting for a busy database and trying again. */
static gboolean
write_call (SitrepIncidentManager *self,
            SitrepChange          *change,
            GError               **error)
{
  change->at = sitrep_clock_now (self->clock);
  return sitrep_store_write_sync (self->store, apply_cb, change, error);
}

/* Replaces the snapshot of @id with what the store holds now, read on the main loop: the
 * headless verbs' and a file's way (sitrep-incident-manager-reload.c reads a team database's
 * on a thread). */
static SitrepIncident *
reload (SitrepIncidentManager *self,
        gint64                 id,
        GError               **error)
{
  return _sitrep_incident_manager_reload (self, id, error);
}

/* After a failed change the snapshot may be old (another window): show what is stored. */
static gboolean
after_change (SitrepIncidentManager *self,
              gint64                 id,
              gboolean               ok,
              GError               **error)
{
  g_autoptr(GError) reload_error = NULL;

  if (reload (self, id, ok ? error : &reload_error) == NULL)
    return FALSE;
  return ok;
}

gint64
sitrep_incident_manager_declare (SitrepIncidentManager *self,
                                 const char            *severity,
                                 const char            *summary,
                                 const char            *impact,
                                 const char            *lead,
                                 const char            *channel,
                                 const char *const     *services,
                                 GError               **error)
{
  g_autoptr(SitrepDeclaration) declaration = NULL;
  SitrepChange change = { 0 };
  gint64 id;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), -1);

  declaration = sitrep_declaration_new (self->runbook, severity, summary, impact, lead, channel,
                                        services, sitrep_clock_now (self->clock), error);
  if (declaration == NULL)
    return -1;
  change.kind = SITREP_CHANGE_DECLARE;
  change.declaration = declaration;
  if (!write_call (self, &change, error))
    return -1;
  id = change.id;
  if (reload (self, id, error) == NULL)
    return -1;
  sitrep_incident_manager_set_current (self, id);
  sitrep_incident_manager_check (self);
  return id;
}

gboolean
sitrep_incident_manager_set_severity (SitrepIncidentManager *self,
                                      gint64                 id,
                                      const char            *severity,
                                      const char            *author,
                                      GError               **error)
{
  SitrepIncident *incident;
  SitrepChange change;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), FALSE);

  incident = sitrep_incident_manager_find (self, id);
  g_return_val_if_fail (incident != NULL, FALSE);
  if (sitrep_runbook_find_severity (sitrep_incident_manager_get_runbook_for (self, incident),
                                    severity) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The runbook defines no severity \"%s\"."), severity);
      return FALSE;
    }
  change = (SitrepChange) { .kind = SITREP_CHANGE_SEVERITY, .base = incident, .text = severity,
                            .author = author };
  return after_change (self, id, write_call (self, &change, error), error);
}

static gboolean
change_status (SitrepIncidentManager    *self,
               SitrepIncident           *incident,
               const SitrepStatusChoice *to,
               const char               *author,
               GError                  **error)
{
  SitrepRunbook *runbook = sitrep_incident_manager_get_runbook_for (self, incident);
  SitrepChange change = {
    .kind = SITREP_CHANGE_STATUS,
    .base = incident,
    .stage = to->stage,
    .status_id = to->id,
    .old_label = to->id ? sitrep_incident_get_status_label (incident, runbook) : NULL,
    .new_label = to->id ? to->label : NULL,
    .author = author,
  };

  return after_change (self, sitrep_incident_get_id (incident),
                       write_call (self, &change, error), error);
}

/* Moves the incident to a built-in @status; under a runbook with its own statuses, to the
 * first of them that counts as @status (its final one for resolved). */
gboolean
sitrep_incident_manager_set_status (SitrepIncidentManager *self,
                                    gint64                 id,
                                    SitrepIncidentStatus   status,
                                    const char            *author,
                                    GError               **error)
{
  SitrepIncident *incident;
  SitrepStatusChoice to = { status, NULL, NULL };

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), FALSE);

  incident = sitrep_incident_manager_find (self, id);
  g_return_val_if_fail (incident != NULL, FALSE);
  if (!sitrep_incident_status_for_stage (sitrep_incident_manager_get_runbook_for (self, incident),
                                         status, &to))
    {
      g_autofree char *known =
        sitrep_incident_status_list (sitrep_incident_manager_get_runbook_for (self, incident));

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("This runbook has no status that counts as %s: give one of %s."),
                   sitrep_incident_status_to_string (status), known);
      return FALSE;
    }
  return change_status (self, incident, &to, author, error);
}

/* Moves the incident to the status @status names: one of its runbook's own, or of the
 * built-in four when the runbook has none; anything else is refused with the list. */
gboolean
sitrep_incident_manager_set_status_id (SitrepIncidentManager *self,
                                       gint64                 id,
                                       const char            *status,
                                       const char            *author,
                                       GError               **error)
{
  SitrepIncident *incident;
  SitrepStatusChoice to;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), FALSE);

  incident = sitrep_incident_manager_find (self, id);
  g_return_val_if_fail (incident != NULL, FALSE);
  if (!sitrep_incident_status_parse (sitrep_incident_manager_get_runbook_for (self, incident),
                                     status, &to, error))
    return FALSE;
  return change_status (self, incident, &to, author, error);
}

static const SitrepChecklistItem *
find_item (SitrepRunbook *runbook,
           const char    *item_id)
{
  GPtrArray *phases = sitrep_runbook_get_checklist (runbook);

  for (guint i = 0; i < phases->len; i++)
    {
      const SitrepChecklistPhase *phase = phases->pdata[i];

      for (guint k = 0; k < phase->items->len; k++)
        if (g_str_equal (((SitrepChecklistItem *) phase->items->pdata[k])->id, item_id))
          return phase->items->pdata[k];
    }
  return NULL;
}

/* The item @item_id of @incident's checklist, if it applies to @incident. */
const SitrepChecklistItem *
_sitrep_incident_manager_check_item (SitrepIncidentManager *self,
                                     SitrepIncident        *incident,
                                     const char            *item_id,
                                     GError               **error)
{
  const SitrepChecklistItem *item;

  item = find_item (sitrep_incident_manager_get_runbook_for (self, incident), item_id);
  if (item == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The runbook's checklist has no item \"%s\"."), item_id);
      return NULL;
    }
  if (!sitrep_incident_item_applies (incident, item))
    {
      g_autofree char *severities = g_strjoinv (", ", item->severities);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The checklist item \"%s\" is only for %s incidents, and this one is %s."),
                   item_id, severities, sitrep_incident_get_severity (incident));
      return NULL;
    }
  return item;
}

gboolean
sitrep_incident_manager_set_item (SitrepIncidentManager *self,
                                  gint64                 id,
                                  const char            *item_id,
                                  gboolean               done,
                                  const char            *author,
                                  GError               **error)
{
  const SitrepChecklistItem *item;
  SitrepIncident *incident;
  SitrepChange change;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), FALSE);

  incident = sitrep_incident_manager_find (self, id);
  g_return_val_if_fail (incident != NULL, FALSE);
  item = _sitrep_incident_manager_check_item (self, incident, item_id, error);
  if (item == NULL)
    return FALSE;
  change = (SitrepChange) { .kind = SITREP_CHANGE_ITEM, .id = id, .text = item_id,
                            .item_text = item->text, .flag = done, .author = author };
  return after_change (self, id, write_call (self, &change, error), error);
}

/* The fields of the event answering escalation step @step of @incident, and when it fell due. */
JsonObject *
_sitrep_incident_manager_escalation_answer (SitrepIncidentManager *self,
                                            SitrepIncident        *incident,
                                            guint                  step,
                                            gboolean               escalated,
                                            gint64                *due_at,
                                            GError               **error)
{
  SitrepRunbook *runbook = sitrep_incident_manager_get_runbook_for (self, incident);
  g_autoptr(GArray) steps = sitrep_incident_escalation (incident, runbook,
                                                        sitrep_clock_now (self->clock));
  const SitrepEscalationStatus *status = NULL;
  JsonObject *fields;

  for (guint i = 0; i < steps->len; i++)
    if (g_array_index (steps, SitrepEscalationStatus, i).index == step)
      status = &g_array_index (steps, SitrepEscalationStatus, i);
  if (status == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The incident's escalation path has no step %u."), step);
      return NULL;
    }
  fields = sitrep_incident_escalation_fields (
    status, sitrep_runbook_find_contact (runbook, status->step->contact));
  json_object_set_string_member (fields, "answer", escalated ? "escalated" : "not-needed");
  *due_at = status->due_at;
  return fields;
}

gboolean
sitrep_incident_manager_answer_escalation (SitrepIncidentManager *self,
                                           gint64                 id,
                                           guint                  step,
                                           gboolean               escalated,
                                           const char            *author,
                                           GError               **error)
{
  SitrepIncident *incident;
  g_autoptr(JsonObject) fields = NULL;
  gint64 due_at = 0;
  SitrepChange change;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), FALSE);

  incident = sitrep_incident_manager_find (self, id);
  g_return_val_if_fail (incident != NULL, FALSE);
  fields = _sitrep_incident_manager_escalation_answer (self, incident, step, escalated, &due_at,
                                                       error);
  if (fields == NULL)
    return FALSE;
  change = (SitrepChange) { .kind = SITREP_CHANGE_ESCALATION, .id = id, .step = step,
                            .due_at = due_at, .flag = escalated, .fields = fields,
                            .author = author };
  return after_change (self, id, write_call (self, &change, error), error);
}

gboolean
sitrep_incident_manager_update_sent (SitrepIncidentManager *self,
                                     gint64                 id,
                                     const char            *author,
                                     GError               **error)
{
  SitrepChange change;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), FALSE);

  change = (SitrepChange) { .kind = SITREP_CHANGE_UPDATE_SENT, .id = id, .author = author };
  return after_change (self, id, write_call (self, &change, error), error);
}

gboolean
sitrep_incident_manager_set_channel (SitrepIncidentManager *self,
                                     gint64                 id,
                                     const char            *channel,
                                     GError               **error)
{
  g_autofree char *clean = NULL;
  SitrepChange change;

  g_return_val_if_fail (SITREP_IS_INCIDENT_MANAGER (self), FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);

  clean = g_strstrip (g_strdup (channel));
  if (*clean == '\0')
    return TRUE; /* an emptied entry keeps the name the incident has */
  change = (SitrepChange) { .kind = SITREP_CHANGE_CHANNEL, .id = id, .text = clean };
  return after_change (self, id, write_call (self, &change, error), error);
}
