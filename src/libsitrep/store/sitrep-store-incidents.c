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

/* A statement's parameters, ?1 first, written as ARGS (ARG_INT (id), ARG_TEXT (name)): each
 * statement below says its values once, in the order of its placeholders. */
typedef enum
{
  VALUE_END,
  VALUE_INT,
  VALUE_TEXT,
  VALUE_BLOB,
} ValueType;

typedef struct
{
  ValueType type;
  gint64 number;
  const char *text; /* NULL binds SQL NULL */
  gconstpointer data;
  gsize size;
} Value;

#define ARG_INT(v)        { .type = VALUE_INT, .number = (v) }
#define ARG_TEXT(v)       { .type = VALUE_TEXT, .text = (v) }
#define ARG_BLOB(d, n)    { .type = VALUE_BLOB, .data = (d), .size = (n) }
#define ARGS(...)         ((const Value[]) { __VA_ARGS__, { .type = VALUE_END } })
#define NO_ARGS           ((const Value[]) { { .type = VALUE_END } })
#define MAX_ARGS          12

static SitrepDbStmt *
prepare_with (SitrepStore *self,
              const char  *sql,
              const Value *args,
              GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self, sql, error);

  if (stmt == NULL)
    return NULL;
  for (int i = 0; args[i].type != VALUE_END; i++)
    {
      switch (args[i].type)
        {
        case VALUE_INT:
          sitrep_db_bind_int64 (stmt, i + 1, args[i].number);
          break;
        case VALUE_TEXT:
          sitrep_db_bind_text (stmt, i + 1, args[i].text);
          break;
        case VALUE_BLOB:
          /* An empty blob, not NULL: the column holds content. */
          sitrep_db_bind_blob (stmt, i + 1, args[i].data, args[i].size);
          break;
        case VALUE_END:
        default:
          g_assert_not_reached ();
        }
    }
  return stmt;
}

/* Runs a statement that returns no rows. */
static gboolean
run (SitrepStore *self,
     const char  *sql,
     const Value *args,
     const char  *doing,
     GError     **error)
{
  SitrepDbStmt *stmt = prepare_with (self, sql, args, error);

  return stmt != NULL && sitrep_store_step_done (self, stmt, doing, error);
}

/* Runs an INSERT … RETURNING id; the new id, or -1 with @error set. */
static gint64
run_returning_id (SitrepStore *self,
                  const char  *sql,
                  const Value *args,
                  const char  *doing,
                  GError     **error)
{
  SitrepDbStmt *stmt = prepare_with (self, sql, args, error);

  return stmt != NULL ? sitrep_store_step_id (self, stmt, doing, error) : -1;
}

typedef void (*RowFunc) (SitrepDbStmt *row,
                         gpointer      user_data);

/* Hands each row of a query to @func. Returns how many rows there were, or -1 with @error set. */
static int
read_rows (SitrepStore *self,
           const char  *sql,
           const Value *args,
           RowFunc      func,
           gpointer     user_data,
           const char  *doing,
           GError     **error)
{
  SitrepDbStmt *stmt = prepare_with (self, sql, args, error);
  int rows = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    {
      func (stmt, user_data);
      rows++;
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, doing, error);
      return -1;
    }
  return rows;
}

static const char *
column_text (SitrepDbStmt *row,
             int           column)
{
  return (const char *) sitrep_db_column_text (row, column);
}

/* Starts a change with its first statement; when either fails, nothing is left begun. */
static gboolean
begin_with (SitrepStore *self,
            const char  *sql,
            const Value *args,
            const char  *doing,
            GError     **error)
{
  if (!sitrep_store_begin (self, error))
    return FALSE;
  if (!run (self, sql, args, doing, error))
    return sitrep_store_rollback (self);
  return TRUE;
}

/* Ends a change with its system event (taking @fields) and commits it, or rolls all of it back. */
static gboolean
commit_with_event (SitrepStore *self,
                   gint64       incident_id,
                   gint64       at,
                   const char  *kind,
                   JsonObject  *fields,
                   const char  *author,
                   GError     **error)
{
  g_autoptr(JsonObject) owned = fields;

  if (sitrep_store_insert_event (self, incident_id, at, kind, owned, NULL, author, error) <= 0
      || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self);
  return TRUE;
}

