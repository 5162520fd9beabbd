/* sitrep-import-preview-testing.c: what the tests read from the import preview and do with it */
#include "config.h"

#include "sitrep-import-preview-private.h"

/* "loading", "failed" or "preview". */
const char *
sitrep_import_preview_get_page (SitrepImportPreview *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

static void
append_rows (GString   *out,
             GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child))
        {
          const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (child));

          g_string_append_printf (out, "%s%s%s\n",
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)),
                                  subtitle != NULL && *subtitle != '\0' ? " | " : "",
                                  subtitle != NULL ? subtitle : "");
          continue;
        }
      append_rows (out, child);
    }
}

static void
append_group (GString             *out,
              AdwPreferencesGroup *group)
{
  g_string_append_printf (out, "# %s\n", adw_preferences_group_get_title (group));
  append_rows (out, GTK_WIDGET (group));
}

/* What the preview shows, as a person reads it: the page's texts, one row a line. */
char *
sitrep_import_preview_get_text (SitrepImportPreview *self)
{
  GString *out = g_string_new (NULL);
  const char *page = sitrep_import_preview_get_page (self);

  g_string_append_printf (out, "%s\n%s\n", adw_window_title_get_title (self->window_title),
                          adw_window_title_get_subtitle (self->window_title));
  if (g_strcmp0 (page, "failed") == 0)
    g_string_append_printf (out, "%s\n%s\n", adw_status_page_get_title (self->failed_page),
                            adw_status_page_get_description (self->failed_page));
  else if (g_strcmp0 (page, "preview") == 0)
    {
      if (gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
        g_string_append_printf (out, "%s\n", gtk_label_get_text (self->error_label));
      append_group (out, self->understood_group);
      append_group (out, self->human_group);
      append_group (out, self->commands_group);
    }
  return g_string_free (out, FALSE);
}

gboolean
sitrep_import_preview_can_save (SitrepImportPreview *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->save_button))
         && gtk_widget_get_sensitive (GTK_WIDGET (self->save_button));
}

/* Clicks Save and Open, as a person would. */
void
sitrep_import_preview_save (SitrepImportPreview *self)
{
  g_signal_emit_by_name (self->save_button, "clicked");
}

/* The "Replace FILE.json?" question while it is asked, or NULL. */
AdwMessageDialog *
sitrep_import_preview_get_replace_dialog (SitrepImportPreview *self)
{
  return self->replace_dialog;
}
