/* sitrep-store-indicator.h: the header's word on which database the console uses, and who else is there */
#pragma once

#include <adwaita.h>

#include "sitrep-session.h"

G_BEGIN_DECLS

#define SITREP_TYPE_STORE_INDICATOR (sitrep_store_indicator_get_type ())

G_DECLARE_FINAL_TYPE (SitrepStoreIndicator, sitrep_store_indicator, SITREP, STORE_INDICATOR,
                      GtkWidget)

void sitrep_store_indicator_set_session (SitrepStoreIndicator *self,
                                         SitrepSession        *session);

G_END_DECLS
