/* sitrep-incident-kept.h: an incident declared or changed while the team database is unreachable, as the console shows it until the journal is written */
#pragma once

#include <json-glib/json-glib.h>

#include "sitrep-incident.h"

G_BEGIN_DECLS

gint64             sitrep_incident_kept_new_id           (void);
gboolean           sitrep_incident_is_kept               (SitrepIncident          *incident);
SitrepIncident    *sitrep_incident_kept_new              (const SitrepDeclaration *declaration,
                                                          gint64                   id);
SitrepIncident    *sitrep_incident_kept_with_change      (SitrepIncident          *incident,
                                                          const char              *kind,
                                                          JsonObject              *body);

G_END_DECLS
