/* sitrep-store-incidents.c: incidents, their checklist and escalations, each change with its event
 *
 * Every change is one transaction that writes the row and its timeline event together, so the
 * timeline can never disagree with the incident. Severity and status changes carry the revision
 * the caller saw: when another window changed the incident first, the change is refused with
 * SITREP_STORE_ERROR_CONFLICT instead of silently overwriting it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-incident-private.h"
#include "sitrep-store-private.h"
#include "sitrep-timeline-event.h"

/* A system event, in the change's transaction. */
static gboolean
add_event (SitrepStore *self,
           gint64       incident_id,
           gint64       at,
           const char  *kind,
           JsonObject  *fields,
           const char  *author,
           GError     **error)
{
  g_autoptr(JsonObject) owned = fields;

  return sitrep_store_insert_event (self, incident_id, at, kind, owned, NULL, author, error) > 0;
}

/* A new object with string members, NAME, VALUE pairs ending with NULL. */
static JsonObject *
fields_of (const char *first_name,
           ...)
{
  JsonObject *fields = json_object_new ();
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  while (name != NULL)
    {
      json_object_set_string_member (fields, name, va_arg (args, const char *));
      name = va_arg (args, const char *);
    }
  va_end (args);
  return fields;
}

static char *
services_to_json (const char *const *services)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; services != NULL && services[i] != NULL; i++)
    json_builder_add_string_value (builder, services[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static GStrv
services_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL)
      && JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      array = json_node_get_array (json_parser_get_root (parser));
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (json_node_get_value_type (json_array_get_element (array, i)) == G_TYPE_STRING)
          g_strv_builder_add (builder, json_array_get_string_element (array, i));
    }
  return g_strv_builder_end (builder);
}

gint64
sitrep_store_declare_incident (SitrepStore             *self,
                               const SitrepDeclaration *d,
                               GError                 **error)
{
  g_autofree char *services = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  g_return_val_if_fail (d->severity != NULL && d->summary != NULL, -1);

  services = services_to_json ((const char *const *) d->services);
  if (!sitrep_store_begin (self, error))
    return -1;

  /* The runbook as it is now, once for every incident declared under the same content. */
  if (d->runbook_content != NULL)
    {
      gsize size = 0;
      gconstpointer data = g_bytes_get_data (d->runbook_content, &size);

      g_return_val_if_fail (d->runbook_checksum != NULL, -1);
      stmt = sitrep_store_prepare (self,
                                   "INSERT OR IGNORE INTO runbook_snapshots"
                                   " (sha256, name, source, content, recorded_at)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5)",
                                   error);
      if (stmt == NULL)
        return sitrep_store_rollback (self), -1;
      sqlite3_bind_text (stmt, 1, d->runbook_checksum, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, d->runbook ? d->runbook : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, d->runbook_source ? d->runbook_source : "", -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_blob64 (stmt, 4, size ? data : "", size, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, d->at);
      if (!sitrep_store_step_done (self, stmt, _("keeping the incident's runbook"), error))
        return sitrep_store_rollback (self), -1;
    }

  stmt = sitrep_store_prepare (self,
                               "INSERT INTO incidents (runbook, severity, summary, impact, lead,"
                               " channel, services, started_at, declared_at, runbook_sha256)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self), -1;
  sqlite3_bind_text (stmt, 1, d->runbook ? d->runbook : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, d->severity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, d->summary, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, d->impact ? d->impact : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, d->lead ? d->lead : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, d->channel ? d->channel : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, services, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, d->at);
  if (d->runbook_content != NULL)
    sqlite3_bind_text (stmt, 9, d->runbook_checksum, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 9);
  if (!sitrep_store_step_done (self, stmt, _("declaring an incident"), error))
    return sitrep_store_rollback (self), -1;
  id = sqlite3_last_insert_rowid (self->db);

  if (!add_event (self, id, d->at, SITREP_TIMELINE_KIND_DECLARED,
                  fields_of ("severity", d->severity, "summary", d->summary, NULL), d->lead, error)
      || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self), -1;
  return id;
}

static void
fill_incident (SitrepIncident *incident,
               sqlite3_stmt   *stmt)
{
  incident->id = sqlite3_column_int64 (stmt, 0);
  incident->revision = sqlite3_column_int64 (stmt, 1);
  incident->runbook = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  incident->severity = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  sitrep_incident_status_from_string ((const char *) sqlite3_column_text (stmt, 4),
                                      &incident->status);
  incident->summary = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  incident->impact = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  incident->lead = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  incident->channel = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  incident->services = services_from_json ((const char *) sqlite3_column_text (stmt, 9));
  incident->started_at = sqlite3_column_int64 (stmt, 10);
  incident->declared_at = sqlite3_column_int64 (stmt, 11);
  incident->acknowledged_at = sqlite3_column_int64 (stmt, 12);
  incident->mitigated_at = sqlite3_column_int64 (stmt, 13);
  incident->resolved_at = sqlite3_column_int64 (stmt, 14);
  incident->last_update_at = sqlite3_column_int64 (stmt, 15);
  incident->update_overdue_at = sqlite3_column_int64 (stmt, 16);
  incident->runbook_checksum = g_strdup ((const char *) sqlite3_column_text (stmt, 17));
}

#define INCIDENT_COLUMNS                                                                   \
  "id, revision, runbook, severity, status, summary, impact, lead, channel, services,"     \
  " started_at, declared_at, acknowledged_at, mitigated_at, resolved_at, last_update_at,"  \
  " update_overdue_at, runbook_sha256"

static gboolean
load_details (SitrepStore    *self,
              SitrepIncident *incident,
              GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sitrep_store_prepare (self,
                               "SELECT item_id, done, done_by, done_at FROM checklist_state"
                               " WHERE incident_id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    sitrep_incident_add_tick (incident, (const char *) sqlite3_column_text (stmt, 0),
                              sqlite3_column_int (stmt, 1),
                              (const char *) sqlite3_column_text (stmt, 2),
                              sqlite3_column_int64 (stmt, 3));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sitrep_store_fail (self, rc, _("reading the checklist"), error);
      return FALSE;
    }

  stmt = sitrep_store_prepare (self,
                               "SELECT step, due_at, answer, answered_at FROM escalations"
                               " WHERE incident_id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    sitrep_incident_add_escalation (incident, sqlite3_column_int (stmt, 0),
                                    sqlite3_column_int64 (stmt, 1),
                                    (const char *) sqlite3_column_text (stmt, 2),
                                    sqlite3_column_int64 (stmt, 3));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sitrep_store_fail (self, rc, _("reading the escalations"), error);
      return FALSE;
    }
  return TRUE;
}

