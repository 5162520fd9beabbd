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
void          sitrep_window_show_incident      (SitrepWindow      *self,
                                                gint64             id);
void          sitrep_window_show_escalation    (SitrepWindow      *self,
                                                gint64             id);
void          sitrep_window_show_toast         (SitrepWindow      *self,
                                                const char        *text);
void          sitrep_window_import             (SitrepWindow      *self,
                                                GFile             *markdown);
void          sitrep_window_show_service       (SitrepWindow      *self,
                                                const char        *service_id);
GStrv         sitrep_window_get_open_editors   (SitrepWindow      *self);

G_END_DECLS
