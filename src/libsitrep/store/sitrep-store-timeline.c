/* sitrep-store-timeline.c: an incident's timeline: system events, the commander's notes, stars
 *
 * What the console recorded itself (declaration, severity, status, checklist ticks, actions,
 * messages, escalations) is history: it cannot be edited or deleted, only annotated and starred.
 * The commander's notes can be edited and deleted, but an edit keeps the note's time and its
 * first text, and a deletion only hides the note, so the record of what was known when stays.
 * Each change reads the row and writes it in one transaction: the rules hold against the
 * database, not against a copy of the event a window may have kept.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-incident-private.h"
#include "sitrep-store-conflict.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline-private.h"
#include "sitrep-timeline-event-private.h"

#define EVENT_COLUMNS                                                                      \
  "id, incident_id, at, recorded_at, kind, text, author, is_system, starred, annotation," \
  " original_text, edited_at, deleted_at, fields, host"

static char *
column_strdup (SitrepDbStmt *stmt,
               int           column)
{
  return g_strdup ((const char *) sitrep_db_column_text (stmt, column));
}

static SitrepTimelineEvent *
event_from_row (SitrepDbStmt *stmt)
{
  SitrepTimelineEvent *event = g_object_new (SITREP_TYPE_TIMELINE_EVENT, NULL);

  event->id = sitrep_db_column_int64 (stmt, 0);
  event->incident_id = sitrep_db_column_int64 (stmt, 1);
  event->at = sitrep_db_column_int64 (stmt, 2);
  event->recorded_at = sitrep_db_column_int64 (stmt, 3);
  event->kind = g_intern_string ((const char *) sitrep_db_column_text (stmt, 4));
  event->text = column_strdup (stmt, 5);
  event->author = column_strdup (stmt, 6);
  event->is_system = sitrep_db_column_int (stmt, 7) != 0;
  event->starred = sitrep_db_column_int (stmt, 8) != 0;
  event->annotation = column_strdup (stmt, 9);
  event->original_text = column_strdup (stmt, 10);
  event->edited_at = sitrep_db_column_int64 (stmt, 11);
  event->deleted_at = sitrep_db_column_int64 (stmt, 12);
  /* Kept as stored: parsed only when the event is put into words, for the rows shown. */
  event->fields = column_strdup (stmt, 13);
  event->host = column_strdup (stmt, 14);
  return event;
}

