/* sitrep-import-preview.c: what a Markdown runbook imports to, before it is saved and opened
 *
 * The import and the writing of FILE.json run in the library's threads; the preview shows what
 * comes back and asks before it replaces a FILE.json that is there. Once saved it emits "saved"
 * with the JSON file, which the window opens through the trust step like any runbook file. */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-import-preview-private.h"

enum
{
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SitrepImportPreview, sitrep_import_preview, ADW_TYPE_WINDOW)

/* Whether @file is one the console imports rather than opens: FILE.md, FILE.markdown. */
gboolean
sitrep_import_is_markdown (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *folded = name != NULL ? g_utf8_strdown (name, -1) : NULL;

  return folded != NULL && (g_str_has_suffix (folded, ".md") || g_str_has_suffix (folded, ".markdown"));
}

/* The same for a word of the command line. */
gboolean
sitrep_import_is_markdown_arg (const char *arg)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (arg);

  return sitrep_import_is_markdown (file);
}

static GtkWidget *
new_row (const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Runbooks are full of <placeholders> and [brackets]: plain text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (subtitle != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  return row;
}

static void
show_import (SitrepImportPreview *self)
{
  GPtrArray *summary = sitrep_import_get_summary (self->import);
  GPtrArray *commands = sitrep_import_get_commands (self->import);
  g_autoptr(GPtrArray) notes = sitrep_import_sorted_notes (self->import);

  /* "Severities: SEV-1 Critical (15 min); …": the part before the colon names the row. */
  for (guint i = 0; i < summary->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (summary->pdata[i], ": ", 2);

      adw_preferences_group_add (self->understood_group,
                                 new_row (parts[0], parts[1] != NULL ? parts[1] : NULL));
    }
  for (guint i = 0; i < notes->len; i++)
    {
      g_autofree char *text = sitrep_import_format_note (self->import, notes->pdata[i]);

      adw_preferences_group_add (self->human_group, new_row (text, NULL));
    }
  if (notes->len == 0)
    adw_preferences_group_add (self->human_group,
                               new_row (_("Nothing: every part of the document was mapped"),
                                        NULL));
  for (guint i = 0; commands != NULL && i < commands->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (commands->pdata[i], "\t", 2);
      GtkWidget *row = new_row (parts[0], parts[1]);

      gtk_widget_add_css_class (row, "monospace");
      adw_preferences_group_add (self->commands_group, row);
    }
  if (commands == NULL || commands->len == 0)
    adw_preferences_group_add (self->commands_group,
                               new_row (_("None: the document has no commands Sitrep can run"),
                                        NULL));
  gtk_stack_set_visible_child_name (self->stack, "preview");
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SitrepImportPreview) self = user_data;
  g_autoptr(GError) error = NULL;

  self->import = sitrep_import_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->import == NULL)
    {
      g_autofree char *description = g_strdup_printf (_("%s\nNothing was written."),
                                                      error->message);

      adw_status_page_set_description (self->failed_page, description);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      return;
    }
  show_import (self);
}

static void save (SitrepImportPreview *self, gboolean replace);

static void
replace_response_cb (SitrepImportPreview *self,
                     const char          *response,
                     AdwMessageDialog    *dialog)
{
  self->replace_dialog = NULL;
  if (g_strcmp0 (response, "replace") == 0)
    save (self, TRUE);
}

/* FILE.json is there: what is in it may be hours of someone's work. */
static void
ask_replace (SitrepImportPreview *self)
{
  g_autofree char *name = g_file_get_basename (self->json);
  g_autoptr(GFile) parent = g_file_get_parent (self->json);
  g_autofree char *folder = parent != NULL ? g_file_get_parse_name (parent) : g_strdup ("");
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Replace %s?"), name);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s already exists in %s. Replacing it loses what is in "
                                    "it now."),
                                  name, folder);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "replace", _("_Replace"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (replace_response_cb), self,
                           G_CONNECT_SWAPPED);
  self->replace_dialog = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SitrepImportPreview) self = user_data;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  if (!sitrep_import_save_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          ask_replace (self);
          return;
        }
      {
        g_autofree char *message = g_strdup_printf (_("The runbook could not be saved: %s"),
                                                    error->message);

        gtk_label_set_text (self->error_label, message);
        gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      }
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->json);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save (SitrepImportPreview *self,
      gboolean             replace)
{
  if (self->import == NULL || self->saving)
    return;
  self->saving = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  sitrep_import_save_async (self->import, self->json, replace, self->cancellable, saved_cb,
                            g_object_ref (self));
}

static void
save_clicked_cb (SitrepImportPreview *self)
{
  save (self, FALSE);
}

static void
sitrep_import_preview_dispose (GObject *object)
{
  SitrepImportPreview *self = SITREP_IMPORT_PREVIEW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_IMPORT_PREVIEW);
  G_OBJECT_CLASS (sitrep_import_preview_parent_class)->dispose (object);
}

static void
sitrep_import_preview_finalize (GObject *object)
{
  SitrepImportPreview *self = SITREP_IMPORT_PREVIEW (object);

  g_clear_object (&self->markdown);
  g_clear_object (&self->json);
  g_clear_pointer (&self->import, sitrep_import_free);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sitrep_import_preview_parent_class)->finalize (object);
}

static void
sitrep_import_preview_class_init (SitrepImportPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_import_preview_dispose;
  object_class->finalize = sitrep_import_preview_finalize;

  /**
   * SitrepImportPreview::saved:
   * @json: the runbook file written beside the Markdown one
   *
   * The runbook was written; the preview closes.
   */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/carecircle/Sitrep/ui/sitrep-import-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepImportPreview, stack);
  gtk_widget_class_bind_template_child (widget_class, SitrepImportPreview, save_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepImportPreview, window_title);
  gtk_widget_class_bind_template_child (widget_class, SitrepImportPreview, failed_page);
  gtk_widget_class_bind_template_child (widget_class, SitrepImportPreview, error_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepImportPreview, understood_group);
  gtk_widget_class_bind_template_child (widget_class, SitrepImportPreview, human_group);
  gtk_widget_class_bind_template_child (widget_class, SitrepImportPreview, commands_group);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
}

static void
sitrep_import_preview_init (SitrepImportPreview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * sitrep_import_preview_new:
 * @markdown: the team's Markdown runbook
 *
 * A preview of what @markdown imports to, over @parent; the import starts at once.
 */
SitrepImportPreview *
sitrep_import_preview_new (GtkWindow *parent,
                           GFile     *markdown)
{
  SitrepImportPreview *self = g_object_new (SITREP_TYPE_IMPORT_PREVIEW,
                                            "transient-for", parent, NULL);
  g_autofree char *name = g_file_get_basename (markdown);
  g_autofree char *json_name = NULL;
  g_autofree char *subtitle = NULL;

  self->markdown = g_object_ref (markdown);
  self->json = sitrep_import_json_file_for (markdown);
  json_name = g_file_get_basename (self->json);
  adw_window_title_set_title (self->window_title, name);
  /* Where Save and Open writes, before it does. */
  subtitle = g_strdup_printf (_("Saves as %s"), json_name);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  sitrep_import_file_async (markdown, self->cancellable, imported_cb, g_object_ref (self));
  return self;
}

GFile *
sitrep_import_preview_get_file (SitrepImportPreview *self)
{
  g_return_val_if_fail (SITREP_IS_IMPORT_PREVIEW (self), NULL);
  return self->markdown;
}
