/* sitrep-store-incidents-changes.c: changes to an incident, each with its timeline event
 *
 * Severity and status (refused with SITREP_STORE_ERROR_CONFLICT when another window changed the
 * incident since the caller read it), checklist ticks, escalations, status updates and the
 * channel: each one transaction that writes the row and its event together
 * (sitrep-store-incidents.c declares and reads incidents).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-incident-private.h"
#include "sitrep-store-incidents-private.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline-private.h"
#include "sitrep-timeline-event.h"

/* Starts a change of the incident's row (@set_sql, its values @args from ?3) when its revision
 * is still the one the caller saw, and bumps it. */
static gboolean
begin_revision (SitrepStore            *self,
                SitrepIncident         *incident,
                const char             *set_sql,
                const SitrepStoreValue *args,
                GError                **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE incidents SET %s, revision = revision + 1"
                                          " WHERE id = ?1 AND revision = ?2",
                                          set_sql);
  SitrepStoreValue all[MAX_ARGS] = { ARG_INT (incident->id), ARG_INT (incident->revision) };
  guint n = 2;

  for (guint i = 0; args[i].type != SITREP_STORE_VALUE_END; i++)
    {
      g_assert (n < MAX_ARGS - 1);
      all[n++] = args[i];
    }
  all[n].type = SITREP_STORE_VALUE_END;

  if (!sitrep_store_begin_with (self, sql, all, _("changing an incident"), error))
    return FALSE;
  if (sitrep_db_changes (self->conn) == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, incident->id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CONFLICT,
                   _("Incident %s was changed elsewhere (another window?) since it was shown "
                     "here: look at it again and repeat the change if it is still needed."),
                   number);
      return sitrep_store_rollback (self);
    }
  return TRUE;
}

gboolean
sitrep_store_set_severity (SitrepStore    *self,
                           SitrepIncident *incident,
                           const char     *severity,
                           gint64          at,
                           const char     *author,
                           GError        **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), FALSE);

  if (g_strcmp0 (severity, incident->severity) == 0)
    return TRUE;
  if (!begin_revision (self, incident, "severity = ?3", ARGS (ARG_TEXT (severity)), error))
    return FALSE;
  return sitrep_store_commit_with_event (self, incident->id, at, SITREP_TIMELINE_KIND_SEVERITY,
                                         sitrep_store_fields_of ("old", incident->severity,
                                                                 "new", severity, NULL),
                                         author, error);
}

gboolean
sitrep_store_set_status (SitrepStore         *self,
                         SitrepIncident      *incident,
                         SitrepIncidentStatus status,
                         gint64               at,
                         const char          *author,
                         GError             **error)
{
  return sitrep_store_change_status (self, incident, status, NULL, NULL, NULL, at, author, error);
}

/* Moves @incident to @status, which a runbook's own status @status_id (or NULL) counts as; the
 * timeline event keeps the ids and, for a runbook's own statuses, @old_label and @new_label,
 * its words when the status changed. */
gboolean
sitrep_store_change_status (SitrepStore         *self,
                            SitrepIncident      *incident,
                            SitrepIncidentStatus status,
                            const char          *status_id,
                            const char          *old_label,
                            const char          *new_label,
                            gint64               at,
                            const char          *author,
                            GError             **error)
{
  const char *set;
  JsonObject *fields;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), FALSE);

  if (status == incident->status && g_strcmp0 (status_id, incident->status_id) == 0)
    return TRUE;

  /* Mitigated when it first reaches monitoring; resolved when resolved, and no longer when
   * reopened. Acknowledgement at the latest when anyone moves the status. */
  switch (status)
    {
    case SITREP_STATUS_MONITORING:
      set = "status = ?3, status_id = ?5, mitigated_at = coalesce (mitigated_at, ?4),"
            " acknowledged_at = coalesce (acknowledged_at, ?4), resolved_at = NULL";
      break;
    case SITREP_STATUS_RESOLVED:
      set = "status = ?3, status_id = ?5, mitigated_at = coalesce (mitigated_at, ?4),"
            " acknowledged_at = coalesce (acknowledged_at, ?4), resolved_at = ?4";
      break;
    case SITREP_STATUS_INVESTIGATING:
    case SITREP_STATUS_IDENTIFIED:
    default:
      set = "status = ?3, status_id = ?5, acknowledged_at = coalesce (acknowledged_at, ?4),"
            " resolved_at = NULL";
      break;
    }

  if (!begin_revision (self, incident, set,
                       ARGS (ARG_TEXT (sitrep_incident_status_to_string (status)), ARG_INT (at),
                             ARG_TEXT (status_id)),
                       error))
    return FALSE;
  fields = sitrep_store_fields_of ("old",
                                   incident->status_id
                                     ? incident->status_id
                                     : sitrep_incident_status_to_string (incident->status),
                                   "new",
                                   status_id
                                     ? status_id
                                     : sitrep_incident_status_to_string (status),
                                   NULL);
  if (old_label != NULL)
    json_object_set_string_member (fields, "old_label", old_label);
  if (new_label != NULL)
    json_object_set_string_member (fields, "new_label", new_label);
  return sitrep_store_commit_with_event (self, incident->id, at, SITREP_TIMELINE_KIND_STATUS,
                                         fields, author, error);
}

