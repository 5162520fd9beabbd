/* sitrep-action-output-testing.c: a run's output read and searched as a person would
 *
 * For the tests. */
#include "config.h"

#include "sitrep-action-output-private.h"

const char *
sitrep_action_output_get_command (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), NULL);
  return gtk_label_get_text (self->command_label);
}

const char *
sitrep_action_output_get_headline (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), NULL);
  return self->headline;
}

const char *
sitrep_action_output_get_details (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), NULL);
  return self->details;
}

gboolean
sitrep_action_output_get_finished (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), FALSE);
  return self->finished;
}

gboolean
sitrep_action_output_can_cancel (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->cancel_button))
         && gtk_widget_get_sensitive (GTK_WIDGET (self->cancel_button));
}

guint
sitrep_action_output_get_n_stderr_lines (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), 0);
  return self->n_stderr_lines;
}

void
sitrep_action_output_search (SitrepActionOutput *self,
                             const char         *text)
{
  g_return_if_fail (SITREP_IS_ACTION_OUTPUT (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* The entry reports changes after a delay; a caller wants the answer now. */
  sitrep_action_output_highlight (self, text);
}

guint
sitrep_action_output_get_n_matches (SitrepActionOutput *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), 0);
  return self->n_matches;
}

char *
sitrep_action_output_get_selection (SitrepActionOutput *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (SITREP_IS_ACTION_OUTPUT (self), NULL);
  gtk_text_buffer_get_selection_bounds (self->buffer, &start, &end);
  return gtk_text_buffer_get_text (self->buffer, &start, &end, FALSE);
}
