/* sitrep-incident-list.h: the incidents a list shows: drills only when asked for */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SITREP_TYPE_INCIDENT_LIST (sitrep_incident_list_get_type ())

G_DECLARE_FINAL_TYPE (SitrepIncidentList, sitrep_incident_list, SITREP, INCIDENT_LIST, GObject)

/* @incidents: (element-type SitrepIncident): every incident, which the list follows */
SitrepIncidentList *sitrep_incident_list_new             (GListModel         *incidents);
gboolean            sitrep_incident_list_get_show_drills (SitrepIncidentList *self);
void                sitrep_incident_list_set_show_drills (SitrepIncidentList *self,
                                                          gboolean            show_drills);

G_END_DECLS