static GPtrArray *
list_events (SitrepStore             *self,
             gint64                   incident_id,
             gint64                   after_id,
             SitrepTimelineListFlags  flags,
             const char *const       *kinds,
             GError                 **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " EVENT_COLUMNS " FROM timeline_events"
                                         " WHERE incident_id = ?1 AND id > ?2");
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_kinds = kinds ? g_strv_length ((char **) kinds) : 0;
  SitrepDbStmt *stmt;
  int rc;

  if (!(flags & SITREP_TIMELINE_LIST_INCLUDE_DELETED))
    g_string_append (sql, " AND deleted_at IS NULL");
  if (flags & SITREP_TIMELINE_LIST_STARRED_ONLY)
    g_string_append (sql, " AND starred = 1");
  if (kinds != NULL)
    {
      g_string_append (sql, " AND kind IN (");
      for (guint i = 0; i < n_kinds; i++)
        g_string_append_printf (sql, "%s?%u", i ? ", " : "", i + 3);
      g_string_append (sql, ")");
    }
  g_string_append (sql, " ORDER BY at, id");

  stmt = sitrep_store_statement (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  sitrep_db_bind_int64 (stmt, 1, incident_id);
  sitrep_db_bind_int64 (stmt, 2, after_id);
  for (guint i = 0; i < n_kinds; i++)
    sitrep_db_bind_text (stmt, i + 3, kinds[i]);
  while ((rc = sitrep_db_step (stmt)) == SITREP_DB_ROW)
    g_ptr_array_add (events, event_from_row (stmt));
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, _("reading the timeline"), error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

/**
 * sitrep_store_list_events:
 * @kinds: (nullable) (array zero-terminated=1): only events of these kinds, or all
 *
 * The incident's timeline, in time order (events at the same time in the order they were
 * recorded). Deleted notes are left out unless @flags asks for them.
 *
 * Returns: (transfer full) (element-type SitrepTimelineEvent): the events, or NULL on error
 */
GPtrArray *
sitrep_store_list_events (SitrepStore             *self,
                          gint64                   incident_id,
                          SitrepTimelineListFlags  flags,
                          const char *const       *kinds,
                          GError                 **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  return list_events (self, incident_id, 0, flags, kinds, error);
}

/**
 * sitrep_store_list_events_after:
 * @after_id: the last event id the caller already has
 *
 * The incident's events recorded after @after_id (deleted notes left out), in time order: what a
 * view showing the timeline needs to catch up without reading it all again.
 *
 * Returns: (transfer full) (element-type SitrepTimelineEvent): the events, or NULL on error
 */
GPtrArray *
sitrep_store_list_events_after (SitrepStore  *self,
                                gint64        incident_id,
                                gint64        after_id,
                                GError      **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  return list_events (self, incident_id, after_id, SITREP_TIMELINE_LIST_DEFAULT, NULL, error);
}

/**
 * sitrep_store_count_listed_events:
 *
 * How many events sitrep_store_list_events() lists for the incident by default (deleted notes
 * left out), without reading them.
 *
 * Returns: the number, or -1 on error
 */
gint64
sitrep_store_count_listed_events (SitrepStore  *self,
                                  gint64        incident_id,
                                  GError      **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  return sitrep_store_query_int (self, "SELECT count(*) FROM timeline_events"
                                       " WHERE incident_id = ?1 AND deleted_at IS NULL",
                                 incident_id, _("counting timeline events"), error);
}

void
sitrep_store_event_not_found (SitrepStore *self,
                              gint64       event_id,
                              GError     **error)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, event_id);

  g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
               _("There is no timeline event %s in %s."), number, self->path);
}

/* Returns: (transfer full): the event as stored now, or NULL with @error set */
SitrepTimelineEvent *
sitrep_store_load_event (SitrepStore *self,
                         gint64       event_id,
                         GError     **error)
{
  SitrepDbStmt *stmt;
  SitrepTimelineEvent *event = NULL;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  stmt = sitrep_store_statement (self, "SELECT " EVENT_COLUMNS " FROM timeline_events WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return NULL;
  sitrep_db_bind_int64 (stmt, 1, event_id);
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW)
    event = event_from_row (stmt);
  sitrep_db_finalize (stmt);
  if (rc == SITREP_DB_DONE)
    sitrep_store_event_not_found (self, event_id, error);
  else if (rc != SITREP_DB_ROW)
    sitrep_store_fail (self, rc, _("reading the timeline"), error);
  return event;
}

/* The text of a note as it is kept: trimmed, and refused when nothing is left. */
char *
sitrep_store_clean_note (const char *text,
                         GError    **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));

  if (*clean == '\0')
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                           _("A note needs some text: write what happened or what was decided."));
      return NULL;
    }
  if (!g_utf8_validate (clean, -1, NULL))
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                           _("The note is not valid UTF-8 text."));
      return NULL;
    }
  return g_steal_pointer (&clean);
}

/* Puts the words of event @id in the timeline's search index (migration 8 → 9). Written here,
 * not by a trigger: FTS5 written from a trigger costs six times the insert. */
static gboolean
index_event (SitrepStore *self,
             gint64       id,
             GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self,
                                             "INSERT INTO timeline_search (rowid, body)"
                                             " SELECT id, " SITREP_STORE_SEARCH_BODY ("timeline_events")
                                             " FROM timeline_events WHERE id = ?1",
                                             error);

  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, id);
  return sitrep_store_step_done (self, stmt, _("indexing a timeline event for search"), error);
}

