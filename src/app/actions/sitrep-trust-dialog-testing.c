/* sitrep-trust-dialog-testing.c: the commands the trust dialog lists, read as text for the tests */
#include "config.h"

#include "sitrep-trust-dialog-private.h"
#include "sitrep-trust-item-private.h"

char *
sitrep_trust_dialog_get_text (SitrepTrustDialog *self)
{
  GString *text;

  g_return_val_if_fail (SITREP_IS_TRUST_DIALOG (self), NULL);

  text = g_string_new (NULL);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      SitrepTrustItem *item = SITREP_TRUST_ITEM (child);

      g_string_append_printf (text, "%s: %s\n", gtk_label_get_text (item->what_label),
                              gtk_label_get_text (item->line_label));
    }
  return g_string_free (text, FALSE);
}
