/* fixture-incident.h: an incident declared straight into a store, its events as shown, and
 * events written straight to it */
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

/* A service's health change (API, @old_health to @new_health) as the console records it, and a
 * note, written straight to the store. Return the event's id. */
gint64 fixture_add_health (SitrepStore *store,
                           gint64       incident,
                           gint64       at,
                           const char  *old_health,
                           const char  *new_health);
gint64 fixture_add_note   (SitrepStore *store,
                           gint64       incident,
                           gint64       at,
                           const char  *text);

G_END_DECLS
