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
#include "sitrep-store-timeline.h"
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

static void
set_not_found (SitrepStore *self,
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
    set_not_found (self, event_id, error);
  else if (rc != SITREP_DB_ROW)
    sitrep_store_fail (self, rc, _("reading the timeline"), error);
  return event;
}

/* The text of a note as it is kept: trimmed, and refused when nothing is left. */
static char *
clean_note (const char *text,
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

/* Names the new event on the channel "sitrep"; PostgreSQL delivers it when (and if) the
 * transaction commits. */
static gboolean
notify_event (SitrepStore *self,
              gint64       incident_id,
              gint64       id,
              const char  *kind,
              GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload = NULL;
  SitrepDbStmt *stmt;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, "timeline_events");
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
      sitrep_store_fail (self, SITREP_DB_ERROR, _("telling other consoles of a timeline event"),
                         error);
      sitrep_db_finalize (stmt);
      return FALSE;
    }
  sitrep_db_finalize (stmt);
  return TRUE;
}

/* Names an event that was edited, starred, annotated or deleted (kind "changed"), inside the
 * caller's transaction, on a team database; nothing on SQLite, whose consoles share no server. */
static gboolean
notify_changed (SitrepStore *self,
                gint64       event_id,
                GError     **error)
{
  g_autoptr(SitrepTimelineEvent) event = NULL;

  if (sitrep_db_engine (self->conn) != SITREP_DB_ENGINE_POSTGRES)
    return TRUE;
  event = sitrep_store_load_event (self, event_id, error);
  return event != NULL && notify_event (self, event->incident_id, event_id, "changed", error);
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
  gboolean own, postgres;
  gint64 id = -1;

  g_return_val_if_fail (SITREP_IS_STORE (self), -1);
  g_return_val_if_fail (kind != NULL, -1);
  g_return_val_if_fail ((fields != NULL) != (text != NULL), -1);

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
  /* The event and its words in the search index (on PostgreSQL its notification), together or
   * not at all: inside the caller's transaction (which it rolls back on an error), or one of
   * their own (a savepoint, which PostgreSQL has only inside a transaction). */
  own = !sitrep_db_in_transaction (self->conn);
  postgres = sitrep_db_engine (self->conn) == SITREP_DB_ENGINE_POSTGRES;
  if (own && !sitrep_store_exec (self, postgres ? "BEGIN" : "SAVEPOINT insert_event",
                                 _("adding a timeline event"), error))
    {
      sitrep_db_finalize (stmt);
      return -1;
    }
  id = sitrep_store_step_id (self, stmt, _("adding a timeline event"), error);
  /* The search index is SQLite's FTS5; a team database has none (the timeline model searches
   * its rows). Instead it tells other consoles, on commit (sitrep-store-watch.c). */
  if (id < 0
      || (sitrep_db_engine (self->conn) == SITREP_DB_ENGINE_SQLITE
          && !index_event (self, id, error))
      || (sitrep_db_engine (self->conn) == SITREP_DB_ENGINE_POSTGRES
          && !notify_event (self, incident_id, id, kind, error)))
    {
      if (own)
        sitrep_db_exec (self->conn, postgres ? "ROLLBACK"
                                             : "ROLLBACK TO insert_event; RELEASE insert_event");
      return -1;
    }
  if (own && !sitrep_store_exec (self, postgres ? "COMMIT" : "RELEASE insert_event",
                                 _("adding a timeline event"), error))
    {
      if (postgres)
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

static gboolean
check_incident (SitrepStore *self,
                gint64       incident_id,
                GError     **error)
{
  gint64 n = sitrep_store_query_int (self, "SELECT count(*) FROM incidents WHERE id = ?1",
                                     incident_id, _("looking up an incident"), error);

  if (n == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, incident_id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("There is no incident %s in %s."), number, self->path);
    }
  return n == 1;
}

/**
 * sitrep_store_add_note:
 * @at: when it happened, which may be long before the incident was declared
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
  g_autofree char *clean = NULL;
  gint64 id;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);

  clean = clean_note (text, error);
  if (clean == NULL)
    return NULL;
  if (!sitrep_store_begin (self, error))
    return NULL;
  if (!check_incident (self, incident_id, error))
    return sitrep_store_rollback (self), NULL;
  id = sitrep_store_insert_event (self, incident_id, at, SITREP_TIMELINE_KIND_NOTE, NULL, clean,
                                  author, error);
  if (id < 0 || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self), NULL;
  return sitrep_store_load_event (self, id, error);
}

/* What a change needs to know of the row as it is inside the transaction. */
typedef struct
{
  gboolean is_system;
  gboolean deleted;
  char *text;
  char *original_text;
} EventState;

static void
event_state_clear (EventState *state)
{
  g_clear_pointer (&state->text, g_free);
  g_clear_pointer (&state->original_text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EventState, event_state_clear)

static gboolean
read_state (SitrepStore *self,
            gint64       event_id,
            EventState  *state,
            GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self,
                                             "SELECT is_system, deleted_at IS NOT NULL, text,"
                                             " original_text FROM timeline_events WHERE id = ?1",
                                             error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sitrep_db_bind_int64 (stmt, 1, event_id);
  rc = sitrep_db_step (stmt);
  if (rc == SITREP_DB_ROW)
    {
      state->is_system = sitrep_db_column_int (stmt, 0) != 0;
      state->deleted = sitrep_db_column_int (stmt, 1) != 0;
      state->text = column_strdup (stmt, 2);
      state->original_text = column_strdup (stmt, 3);
    }
  sitrep_db_finalize (stmt);
  if (rc == SITREP_DB_DONE)
    set_not_found (self, event_id, error);
  else if (rc != SITREP_DB_ROW)
    sitrep_store_fail (self, rc, _("reading the timeline"), error);
  return rc == SITREP_DB_ROW;
}

/* Refuses an edit made on a text that changed meanwhile: both versions go with the error. */
static gboolean
set_note_conflict (const char  *base,
                   const char  *theirs,
                   const char  *yours,
                   GError     **error)
{
  g_autoptr(GPtrArray) conflicts = sitrep_edit_conflicts_new ();

  sitrep_edit_conflict_add (conflicts, NULL, base, theirs, yours);
  g_propagate_error (error,
                     sitrep_edit_conflict_error_new (conflicts,
                                                     _("This note was changed elsewhere while "
                                                       "you edited it: nothing was saved. Keep "
                                                       "their text or yours, or merge the two.")));
  return FALSE;
}

/**
 * sitrep_store_edit_note:
 * @event: the note as the editor read it: its text is what the edit started from
 * @at: when the edit is made
 *
 * Changes a note's text. The note keeps its time, and its first text stays in
 * #SitrepTimelineEvent:original-text however often it is edited. System events and deleted
 * notes are refused with %SITREP_STORE_ERROR_INVALID; a note whose text is no longer @event's
 * (another console edited it) with %SITREP_EDIT_CONFLICT_ERROR_CHANGED, carrying both texts.
 * @event is updated on success.
 */
gboolean
sitrep_store_edit_note (SitrepStore         *self,
                        SitrepTimelineEvent *event,
                        const char          *text,
                        gint64               at,
                        GError             **error)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (event), FALSE);
  return sitrep_store_edit_note_from (self, event, sitrep_timeline_event_get_text (event), text,
                                      at, error);
}

