/* sitrep-timeline-view-dialogs.c: the timeline's dialogs: edit, annotate, delete, move start */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-conflict-dialog.h"
#include "sitrep-timeline-view-private.h"

typedef enum
{
  ASK_EDIT,
  ASK_ANNOTATE,
  ASK_DELETE,
  ASK_MOVE_START,
} Ask;

typedef struct
{
  SitrepTimelineView *self;
  Ask ask;
  gint64 event_id;
  char *base;     /* an edit: the note's text the dialog showed */
  GtkEntry *entry;
} Request;

static void
request_free (gpointer  data,
              GClosure *closure)
{
  Request *request = data;

  g_object_unref (request->self);
  g_free (request->base);
  g_free (request);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Request          *request)
{
  const char *text = request->entry ? gtk_editable_get_text (GTK_EDITABLE (request->entry)) : NULL;

  if (g_str_equal (response, "apply"))
    switch (request->ask)
      {
      case ASK_EDIT:
        sitrep_timeline_view_edit_note (request->self, request->event_id, request->base, text,
                                        NULL);
        break;
      case ASK_ANNOTATE:
        sitrep_timeline_view_annotate (request->self, request->event_id, text, NULL);
        break;
      case ASK_DELETE:
        sitrep_timeline_view_delete_note (request->self, request->event_id, NULL);
        break;
      case ASK_MOVE_START:
        sitrep_timeline_view_move_start (request->self, text, NULL);
        break;
      default:
        g_assert_not_reached ();
      }
}

static void
ask (SitrepTimelineView *self,
     Ask                 what,
     gint64              event_id,
     const char         *heading,
     const char         *body,
     const char         *apply,
     const char         *text,
     const char         *placeholder)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root)
                                                                        ? GTK_WINDOW (root) : NULL,
                                                                        heading, body));
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->ask = what;
  request->event_id = event_id;
  if (what == ASK_EDIT)
    request->base = g_strdup (text);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "apply", apply, NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply",
                                              what == ASK_DELETE ? ADW_RESPONSE_DESTRUCTIVE
                                                                 : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, what == ASK_DELETE ? "cancel" : "apply");
  adw_message_dialog_set_close_response (dialog, "cancel");
  if (what != ASK_DELETE)
    {
      request->entry = GTK_ENTRY (gtk_entry_new ());
      gtk_editable_set_text (GTK_EDITABLE (request->entry), text ? text : "");
      gtk_entry_set_placeholder_text (request->entry, placeholder);
      gtk_entry_set_activates_default (request->entry, TRUE);
      adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (request->entry));
    }
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), request,
                         request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  if (request->entry != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (request->entry));
}

/* The dialog @ask of @event, a row's. */
static void
ask_about (SitrepTimelineView  *self,
           Ask                  what,
           SitrepTimelineEvent *event)
{
  g_autofree char *text = NULL;

  switch (what)
    {
    case ASK_EDIT:
      if (sitrep_timeline_event_get_is_system (event))
        {
          sitrep_timeline_view_toast (self, _("System events cannot be edited; add an "
                                              "annotation instead."));
          return;
        }
      ask (self, ASK_EDIT, sitrep_timeline_event_get_id (event), _("Edit Note"),
           _("The note keeps its time, and the original text stays on record."), _("_Save"),
           sitrep_timeline_event_get_text (event), NULL);
      break;
    case ASK_ANNOTATE:
      text = sitrep_timeline_view_render (self, event);
      ask (self, ASK_ANNOTATE, sitrep_timeline_event_get_id (event), _("Annotate Event"), text,
           _("_Annotate"), sitrep_timeline_event_get_annotation (event),
           _("What this event meant"));
      break;
    case ASK_DELETE:
      ask (self, ASK_DELETE, sitrep_timeline_event_get_id (event), _("Delete Note?"),
           sitrep_timeline_event_get_text (event), _("_Delete"), NULL, NULL);
      break;
    case ASK_MOVE_START:
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  SitrepTimelineView *self;
  Ask what;
} Asking;

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Asking *asking = user_data;
  g_autoptr(SitrepTimelineView) self = asking->self;
  Ask what = asking->what;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) gone = NULL;
  g_autoptr(SitrepTimelineEvent) event = sitrep_timeline_model_lookup_finish (
    SITREP_TIMELINE_MODEL (source), result, &error);

  g_free (asking);
  /* Another row asked meanwhile (the last one asked opens), or the view is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->asking);
  /* The view shows another incident now. */
  if ((gpointer) self->model != (gpointer) source)
    return;
  if (event == NULL && !g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND))
    {
      /* Translators: "Cannot open the event: <why>" */
      g_autofree char *text = g_strdup_printf (_("Cannot open the event: %s"), error->message);

      sitrep_timeline_view_toast (self, text);
      return;
    }
  if (!sitrep_timeline_view_check_shown (self, event, &gone))
    {
      sitrep_timeline_view_toast (self, gone->message);
      return;
    }
  ask_about (self, what, event);
}

