/* sitrep-kept-list.h: the banner's list of the changes kept on this computer while the team database is unreachable */
#pragma once

#include <gtk/gtk.h>

#include "sitrep-incident-manager.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

#define SITREP_TYPE_KEPT_LIST (sitrep_kept_list_get_type ())
G_DECLARE_FINAL_TYPE (SitrepKeptList, sitrep_kept_list, SITREP, KEPT_LIST, GtkPopover)

GtkWidget *sitrep_kept_list_new         (void);
void       sitrep_kept_list_set_sources (SitrepKeptList        *self,
                                         SitrepStore           *store,
                                         SitrepIncidentManager *incidents);
SitrepStore           *sitrep_kept_list_get_store     (SitrepKeptList *self);
SitrepIncidentManager *sitrep_kept_list_get_incidents (SitrepKeptList *self);
void       sitrep_kept_list_refresh     (SitrepKeptList        *self);

G_END_DECLS
