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

/* For tests: read what the view shows and drive it as a person would. */
char                  *sitrep_incident_view_get_text           (SitrepIncidentView    *self);
const char            *sitrep_incident_view_get_page           (SitrepIncidentView    *self);
const char            *sitrep_incident_view_get_last_toast     (SitrepIncidentView    *self);
gboolean               sitrep_incident_view_set_item_done      (SitrepIncidentView    *self,
                                                                const char            *item_id,
                                                                gboolean               done);
gboolean               sitrep_incident_view_open_item          (SitrepIncidentView    *self,
                                                                const char            *item_id);
gboolean               sitrep_incident_view_select_status      (SitrepIncidentView    *self,
                                                                SitrepIncidentStatus   status);
gboolean               sitrep_incident_view_select_severity    (SitrepIncidentView    *self,
                                                                const char            *severity);
gboolean               sitrep_incident_view_select_incident    (SitrepIncidentView    *self,
                                                                gint64                 id);
gboolean               sitrep_incident_view_answer_escalation  (SitrepIncidentView    *self,
                                                                gboolean               escalated);
gboolean               sitrep_incident_view_mark_update_sent   (SitrepIncidentView    *self);
gboolean               sitrep_incident_view_request_declare    (SitrepIncidentView    *self);

G_END_DECLS
