/* sitrep-store-writer-notes.c: the commander's changes to timeline events, on the writer thread
 *
 * The synchronous functions of sitrep-store-timeline.c update the event object they are given;
 * one the main thread shows must not change under it on another thread. These take the event's
 * id instead: the writer thread reads the event on its own connection, changes it, and the
 * callback gets that object, as stored.
 */
#include "config.h"

#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"

typedef enum
{
  NOTE_EDIT,
  NOTE_DELETE,
  NOTE_ANNOTATE,
  NOTE_STAR,
  NOTE_MOVE_START,
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
  SitrepTimelineEvent *event; /* filled on the thread */
} NoteChange;

static void
note_change_free (NoteChange *change)
{
  g_free (change->text);
  g_free (change->base);
  g_free (change->author);
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

  event = sitrep_store_load_event (store, change->id, error);
  if (event == NULL)
    return FALSE;
  switch (change->kind)
    {
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

static void
queue (SitrepStore         *self,
       NoteChange          *change,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  sitrep_store_write_async (self, write_note_change, change, (GDestroyNotify) note_change_free,
                            NULL, callback, user_data);
}

/* sitrep_store_edit_note_from() of the event @event_id on the writer thread; @at: when.
 * @base: (nullable): the text the edit started from, refused with
 * %SITREP_EDIT_CONFLICT_ERROR_CHANGED if another console changed it since; NULL: no check. */
void
sitrep_store_edit_note_async (SitrepStore         *self,
                              gint64               event_id,
                              const char          *base,
                              const char          *text,
                              gint64               at,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  NoteChange *change = g_new0 (NoteChange, 1);

  change->kind = NOTE_EDIT;
  change->id = event_id;
  change->base = g_strdup (base);
  change->text = g_strdup (text);
  change->at = at;
  queue (self, change, callback, user_data);
}

/* sitrep_store_delete_note() of the event @event_id on the writer thread. */
void
sitrep_store_delete_note_async (SitrepStore         *self,
                                gint64               event_id,
                                gint64               at,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  NoteChange *change = g_new0 (NoteChange, 1);

  change->kind = NOTE_DELETE;
  change->id = event_id;
  change->at = at;
  queue (self, change, callback, user_data);
}

/* sitrep_store_annotate_event() of the event @event_id on the writer thread. */
void
sitrep_store_annotate_event_async (SitrepStore         *self,
                                   gint64               event_id,
                                   const char          *annotation,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  NoteChange *change = g_new0 (NoteChange, 1);

  change->kind = NOTE_ANNOTATE;
  change->id = event_id;
  change->text = g_strdup (annotation);
  queue (self, change, callback, user_data);
}

/* sitrep_store_star_event() of the event @event_id on the writer thread. */
void
sitrep_store_star_event_async (SitrepStore         *self,
                               gint64               event_id,
                               gboolean             starred,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  NoteChange *change = g_new0 (NoteChange, 1);

  change->kind = NOTE_STAR;
  change->id = event_id;
  change->starred = starred;
  queue (self, change, callback, user_data);
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
  NoteChange *change = g_new0 (NoteChange, 1);

  change->kind = NOTE_MOVE_START;
  change->id = incident_id;
  change->started_at = started_at;
  change->at = at;
  change->author = g_strdup (author);
  queue (self, change, callback, user_data);
}

/**
 * sitrep_store_change_event_finish:
 *
 * Finishes any of the `_async` changes of this file.
 *
 * Returns: (transfer full): the event as stored after the change (for a moved start, the event
 *   that records the move), or %NULL with @error set
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
  return g_steal_pointer (&change->event);
}