/**
 * sitrep_store_edit_note_from:
 * @base: the note's text the edit started from (what the editor showed)
 *
 * sitrep_store_edit_note() from @base: the edit is written only if the note still says
 * @base (checked in the UPDATE itself, so two consoles saving at once cannot both pass), or
 * already says @text.
 */
gboolean
sitrep_store_edit_note_from (SitrepStore         *self,
                             SitrepTimelineEvent *event,
                             const char          *base,
                             const char          *text,
                             gint64               at,
                             GError             **error)
{
  g_auto(EventState) state = { 0 };
  g_autofree char *clean = NULL;
  SitrepDbStmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (event), FALSE);
  g_return_val_if_fail (base != NULL, FALSE);

  clean = clean_note (text, error);
  if (clean == NULL)
    return FALSE;
  if (!sitrep_store_begin (self, error))
    return FALSE;
  if (!read_state (self, event->id, &state, error))
    return sitrep_store_rollback (self);
  if (state.is_system)
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                           _("System events cannot be edited; add an annotation instead."));
      return sitrep_store_rollback (self);
    }
  if (state.deleted)
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                           _("This note was deleted; add a new note instead."));
      return sitrep_store_rollback (self);
    }
  if (g_str_equal (clean, state.text))
    return sitrep_store_commit (self, error) || sitrep_store_rollback (self);
  if (!g_str_equal (base, state.text))
    {
      sitrep_store_rollback (self);
      return set_note_conflict (base, state.text, clean, error);
    }

  stmt = sitrep_store_statement (self,
                               "UPDATE timeline_events SET text = ?2,"
                               " original_text = coalesce (original_text, text), edited_at = ?3"
                               " WHERE id = ?1 AND text = ?4",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sitrep_db_bind_int64 (stmt, 1, event->id);
  sitrep_db_bind_text (stmt, 2, clean);
  sitrep_db_bind_int64 (stmt, 3, at);
  sitrep_db_bind_text (stmt, 4, base);
  if (!sitrep_store_step_done (self, stmt, _("editing a note"), error))
    return sitrep_store_rollback (self);
  if (sitrep_db_changes (self->conn) == 0)
    {
      /* Another console's edit committed between the read and the UPDATE (PostgreSQL reads
       * the row again once that transaction ends). */
      g_auto(EventState) now = { 0 };

      sitrep_store_rollback (self);
      if (sitrep_store_begin (self, error))
        {
          gboolean read = read_state (self, event->id, &now, error);

          sitrep_store_rollback (self);
          if (!read)
            return FALSE;
        }
      else
        return FALSE;
      return set_note_conflict (base, now.text, clean, error);
    }
  if (!notify_changed (self, event->id, error) || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self);

  sitrep_timeline_event_set_edit (event, clean,
                                  state.original_text ? state.original_text : state.text, at);
  return TRUE;
}

