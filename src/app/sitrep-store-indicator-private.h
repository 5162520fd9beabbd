/* sitrep-store-indicator-private.h: what the store indicator's tests read */
#pragma once

#include "sitrep-store-indicator.h"

G_BEGIN_DECLS

struct _SitrepStoreIndicator
{
  GtkWidget parent_instance;

  SitrepSession *session;
  SitrepStorePresence *presence; /* whose notify signals are followed */
  GtkImage *icon;
  GtkLabel *title;
  GtkLabel *subtitle;
};

/* Defined in sitrep-store-indicator-testing.c, which only the tests link: the two lines as
 * shown ("" for a hidden one), joined by a newline. */
char *sitrep_store_indicator_get_text (SitrepStoreIndicator *self);

G_END_DECLS
