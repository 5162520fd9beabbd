/* sitrep-conflict-dialog.c: asks which of two versions of a text to keep when another console
 * changed it meanwhile, showing both
 *
 * Nothing is lost whatever is chosen: theirs is what the store holds; yours stays editable in
 * the dialog, so the person can merge the two by hand before saving, and a dialog closed
 * without a choice leaves this console's text where it was typed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-conflict-dialog.h"
#include "sitrep-store-conflict.h"

typedef struct
{
  SitrepConflictFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
  GPtrArray *yours; /* GtkTextBuffer, one per conflict */
} Request;

static void
request_free (gpointer  data,
              GClosure *closure)
{
  Request *request = data;

  if (request->destroy != NULL)
    request->destroy (request->user_data);
  g_ptr_array_unref (request->yours);
  g_free (request);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Request          *request)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) texts = NULL;

  for (guint i = 0; i < request->yours->len; i++)
    {
      GtkTextBuffer *buffer = request->yours->pdata[i];
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      g_strv_builder_add (builder, text);
    }
  texts = g_strv_builder_end (builder);
  if (!g_str_equal (response, SITREP_CONFLICT_KEEP_THEIRS)
      && !g_str_equal (response, SITREP_CONFLICT_SAVE_YOURS))
    response = SITREP_CONFLICT_CLOSED;
  request->func (response, (const char *const *) texts, request->user_data);
}

static GtkWidget *
text_view (const char *name,
           const char *text,
           gboolean    editable,
           const char *label)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_widget_set_name (view, name);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 72);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 200);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_add_css_class (scrolled, "card");
  return scrolled;
}

static GtkWidget *
caption (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

/**
 * sitrep_conflict_dialog_present:
 * @conflict: a %SITREP_EDIT_CONFLICT_ERROR, carrying the texts
 * @labels: (nullable): what each text is ("Summary"), or NULL when there is one (a note)
 * @func: called once, with the response and the texts under "Yours"
 *
 * Shows, for each text changed in both places, theirs (read-only, selectable) and yours
 * (editable, to merge by hand), and asks which to keep. The text views are named "theirs-N"
 * and "yours-N".
 *
 * Returns: (transfer none): the dialog, presented
 */
AdwMessageDialog *
sitrep_conflict_dialog_present (GtkWidget          *parent,
                                const GError       *conflict,
                                const char         *heading,
                                const char *const  *labels,
                                SitrepConflictFunc  func,
                                gpointer            user_data,
                                GDestroyNotify      destroy)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  AdwMessageDialog *dialog;
  Request *request = g_new0 (Request, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  guint n = sitrep_edit_conflict_get_n (conflict);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                                       heading,
                                                       _("Someone else changed this text while "
                                                         "you edited it. Keep theirs, or save "
                                                         "yours: edit it below first to merge "
                                                         "the two.")));
  request->func = func;
  request->user_data = user_data;
  request->destroy = destroy;
  request->yours = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      const SitrepEditConflict *text = sitrep_edit_conflict_get (conflict, i);
      g_autofree char *theirs_name = g_strdup_printf ("theirs-%u", i);
      g_autofree char *yours_name = g_strdup_printf ("yours-%u", i);
      const char *label = labels != NULL ? labels[i] : NULL;
      /* Translators: the version of a text another console saved, in a conflict */
      g_autofree char *theirs_label = label ? g_strdup_printf (_("%s: theirs"), label)
                                            : g_strdup (_("Theirs"));
      /* Translators: this console's version of a text, in a conflict */
      g_autofree char *yours_label = label ? g_strdup_printf (_("%s: yours"), label)
                                           : g_strdup (_("Yours"));
      GtkWidget *theirs = text_view (theirs_name, text->theirs, FALSE, theirs_label);
      GtkWidget *yours = text_view (yours_name, text->yours, TRUE, yours_label);

      if (i > 0)
        gtk_widget_set_margin_top (box, 12);
      gtk_box_append (GTK_BOX (box), caption (theirs_label));
      gtk_box_append (GTK_BOX (box), theirs);
      gtk_box_append (GTK_BOX (box), caption (yours_label));
      gtk_box_append (GTK_BOX (box), yours);
      g_ptr_array_add (request->yours,
                       g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (
                         gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (yours))))));
    }
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog,
                                    SITREP_CONFLICT_KEEP_THEIRS, _("_Keep Theirs"),
                                    SITREP_CONFLICT_SAVE_YOURS, _("_Save Yours"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, SITREP_CONFLICT_SAVE_YOURS,
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, SITREP_CONFLICT_CLOSED);
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), request, request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
