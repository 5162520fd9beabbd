/* sitrep-monitor.h: runs every probe of the runbook on its interval and keeps the services' state */
#pragma once

#include "sitrep-clock.h"
#include "sitrep-probe.h"
#include "sitrep-service-state.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

#define SITREP_MONITOR_DEFAULT_CONCURRENCY 16
/* Samples older than this are pruned from the store. */
#define SITREP_MONITOR_RETENTION (7 * G_TIME_SPAN_DAY)

#define SITREP_TYPE_MONITOR (sitrep_monitor_get_type ())

G_DECLARE_FINAL_TYPE (SitrepMonitor, sitrep_monitor, SITREP, MONITOR, GObject)

SitrepMonitor      *sitrep_monitor_new             (SitrepRunbook      *runbook,
                                                    SitrepStore        *store,
                                                    SitrepClock        *clock);
GListModel         *sitrep_monitor_get_services    (SitrepMonitor      *self);
SitrepServiceState *sitrep_monitor_find_service    (SitrepMonitor      *self,
                                                    const char         *service_id);
SitrepProbeContext *sitrep_monitor_get_context     (SitrepMonitor      *self);
void                sitrep_monitor_start           (SitrepMonitor      *self);
void                sitrep_monitor_stop            (SitrepMonitor      *self);
void                sitrep_monitor_set_paused      (SitrepMonitor      *self,
                                                    gboolean            paused);
void                sitrep_monitor_hold            (SitrepMonitor      *self);
void                sitrep_monitor_release         (SitrepMonitor      *self);
gboolean            sitrep_monitor_get_paused      (SitrepMonitor      *self);
void                sitrep_monitor_probe_now       (SitrepMonitor      *self);
void                sitrep_monitor_count           (SitrepMonitor      *self,
                                                    guint              *n_down,
                                                    guint              *n_degraded,
                                                    guint              *n_unknown,
                                                    guint              *n_up);
char               *sitrep_monitor_describe_counts (SitrepMonitor      *self);
gboolean            sitrep_monitor_feed            (SitrepMonitor      *self,
                                                    const char         *service_id,
                                                    const char         *probe_id,
                                                    SitrepProbeResult  *result,
                                                    const GError       *error);
void                sitrep_monitor_run_once_async  (SitrepMonitor      *self,
                                                    const char         *service_id,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
gboolean            sitrep_monitor_run_once_finish (SitrepMonitor      *self,
                                                    GAsyncResult       *result,
                                                    GError            **error);
gboolean            sitrep_monitor_flush           (SitrepMonitor      *self,
                                                    GError            **error);

G_END_DECLS