SitrepIncident *
sitrep_store_load_incident (SitrepStore *self,
                            gint64       id,
                            GError     **error)
{
  g_autoptr(SitrepIncident) incident = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  stmt = sitrep_store_prepare (self, "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      incident = sitrep_incident_new_empty ();
      fill_incident (incident, stmt);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("There is no incident %s in %s."), number, self->path);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sitrep_store_fail (self, rc, _("reading an incident"), error);
      return NULL;
    }
  if (!load_details (self, incident, error))
    return NULL;
  return g_steal_pointer (&incident);
}

/**
 * sitrep_store_load_incident_runbook:
 *
 * The runbook @incident was declared under, as it was then, from the copy kept with it.
 * Fails with %SITREP_STORE_ERROR_NOT_FOUND for an incident recorded before Sitrep kept copies,
 * and with %SITREP_STORE_ERROR_CORRUPT when the copy no longer matches its checksum (the
 * database was changed outside Sitrep) or no longer loads.
 *
 * Returns: (transfer full): the runbook, or %NULL with @error set
 */
SitrepRunbook *
sitrep_store_load_incident_runbook (SitrepStore    *self,
                                    SitrepIncident *incident,
                                    GError        **error)
{
  const char *checksum;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *source = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GError) local_error = NULL;
  SitrepRunbook *runbook;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), NULL);

  checksum = incident->runbook_checksum;
  if (checksum == NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, incident->id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("incident %s was recorded before Sitrep kept the runbook of each "
                     "incident"),
                   number);
      return NULL;
    }

  stmt = sitrep_store_prepare (self,
                               "SELECT source, content FROM runbook_snapshots WHERE sha256 = ?1",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, checksum, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      source = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      content = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sitrep_store_fail (self, rc, _("reading an incident's runbook"), error);
      return NULL;
    }

  if (content != NULL)
    actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  if (content == NULL || g_strcmp0 (actual, checksum) != 0)
    {
      if (content == NULL)
        g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CORRUPT,
                     _("the copy of runbook “%s” kept with the incident is missing in %s: the "
                       "database was changed outside Sitrep"),
                     incident->runbook, self->path);
      else
        g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CORRUPT,
                     _("the copy of runbook “%s” kept with the incident is altered in %s: the "
                       "database was changed outside Sitrep"),
                     incident->runbook, self->path);
      return NULL;
    }

  runbook = sitrep_runbook_load_bytes (content, source, NULL, &local_error);
  if (runbook == NULL)
    {
      /* A later Sitrep may read the format more strictly than the one that declared it. */
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CORRUPT,
                   _("the copy of runbook “%s” kept with the incident no longer loads: %s"),
                   incident->runbook, local_error->message);
      return NULL;
    }
  return runbook;
}

