/* sitrep-postmortem-editor-testing.c: the post-mortem filled in and read as a person would, for
 * the tests */
#include "config.h"

#include "sitrep-postmortem-editor-private.h"

static const char *const field_names[] = { "summary", "root-cause", "resolution", "lessons" };

G_STATIC_ASSERT (G_N_ELEMENTS (field_names) == G_N_ELEMENTS (((SitrepPostmortemEditor *) 0)->fields));

static GtkTextBuffer *
field_buffer (SitrepPostmortemEditor *self,
              const char             *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_str_equal (name, field_names[i]))
      return self->fields[i];
  g_return_val_if_reached (NULL);
}

void
sitrep_postmortem_editor_set_field (SitrepPostmortemEditor *self,
                                    const char             *name,
                                    const char             *text)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  gtk_text_buffer_set_text (field_buffer (self, name), text, -1);
}

char *
sitrep_postmortem_editor_get_field (SitrepPostmortemEditor *self,
                                    const char             *name)
{
  GtkTextIter start, end;

  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), NULL);
  gtk_text_buffer_get_bounds (field_buffer (self, name), &start, &end);
  return gtk_text_buffer_get_text (field_buffer (self, name), &start, &end, FALSE);
}

void
sitrep_postmortem_editor_add_action_item (SitrepPostmortemEditor *self,
                                          const char             *text,
                                          const char             *owner,
                                          const char             *due,
                                          gboolean                done)
{
  g_autoptr(SitrepActionItem) item = sitrep_action_item_new (text, owner, due, done);

  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  _sitrep_postmortem_editor_add_item (self, item);
}

guint
sitrep_postmortem_editor_get_n_action_items (SitrepPostmortemEditor *self)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), 0);
  items = _sitrep_postmortem_editor_collect_items (self, NULL);
  return items->len;
}

void
sitrep_postmortem_editor_set_starred_only (SitrepPostmortemEditor *self,
                                           gboolean                starred_only)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  gtk_switch_set_active (self->starred_switch, starred_only);
}

/* The preview as shown, brought up to date first. */
char *
sitrep_postmortem_editor_get_preview (SitrepPostmortemEditor *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), NULL);
  _sitrep_postmortem_editor_update_preview (self);
  gtk_text_buffer_get_bounds (self->preview, &start, &end);
  return gtk_text_buffer_get_text (self->preview, &start, &end, FALSE);
}

const char *
sitrep_postmortem_editor_get_last_toast (SitrepPostmortemEditor *self)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), NULL);
  return self->last_toast;
}

/* Types @text into the runbook's own section @id, as a person would; FALSE when the editor
 * shows no such section. */
gboolean
sitrep_postmortem_editor_set_section (SitrepPostmortemEditor *self,
                                      const char             *id,
                                      const char             *text)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), FALSE);

  for (guint i = 0; self->section_ids != NULL && i < self->section_ids->len; i++)
    if (g_str_equal (self->section_ids->pdata[i], id))
      {
        gtk_text_buffer_set_text (self->section_buffers->pdata[i], text, -1);
        return TRUE;
      }
  return FALSE;
}

/* The runbook's own sections as shown: "Title (prompt)", one a line. */
char *
sitrep_postmortem_editor_get_sections_text (SitrepPostmortemEditor *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->sections_box)))
    return g_string_free (out, FALSE);
  for (GtkWidget *group = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box));
       group != NULL; group = gtk_widget_get_next_sibling (group))
    {
      const char *description = adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group));
      g_string_append (out, adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)));
      if (description != NULL && *description != '\0')
        g_string_append_printf (out, " (%s)", description);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* Returns: (transfer none) (nullable): the dialog asking which version to keep, while shown */
AdwMessageDialog *
sitrep_postmortem_editor_get_conflict_dialog (SitrepPostmortemEditor *self)
{
  return self->conflict_dialog ? ADW_MESSAGE_DIALOG (self->conflict_dialog) : NULL;
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Saves as the Save button does, and waits for the writer thread to be done. */
gboolean
sitrep_postmortem_editor_save_and_wait (SitrepPostmortemEditor *self,
                                        GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), FALSE);
  sitrep_postmortem_editor_save_async (self, NULL, saved_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return sitrep_postmortem_editor_save_finish (self, result, error);
}

/* Waits for a save under way (one the conflict dialog started) to be done. */
/* Until the incident set last is read and shown (or could not be read). */
void
sitrep_postmortem_editor_wait_for_load (SitrepPostmortemEditor *self)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  while (self->load_cancellable != NULL)
    g_main_context_iteration (NULL, TRUE);
}

void
sitrep_postmortem_editor_wait_for_save (SitrepPostmortemEditor *self)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  while (self->saving)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Types @text into the @index-th action item's "text", "owner" or "due". */
void
sitrep_postmortem_editor_set_action_item (SitrepPostmortemEditor *self,
                                          guint                   index,
                                          const char             *property,
                                          const char             *text)
{
  g_autoptr(SitrepPostmortemItem) item = NULL;

  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  item = g_list_model_get_item (G_LIST_MODEL (self->items_model), index);
  g_return_if_fail (item != NULL);
  g_object_set (item, property, text, NULL);
}

/* Returns: (transfer full): what the @index-th action item shows */
SitrepActionItem *
sitrep_postmortem_editor_get_action_item (SitrepPostmortemEditor *self,
                                          guint                   index)
{
  g_autoptr(SitrepPostmortemItem) item = NULL;

  g_return_val_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self), NULL);
  item = g_list_model_get_item (G_LIST_MODEL (self->items_model), index);
  g_return_val_if_fail (item != NULL, NULL);
  return sitrep_postmortem_item_to_action (item);
}

/* Removes the @index-th action item, as its row's remove button does. */
void
sitrep_postmortem_editor_remove_action_item (SitrepPostmortemEditor *self,
                                             guint                   index)
{
  g_return_if_fail (SITREP_IS_POSTMORTEM_EDITOR (self));
  g_list_store_remove (self->items_model, index);
}