/* Names the change on the channel "sitrep" (a row @id of @table, of incident @incident_id);
 * PostgreSQL delivers it when (and if) the transaction commits. Nothing on SQLite, whose
 * consoles share no server. */
gboolean
sitrep_store_notify_change (SitrepStore *self,
                            const char  *table,
                            gint64       incident_id,
                            gint64       id,
                            const char  *kind,
                            GError     **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload = NULL;
  SitrepDbStmt *stmt;

  /* Consoles on a file share no server to be told through. */
  if (!sitrep_store_is_shared (self))
    return TRUE;
  builder = json_builder_new ();
  generator = json_generator_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, table);
  json_builder_set_member_name (builder, "incident");
  json_builder_add_int_value (builder, incident_id);
  json_builder_set_member_name (builder, "event");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  payload = json_generator_to_data (generator, NULL);

  stmt = sitrep_store_statement (self, "SELECT pg_notify ('sitrep', ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_text (stmt, 1, payload);
  if (sitrep_db_step (stmt) != SITREP_DB_ROW)
    {
      sitrep_store_fail (self, SITREP_DB_ERROR, _("telling other consoles of a change"), error);
      sitrep_db_finalize (stmt);
      return FALSE;
    }
  sitrep_db_finalize (stmt);
  return TRUE;
}

/* Names an event that was edited, starred, annotated or deleted (kind "changed"), inside the
 * caller's transaction, on a team database; nothing on SQLite, whose consoles share no server. */
gboolean
sitrep_store_notify_event_changed (SitrepStore *self,
                                   gint64       event_id,
                                   GError     **error)
{
  g_autoptr(SitrepTimelineEvent) event = NULL;

  if (!sitrep_store_is_shared (self))
    return TRUE;
  event = sitrep_store_load_event (self, event_id, error);
  return event != NULL
         && sitrep_store_notify_change (self, "timeline_events", event->incident_id, event_id,
                                        "changed", error);
}

/**
 * sitrep_store_insert_event:
 * @fields: (nullable): a system event's fields, which the event is rendered from when shown
 * @text: (nullable): a note's words, when @fields is %NULL
 *
 * Writes one timeline event, inside the caller's transaction if there is one: the only INSERT
 * into timeline_events. A system event is its kind and @fields, never a sentence in the
 * language of whoever recorded it.
 *
 * Returns: the event's id, or -1 with @error set
 */
gint64
sitrep_store_insert_event (SitrepStore *self,
                           gint64       incident_id,
                           gint64       at,
                           const char  *kind,
                           JsonObject  *fields,
                           const char  *text,
                           const char  *author,
                           GError     **error)
{
  g_autofree char *data = NULL;
  SitrepDbStmt *stmt;
  const SitrepDbDialect *dialect;
  gboolean own;
  gint64 id = -1;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  g_return_val_if_fail (kind != NULL, -1);
  g_return_val_if_fail ((fields != NULL) != (text != NULL), -1);

  dialect = sitrep_db_dialect (self->conn);

  if (fields != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), fields);

      data = json_to_string (node, FALSE);
    }
  stmt = sitrep_store_statement (self,
                               "INSERT INTO timeline_events"
                               " (incident_id, at, recorded_at, kind, text, author, fields,"
                               "  is_system, host)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
                               error);
  if (stmt == NULL)
    return -1;
  sitrep_db_bind_int64 (stmt, 1, incident_id);
  sitrep_db_bind_int64 (stmt, 2, at);
  sitrep_db_bind_int64 (stmt, 3, g_get_real_time ());
  sitrep_db_bind_text (stmt, 4, kind);
  sitrep_db_bind_text (stmt, 5, text ? text : "");
  sitrep_db_bind_text (stmt, 6, author ? author : "");
  if (data != NULL)
    sitrep_db_bind_text (stmt, 7, data);
  else
    sitrep_db_bind_null (stmt, 7);
  sitrep_db_bind_int64 (stmt, 8, fields != NULL);
  /* Who wrote it is the author (the name in Preferences) on this machine. */
  sitrep_db_bind_text (stmt, 9, g_get_host_name ());
  /* The event and its words in the search index (on a team database its notification),
   * together or not at all: inside the caller's transaction (which it rolls back on an error),
   * or one of their own. */
  own = !sitrep_db_in_transaction (self->conn);
  if (own && !sitrep_store_exec (self, dialect->begin_own, _("adding a timeline event"), error))
    {
      sitrep_db_finalize (stmt);
      return -1;
    }
  id = sitrep_store_step_id (self, stmt, _("adding a timeline event"), error);
  /* Without the index the timeline model searches the rows. A team database tells the other
   * consoles, on commit (sitrep-store-watch.c). */
  if (id < 0
      || (dialect->search_index && !index_event (self, id, error))
      || !sitrep_store_notify_change (self, "timeline_events", incident_id, id, kind, error))
    {
      if (own)
        sitrep_db_exec (self->conn, dialect->rollback_own);
      return -1;
    }
  if (own && !sitrep_store_exec (self, dialect->commit_own, _("adding a timeline event"), error))
    {
      /* A transaction whose COMMIT failed may still be open (so is SQLite's after a RELEASE
       * refused as busy): there was none before, so all of it goes. */
      if (sitrep_db_in_transaction (self->conn))
        sitrep_db_exec (self->conn, "ROLLBACK");
      return -1;
    }
  return id;
}