static gboolean
commit_or_rollback (SitrepStore *self,
                    GError     **error)
{
  return sitrep_store_commit (self, error) || sitrep_store_rollback (self);
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
  gint64 id;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  g_return_val_if_fail (d->severity != NULL && d->summary != NULL, -1);
  g_return_val_if_fail (d->runbook_content == NULL || d->runbook_checksum != NULL, -1);

  services = services_to_json ((const char *const *) d->services);
  if (!sitrep_store_begin (self, error))
    return -1;

  /* The runbook as it is now, once for every incident declared under the same content. */
  if (d->runbook_content != NULL)
    {
      gsize size = 0;
      gconstpointer data = g_bytes_get_data (d->runbook_content, &size);

      if (!run (self,
                "INSERT INTO runbook_snapshots (sha256, name, source, content,"
                " recorded_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                ARGS (ARG_TEXT (d->runbook_checksum),
                      ARG_TEXT (d->runbook ? d->runbook : ""),
                      ARG_TEXT (d->runbook_source ? d->runbook_source : ""),
                      ARG_BLOB (data, size),
                      ARG_INT (d->at)),
                _("keeping the incident's runbook"), error))
        return sitrep_store_rollback (self), -1;
    }

  id = run_returning_id (self,
            "INSERT INTO incidents (runbook, severity, summary, impact, lead, channel, services,"
            " started_at, declared_at, runbook_sha256, drill, status_id)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11) RETURNING id",
            ARGS (ARG_TEXT (d->runbook ? d->runbook : ""),
                  ARG_TEXT (d->severity),
                  ARG_TEXT (d->summary),
                  ARG_TEXT (d->impact ? d->impact : ""),
                  ARG_TEXT (d->lead ? d->lead : ""),
                  ARG_TEXT (d->channel ? d->channel : ""),
                  ARG_TEXT (services),
                  ARG_INT (d->at),
                  ARG_TEXT (d->runbook_content != NULL ? d->runbook_checksum : NULL),
                  ARG_INT (d->drill ? 1 : 0),
                  ARG_TEXT (d->status_id)),
            _("declaring an incident"), error);
  if (id < 0)
    return sitrep_store_rollback (self), -1;

  if (!commit_with_event (self, id, d->at, SITREP_TIMELINE_KIND_DECLARED,
                          fields_of ("severity", d->severity, "summary", d->summary, NULL),
                          d->lead, error))
    return -1;
  return id;
}

#define INCIDENT_COLUMNS                                                                   \
  "id, revision, runbook, severity, status, summary, impact, lead, channel, services,"     \
  " started_at, declared_at, acknowledged_at, mitigated_at, resolved_at, last_update_at,"  \
  " update_overdue_at, runbook_sha256, drill, status_id"

/* One row of INCIDENT_COLUMNS into a new incident added to @incidents (a GPtrArray). */
static void
add_incident_row (SitrepDbStmt *row,
                  gpointer      incidents)
{
  SitrepIncident *incident = sitrep_incident_new_empty ();

  incident->id = sitrep_db_column_int64 (row, 0);
  incident->revision = sitrep_db_column_int64 (row, 1);
  incident->runbook = g_strdup (column_text (row, 2));
  incident->severity = g_strdup (column_text (row, 3));
  sitrep_incident_status_from_string (column_text (row, 4), &incident->status);
  incident->summary = g_strdup (column_text (row, 5));
  incident->impact = g_strdup (column_text (row, 6));
  incident->lead = g_strdup (column_text (row, 7));
  incident->channel = g_strdup (column_text (row, 8));
  incident->services = services_from_json (column_text (row, 9));
  incident->started_at = sitrep_db_column_int64 (row, 10);
  incident->declared_at = sitrep_db_column_int64 (row, 11);
  incident->acknowledged_at = sitrep_db_column_int64 (row, 12);
  incident->mitigated_at = sitrep_db_column_int64 (row, 13);
  incident->resolved_at = sitrep_db_column_int64 (row, 14);
  incident->last_update_at = sitrep_db_column_int64 (row, 15);
  incident->update_overdue_at = sitrep_db_column_int64 (row, 16);
  incident->runbook_checksum = g_strdup (column_text (row, 17));
  incident->drill = sitrep_db_column_int (row, 18) != 0;
  incident->status_id = g_strdup (column_text (row, 19));
  g_ptr_array_add (incidents, incident);
}

