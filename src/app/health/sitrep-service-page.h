/* sitrep-service-page.h: one service in detail: each probe's last result, conditions, body, history */
#pragma once

#include <adwaita.h>

#include "sitrep-action-controller.h"
#include "sitrep-clock.h"
#include "sitrep-service-state.h"

G_BEGIN_DECLS

#define SITREP_TYPE_SERVICE_PAGE (sitrep_service_page_get_type ())

G_DECLARE_FINAL_TYPE (SitrepServicePage, sitrep_service_page, SITREP, SERVICE_PAGE, AdwBin)

GtkWidget          *sitrep_service_page_new       (void);
void                sitrep_service_page_set_state (SitrepServicePage  *self,
                                                   SitrepServiceState *state);
SitrepServiceState *sitrep_service_page_get_state (SitrepServicePage  *self);
void                sitrep_service_page_set_controller (SitrepServicePage      *self,
                                                        SitrepActionController *controller);
SitrepActionController *sitrep_service_page_get_controller (SitrepServicePage *self);

G_END_DECLS
