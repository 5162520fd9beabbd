/* sitrep-incident-clocks-group.h: an incident's clocks: response target, updates, time to fix */
#pragma once

#include <adwaita.h>

#include "sitrep-incident.h"

G_BEGIN_DECLS

#define SITREP_TYPE_INCIDENT_CLOCKS_GROUP (sitrep_incident_clocks_group_get_type ())

G_DECLARE_FINAL_TYPE (SitrepIncidentClocksGroup, sitrep_incident_clocks_group, SITREP,
                      INCIDENT_CLOCKS_GROUP, AdwPreferencesGroup)

GtkWidget *sitrep_incident_clocks_group_new              (void);
void       sitrep_incident_clocks_group_refresh          (SitrepIncidentClocksGroup *self,
                                                          SitrepIncident            *incident,
                                                          SitrepRunbook             *runbook,
                                                          gint64                     now,
                                                          gboolean                   utc);

G_END_DECLS
