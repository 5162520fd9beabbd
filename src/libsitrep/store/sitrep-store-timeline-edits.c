/* sitrep-store-timeline-edits.c: changes to recorded timeline events, and the incident's start
 *
 * A note's text (its first text kept), its deletion (the row stays), an annotation or a star on
 * any event, and an earlier start of impact. Each reads the row and writes it in one
 * transaction, so the rules hold against the database, not a copy a window kept; on a team
 * database each tells the other consoles (sitrep-store-timeline.c writes and reads events).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-incident-private.h"
#include "sitrep-store-conflict.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline-private.h"
#include "sitrep-timeline-event-private.h"

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
      state->text = g_strdup ((const char *) sitrep_db_column_text (stmt, 2));
      state->original_text = g_strdup ((const char *) sitrep_db_column_text (stmt, 3));
    }
  sitrep_db_finalize (stmt);
  if (rc == SITREP_DB_DONE)
    sitrep_store_event_not_found (self, event_id, error);
  else if (rc != SITREP_DB_ROW)
    sitrep_store_fail (self, rc, _("reading the timeline"), error);
  return rc == SITREP_DB_ROW;
}

/* Begins a change of note @event_id and reads it; a system event is refused with @refusal. */
static gboolean
begin_note_change (SitrepStore  *self,
                   gint64        event_id,
                   EventState   *state,
                   const char   *refusal,
                   GError      **error)
{
  if (!sitrep_store_begin (self, error))
    return FALSE;
  if (!read_state (self, event_id, state, error))
    return sitrep_store_rollback (self);
  if (state->is_system)
    {
      g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID, refusal);
      return sitrep_store_rollback (self);
    }
  return TRUE;
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

  clean = sitrep_store_clean_note (text, error);
  if (clean == NULL)
    return FALSE;
  if (!begin_note_change (self, event->id, &state,
                          _("System events cannot be edited; add an annotation instead."), error))
    return FALSE;
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
  if (!sitrep_store_notify_event_changed (self, event->id, error)
      || !sitrep_store_commit (self, error))
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

  if (!begin_note_change (self, event->id, &state,
                          _("System events cannot be deleted; add an annotation instead."), error))
    return FALSE;
  if (state.deleted)
    return sitrep_store_commit (self, error) || sitrep_store_rollback (self);

  stmt = sitrep_store_statement (self, "UPDATE timeline_events SET deleted_at = ?2 WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return sitrep_store_rollback (self);
  sitrep_db_bind_int64 (stmt, 1, event->id);
  sitrep_db_bind_int64 (stmt, 2, at);
  if (!sitrep_store_step_done (self, stmt, _("deleting a note"), error)
      || !sitrep_store_notify_event_changed (self, event->id, error)
      || !sitrep_store_commit (self, error))
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
      sitrep_store_event_not_found (self, event_id, error);
      return sitrep_store_rollback (self);
    }
  if (!sitrep_store_notify_event_changed (self, event_id, error))
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
  if (!sitrep_store_check_incident (self, incident->id, _("looking up an incident"),
                                    error))
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
  if (!sitrep_store_step_done (self, stmt, _("looking up an incident"),
                                    error))
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
