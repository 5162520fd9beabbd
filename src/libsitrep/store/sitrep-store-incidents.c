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
#include "sitrep-runbook-loader.h"
#include "sitrep-store-incidents-private.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-private.h"
#include "sitrep-timeline-event.h"

static SitrepDbStmt *
prepare_with (SitrepStore            *self,
              const char             *sql,
              const SitrepStoreValue *args,
              GError                **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self, sql, error);

  if (stmt == NULL)
    return NULL;
  for (int i = 0; args[i].type != SITREP_STORE_VALUE_END; i++)
    {
      switch (args[i].type)
        {
        case SITREP_STORE_VALUE_INT:
          sitrep_db_bind_int64 (stmt, i + 1, args[i].number);
          break;
        case SITREP_STORE_VALUE_TEXT:
          sitrep_db_bind_text (stmt, i + 1, args[i].text);
          break;
        case SITREP_STORE_VALUE_BLOB:
          /* An empty blob, not NULL: the column holds content. */
          sitrep_db_bind_blob (stmt, i + 1, args[i].data, args[i].size);
          break;
        case SITREP_STORE_VALUE_END:
        default:
          g_assert_not_reached ();
        }
    }
  return stmt;
}

/* Runs a statement that returns no rows. */
gboolean
sitrep_store_run (SitrepStore            *self,
                  const char             *sql,
                  const SitrepStoreValue *args,
                  const char             *doing,
                  GError                **error)
{
  SitrepDbStmt *stmt = prepare_with (self, sql, args, error);

  return stmt != NULL && sitrep_store_step_done (self, stmt, doing, error);
}

/* Runs an INSERT … RETURNING id; the new id, or -1 with @error set. */
static gint64
run_returning_id (SitrepStore            *self,
                  const char             *sql,
                  const SitrepStoreValue *args,
                  const char             *doing,
                  GError                **error)
{
  SitrepDbStmt *stmt = prepare_with (self, sql, args, error);

  return stmt != NULL ? sitrep_store_step_id (self, stmt, doing, error) : -1;
}

typedef void (*RowFunc) (SitrepDbStmt *row,
                         gpointer      user_data);

/* Hands each row of a query to @func. Returns how many rows there were, or -1 with @error set. */
static int
read_rows (SitrepStore            *self,
           const char             *sql,
           const SitrepStoreValue *args,
           RowFunc                 func,
           gpointer                user_data,
           const char             *doing,
           GError                **error)
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
gboolean
sitrep_store_begin_with (SitrepStore            *self,
                         const char             *sql,
                         const SitrepStoreValue *args,
                         const char             *doing,
                         GError                **error)
{
  if (!sitrep_store_begin (self, error))
    return FALSE;
  if (!sitrep_store_run (self, sql, args, doing, error))
    return sitrep_store_rollback (self);
  return TRUE;
}

/* Ends a change with its system event (taking @fields) and commits it, or rolls all of it back. */
gboolean
sitrep_store_commit_with_event (SitrepStore *self,
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

gboolean
sitrep_store_commit_or_rollback (SitrepStore *self,
                                 GError     **error)
{
  return sitrep_store_commit (self, error) || sitrep_store_rollback (self);
}

/* A new object with string members, NAME, VALUE pairs ending with NULL. */
JsonObject *
sitrep_store_fields_of (const char *first_name,
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

      if (!sitrep_store_run (self,
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

  if (!sitrep_store_commit_with_event (self, id, d->at, SITREP_TIMELINE_KIND_DECLARED,
                                       sitrep_store_fields_of ("severity", d->severity,
                                                               "summary", d->summary, NULL),
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
read_incidents (SitrepStore            *self,
                const char             *sql,
                const SitrepStoreValue *args,
                const char             *doing,
                GError                **error)
{
  g_autoptr(GPtrArray) incidents = g_ptr_array_new_with_free_func (g_object_unref);

  if (read_rows (self, sql, args, add_incident_row, incidents, doing, error) < 0)
    return NULL;
  for (guint i = 0; i < incidents->len; i++)
    {
      SitrepIncident *incident = incidents->pdata[i];
      const SitrepStoreValue *id = ARGS (ARG_INT (incident->id));

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

/* Whether incident @incident_id exists; "There is no incident …" when not. */
gboolean
sitrep_store_check_incident (SitrepStore *self,
                             gint64       incident_id,
                             const char  *doing,
                             GError     **error)
{
  gint64 n = sitrep_store_query_int (self, "SELECT count(*) FROM incidents WHERE id = ?1",
                                     incident_id, doing, error);

  if (n == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, incident_id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("There is no incident %s in %s."), number, self->path);
    }
  return n == 1;
}
