/* sitrep-checklist-group-private.h: what a checklist phase and the tests that tick it share */
#pragma once

#include "sitrep-checklist-group.h"

G_BEGIN_DECLS

struct _SitrepChecklistGroup
{
  AdwPreferencesGroup parent_instance;

  SitrepIncidentManager *manager;
  SitrepRunbook *runbook;
  gboolean foreign; /* @runbook is not the open one: its services and commands are not here */
  const SitrepChecklistPhase *phase;
  GPtrArray *rows;  /* SitrepChecklistRow, in the phase's order */
  gboolean utc;

  GtkLabel *clock;
};

/* Defined in sitrep-checklist-group-testing.c, which only the tests link. */
void     sitrep_checklist_group_append_text   (SitrepChecklistGroup *self,
                                               GString              *out);
gboolean sitrep_checklist_group_has_item      (SitrepChecklistGroup *self,
                                               const char           *item_id);
gboolean sitrep_checklist_group_set_item_done (SitrepChecklistGroup *self,
                                               const char           *item_id,
                                               gboolean              done);
gboolean sitrep_checklist_group_open_item     (SitrepChecklistGroup *self,
                                               const char           *item_id);

G_END_DECLS
