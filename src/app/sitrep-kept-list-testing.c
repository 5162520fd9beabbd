/* sitrep-kept-list-testing.c: the kept changes' list read as a person would */
#include "config.h"

#include <adwaita.h>

#include "sitrep-kept-list-private.h"

char *
sitrep_kept_list_get_text (SitrepKeptList *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (SITREP_IS_KEPT_LIST (self), NULL);

  if (self->reading)
    return g_string_free (out, TRUE);
  if (gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (self->message_label));
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    g_string_append_printf (out, "%s — %s\n",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                            adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  return g_string_free (out, FALSE);
}
