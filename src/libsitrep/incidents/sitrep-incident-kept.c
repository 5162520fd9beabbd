/* sitrep-incident-kept.c: an incident declared or changed while the team database is unreachable, as the console shows it until the journal is written
 *
 * An incident declared while the team database is away has no id from the server yet. It gets
 * a provisional one, below zero so that it never meets a server's, and every change of it the
 * journal keeps names that id; the replay (sitrep-store-journal.c) writes the declaration
 * first, learns the server's id and writes the rest under it. Until then the console shows a
 * snapshot made here: the declaration, then each kept change applied as the store would.
 */
#include "config.h"

#include "sitrep-incident-kept.h"
#include "sitrep-incident-private.h"
#include "sitrep-json.h"

/* Below zero, and one a console never gives twice (not even after a restart: it counts down
 * from the time). */
gint64
sitrep_incident_kept_new_id (void)
{
  static gint64 last = 0;
  static GMutex lock;
  gint64 id;

  g_mutex_lock (&lock);
  id = -(g_get_real_time () / 1000);
  if (last != 0 && id >= last)
    id = last - 1;
  last = id;
  g_mutex_unlock (&lock);
  return id;
}

/**
 * sitrep_incident_is_kept:
 *
 * Whether @incident was declared while the team database is unreachable and is not on it
 * yet: only this computer has it (its id is provisional, a number no one else knows).
 */
gboolean
sitrep_incident_is_kept (SitrepIncident *incident)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), FALSE);
  return sitrep_incident_get_id (incident) < 0;
}

/* The incident as the store would write @declaration, under the provisional @id. */
SitrepIncident *
sitrep_incident_kept_new (const SitrepDeclaration *d,
                          gint64                   id)
{
  SitrepIncident *incident = sitrep_incident_new_empty ();

  incident->id = id;
  incident->revision = 1;
  incident->runbook = g_strdup (d->runbook ? d->runbook : "");
  incident->runbook_checksum = d->runbook_content != NULL ? g_strdup (d->runbook_checksum) : NULL;
  incident->drill = d->drill;
  incident->severity = g_strdup (d->severity);
  incident->status = SITREP_STATUS_INVESTIGATING;
  incident->status_id = g_strdup (d->status_id);
  incident->summary = g_strdup (d->summary);
  incident->impact = g_strdup (d->impact ? d->impact : "");
  incident->lead = g_strdup (d->lead ? d->lead : "");
  incident->channel = g_strdup (d->channel ? d->channel : "");
  incident->services = d->services ? g_strdupv (d->services) : g_new0 (char *, 1);
  incident->started_at = d->at;
  incident->declared_at = d->at;
  return incident;
}

static SitrepIncident *
copy (SitrepIncident *from)
{
  SitrepIncident *to = sitrep_incident_new_empty ();
  GHashTableIter iter;
  gpointer key, value;

  to->id = from->id;
  to->revision = from->revision + 1;
  to->runbook = g_strdup (from->runbook);
  to->runbook_checksum = g_strdup (from->runbook_checksum);
  to->drill = from->drill;
  to->severity = g_strdup (from->severity);
  to->status = from->status;
  to->status_id = g_strdup (from->status_id);
  to->summary = g_strdup (from->summary);
  to->impact = g_strdup (from->impact);
  to->lead = g_strdup (from->lead);
  to->channel = g_strdup (from->channel);
  to->services = g_strdupv (from->services);
  to->started_at = from->started_at;
  to->declared_at = from->declared_at;
  to->acknowledged_at = from->acknowledged_at;
  to->mitigated_at = from->mitigated_at;
  to->resolved_at = from->resolved_at;
  to->last_update_at = from->last_update_at;
  to->update_overdue_at = from->update_overdue_at;
  g_hash_table_iter_init (&iter, from->ticks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SitrepChecklistTick *tick = value;

      sitrep_incident_add_tick (to, tick->item_id, tick->done, tick->done_by, tick->done_at);
    }
  g_hash_table_iter_init (&iter, from->answers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SitrepEscalationAnswer *answer = value;

      sitrep_incident_add_escalation (to, GPOINTER_TO_UINT (key), answer->due_at, answer->answer,
                                      answer->answered_at);
    }
  return to;
}

/**
 * sitrep_incident_kept_with_change:
 * @kind: the journal's kind of the change: "status", "severity", "item", "update-sent",
 *   "escalation", "channel" or "message" (a message copied to the chat)
 * @body: the change as the journal keeps it
 *
 * Returns: (transfer full): a new snapshot of @incident with the change made as the store
 *   makes it (sitrep-store-incidents.c); @incident as it is for another kind
 */
SitrepIncident *
sitrep_incident_kept_with_change (SitrepIncident *incident,
                                  const char     *kind,
                                  JsonObject     *body)
{
  g_autoptr(SitrepIncident) changed = copy (incident);
  gint64 at = sitrep_json_int (body, "at");
  const char *author = sitrep_json_string (body, "author");

  /* Kept without its moment (a journal edited by hand): as if made now. */
  if (at <= 0)
    at = g_get_real_time ();
  if (g_str_equal (kind, "status"))
    {
      SitrepIncidentStatus stage = sitrep_json_int (body, "stage");

      changed->status = stage;
      g_free (changed->status_id);
      changed->status_id = g_strdup (sitrep_json_string (body, "status_id"));
      if (changed->acknowledged_at == 0)
        changed->acknowledged_at = at;
      if (stage == SITREP_STATUS_MONITORING || stage == SITREP_STATUS_RESOLVED)
        changed->mitigated_at = changed->mitigated_at ? changed->mitigated_at : at;
      changed->resolved_at = stage == SITREP_STATUS_RESOLVED ? at : 0;
    }
  else if (g_str_equal (kind, "severity"))
    {
      const char *severity = sitrep_json_string (body, "severity");

      g_free (changed->severity);
      changed->severity = g_strdup (severity != NULL ? severity : incident->severity);
    }
  else if (g_str_equal (kind, "item"))
    {
      const char *item = sitrep_json_string (body, "item");

      if (item == NULL)
        return g_object_ref (incident);
      sitrep_incident_add_tick (changed, item, sitrep_json_boolean (body, "done", FALSE), author,
                                at);
      if (changed->acknowledged_at == 0)
        changed->acknowledged_at = at;
    }
  else if (g_str_equal (kind, "update-sent")
           || (g_str_equal (kind, "message")
               && sitrep_json_boolean (body, "resets_update", TRUE)))
    {
      changed->last_update_at = at;
      changed->update_overdue_at = 0;
    }
  else if (g_str_equal (kind, "channel"))
    {
      const char *channel = sitrep_json_string (body, "channel");

      g_free (changed->channel);
      changed->channel = g_strdup (channel != NULL ? channel : incident->channel);
    }
  else if (g_str_equal (kind, "escalation"))
    {
      gboolean escalated = sitrep_json_boolean (body, "escalated", FALSE);

      sitrep_incident_add_escalation (changed, (guint) sitrep_json_int (body, "step"),
                                      sitrep_json_int (body, "due_at"),
                                      escalated ? "escalated" : "not-needed", at);
    }
  else
    return g_object_ref (incident);
  return g_steal_pointer (&changed);
}
