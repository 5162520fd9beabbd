/* sitrep-store-indicator-testing.c: what the tests read of the store indicator */
#include "config.h"

#include "sitrep-store-indicator-private.h"

char *
sitrep_store_indicator_get_text (SitrepStoreIndicator *self)
{
  g_return_val_if_fail (SITREP_IS_STORE_INDICATOR (self), NULL);
  return g_strdup_printf ("%s\n%s", gtk_label_get_text (self->title),
                          gtk_widget_get_visible (GTK_WIDGET (self->subtitle))
                            ? gtk_label_get_text (self->subtitle) : "");
}