/* Ticks or unticks a checklist item; the first tick also acknowledges the incident. */
gboolean
sitrep_store_set_item (SitrepStore *self,
                       gint64       incident_id,
                       const char  *item_id,
                       const char  *item_text,
                       gboolean     done,
                       gint64       at,
                       const char  *author,
                       GError     **error)
{
  JsonObject *fields;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (!sitrep_store_begin_with (self,
                                "INSERT INTO checklist_state"
                                " (incident_id, item_id, done, done_by, done_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (incident_id, item_id)"
                                " DO UPDATE SET done = ?3, done_by = ?4, done_at = ?5",
                                ARGS (ARG_INT (incident_id),
                                      ARG_TEXT (item_id),
                                      ARG_INT (done ? 1 : 0),
                                      ARG_TEXT (author ? author : ""),
                                      ARG_INT (at)),
                                _("ticking a checklist item"), error))
    return FALSE;
  if (done
      && !sitrep_store_run (self,
                            "UPDATE incidents SET acknowledged_at = ?2"
                            " WHERE id = ?1 AND acknowledged_at IS NULL",
                            ARGS (ARG_INT (incident_id), ARG_INT (at)),
                            _("ticking a checklist item"), error))
    return sitrep_store_rollback (self);

  fields = sitrep_store_fields_of ("item", item_id, "text", item_text, NULL);
  json_object_set_boolean_member (fields, "done", done);
  return sitrep_store_commit_with_event (self, incident_id, at, SITREP_TIMELINE_KIND_CHECKLIST,
                                         fields, author, error);
}

/* Records that an escalation step fell due, once, with its event's @fields (the step, the role
 * and the contact, see sitrep-timeline-event-render.h; may be NULL for none); @newly says
 * whether this call recorded it. */
gboolean
sitrep_store_note_escalation_due (SitrepStore *self,
                                  gint64       incident_id,
                                  guint        step,
                                  gint64       due_at,
                                  JsonObject  *fields,
                                  gboolean    *newly,
                                  GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  *newly = FALSE;
  if (!sitrep_store_begin_with (self,
                                "INSERT INTO escalations (incident_id, step, due_at)"
                                " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                                ARGS (ARG_INT (incident_id), ARG_INT (step), ARG_INT (due_at)),
                                _("recording an escalation"), error))
    return FALSE;
  *newly = sitrep_db_changes (self->conn) == 1;
  if (!*newly)
    return sitrep_store_commit_or_rollback (self, error);
  return sitrep_store_commit_with_event (self, incident_id, due_at,
                                         SITREP_TIMELINE_KIND_ESCALATION_DUE,
                                         fields != NULL ? json_object_ref (fields)
                                                        : json_object_new (),
                                         NULL, error);
}

