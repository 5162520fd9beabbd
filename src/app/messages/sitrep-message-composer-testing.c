/* sitrep-message-composer-testing.c: the composer read and driven as a person would, for the
 * tests */
#include "config.h"

#include "sitrep-message-composer-private.h"

gboolean
sitrep_message_composer_select_template (SitrepMessageComposer *self,
                                         const char            *template_id)
{
  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), FALSE);

  for (guint i = 0; i < self->templates->len; i++)
    {
      const SitrepTemplate *template = self->templates->pdata[i];

      if (g_strcmp0 (template->id, template_id) != 0)
        continue;
      /* Picking the one already picked renders it anew, as the drop-down's change would. */
      if (gtk_drop_down_get_selected (self->template_drop_down) == i)
        g_object_notify (G_OBJECT (self->template_drop_down), "selected");
      else
        gtk_drop_down_set_selected (self->template_drop_down, i);
      return TRUE;
    }
  return FALSE;
}

/* The texts the highlight covers, in buffer order. */
GStrv
sitrep_message_composer_get_highlighted (SitrepMessageComposer *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkTextIter iter;

  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), NULL);

  gtk_text_buffer_get_start_iter (self->buffer, &iter);
  while (gtk_text_iter_starts_tag (&iter, self->unfilled_tag)
         || gtk_text_iter_forward_to_tag_toggle (&iter, self->unfilled_tag))
    {
      GtkTextIter end = iter;
      g_autofree char *text = NULL;

      if (!gtk_text_iter_starts_tag (&iter, self->unfilled_tag))
        continue;
      gtk_text_iter_forward_to_tag_toggle (&end, self->unfilled_tag);
      text = gtk_text_iter_get_text (&iter, &end);
      g_strv_builder_add (builder, text);
      iter = end;
    }
  return g_strv_builder_end (builder);
}

/* Selects the first @old_text and types @new_text over it, as the commander would. */
gboolean
sitrep_message_composer_type_over (SitrepMessageComposer *self,
                                   const char            *old_text,
                                   const char            *new_text)
{
  GtkTextIter start, match_start, match_end;

  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), FALSE);

  gtk_text_buffer_get_start_iter (self->buffer, &start);
  if (!gtk_text_iter_forward_search (&start, old_text, GTK_TEXT_SEARCH_TEXT_ONLY, &match_start,
                                     &match_end, NULL))
    return FALSE;
  gtk_text_buffer_select_range (self->buffer, &match_start, &match_end);
  gtk_text_buffer_begin_user_action (self->buffer);
  gtk_text_buffer_delete_selection (self->buffer, TRUE, TRUE);
  gtk_text_buffer_insert_interactive_at_cursor (self->buffer, new_text, -1, TRUE);
  gtk_text_buffer_end_user_action (self->buffer);
  return TRUE;
}

const char *
sitrep_message_composer_get_state_text (SitrepMessageComposer *self)
{
  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), NULL);
  return self->state_text;
}

const char *
sitrep_message_composer_get_last_toast (SitrepMessageComposer *self)
{
  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), NULL);
  return self->last_toast;
}

gboolean
sitrep_message_composer_get_can_post (SitrepMessageComposer *self)
{
  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->post_button))
         && gtk_widget_get_sensitive (GTK_WIDGET (self->post_button));
}

/* Waits until every message copied or posted is stored (or refused), as the commander sees
 * the toast. Returns: the last message's id, or -1 when storing it failed */
gint64
sitrep_message_composer_wait_recorded (SitrepMessageComposer *self)
{
  g_return_val_if_fail (SITREP_IS_MESSAGE_COMPOSER (self), -1);

  while (self->n_recording > 0)
    g_main_context_iteration (NULL, TRUE);
  return self->last_recorded_id;
}
