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

/* For tests: read what the group shows and drive it as a person would. */
void                        sitrep_checklist_group_append_text   (SitrepChecklistGroup       *self,
                                                                  GString                    *out);
gboolean                    sitrep_checklist_group_has_item      (SitrepChecklistGroup       *self,
                                                                  const char                 *item_id);
gboolean                    sitrep_checklist_group_set_item_done (SitrepChecklistGroup       *self,
                                                                  const char                 *item_id,
                                                                  gboolean                    done);
gboolean                    sitrep_checklist_group_open_item     (SitrepChecklistGroup       *self,
                                                                  const char                 *item_id);

G_END_DECLS
