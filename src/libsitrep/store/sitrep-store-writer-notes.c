/* sitrep-store-writer-notes.c: the commander's changes to timeline events, on the writer thread
 *
 * The synchronous functions of sitrep-store-timeline.c update the event object they are given;
 * one the main thread shows must not change under it on another thread. These take the event's
 * id instead: the writer thread reads the event on its own connection, changes it, and the
 * callback gets that object, as stored. A note kept in a team database's journal, not written
 * yet, is edited by its change's id (sitrep_store_edit_kept_note_async()). While a team
 * database is unreachable, an edit, a deletion, an annotation, a star or a moved start is kept
 * in the journal too (%SITREP_STORE_EVENT_CHANGE_KIND) and made when the server is back
 * (sitrep-store-journal-events.c).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-store-incidents.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"
#include "sitrep-timeline-event-private.h"

typedef enum
{
  NOTE_EDIT,
  NOTE_DELETE,
  NOTE_ANNOTATE,
  NOTE_STAR,
  NOTE_MOVE_START,
  NOTE_EDIT_KEPT,
} NoteChangeKind;

typedef struct
{
  NoteChangeKind kind;
  gint64 id;                /* the event's, or the incident's for a moved start */
  char *text;
  char *base;               /* an edit: the text it started from, or NULL for as stored */
  gboolean starred;
  gint64 at;                /* when the change is made */
  gint64 started_at;
  char *author;
  char *note;               /* a kept note's edit: the note's change id */
  gint64 incident_id;       /* the event's incident (a kept note's too) */
  SitrepTimelineEvent *event; /* filled on the thread */
} NoteChange;

static void
note_change_free (NoteChange *change)
{
  g_free (change->text);
  g_free (change->base);
  g_free (change->author);
  g_free (change->note);
  g_clear_object (&change->event);
  g_free (change);
}

static gboolean
write_note_change (SitrepStore *store,
                   gpointer     data,
                   GError     **error)
{
  NoteChange *change = data;
  g_autoptr(SitrepTimelineEvent) event = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  gboolean ok = FALSE;

  if (change->kind == NOTE_MOVE_START)
    {
      incident = sitrep_store_load_incident (store, change->id, error);
      if (incident == NULL)
        return FALSE;
      g_clear_object (&change->event);
      change->event = sitrep_store_move_start (store, incident, change->started_at, change->at,
                                               change->author, error);
      return change->event != NULL;
    }

  if (change->kind == NOTE_EDIT_KEPT)
    {
      /* Written by the replay before this change ran (it comes after it, in order). */
      change->id = sitrep_store_journal_note_id (change->note);
      if (change->id <= 0)
        {
          g_set_error_literal (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                               _("The note kept on this computer is not on the team database: "
                                 "it was set aside when the journal was written (“sitrep store "
                                 "journal” lists it)."));
          return FALSE;
        }
    }
  event = sitrep_store_load_event (store, change->id, error);
  if (event == NULL)
    return FALSE;
  switch (change->kind)
    {
    case NOTE_EDIT_KEPT:
      ok = sitrep_store_edit_note_from (store, event, sitrep_timeline_event_get_text (event),
                                        change->text, change->at, error);
      break;
    case NOTE_EDIT:
      ok = sitrep_store_edit_note_from (store, event,
                                        change->base ? change->base
                                                     : sitrep_timeline_event_get_text (event),
                                        change->text, change->at, error);
      break;
    case NOTE_DELETE:
      ok = sitrep_store_delete_note (store, event, change->at, error);
      break;
    case NOTE_ANNOTATE:
      ok = sitrep_store_annotate_event (store, event, change->text, error);
      break;
    case NOTE_STAR:
      ok = sitrep_store_star_event (store, event, change->starred, error);
      break;
    case NOTE_MOVE_START:
    default:
      g_assert_not_reached ();
    }
  if (ok)
    g_set_object (&change->event, event);
  return ok;
}

