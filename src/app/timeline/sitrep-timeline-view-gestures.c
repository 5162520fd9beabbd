/* sitrep-timeline-view-gestures.c: what the commander does to the timeline, written to the store
 *
 * A note, an edit, an annotation, a deletion, a star, a new start: each checked against the
 * incident shown, then written on the store's writer thread (sitrep-timeline-view.c shows the
 * result; sitrep-timeline-view-dialogs.c asks for the text).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-store-writer.h"
#include "sitrep-timeline-view-private.h"

static gboolean
refuse (SitrepTimelineView *self,
        GError             *local_error,
        GError            **error)
{
  sitrep_timeline_view_toast (self, local_error->message);
  g_propagate_error (error, local_error);
  return FALSE;
}

/* Gestures: each is written on the store's writer thread, in the order made; the main loop
 * does not wait for the commit. The row changes when the change is stored, and a toast says
 * what was not saved and why when it was not. */

typedef struct
{
  SitrepTimelineView *self;
  const char *what;         /* translated: "The note", … */
  char *text;               /* a new note's text, given back to the entry if not saved */
  const char *done;         /* translated: a toast once stored, or NULL */
  gint64 event_id;          /* an edited note's, to resolve a conflict */
} Gesture;

static Gesture *
gesture_new (SitrepTimelineView *self,
             const char         *what)
{
  Gesture *gesture = g_new0 (Gesture, 1);

  gesture->self = g_object_ref (self);
  gesture->what = what;
  return gesture;
}

static void
gesture_free (Gesture *gesture)
{
  g_object_unref (gesture->self);
  g_free (gesture->text);
  g_free (gesture);
}

/* Whether the view is still on screen to be told. */
static gboolean
gesture_failed (Gesture *gesture,
                GError  *error)
{
  SitrepTimelineView *self = gesture->self;
  g_autofree char *text = NULL;

  if (self->store == NULL)
    return FALSE;
  /* Translators: "The note was not saved: <why>" */
  text = g_strdup_printf (_("%s was not saved: %s"), gesture->what, error->message);
  sitrep_timeline_view_toast (self, text);
  return TRUE;
}

static void
note_added_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Gesture *gesture = user_data;
  SitrepTimelineView *self = gesture->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) event = sitrep_store_add_note_finish (SITREP_STORE (source),
                                                                       result, &error);

  if (event == NULL)
    {
      /* Nothing typed is lost: the text goes back to the entry unless something else is there. */
      if (gesture_failed (gesture, error)
          && *gtk_editable_get_text (GTK_EDITABLE (self->note_entry)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->note_entry), gesture->text);
    }
  else if (self->store != NULL)
    {
      /* Not on the team database yet: the rows read from there do not show it. */
      if (sitrep_store_write_was_journaled (result))
        sitrep_timeline_view_toast (self, _("The note is kept on this computer and written to "
                                            "the team database when it answers"));
      sitrep_timeline_view_reload (self);
    }
  gesture_free (gesture);
}

void
sitrep_timeline_view_add_note_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  SitrepTimelineView *self = SITREP_TIMELINE_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry)));
  const char *time = gtk_editable_get_text (GTK_EDITABLE (self->time_entry));
  gint64 now = sitrep_timeline_view_now (self);
  gint64 at = now;
  Gesture *gesture;

  g_strstrip (text);
  if (self->incident_id == 0 || *text == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
      return;
    }
  if (*time != '\0' && (at = sitrep_timeline_parse_time (time, now, self->utc, &error)) < 0)
    {
      sitrep_timeline_view_toast (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->time_entry));
      return;
    }
  gesture = gesture_new (self, _("The note"));
  gesture->text = g_strdup (text);
  sitrep_store_add_note_async (self->store, self->incident_id, at, text, self->author, NULL,
                               note_added_cb, gesture);
  /* Ready for the next note at once: this one shows when it is stored. */
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->time_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
}

/* The change was kept in the team database's journal, to be written when it answers. */
static void
toast_kept (Gesture *gesture)
{
  g_autofree char *kept = NULL;

  /* Translators: "The star is kept on this computer and …" */
  kept = g_strdup_printf (_("%s is kept on this computer and written to the team database "
                            "when it answers"),
                          gesture->what);
  sitrep_timeline_view_toast (gesture->self, kept);
}

static void
event_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Gesture *gesture = user_data;
  SitrepTimelineView *self = gesture->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) event = sitrep_store_change_event_finish (SITREP_STORE (source),
                                                                           result, &error);

  if (event == NULL && self->store != NULL
      && g_error_matches (error, SITREP_EDIT_CONFLICT_ERROR, SITREP_EDIT_CONFLICT_ERROR_CHANGED))
    {
      /* Another console edited the note meanwhile: both versions are shown, nothing lost. */
      sitrep_timeline_view_toast (self, error->message);
      sitrep_timeline_view_resolve_note (self, gesture->event_id, error);
    }
  else if (event == NULL)
    gesture_failed (gesture, error);
  else if (self->store != NULL && sitrep_store_write_was_journaled (result))
    /* The row, read from the team database, shows the change once the journal is written
     * there. */
    toast_kept (gesture);
  else if (self->store != NULL)
    {
      sitrep_timeline_view_reread (self, sitrep_timeline_event_get_id (event));
      if (gesture->done != NULL)
        sitrep_timeline_view_toast (self, gesture->done);
    }
  gesture_free (gesture);
}