/* Every incident, newest first: open ones, then resolved ones. */
GPtrArray *
sitrep_store_list_incidents (SitrepStore *self,
                             GError     **error)
{
  g_autoptr(GPtrArray) incidents = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  stmt = sitrep_store_prepare (self,
                               "SELECT " INCIDENT_COLUMNS " FROM incidents"
                               " ORDER BY resolved_at IS NOT NULL, declared_at DESC, id DESC",
                               error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SitrepIncident *incident = sitrep_incident_new_empty ();

      fill_incident (incident, stmt);
      g_ptr_array_add (incidents, incident);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sitrep_store_fail (self, rc, _("listing incidents"), error);
      return NULL;
    }
  for (guint i = 0; i < incidents->len; i++)
    if (!load_details (self, incidents->pdata[i], error))
      return NULL;
  return g_steal_pointer (&incidents);
}

/* Bumps the revision when it is still the one the caller saw. */
static gboolean
check_revision (SitrepStore    *self,
                SitrepIncident *incident,
                const char     *set_sql,
                GError        **error,
                sqlite3_stmt  **out)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE incidents SET %s, revision = revision + 1"
                                          " WHERE id = ?1 AND revision = ?2",
                                          set_sql);

  *out = sitrep_store_prepare (self, sql, error);
  if (*out == NULL)
    return FALSE;
  sqlite3_bind_int64 (*out, 1, incident->id);
  sqlite3_bind_int64 (*out, 2, incident->revision);
  return TRUE;
}

static gboolean
finish_revision (SitrepStore    *self,
                 SitrepIncident *incident,
                 sqlite3_stmt   *stmt,
                 GError        **error)
{
  if (!sitrep_store_step_done (self, stmt, _("changing an incident"), error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, incident->id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CONFLICT,
                   _("Incident %s was changed elsewhere (another window?) since it was shown "
                     "here: look at it again and repeat the change if it is still needed."),
                   number);
      return FALSE;
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), FALSE);

  if (g_strcmp0 (severity, incident->severity) == 0)
    return TRUE;
  if (!sitrep_store_begin (self, error))
    return FALSE;
  if (!check_revision (self, incident, "severity = ?3", error, &stmt))
    return sitrep_store_rollback (self);
  sqlite3_bind_text (stmt, 3, severity, -1, SQLITE_TRANSIENT);
  if (!finish_revision (self, incident, stmt, error))
    return sitrep_store_rollback (self);

  if (!add_event (self, incident->id, at, SITREP_TIMELINE_KIND_SEVERITY,
                  fields_of ("old", incident->severity, "new", severity, NULL), author, error)
      || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self);
  return TRUE;
}

