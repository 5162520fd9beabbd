/* sitrep-drill-replay.h: a recorded incident's health history, played again as a drill */
#pragma once

#include "sitrep-runbook.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

#define SITREP_TYPE_DRILL_REPLAY (sitrep_drill_replay_get_type ())

G_DECLARE_FINAL_TYPE (SitrepDrillReplay, sitrep_drill_replay, SITREP, DRILL_REPLAY, GObject)

/* Reads incident @incident_id of @store, its runbook (the copy kept with it, or @at_hand for an
 * incident recorded before copies were kept) and the health samples kept for its time. Errors:
 * SITREP_STORE_ERROR_NOT_FOUND, SITREP_DRILL_ERROR_NO_HISTORY. */
SitrepDrillReplay *sitrep_drill_replay_new                 (SitrepStore       *store,
                                                            gint64             incident_id,
                                                            SitrepRunbook     *at_hand,
                                                            const char        *dir,
                                                            double             speed,
                                                            GError           **error);
/* Starts the health endpoints and the empty simulated cluster on loopback, and writes
 * DIR/runbook.json and DIR/kubeconfig. The replay's clock starts now. */
gboolean           sitrep_drill_replay_start               (SitrepDrillReplay *self,
                                                            GError           **error);
void               sitrep_drill_replay_stop                (SitrepDrillReplay *self);
const char        *sitrep_drill_replay_get_runbook_path    (SitrepDrillReplay *self);
/* How long the replay lasts, in real time (µs): after that every tile stays as it ended. */
gint64             sitrep_drill_replay_get_duration        (SitrepDrillReplay *self);

G_END_DECLS
