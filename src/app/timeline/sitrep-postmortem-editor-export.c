/* sitrep-postmortem-editor-export.c: the post-mortem's Markdown, copied or exported to a file
 *
 * "[summary]" or "[lessons]" left in the Markdown is said once before it goes (check_unfilled()).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-postmortem-editor-private.h"
#include "sitrep-template-values.h"

static GtkWidget *
find_view_of (GtkWidget     *widget,
              GtkTextBuffer *buffer)
{
  if (GTK_IS_TEXT_VIEW (widget) && gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)) == buffer)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_view_of (child, buffer);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* "[summary]" or "[lessons]" never leaves unnoticed: the first Copy or Export over one says what
 * is left and puts the cursor in the field that fills it; pressed again, it goes as it is. */
static gboolean
check_unfilled (SitrepPostmortemEditor *self,
                const char             *markdown)
{
  static const char *const field_placeholders[] = { "[summary]", "[root_cause]", "[resolution]",
                                                    "[lessons]" };
  g_autoptr(GPtrArray) unfilled = sitrep_template_values_find_unfilled (markdown);
  g_autofree char *names = NULL;
  g_autofree char *note = NULL;

  if (unfilled->len == 0 || self->unfilled_warned)
    return TRUE;
  for (guint i = 0; i < unfilled->len; i++)
    for (guint f = 0; f < G_N_ELEMENTS (field_placeholders); f++)
      if (g_str_equal (unfilled->pdata[i], field_placeholders[f]))
        {
          GtkWidget *view = find_view_of (GTK_WIDGET (self), self->fields[f]);

          if (view != NULL)
            gtk_widget_grab_focus (view);
          i = unfilled->len - 1;
          break;
        }
  g_ptr_array_add (unfilled, NULL);
  names = g_strjoinv (", ", (char **) unfilled->pdata);
  /* Translators: "[summary], [lessons]": what the post-mortem still says instead of text */
  note = g_strdup_printf (_("Still to fill in: %s. Fill it in, or press again to take the "
                            "post-mortem as it is"), names);
  _sitrep_postmortem_editor_toast (self, note);
  self->unfilled_warned = TRUE;
  return FALSE;
}

void
_sitrep_postmortem_editor_copy (SitrepPostmortemEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *markdown = _sitrep_postmortem_editor_render (self, &error);

  if (markdown == NULL)
    {
      _sitrep_postmortem_editor_toast (self, error->message);
      return;
    }
  if (!check_unfilled (self, markdown))
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), markdown);
  _sitrep_postmortem_editor_toast (self, _("Markdown copied"));
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SitrepPostmortemEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      name = g_file_get_parse_name (G_FILE (source));
      message = g_strdup_printf (_("Cannot write %s: %s"), name, error->message);
      _sitrep_postmortem_editor_toast (self, message);
      return;
    }
  name = g_file_get_basename (G_FILE (source));
  message = g_strdup_printf (_("Exported to %s"), name);
  _sitrep_postmortem_editor_toast (self, message);
}

static void
chooser_response_cb (GtkNativeDialog        *chooser,
                     int                     response,
                     SitrepPostmortemEditor *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *markdown = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  if ((markdown = _sitrep_postmortem_editor_render (self, &error)) == NULL)
    {
      _sitrep_postmortem_editor_toast (self, error->message);
      return;
    }
  bytes = g_bytes_new_take (markdown, strlen (markdown));
  g_steal_pointer (&markdown);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, written_cb, g_object_ref (self));
}

void
_sitrep_postmortem_editor_export (SitrepPostmortemEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = NULL;
  g_autofree char *markdown = NULL;
  g_autoptr(GError) error = NULL;

  /* Asked for as the editor opens (Ctrl+Shift+E): once what it exports is read. */
  if (self->load_cancellable != NULL)
    {
      self->export_when_read = TRUE;
      return;
    }
  if (self->incident == NULL || self->chooser != NULL)
    return;
  if ((markdown = _sitrep_postmortem_editor_render (self, &error)) == NULL)
    {
      _sitrep_postmortem_editor_toast (self, error->message);
      return;
    }
  if (!check_unfilled (self, markdown))
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Post-Mortem"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  /* Translators: the file name a post-mortem is exported to, before "-<incident>.md" */
  name = g_strdup_printf ("%s-%" G_GINT64_FORMAT ".md", _("postmortem"),
                          sitrep_incident_get_id (self->incident));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}