/**
 * sitrep_store_delete_note:
 * @at: when the note is deleted
 *
 * Hides a note from the timeline and the post-mortem; the row stays, so a list with
 * %SITREP_TIMELINE_LIST_INCLUDE_DELETED still shows it. System events are refused.
 */
gboolean
sitrep_store_delete_note (SitrepStore         *self,
                          SitrepTimelineEvent *event,
                          gint64               at,
                          GError             **error)
{
  g_auto(EventState) state = { 0 };
  SitrepDbStmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (event), FALSE);

  if (!sitrep_store_begin (self, error))
    return FALSE;
  if (!read_state (self, event->id, &state, error))
    return sitrep_store_rollback (self);
  if (state.is_system)
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                           _("System events cannot be deleted; add an annotation instead."));
      return sitrep_store_rollback (self);
    }
  if (state.deleted)
    return sitrep_store_commit (self, error) || sitrep_store_rollback (self);

  stmt = sitrep_store_statement (self, "UPDATE timeline_events SET deleted_at = ?2 WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sitrep_db_bind_int64 (stmt, 1, event->id);
  sitrep_db_bind_int64 (stmt, 2, at);
  if (!sitrep_store_step_done (self, stmt, _("deleting a note"), error)
      || !notify_changed (self, event->id, error) || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self);

  sitrep_timeline_event_set_deleted_at (event, at);
  return TRUE;
}

/* Sets one column of any event, system or note, that exists. */
static gboolean
update_column (SitrepStore  *self,
               gint64        event_id,
               const char   *sql,
               const GValue *value,
               const char   *doing,
               GError      **error)
{
  SitrepDbStmt *stmt;

  if (!sitrep_store_begin (self, error))
    return FALSE;
  stmt = sitrep_store_statement (self, sql, error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sitrep_db_bind_int64 (stmt, 1, event_id);
  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    sitrep_db_bind_text (stmt, 2, g_value_get_string (value));
  else if (G_VALUE_HOLDS_BOOLEAN (value))
    sitrep_db_bind_int64 (stmt, 2, g_value_get_boolean (value) ? 1 : 0);
  else
    sitrep_db_bind_null (stmt, 2);
  if (!sitrep_store_step_done (self, stmt, doing, error))
    return sitrep_store_rollback (self);
  if (sitrep_db_changes (self->conn) == 0)
    {
      set_not_found (self, event_id, error);
      return sitrep_store_rollback (self);
    }
  if (!notify_changed (self, event_id, error))
    return sitrep_store_rollback (self);
  return sitrep_store_commit (self, error) || sitrep_store_rollback (self);
}

/**
 * sitrep_store_annotate_event:
 * @annotation: (nullable): the remark, or NULL or "" to remove it
 *
 * Annotates any event: the one change a system event accepts.
 */
gboolean
sitrep_store_annotate_event (SitrepStore         *self,
                             SitrepTimelineEvent *event,
                             const char          *annotation,
                             GError             **error)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *clean = g_strstrip (g_strdup (annotation ? annotation : ""));

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (event), FALSE);

  if (!g_utf8_validate (clean, -1, NULL))
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                           _("The annotation is not valid UTF-8 text."));
      return FALSE;
    }
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, *clean != '\0' ? clean : NULL);
  if (!update_column (self, event->id, "UPDATE timeline_events SET annotation = ?2 WHERE id = ?1",
                      &value, _("annotating an event"), error))
    return FALSE;

  sitrep_timeline_event_set_annotation (event, *clean != '\0' ? clean : NULL);
  return TRUE;
}

