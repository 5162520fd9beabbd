/* fixture-incident.h: an incident declared straight into a store, and its events as shown */
#pragma once

#include "sitrep-incident.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

/* sitrep_declaration_new() then sitrep_store_declare_incident(): what the incident manager does,
 * without a manager. Returns the incident's id, or -1 with @error set. */
gint64 fixture_declare_incident (SitrepStore       *store,
                                 SitrepRunbook     *runbook,
                                 const char        *severity,
                                 const char        *summary,
                                 const char        *impact,
                                 const char        *lead,
                                 const char        *channel,
                                 const char *const *services,
                                 gint64             at,
                                 GError           **error);

const char *fixture_shown_text (gpointer event);

G_END_DECLS
