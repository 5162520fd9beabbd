/* sitrep-health-view.h: the Health view: a live tile per service, and each service's page */
#pragma once

#include <adwaita.h>

#include "sitrep-action-controller.h"
#include "sitrep-monitor.h"

G_BEGIN_DECLS

#define SITREP_TYPE_HEALTH_VIEW (sitrep_health_view_get_type ())

G_DECLARE_FINAL_TYPE (SitrepHealthView, sitrep_health_view, SITREP, HEALTH_VIEW, GtkWidget)

void           sitrep_health_view_set_monitor  (SitrepHealthView *self,
                                                SitrepMonitor    *monitor);
SitrepMonitor *sitrep_health_view_get_monitor  (SitrepHealthView *self);
void           sitrep_health_view_open_service (SitrepHealthView *self,
                                                const char       *service_id);
void           sitrep_health_view_show_grid    (SitrepHealthView *self);
void           sitrep_health_view_set_action_controller (SitrepHealthView       *self,
                                                         SitrepActionController *controller);
SitrepActionController *sitrep_health_view_get_action_controller (SitrepHealthView *self);
void           sitrep_health_view_set_offer_drill (SitrepHealthView *self,
                                                   gboolean          offer_drill);

G_END_DECLS