static void
add_tick_row (SitrepDbStmt *row,
              gpointer      incident)
{
  sitrep_incident_add_tick (incident, column_text (row, 0), sitrep_db_column_int (row, 1),
                            column_text (row, 2), sitrep_db_column_int64 (row, 3));
}

static void
add_escalation_row (SitrepDbStmt *row,
                    gpointer      incident)
{
  sitrep_incident_add_escalation (incident, sitrep_db_column_int (row, 0),
                                  sitrep_db_column_int64 (row, 1), column_text (row, 2),
                                  sitrep_db_column_int64 (row, 3));
}

/* Reads the incidents a query selects, with their checklists and escalations. */
static GPtrArray *
read_incidents (SitrepStore *self,
                const char  *sql,
                const Value *args,
                const char  *doing,
                GError     **error)
{
  g_autoptr(GPtrArray) incidents = g_ptr_array_new_with_free_func (g_object_unref);

  if (read_rows (self, sql, args, add_incident_row, incidents, doing, error) < 0)
    return NULL;
  for (guint i = 0; i < incidents->len; i++)
    {
      SitrepIncident *incident = incidents->pdata[i];
      const Value *id = ARGS (ARG_INT (incident->id));

      if (read_rows (self,
                     "SELECT item_id, done, done_by, done_at FROM checklist_state"
                     " WHERE incident_id = ?1",
                     id, add_tick_row, incident, _("reading the checklist"), error) < 0
          || read_rows (self,
                        "SELECT step, due_at, answer, answered_at FROM escalations"
                        " WHERE incident_id = ?1",
                        id, add_escalation_row, incident, _("reading the escalations"),
                        error) < 0)
        return NULL;
    }
  return g_steal_pointer (&incidents);
}

SitrepIncident *
sitrep_store_load_incident (SitrepStore *self,
                            gint64       id,
                            GError     **error)
{
  g_autoptr(GPtrArray) incidents = NULL;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  incidents = read_incidents (self, "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE id = ?1",
                              ARGS (ARG_INT (id)), _("reading an incident"), error);
  if (incidents == NULL)
    return NULL;
  if (incidents->len == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("There is no incident %s in %s."), number, self->path);
      return NULL;
    }
  return g_object_ref (incidents->pdata[0]);
}

typedef struct
{
  char *source;
  GBytes *content;
} Snapshot;

static void
read_snapshot_row (SitrepDbStmt *row,
                   gpointer      snapshot)
{
  Snapshot *s = snapshot;
  gconstpointer data;
  gsize size = 0;

  s->source = g_strdup (column_text (row, 0));
  data = sitrep_db_column_blob (row, 1, &size);
  s->content = g_bytes_new (data, size);
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
  Snapshot snapshot = { NULL, NULL };
  g_autofree char *source = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GError) local_error = NULL;
  SitrepRunbook *runbook;
  int rows;

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

  rows = read_rows (self, "SELECT source, content FROM runbook_snapshots WHERE sha256 = ?1",
                    ARGS (ARG_TEXT (checksum)), read_snapshot_row, &snapshot,
                    _("reading an incident's runbook"), error);
  source = snapshot.source;
  content = snapshot.content;
  if (rows < 0)
    return NULL;

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
  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  return read_incidents (self,
                         "SELECT " INCIDENT_COLUMNS " FROM incidents"
                         " ORDER BY resolved_at IS NOT NULL, declared_at DESC, id DESC",
                         NO_ARGS, _("listing incidents"), error);
}

/* Starts a change of the incident's row (@set_sql, its values @args from ?3) when its revision
 * is still the one the caller saw, and bumps it. */
