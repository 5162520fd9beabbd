/* sitrep-action-dialog-testing.c: the confirmation read and filled in as a person would
 *
 * For the tests. */
#include "config.h"

#include "sitrep-action-dialog-private.h"
#include "sitrep-action-input-row.h"

SitrepActionRequest *
sitrep_action_dialog_get_request (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return self->request;
}

const char *
sitrep_action_dialog_get_command (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return gtk_label_get_text (self->command_label);
}

const char *
sitrep_action_dialog_get_where (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return gtk_label_get_text (self->where_label);
}

const char *
sitrep_action_dialog_get_error (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_text (self->error_label) : NULL;
}

gboolean
sitrep_action_dialog_get_loading (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), FALSE);
  return self->n_loading > 0;
}

/* What the "Current replicas" row says, or NULL for an action without one. */
const char *
sitrep_action_dialog_get_replicas_text (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->replicas_row))
           ? gtk_label_get_text (self->replicas_label) : NULL;
}

GtkEditable *
sitrep_action_dialog_get_confirm_entry (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return GTK_EDITABLE (self->confirm_entry);
}

GtkWidget *
sitrep_action_dialog_get_input (SitrepActionDialog *self,
                                const char         *name)
{
  SitrepActionInputRow *row;

  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  row = g_hash_table_lookup (self->rows, name);
  return row ? sitrep_action_input_row_get_field (row) : NULL;
}

/* What is wrong with the input's value, as shown under its field, or NULL. */
const char *
sitrep_action_dialog_get_input_error (SitrepActionDialog *self,
                                      const char         *name)
{
  SitrepActionInputRow *row;

  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  row = g_hash_table_lookup (self->rows, name);
  return row ? sitrep_action_input_row_get_error (row) : NULL;
}

SitrepActionOutput *
sitrep_action_dialog_get_preview_output (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return self->preview_output;
}

AdwToast *
sitrep_action_dialog_get_toast (SitrepActionDialog *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_DIALOG (self), NULL);
  return self->toast;
}