/**
 * sitrep_store_record_event:
 * @kind: one of the system kinds (sitrep-timeline-event.h)
 * @fields: its fields (sitrep-timeline-event-render.h); secrets already redacted
 * @author: (nullable): who did it, or NULL for the console itself
 *
 * Records a system event on an incident's timeline: what the console saw or did, as data. It
 * is history: it can be starred and annotated, never edited or deleted.
 *
 * Returns: the event's id, or -1 with @error set
 */
gint64
sitrep_store_record_event (SitrepStore *self,
                           gint64       incident_id,
                           gint64       at,
                           const char  *kind,
                           JsonObject  *fields,
                           const char  *author,
                           GError     **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  g_return_val_if_fail (fields != NULL, -1);

  return sitrep_store_insert_event (self, incident_id, at, kind, fields, NULL, author, error);
}

/**
 * sitrep_store_insert_note:
 * @at: when it happened, which may be long before the incident was declared
 *
 * Adds a note in a transaction of its own. A caller that tries again when the database is busy
 * tries this, not the read of the note after it: the note is stored once it returns.
 *
 * Returns: the new note's id, or -1 with @error set
 */
gint64
sitrep_store_insert_note (SitrepStore *self,
                          gint64       incident_id,
                          gint64       at,
                          const char  *text,
                          const char  *author,
                          GError     **error)
{
  g_autofree char *clean = NULL;
  gint64 id;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);

  clean = sitrep_store_clean_note (text, error);
  if (clean == NULL)
    return -1;
  if (!sitrep_store_begin (self, error))
    return -1;
  if (!sitrep_store_check_incident (self, incident_id, _("looking up an incident"), error))
    return sitrep_store_rollback (self), -1;
  id = sitrep_store_insert_event (self, incident_id, at, SITREP_TIMELINE_KIND_NOTE, NULL, clean,
                                  author, error);
  if (id < 0 || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self), -1;
  return id;
}

/**
 * sitrep_store_add_note:
 * @at: when it happened, which may be long before the incident was declared
 *
 * sitrep_store_insert_note(), and the note read back as stored.
 *
 * Returns: (transfer full): the new note, or NULL with @error set
 */
SitrepTimelineEvent *
sitrep_store_add_note (SitrepStore *self,
                       gint64       incident_id,
                       gint64       at,
                       const char  *text,
                       const char  *author,
                       GError     **error)
{
  gint64 id;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  id = sitrep_store_insert_note (self, incident_id, at, text, author, error);
  if (id < 0)
    return NULL;
  return sitrep_store_load_event (self, id, error);
}