gboolean
sitrep_store_set_status (SitrepStore         *self,
                         SitrepIncident      *incident,
                         SitrepIncidentStatus status,
                         gint64               at,
                         const char          *author,
                         GError             **error)
{
  const char *set;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), FALSE);

  if (status == incident->status)
    return TRUE;

  /* Mitigated when it first reaches monitoring; resolved when resolved, and no longer when
   * reopened. Acknowledgement at the latest when anyone moves the status. */
  switch (status)
    {
    case SITREP_STATUS_MONITORING:
      set = "status = ?3, mitigated_at = coalesce (mitigated_at, ?4),"
            " acknowledged_at = coalesce (acknowledged_at, ?4), resolved_at = NULL";
      break;
    case SITREP_STATUS_RESOLVED:
      set = "status = ?3, mitigated_at = coalesce (mitigated_at, ?4),"
            " acknowledged_at = coalesce (acknowledged_at, ?4), resolved_at = ?4";
      break;
    case SITREP_STATUS_INVESTIGATING:
    case SITREP_STATUS_IDENTIFIED:
    default:
      set = "status = ?3, acknowledged_at = coalesce (acknowledged_at, ?4), resolved_at = NULL";
      break;
    }

  if (!sitrep_store_begin (self, error))
    return FALSE;
  if (!check_revision (self, incident, set, error, &stmt))
    return sitrep_store_rollback (self);
  sqlite3_bind_text (stmt, 3, sitrep_incident_status_to_string (status), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, at);
  if (!finish_revision (self, incident, stmt, error))
    return sitrep_store_rollback (self);

  if (!add_event (self, incident->id, at, SITREP_TIMELINE_KIND_STATUS,
                  fields_of ("old", sitrep_incident_status_to_string (incident->status),
                             "new", sitrep_incident_status_to_string (status), NULL),
                  author, error)
      || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self);
  return TRUE;
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (!sitrep_store_begin (self, error))
    return FALSE;
  stmt = sitrep_store_prepare (self,
                               "INSERT INTO checklist_state (incident_id, item_id, done, done_by,"
                               " done_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                               " ON CONFLICT (incident_id, item_id) DO UPDATE SET done = ?3,"
                               " done_by = ?4, done_at = ?5",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sqlite3_bind_int64 (stmt, 1, incident_id);
  sqlite3_bind_text (stmt, 2, item_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, done ? 1 : 0);
  sqlite3_bind_text (stmt, 4, author ? author : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, at);
  if (!sitrep_store_step_done (self, stmt, _("ticking a checklist item"), error))
    return sitrep_store_rollback (self);

  if (done)
    {
      stmt = sitrep_store_prepare (self,
                                   "UPDATE incidents SET acknowledged_at = ?2"
                                   " WHERE id = ?1 AND acknowledged_at IS NULL",
                                   error);
      if (stmt == NULL)
        return sitrep_store_rollback (self);
      sqlite3_bind_int64 (stmt, 1, incident_id);
      sqlite3_bind_int64 (stmt, 2, at);
      if (!sitrep_store_step_done (self, stmt, _("ticking a checklist item"), error))
        return sitrep_store_rollback (self);
    }

  fields = fields_of ("item", item_id, "text", item_text, NULL);
  json_object_set_boolean_member (fields, "done", done);
  if (!add_event (self, incident_id, at, SITREP_TIMELINE_KIND_CHECKLIST, fields, author, error)
      || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self);
  return TRUE;
}

/* Records that an escalation step fell due, once, with its event's @fields (the step, the role
 * and the contact, see sitrep-timeline-event-render.h); @newly says whether this call recorded
 * it. */
