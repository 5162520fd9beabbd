/* sitrep-drill-scenario.h: the incidents a drill can stage, from the runbook's procedures */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *id;        /* "web-bad-deploy" */
  const char *title;     /* N_(): "Web app down after a bad deploy" */
  const char *summary;   /* N_(): what the team will see, without giving the fix away */
  const char *service;   /* the runbook service where it starts */
  const char *fix;       /* N_(): what mitigates it, said in the debrief */
} SitrepDrillScenarioInfo;

const SitrepDrillScenarioInfo *sitrep_drill_scenario_list (guint      *n_scenarios);
const SitrepDrillScenarioInfo *sitrep_drill_scenario_find (const char *id);

G_END_DECLS
