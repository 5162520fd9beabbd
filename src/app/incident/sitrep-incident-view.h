/* sitrep-incident-view.h: the current incident: header, clocks, escalation and checklist */
#pragma once

#include <adwaita.h>

#include "sitrep-incident-manager.h"

G_BEGIN_DECLS

#define SITREP_TYPE_INCIDENT_VIEW (sitrep_incident_view_get_type ())

G_DECLARE_FINAL_TYPE (SitrepIncidentView, sitrep_incident_view, SITREP, INCIDENT_VIEW, GtkWidget)

GtkWidget             *sitrep_incident_view_new                (void);
void                   sitrep_incident_view_set_manager        (SitrepIncidentView    *self,
                                                                SitrepIncidentManager *manager);
SitrepIncidentManager *sitrep_incident_view_get_manager        (SitrepIncidentView    *self);
void                   sitrep_incident_view_set_utc            (SitrepIncidentView    *self,
                                                                gboolean               utc);
gboolean               sitrep_incident_view_get_utc            (SitrepIncidentView    *self);
void                   sitrep_incident_view_set_author         (SitrepIncidentView    *self,
                                                                const char            *author);
const char            *sitrep_incident_view_get_author         (SitrepIncidentView    *self);
void                   sitrep_incident_view_show_escalation    (SitrepIncidentView    *self);

G_END_DECLS
