/* sitrep-escalation-panel-private.h: what the panel and the tests that read it share */
#pragma once

#include "sitrep-escalation-banner.h"
#include "sitrep-escalation-panel.h"

G_BEGIN_DECLS

struct _SitrepEscalationPanel
{
  AdwPreferencesGroup parent_instance;

  GPtrArray *steps;     /* SitrepEscalationRow, in the path's order */
  char *steps_key;
  GHashTable *messages; /* "incident:step" → the ready message the manager made */
  gint banner_step;
  char *banner_text;
  SitrepEscalationBanner *banner;
};

/* Defined in sitrep-escalation-panel-testing.c, which only the tests link. */
void     sitrep_escalation_panel_append_text (SitrepEscalationPanel *self,
                                              GString               *out);
gboolean sitrep_escalation_panel_answer      (SitrepEscalationPanel *self,
                                              gboolean               escalated);

G_END_DECLS