static const char *const change_names[] = {
  [NOTE_EDIT] = "edit",
  [NOTE_DELETE] = "delete",
  [NOTE_ANNOTATE] = "annotate",
  [NOTE_STAR] = "star",
  [NOTE_MOVE_START] = "move-start",
};

/* A change to an event the server has (or to its incident's start), which the journal keeps
 * while the server is away. */
static void
queue_kept (SitrepStore         *self,
            NoteChange          *change,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "incident", change->incident_id);
  if (change->kind != NOTE_MOVE_START)
    json_object_set_int_member (body, "event", change->id);
  json_object_set_string_member (body, "change", change_names[change->kind]);
  if (change->kind == NOTE_MOVE_START)
    json_object_set_int_member (body, "started_at", change->started_at);
  if (change->author != NULL)
    json_object_set_string_member (body, "author", change->author);
  json_object_set_int_member (body, "at", change->at);
  if (change->text != NULL)
    json_object_set_string_member (body, "text", change->text);
  if (change->base != NULL)
    json_object_set_string_member (body, "base", change->base);
  if (change->kind == NOTE_STAR)
    json_object_set_boolean_member (body, "starred", change->starred);
  sitrep_store_write_journaled_async (self, write_note_change, change,
                                      (GDestroyNotify) note_change_free,
                                      SITREP_STORE_EVENT_CHANGE_KIND, body, NULL, callback,
                                      user_data);
}

/* sitrep_store_edit_note_from() of the event @event_id on the writer thread; @at: when.
 * @base: (nullable): the text the edit started from, refused with
 * %SITREP_EDIT_CONFLICT_ERROR_CHANGED if another console changed it since; NULL: no check. */
void
sitrep_store_edit_note_async (SitrepStore         *self,
                              gint64               incident_id,
                              gint64               event_id,
                              const char          *base,
                              const char          *text,
                              gint64               at,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  NoteChange *change = g_new0 (NoteChange, 1);

  change->kind = NOTE_EDIT;
  change->incident_id = incident_id;
  change->id = event_id;
  change->base = g_strdup (base);
  change->text = g_strdup (text);
  change->at = at;
  queue_kept (self, change, callback, user_data);
}

/* sitrep_store_delete_note() of the event @event_id on the writer thread. */
void
sitrep_store_delete_note_async (SitrepStore         *self,
                                gint64               incident_id,
                                gint64               event_id,
                                gint64               at,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  NoteChange *change = g_new0 (NoteChange, 1);

  change->kind = NOTE_DELETE;
  change->incident_id = incident_id;
  change->id = event_id;
  change->at = at;
  queue_kept (self, change, callback, user_data);
}

/* sitrep_store_annotate_event() of the event @event_id on the writer thread. */
void
sitrep_store_annotate_event_async (SitrepStore         *self,
                                   gint64               incident_id,
                                   gint64               event_id,
                                   const char          *annotation,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  NoteChange *change = g_new0 (NoteChange, 1);

  change->kind = NOTE_ANNOTATE;
  change->incident_id = incident_id;
  change->id = event_id;
  change->text = g_strdup (annotation);
  change->at = g_get_real_time ();
  queue_kept (self, change, callback, user_data);
}

/* sitrep_store_star_event() of the event @event_id on the writer thread. */
void
sitrep_store_star_event_async (SitrepStore         *self,
                               gint64               incident_id,
                               gint64               event_id,
                               gboolean             starred,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  NoteChange *change = g_new0 (NoteChange, 1);

  change->kind = NOTE_STAR;
  change->incident_id = incident_id;
  change->id = event_id;
  change->starred = starred;
  change->at = g_get_real_time ();
  queue_kept (self, change, callback, user_data);
}

/* sitrep_store_move_start() of the incident @incident_id on the writer thread: the start as
 * stored when the change is made is the one it must be earlier than. */
void
sitrep_store_move_start_async (SitrepStore         *self,
                               gint64               incident_id,
                               gint64               started_at,
                               gint64               at,
                               const char          *author,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  NoteChange *change;

  /* One on the team database: one declared while away has no start there to move yet. */
  g_return_if_fail (incident_id > 0);
  change = g_new0 (NoteChange, 1);

  change->kind = NOTE_MOVE_START;
  change->id = incident_id;
  change->incident_id = incident_id;
  change->started_at = started_at;
  change->at = at;
  change->author = g_strdup (author);
  queue_kept (self, change, callback, user_data);
}