/* The event @event_id of the incident shown, which must be a note unless @any_event: checked
 * here when one of the view's pages holds it. One none holds (scrolled away meanwhile) is
 * checked by the store's writer, which refuses with the same words: the main loop never reads
 * the store for it. */
static gboolean
check_event (SitrepTimelineView *self,
             gint64              event_id,
             gboolean            any_event,
             const char         *refusal,
             GError            **error)
{
  GError *local_error = NULL;
  g_autoptr(SitrepTimelineEvent) event = sitrep_timeline_view_peek (self, event_id, &local_error);

  if (local_error != NULL)
    return refuse (self, local_error, error);
  if (event != NULL && !any_event && sitrep_timeline_event_get_is_system (event))
    return refuse (self, g_error_new_literal (SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                                              refusal),
                   error);
  return TRUE;
}

/* @base: (nullable): the note's text the edit started from (the dialog showed it): refused,
 * with both versions shown, if another console changed it since; NULL: no such check. */
gboolean
sitrep_timeline_view_edit_note (SitrepTimelineView *self,
                                gint64              event_id,
                                const char         *base,
                                const char         *text,
                                GError            **error)
{
  Gesture *gesture;

  if (!check_event (self, event_id, FALSE,
                    _("System events cannot be edited; add an annotation instead."), error))
    return FALSE;
  gesture = gesture_new (self, _("The note"));
  gesture->event_id = event_id;
  sitrep_store_edit_note_async (self->store, self->incident_id, event_id, base, text,
                                sitrep_timeline_view_now (self),
                                event_written_cb, gesture);
  return TRUE;
}

gboolean
sitrep_timeline_view_annotate (SitrepTimelineView *self,
                               gint64              event_id,
                               const char         *annotation,
                               GError            **error)
{
  if (!check_event (self, event_id, TRUE, NULL, error))
    return FALSE;
  sitrep_store_annotate_event_async (self->store, self->incident_id, event_id, annotation,
                                     event_written_cb,
                                     gesture_new (self, _("The annotation")));
  return TRUE;
}

gboolean
sitrep_timeline_view_delete_note (SitrepTimelineView *self,
                                  gint64              event_id,
                                  GError            **error)
{
  Gesture *gesture;

  if (!check_event (self, event_id, FALSE,
                    _("System events cannot be deleted; add an annotation instead."), error))
    return FALSE;
  /* Translators: "The deletion of the note was not saved: <why>" */
  gesture = gesture_new (self, _("The deletion of the note"));
  gesture->done = _("Note deleted");
  sitrep_store_delete_note_async (self->store, self->incident_id, event_id,
                                  sitrep_timeline_view_now (self),
                                  event_written_cb, gesture);
  return TRUE;
}

gboolean
sitrep_timeline_view_star (SitrepTimelineView *self,
                           gint64              event_id,
                           gboolean            starred,
                           GError            **error)
{
  if (!check_event (self, event_id, TRUE, NULL, error))
    return FALSE;
  sitrep_store_star_event_async (self->store, self->incident_id, event_id, starred,
                                 event_written_cb,
                                 gesture_new (self, starred ? _("The star") : _("The removal of the star")));
  return TRUE;
}

static void
start_moved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Gesture *gesture = user_data;
  SitrepTimelineView *self = gesture->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) event = sitrep_store_change_event_finish (SITREP_STORE (source),
                                                                           result, &error);

  if (event == NULL)
    gesture_failed (gesture, error);
  else if (self->store != NULL && sitrep_store_write_was_journaled (result))
    /* The clocks count from the new start once the team database has it. */
    toast_kept (gesture);
  else if (self->store != NULL)
    {
      /* The incident's clocks count from the new start: the manager shows what is stored. */
      if (self->manager != NULL)
        sitrep_incident_manager_reload (self->manager,
                                        sitrep_timeline_event_get_incident_id (event), NULL);
      sitrep_timeline_view_reload (self);
    }
  gesture_free (gesture);
}

gboolean
sitrep_timeline_view_move_start (SitrepTimelineView *self,
                                 const char         *time,
                                 GError            **error)
{
  GError *local_error = NULL;
  SitrepIncident *incident = self->manager ? sitrep_incident_manager_get_current (self->manager)
                                           : NULL;
  gint64 now = sitrep_timeline_view_now (self);
  gint64 at;

  /* The dialog may answer after the current incident changed: one declared while away has
   * no start on the team database to move yet. */
  if (incident == NULL || self->store == NULL || sitrep_incident_get_id (incident) <= 0)
    return FALSE;
  if ((at = sitrep_timeline_parse_time (time, now, self->utc, &local_error)) < 0)
    return refuse (self, local_error, error);
  /* Said here, not only by the store: while the team database is away the change would be
   * kept, and set aside only when it is written. */
  if (at >= sitrep_incident_get_started_at (incident))
    return refuse (self,
                   g_error_new_literal (SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                                        _("The start of impact can only be moved earlier than "
                                          "it is now.")),
                   error);
  sitrep_store_move_start_async (self->store, sitrep_incident_get_id (incident), at, now,
                                 self->author, start_moved_cb,
                                 gesture_new (self, _("The incident’s new start")));
  return TRUE;
}