/* @fields: (nullable): the event's (the step, the role, the contact and the answer) */
gboolean
sitrep_store_answer_escalation (SitrepStore *self,
                                gint64       incident_id,
                                guint        step,
                                gint64       due_at,
                                gboolean     escalated,
                                JsonObject  *fields,
                                gint64       at,
                                const char  *author,
                                GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (!sitrep_store_begin_with (self,
                                "INSERT INTO escalations"
                                " (incident_id, step, due_at, answer, answered_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (incident_id, step)"
                                " DO UPDATE SET answer = ?4, answered_at = ?5",
                                ARGS (ARG_INT (incident_id),
                                      ARG_INT (step),
                                      ARG_INT (due_at),
                                      ARG_TEXT (escalated ? "escalated" : "not-needed"),
                                      ARG_INT (at)),
                                _("answering an escalation"), error))
    return FALSE;
  /* Without the step's role and contact (a journal kept by hand), the answer alone. */
  return sitrep_store_commit_with_event (self, incident_id, at, SITREP_TIMELINE_KIND_ESCALATION,
                                         fields != NULL
                                           ? json_object_ref (fields)
                                           : sitrep_store_fields_of (
                                               "answer", escalated ? "escalated" : "not-needed",
                                               NULL),
                                         author, error);
}

/* A status update went out: the "next update due" clock starts again from @at. */
gboolean
sitrep_store_mark_update_sent (SitrepStore *self,
                               gint64       incident_id,
                               gint64       at,
                               const char  *author,
                               GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (!sitrep_store_begin_with (self,
                                "UPDATE incidents SET last_update_at = ?2, update_overdue_at = NULL"
                                " WHERE id = ?1",
                                ARGS (ARG_INT (incident_id), ARG_INT (at)),
                                _("recording a status update"), error))
    return FALSE;
  return sitrep_store_commit_with_event (self, incident_id, at, SITREP_TIMELINE_KIND_UPDATE,
                                         json_object_new (), author, error);
}

/* Records once per due time that a status update is overdue. */
gboolean
sitrep_store_note_update_overdue (SitrepStore *self,
                                  gint64       incident_id,
                                  gint64       due_at,
                                  gboolean    *newly,
                                  GError     **error)
{
  JsonObject *fields;
  gint64 since;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  *newly = FALSE;
  if (!sitrep_store_begin (self, error))
    return FALSE;
  /* As sitrep_incident_next_update_due_at() counts: from the last update, or the declaration. */
  since = sitrep_store_query_int (self,
                                  /* Not max (a, b): SQLite's alone. */
                                  "SELECT CASE WHEN last_update_at > declared_at"
                                  " THEN last_update_at ELSE declared_at END"
                                  " FROM incidents WHERE id = ?1",
                                  incident_id, _("recording an overdue update"), error);
  if (since < 0
      || !sitrep_store_run (self,
                            "UPDATE incidents SET update_overdue_at = ?2"
                            " WHERE id = ?1"
                            " AND (update_overdue_at IS NULL OR update_overdue_at < ?2)",
                            ARGS (ARG_INT (incident_id), ARG_INT (due_at)),
                            _("recording an overdue update"), error))
    return sitrep_store_rollback (self);
  *newly = sitrep_db_changes (self->conn) == 1;
  if (!*newly)
    return sitrep_store_commit_or_rollback (self, error);
  fields = json_object_new ();
  json_object_set_int_member (fields, "since", since);
  json_object_set_int_member (fields, "minutes", MAX (0, due_at - since) / G_USEC_PER_SEC / 60);
  return sitrep_store_commit_with_event (self, incident_id, due_at,
                                         SITREP_TIMELINE_KIND_UPDATE_OVERDUE, fields, NULL, error);
}

/* The commander edited the incident channel's name after declaring. */
gboolean
sitrep_store_set_channel (SitrepStore *self,
                          gint64       incident_id,
                          const char  *channel,
                          GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);

  /* No revision: a name, not a state anyone decides on. Named to the other consoles of a team
   * database, which read the incident again. */
  if (!sitrep_store_begin (self, error))
    return FALSE;
  if (!sitrep_store_run (self, "UPDATE incidents SET channel = ?2 WHERE id = ?1",
                         ARGS (ARG_INT (incident_id), ARG_TEXT (channel)),
                         _("changing an incident"), error)
      || !sitrep_store_notify_change (self, "incidents", incident_id, incident_id, "channel",
                                      error))
    return sitrep_store_rollback (self);
  return sitrep_store_commit (self, error);
}
