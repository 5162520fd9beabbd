/* sitrep-checklist-group.h: one phase of the runbook's checklist, ticked during an incident */
#pragma once

#include <adwaita.h>

#include "sitrep-incident-manager.h"

G_BEGIN_DECLS

#define SITREP_TYPE_CHECKLIST_GROUP (sitrep_checklist_group_get_type ())

G_DECLARE_FINAL_TYPE (SitrepChecklistGroup, sitrep_checklist_group, SITREP, CHECKLIST_GROUP,
                      AdwPreferencesGroup)

GtkWidget                  *sitrep_checklist_group_new           (SitrepIncidentManager      *manager,
                                                                  SitrepRunbook              *runbook,
                                                                  const SitrepChecklistPhase *phase);
const SitrepChecklistPhase *sitrep_checklist_group_get_phase     (SitrepChecklistGroup       *self);
void                        sitrep_checklist_group_refresh       (SitrepChecklistGroup       *self,
                                                                  SitrepIncident             *incident,
                                                                  gint64                      now,
                                                                  gboolean                    utc);

G_END_DECLS
