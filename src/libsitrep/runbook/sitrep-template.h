/* sitrep-template.h: fills a runbook template's {placeholders} from what the console knows */
#pragma once

#include "sitrep-incident.h"

G_BEGIN_DECLS

char *sitrep_template_render (const char  *body,
                              GHashTable  *values,
                              GPtrArray   *unfilled);

GHashTable *sitrep_template_values_for_incident (SitrepIncident *incident,
                                                 SitrepRunbook  *runbook,
                                                 gint64          now,
                                                 gboolean        utc);

G_END_DECLS
