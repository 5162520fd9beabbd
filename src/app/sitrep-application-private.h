/* sitrep-application-private.h: what the application and its menu actions share */
#pragma once

#include "sitrep-application.h"
#include "sitrep-drill.h"
#include "sitrep-window.h"

G_BEGIN_DECLS

struct _SitrepApplication
{
  AdwApplication parent_instance;

  SitrepSession *session;
  gboolean started; /* the first command line opened the database and a runbook */
  SitrepDrill *drill; /* the drill under way, or NULL */
  gulong drill_runbook_id;
  GCancellable *drill_cancellable; /* its start and the load of its runbook */
  GPtrArray *stopping_drills;      /* drills whose servers are still ending */
};

SitrepWindow *sitrep_application_ensure_window  (SitrepApplication *self);
void          sitrep_application_install_actions (SitrepApplication *self);
void          sitrep_application_start_drill     (SitrepApplication *self,
                                                  const char        *scenario_id);
/* The same at @speed times the scenario's pace: for a test that plays a drill to its end. */
void          sitrep_application_start_drill_at_speed (SitrepApplication *self,
                                                       const char        *scenario_id,
                                                       double             speed);
void          sitrep_application_stop_drill      (SitrepApplication *self);
void          sitrep_application_end_drills      (SitrepApplication *self);

G_END_DECLS