gboolean
sitrep_store_note_escalation_due (SitrepStore *self,
                                  gint64       incident_id,
                                  guint        step,
                                  gint64       due_at,
                                  JsonObject  *fields,
                                  gboolean    *newly,
                                  GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  *newly = FALSE;
  if (!sitrep_store_begin (self, error))
    return FALSE;
  stmt = sitrep_store_prepare (self,
                               "INSERT OR IGNORE INTO escalations (incident_id, step, due_at)"
                               " VALUES (?1, ?2, ?3)",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sqlite3_bind_int64 (stmt, 1, incident_id);
  sqlite3_bind_int (stmt, 2, step);
  sqlite3_bind_int64 (stmt, 3, due_at);
  if (!sitrep_store_step_done (self, stmt, _("recording an escalation"), error))
    return sitrep_store_rollback (self);
  *newly = sqlite3_changes (self->db) == 1;
  if (*newly && !add_event (self, incident_id, due_at, SITREP_TIMELINE_KIND_ESCALATION_DUE,
                            json_object_ref (fields), NULL, error))
    return sitrep_store_rollback (self);
  return sitrep_store_commit (self, error) || sitrep_store_rollback (self);
}

/* @fields: the event's (the step, the role, the contact and the answer) */
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (!sitrep_store_begin (self, error))
    return FALSE;
  stmt = sitrep_store_prepare (self,
                               "INSERT INTO escalations (incident_id, step, due_at, answer,"
                               " answered_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                               " ON CONFLICT (incident_id, step) DO UPDATE SET answer = ?4,"
                               " answered_at = ?5",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sqlite3_bind_int64 (stmt, 1, incident_id);
  sqlite3_bind_int (stmt, 2, step);
  sqlite3_bind_int64 (stmt, 3, due_at);
  sqlite3_bind_text (stmt, 4, escalated ? "escalated" : "not-needed", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, at);
  if (!sitrep_store_step_done (self, stmt, _("answering an escalation"), error)
      || !add_event (self, incident_id, at, SITREP_TIMELINE_KIND_ESCALATION,
                     json_object_ref (fields), author, error)
      || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self);
  return TRUE;
}

/* A status update went out: the "next update due" clock starts again from @at. */
gboolean
sitrep_store_mark_update_sent (SitrepStore *self,
                               gint64       incident_id,
                               gint64       at,
                               const char  *author,
                               GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (!sitrep_store_begin (self, error))
    return FALSE;
  stmt = sitrep_store_prepare (self,
                               "UPDATE incidents SET last_update_at = ?2, update_overdue_at = NULL"
                               " WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sqlite3_bind_int64 (stmt, 1, incident_id);
  sqlite3_bind_int64 (stmt, 2, at);
  if (!sitrep_store_step_done (self, stmt, _("recording a status update"), error)
      || !add_event (self, incident_id, at, SITREP_TIMELINE_KIND_UPDATE, json_object_new (), author,
                     error)
      || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self);
  return TRUE;
}

/* Records once per due time that a status update is overdue. */
gboolean
sitrep_store_note_update_overdue (SitrepStore *self,
                                  gint64       incident_id,
                                  gint64       due_at,
                                  gboolean    *newly,
                                  GError     **error)
{
  sqlite3_stmt *stmt;
  JsonObject *fields;
  gint64 since;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  *newly = FALSE;
  if (!sitrep_store_begin (self, error))
    return FALSE;
  /* As sitrep_incident_next_update_due_at() counts: from the last update, or the declaration. */
  since = sitrep_store_query_int (self,
                                  "SELECT max (coalesce (last_update_at, 0), declared_at)"
                                  " FROM incidents WHERE id = ?1",
                                  incident_id, _("recording an overdue update"), error);
  if (since < 0)
    return sitrep_store_rollback (self);
  stmt = sitrep_store_prepare (self,
                               "UPDATE incidents SET update_overdue_at = ?2"
                               " WHERE id = ?1 AND (update_overdue_at IS NULL"
                               " OR update_overdue_at < ?2)",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sqlite3_bind_int64 (stmt, 1, incident_id);
  sqlite3_bind_int64 (stmt, 2, due_at);
  if (!sitrep_store_step_done (self, stmt, _("recording an overdue update"), error))
    return sitrep_store_rollback (self);
  *newly = sqlite3_changes (self->db) == 1;
  if (!*newly)
    return sitrep_store_commit (self, error) || sitrep_store_rollback (self);
  fields = json_object_new ();
  json_object_set_int_member (fields, "since", since);
  json_object_set_int_member (fields, "minutes", MAX (0, due_at - since) / G_USEC_PER_SEC / 60);
  if (!add_event (self, incident_id, due_at, SITREP_TIMELINE_KIND_UPDATE_OVERDUE, fields, NULL,
                  error))
    return sitrep_store_rollback (self);
  return sitrep_store_commit (self, error) || sitrep_store_rollback (self);
}

/* The commander edited the incident channel's name after declaring. */
gboolean
sitrep_store_set_channel (SitrepStore *self,
                          gint64       incident_id,
                          const char  *channel,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);

  stmt = sitrep_store_prepare (self, "UPDATE incidents SET channel = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  sqlite3_bind_text (stmt, 2, channel, -1, SQLITE_TRANSIENT);
  return sitrep_store_step_done (self, stmt, _("changing an incident"), error);
}