/* The row's event, from the model's pages or (on a team database, on the store's reader
 * thread) from the store: the dialog opens when it is there. Asked again before then, for
 * this row or another, only the last one asked opens. */
static void
ask_about_row (SitrepTimelineView *self,
               Ask                 what,
               GVariant           *parameter)
{
  Asking *asking;

  if (self->model == NULL || g_variant_get_int64 (parameter) <= 0)
    return;
  g_cancellable_cancel (self->asking);
  g_clear_object (&self->asking);
  self->asking = g_cancellable_new ();
  asking = g_new0 (Asking, 1);
  asking->self = g_object_ref (self);
  asking->what = what;
  sitrep_timeline_model_lookup_async (self->model, g_variant_get_int64 (parameter),
                                      self->asking, looked_up_cb, asking);
}

void
sitrep_timeline_view_edit_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  ask_about_row (SITREP_TIMELINE_VIEW (widget), ASK_EDIT, parameter);
}

void
sitrep_timeline_view_annotate_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  ask_about_row (SITREP_TIMELINE_VIEW (widget), ASK_ANNOTATE, parameter);
}

void
sitrep_timeline_view_delete_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  ask_about_row (SITREP_TIMELINE_VIEW (widget), ASK_DELETE, parameter);
}

void
sitrep_timeline_view_move_start_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  SitrepTimelineView *self = SITREP_TIMELINE_VIEW (widget);

  ask (self, ASK_MOVE_START, 0, _("Move Impact Start Earlier"),
       self->utc ? _("When did the impact begin? Type the time in UTC as HH:MM. The move is "
                     "recorded on the timeline.")
                 : _("When did the impact begin? Type the time as HH:MM. The move is recorded "
                     "on the timeline."),
       _("_Move Start"), NULL, _("HH:MM"));
}

typedef struct
{
  SitrepTimelineView *self;
  gint64 event_id;
  char *theirs;
} NoteConflict;

static void
note_conflict_free (gpointer data)
{
  NoteConflict *conflict = data;

  g_object_unref (conflict->self);
  g_free (conflict->theirs);
  g_free (conflict);
}

static void
note_resolved_cb (const char        *response,
                  const char *const *texts,
                  gpointer           user_data)
{
  NoteConflict *conflict = user_data;
  SitrepTimelineView *self = conflict->self;

  if (self->store == NULL)
    return;
  if (g_str_equal (response, SITREP_CONFLICT_SAVE_YOURS))
    /* Over theirs, which the person has now seen. */
    sitrep_timeline_view_edit_note (self, conflict->event_id, conflict->theirs, texts[0], NULL);
  else if (g_str_equal (response, SITREP_CONFLICT_KEEP_THEIRS))
    sitrep_timeline_view_toast (self, _("The note keeps their text"));
  else
    {
      /* Closed without a choice: this console's text waits in the note field. */
      if (*gtk_editable_get_text (GTK_EDITABLE (self->note_entry)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->note_entry), texts[0]);
      sitrep_timeline_view_toast (self, _("Your text of the note was not saved: it is in the "
                                          "note field"));
    }
}

/* The edit of note @event_id was refused: another console changed it meanwhile. Shows both
 * versions and saves the one the person keeps (or both merged by hand). */
void
sitrep_timeline_view_resolve_note (SitrepTimelineView *self,
                                   gint64              event_id,
                                   const GError       *error)
{
  NoteConflict *conflict;

  if (sitrep_edit_conflict_get_n (error) != 1)
    return;
  conflict = g_new0 (NoteConflict, 1);
  conflict->self = g_object_ref (self);
  conflict->event_id = event_id;
  conflict->theirs = g_strdup (sitrep_edit_conflict_get (error, 0)->theirs);
  sitrep_conflict_dialog_present (GTK_WIDGET (self), error, _("Note Changed Elsewhere"), NULL,
                                  note_resolved_cb, conflict, note_conflict_free);
}