/**
 * sitrep_store_edit_kept_note_async:
 * @note_change_id: sitrep_store_write_get_change_id() of the note's
 *   sitrep_store_add_note_async(), which the journal kept
 * @incident_id: the note's incident
 *
 * Edits a note kept in the journal while the team database is unreachable: the edit is kept
 * too, after the note, and the replay writes it onto the note once the note is written (a
 * note's edit, as sitrep_store_edit_note_from() makes it: the first text stays the
 * original). When the note is written already, the edit is made on it at once. Finish with
 * sitrep_store_change_event_finish().
 */
void
sitrep_store_edit_kept_note_async (SitrepStore         *self,
                                   const char          *note_change_id,
                                   gint64               incident_id,
                                   const char          *text,
                                   gint64               at,
                                   const char          *author,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  NoteChange *change;
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (note_change_id != NULL && text != NULL);
  change = g_new0 (NoteChange, 1);
  change->kind = NOTE_EDIT_KEPT;
  change->note = g_strdup (note_change_id);
  change->incident_id = incident_id;
  change->text = g_strdup (text);
  change->at = at;
  change->author = g_strdup (author);
  json_object_set_int_member (body, "incident", incident_id);
  json_object_set_int_member (body, "at", at);
  json_object_set_string_member (body, "note", note_change_id);
  json_object_set_string_member (body, "text", text);
  json_object_set_string_member (body, "author", author);
  sitrep_store_write_journaled_async (self, write_note_change, change,
                                      (GDestroyNotify) note_change_free, "note-edit", body, NULL,
                                      callback, user_data);
}

/**
 * sitrep_store_change_event_finish:
 *
 * Finishes any of the `_async` changes of this file.
 *
 * Returns: (transfer full): the event as stored after the change (for a moved start, the event
 *   that records the move); for a kept note's edit the journal kept, the note as it will be,
 *   with no id yet (0); for another change the journal kept (sitrep_store_write_was_journaled()),
 *   only what the change says of the event: its id (0 for a moved start), incident and the
 *   change; or %NULL with @error set
 */
SitrepTimelineEvent *
sitrep_store_change_event_finish (SitrepStore  *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  NoteChange *change;

  if (!sitrep_store_write_finish (self, result, error))
    return NULL;
  change = sitrep_store_write_get_data (result);
  if (change->kind == NOTE_EDIT_KEPT && sitrep_store_write_was_journaled (result))
    {
      SitrepTimelineEvent *event = g_object_new (SITREP_TYPE_TIMELINE_EVENT, NULL);

      event->incident_id = change->incident_id;
      event->at = change->at;
      event->kind = g_intern_static_string (SITREP_TIMELINE_KIND_NOTE);
      event->text = g_strdup (change->text);
      event->author = g_strdup (change->author);
      return event;
    }
  if (sitrep_store_write_was_journaled (result))
    {
      SitrepTimelineEvent *event = g_object_new (SITREP_TYPE_TIMELINE_EVENT, NULL);

      event->id = change->kind == NOTE_MOVE_START ? 0 : change->id;
      event->incident_id = change->incident_id;
      event->at = change->at;
      event->kind = g_intern_static_string (change->kind == NOTE_MOVE_START
                                              ? SITREP_TIMELINE_KIND_START_MOVED
                                              : SITREP_TIMELINE_KIND_NOTE);
      event->text = g_strdup (change->kind == NOTE_EDIT ? change->text : NULL);
      event->annotation = g_strdup (change->kind == NOTE_ANNOTATE ? change->text : NULL);
      event->starred = change->kind == NOTE_STAR && change->starred;
      event->deleted_at = change->kind == NOTE_DELETE ? change->at : 0;
      return event;
    }
  return g_steal_pointer (&change->event);
}