static gboolean
begin_revision (SitrepStore    *self,
                SitrepIncident *incident,
                const char     *set_sql,
                const Value    *args,
                GError        **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE incidents SET %s, revision = revision + 1"
                                          " WHERE id = ?1 AND revision = ?2",
                                          set_sql);
  Value all[MAX_ARGS] = { ARG_INT (incident->id), ARG_INT (incident->revision) };
  guint n = 2;

  for (guint i = 0; args[i].type != VALUE_END; i++)
    {
      g_assert (n < MAX_ARGS - 1);
      all[n++] = args[i];
    }
  all[n].type = VALUE_END;

  if (!begin_with (self, sql, all, _("changing an incident"), error))
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
  return commit_with_event (self, incident->id, at, SITREP_TIMELINE_KIND_SEVERITY,
                            fields_of ("old", incident->severity, "new", severity, NULL), author,
                            error);
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
  fields = fields_of ("old", incident->status_id ? incident->status_id
                                                 : sitrep_incident_status_to_string (incident->status),
                      "new", status_id ? status_id : sitrep_incident_status_to_string (status),
                      NULL);
  if (old_label != NULL)
    json_object_set_string_member (fields, "old_label", old_label);
  if (new_label != NULL)
    json_object_set_string_member (fields, "new_label", new_label);
  return commit_with_event (self, incident->id, at, SITREP_TIMELINE_KIND_STATUS, fields, author,
                            error);
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

  if (!begin_with (self,
                   "INSERT INTO checklist_state (incident_id, item_id, done, done_by, done_at)"
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
      && !run (self,
               "UPDATE incidents SET acknowledged_at = ?2"
               " WHERE id = ?1 AND acknowledged_at IS NULL",
               ARGS (ARG_INT (incident_id), ARG_INT (at)), _("ticking a checklist item"), error))
    return sitrep_store_rollback (self);

  fields = fields_of ("item", item_id, "text", item_text, NULL);
  json_object_set_boolean_member (fields, "done", done);
  return commit_with_event (self, incident_id, at, SITREP_TIMELINE_KIND_CHECKLIST, fields, author,
                            error);
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
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  *newly = FALSE;
  if (!begin_with (self,
                   "INSERT INTO escalations (incident_id, step, due_at)"
                   " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                   ARGS (ARG_INT (incident_id), ARG_INT (step), ARG_INT (due_at)),
                   _("recording an escalation"), error))
    return FALSE;
  *newly = sitrep_db_changes (self->conn) == 1;
  if (!*newly)
    return commit_or_rollback (self, error);
  return commit_with_event (self, incident_id, due_at, SITREP_TIMELINE_KIND_ESCALATION_DUE,
                            json_object_ref (fields), NULL, error);
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
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (!begin_with (self,
                   "INSERT INTO escalations (incident_id, step, due_at, answer, answered_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (incident_id, step)"
                   " DO UPDATE SET answer = ?4, answered_at = ?5",
                   ARGS (ARG_INT (incident_id),
                         ARG_INT (step),
                         ARG_INT (due_at),
                         ARG_TEXT (escalated ? "escalated" : "not-needed"),
                         ARG_INT (at)),
                   _("answering an escalation"), error))
    return FALSE;
  return commit_with_event (self, incident_id, at, SITREP_TIMELINE_KIND_ESCALATION,
                            json_object_ref (fields), author, error);
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

  if (!begin_with (self,
                   "UPDATE incidents SET last_update_at = ?2, update_overdue_at = NULL"
                   " WHERE id = ?1",
                   ARGS (ARG_INT (incident_id), ARG_INT (at)), _("recording a status update"),
                   error))
    return FALSE;
  return commit_with_event (self, incident_id, at, SITREP_TIMELINE_KIND_UPDATE,
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
                                  "SELECT max (coalesce (last_update_at, 0), declared_at)"
                                  " FROM incidents WHERE id = ?1",
                                  incident_id, _("recording an overdue update"), error);
  if (since < 0
      || !run (self,
               "UPDATE incidents SET update_overdue_at = ?2"
               " WHERE id = ?1 AND (update_overdue_at IS NULL OR update_overdue_at < ?2)",
               ARGS (ARG_INT (incident_id), ARG_INT (due_at)), _("recording an overdue update"),
               error))
    return sitrep_store_rollback (self);
  *newly = sitrep_db_changes (self->conn) == 1;
  if (!*newly)
    return commit_or_rollback (self, error);
  fields = json_object_new ();
  json_object_set_int_member (fields, "since", since);
  json_object_set_int_member (fields, "minutes", MAX (0, due_at - since) / G_USEC_PER_SEC / 60);
  return commit_with_event (self, incident_id, due_at, SITREP_TIMELINE_KIND_UPDATE_OVERDUE, fields,
                            NULL, error);
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

  return run (self, "UPDATE incidents SET channel = ?2 WHERE id = ?1",
              ARGS (ARG_INT (incident_id), ARG_TEXT (channel)), _("changing an incident"), error);
}