gboolean
sitrep_store_star_event (SitrepStore         *self,
                         SitrepTimelineEvent *event,
                         gboolean             starred,
                         GError             **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (event), FALSE);

  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, starred);
  if (!update_column (self, event->id, "UPDATE timeline_events SET starred = ?2 WHERE id = ?1",
                      &value, _("starring an event"), error))
    return FALSE;

  sitrep_timeline_event_set_starred (event, starred);
  return TRUE;
}

/* "03:05 CET", or "2025-11-27 23:40 CET" when @at is on another day than @other: for the
 * message that refuses a move, which the person asking reads now. */
static char *
format_moment (gint64 at,
               gint64 other)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) other_time = g_date_time_new_from_unix_local (other / G_USEC_PER_SEC);
  gboolean same_day
    = g_date_time_get_year (time) == g_date_time_get_year (other_time)
      && g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (other_time);

  return g_date_time_format (time, same_day ? "%H:%M %Z" : "%Y-%m-%d %H:%M %Z");
}

/**
 * sitrep_store_move_start:
 * @started_at: the new start of impact: earlier than the incident's start as stored
 * @at: when the change is made, the time of the system event that records it
 *
 * Impact often starts before anyone declares the incident: this moves the incident's start
 * earlier and records it on the timeline. A later start is refused: what was declared stays.
 * @incident is updated on success.
 *
 * Returns: (transfer full): the system event that records the move, or NULL with @error set
 */
SitrepTimelineEvent *
sitrep_store_move_start (SitrepStore    *self,
                         SitrepIncident *incident,
                         gint64          started_at,
                         gint64          at,
                         const char     *author,
                         GError        **error)
{
  g_autoptr(JsonObject) fields = NULL;
  SitrepDbStmt *stmt;
  gint64 current;
  gint64 id;

  g_return_val_if_fail (SITREP_IS_STORE (self), NULL);
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), NULL);

  if (!sitrep_store_begin (self, error))
    return NULL;
  if (!check_incident (self, incident->id, error))
    return sitrep_store_rollback (self), NULL;
  current = sitrep_store_query_int (self, "SELECT started_at FROM incidents WHERE id = ?1",
                                    incident->id, _("reading an incident"), error);
  if (current < 0)
    return sitrep_store_rollback (self), NULL;
  if (started_at >= current || started_at <= 0)
    {
      g_autofree char *now = format_moment (current, started_at);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("The incident's start can only be moved earlier than %s, where it is now."),
                   now);
      return sitrep_store_rollback (self), NULL;
    }

  stmt = sitrep_store_statement (self, "UPDATE incidents SET started_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return sitrep_store_rollback (self), NULL;
  sitrep_db_bind_int64 (stmt, 1, incident->id);
  sitrep_db_bind_int64 (stmt, 2, started_at);
  if (!sitrep_store_step_done (self, stmt, _("moving the incident's start"), error))
    return sitrep_store_rollback (self), NULL;

  fields = json_object_new ();
  json_object_set_int_member (fields, "from", current);
  json_object_set_int_member (fields, "to", started_at);
  id = sitrep_store_insert_event (self, incident->id, at, SITREP_TIMELINE_KIND_START_MOVED, fields,
                                  NULL, author, error);
  if (id < 0 || !sitrep_store_commit (self, error))
    return sitrep_store_rollback (self), NULL;

  incident->started_at = started_at;
  return sitrep_store_load_event (self, id, error);
}
