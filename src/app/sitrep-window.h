/* sitrep-window.h: the main window: environment banner, the Health, Incident and Timeline views */
#pragma once

#include <adwaita.h>

#include "sitrep-health-view.h"
#include "sitrep-incident-view.h"
#include "sitrep-session.h"

G_BEGIN_DECLS

#define SITREP_TYPE_WINDOW (sitrep_window_get_type ())

G_DECLARE_FINAL_TYPE (SitrepWindow, sitrep_window, SITREP, WINDOW, AdwApplicationWindow)

SitrepWindow *sitrep_window_new                (GtkApplication    *application,
                                                SitrepSession     *session);
const char   *sitrep_window_get_page           (SitrepWindow      *self);
const char   *sitrep_window_get_view           (SitrepWindow      *self);
const char   *sitrep_window_get_heading        (SitrepWindow      *self);
char         *sitrep_window_get_environment_text (SitrepWindow    *self);
char         *sitrep_window_get_problems_text  (SitrepWindow      *self);
const char   *sitrep_window_get_store_text     (SitrepWindow      *self);
const char   *sitrep_window_get_trust_text     (SitrepWindow      *self);
SitrepHealthView *sitrep_window_get_health_view (SitrepWindow      *self);
void          sitrep_window_show_incident      (SitrepWindow      *self,
                                                gint64             id);
SitrepIncidentView *sitrep_window_get_incident_view (SitrepWindow *self);
void          sitrep_window_show_service       (SitrepWindow      *self,
                                                const char        *service_id);

G_END_DECLS
