/* sitrep-cli-incident.h: `sitrep incident list|show`: the incidents in the store */
#pragma once

#include <glib.h>

#include "sitrep-incident-runbooks.h"

G_BEGIN_DECLS

int sitrep_cli_incident (int    argc,
                         char **argv);

SitrepRunbook *sitrep_cli_incident_runbook (SitrepStore    *store,
                                            SitrepIncident *incident,
                                            SitrepRunbook  *at_hand,
                                            gboolean        given,
                                            int            *status);

G_END_DECLS
