/* sitrep-drill.h: a drill: a simulated CareCircle on loopback, playing one scenario */
#pragma once

#include <gio/gio.h>

#include "sitrep-drill-scenario.h"

G_BEGIN_DECLS

#define SITREP_DRILL_ERROR (sitrep_drill_error_quark ())

typedef enum
{
  SITREP_DRILL_ERROR_UNKNOWN_SCENARIO,
  SITREP_DRILL_ERROR_FOLDER,
  SITREP_DRILL_ERROR_FAILED,
  SITREP_DRILL_ERROR_NO_HISTORY, /* a replay: the incident has no health samples to play */
} SitrepDrillError;

#define SITREP_TYPE_DRILL (sitrep_drill_get_type ())

G_DECLARE_FINAL_TYPE (SitrepDrill, sitrep_drill, SITREP, DRILL, GObject)

GQuark       sitrep_drill_error_quark      (void);

/* @dir receives runbook.json and kubeconfig; @speed runs the scenario's clock that many times
 * faster (1 for a drill in real time). */
SitrepDrill *sitrep_drill_new              (const char          *scenario_id,
                                            const char          *dir,
                                            double               speed,
                                            GError             **error);
void         sitrep_drill_start_async      (SitrepDrill         *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     sitrep_drill_start_finish     (SitrepDrill         *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Stops the simulation and every server it started, and waits (a few seconds at most) until
 * they are gone. Disposing of the drill does the same. */
void         sitrep_drill_stop             (SitrepDrill         *self);
void         sitrep_drill_stop_async       (SitrepDrill         *self,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     sitrep_drill_stop_finish      (SitrepDrill         *self,
                                            GAsyncResult        *result,
                                            GError             **error);

const SitrepDrillScenarioInfo *sitrep_drill_get_scenario (SitrepDrill *self);
const char  *sitrep_drill_get_runbook_path    (SitrepDrill      *self);
const char  *sitrep_drill_get_kubeconfig_path (SitrepDrill      *self);
double       sitrep_drill_get_speed           (SitrepDrill      *self);
/* Real time (µs) the scenario started at, and that it was mitigated at (0: not yet). */
gint64       sitrep_drill_get_started_at      (SitrepDrill      *self);
gint64       sitrep_drill_get_mitigated_at    (SitrepDrill      *self);
/* What was not part of this drill (a server that is not installed), or NULL. */
const char  *sitrep_drill_get_absent          (SitrepDrill      *self,
                                               const char       *server);

G_END_DECLS
