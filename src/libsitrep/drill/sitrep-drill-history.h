/* sitrep-drill-history.h: a drill's health history, kept apart from production's */
#pragma once

#include "sitrep-runbook.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

/* The database file, beside the drill's runbook.json, that holds the drill's health samples. */
#define SITREP_DRILL_HEALTH_DATABASE "health.sqlite"

SitrepStore *sitrep_drill_open_health_store   (SitrepRunbook *runbook,
                                               GError       **error);
void         sitrep_drill_remove_health_store (const char    *dir);

G_END_DECLS
