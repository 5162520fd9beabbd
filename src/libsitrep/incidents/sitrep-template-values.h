/* sitrep-template-values.h: what the console knows of an incident, by placeholder name */
#pragma once

#include "sitrep-incident.h"
#include "sitrep-template.h"

G_BEGIN_DECLS

GHashTable *sitrep_template_values_for_incident (SitrepIncident *incident,
                                                 SitrepRunbook  *runbook,
                                                 gint64          now,
                                                 gboolean        utc);

GPtrArray  *sitrep_template_values_find_unfilled (const char *text);

G_END_DECLS
