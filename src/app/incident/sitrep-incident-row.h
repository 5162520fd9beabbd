/* sitrep-incident-row.h: an incident in the list: summary, severity, status, when declared */
#pragma once

#include <adwaita.h>

#include "sitrep-incident.h"

G_BEGIN_DECLS

#define SITREP_TYPE_INCIDENT_ROW (sitrep_incident_row_get_type ())

G_DECLARE_FINAL_TYPE (SitrepIncidentRow, sitrep_incident_row, SITREP, INCIDENT_ROW, AdwActionRow)

/* @declared: when it was declared, as the list shows times (local or UTC) */
GtkWidget *sitrep_incident_row_new             (SitrepIncident    *incident,
                                                const char        *status_label,
                                                const char        *declared);
gint64     sitrep_incident_row_get_incident_id (SitrepIncidentRow *self);

G_END_DECLS
