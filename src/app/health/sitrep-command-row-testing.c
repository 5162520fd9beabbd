/* sitrep-command-row-testing.c: the run button a person would press, for the tests */
#include "config.h"

#include "sitrep-command-row-private.h"

/* The run button when the row shows one, else NULL. */
GtkWidget *
sitrep_command_row_get_run_button (SitrepCommandRow *self)
{
  g_return_val_if_fail (SITREP_IS_COMMAND_ROW (self), NULL);
  return gtk_widget_get_visible (self->run_button) ? self->run_button : NULL;
}
