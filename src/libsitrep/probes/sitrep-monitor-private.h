/* sitrep-monitor-private.h: what the monitor's files share: its fields and its probe slots */
#pragma once

#include "sitrep-monitor.h"

G_BEGIN_DECLS

typedef struct
{
  SitrepMonitor *monitor; /* unowned */
  SitrepServiceState *state;
  const SitrepService *service;
  const SitrepProbeSpec *spec;
  gint64 next_due;        /* monotonic */
  gboolean running;
} Slot;

struct _SitrepMonitor
{
  GObject parent_instance;

  SitrepRunbook *runbook;
  SitrepStore *store;
  SitrepClock *clock;
  SitrepProbeContext *context;
  GListStore *services;
  GHashTable *by_id;   /* service id → SitrepServiceState, unowned */
  GPtrArray *slots;
  guint next_slot;     /* where the next scan starts, so every slot gets its turn */
  guint counts[SITREP_HEALTH_DOWN + 1];
  GArray *pending;
  GArray *pending_changes;
  GArray *arrivals;
  guint deliver_id;
  GCancellable *cancellable;
  guint restore_id;                  /* the history's read, waiting for the loop to be idle */
  GCancellable *restore_cancellable; /* the history being read */
  guint tick_id;
  guint first_tick_id;
  guint concurrency;
  guint in_flight;
  gboolean paused;
  guint holds;         /* sitrep_monitor_hold() without its release */
  gboolean libraries_asked;   /* _sitrep_monitor_open_libraries() was called */
  gboolean opening_libraries; /* the kinds' client libraries, on a thread; a hold meanwhile */
  GPtrArray *waiting_run_once; /* GTask: run-once rounds that start once they are open */
  gint64 last_flush;
  gint64 last_prune;
  gint64 last_stale_check;
};

/* sitrep-monitor.c */
gboolean _sitrep_monitor_open_libraries (SitrepMonitor    *self);

/* sitrep-monitor-run-once.c */
void _sitrep_monitor_run_once_begin  (GTask             *task);

/* sitrep-monitor-history.c */
void _sitrep_monitor_history_init    (SitrepMonitor     *self);
void _sitrep_monitor_restore_history (SitrepMonitor     *self);
void _sitrep_monitor_queue_sample    (SitrepMonitor     *self,
                                      const char        *service_id,
                                      const char        *probe_id,
                                      SitrepProbeResult *result,
                                      gint64             at);
void _sitrep_monitor_queue_change    (SitrepMonitor     *self,
                                      const char        *service_id,
                                      gint64             at,
                                      SitrepHealth       before,
                                      SitrepHealth       after,
                                      SitrepReason      *reason);
void _sitrep_monitor_flush_async     (SitrepMonitor     *self);
void _sitrep_monitor_prune_async     (SitrepMonitor     *self,
                                      gint64             before);

/* Defined in sitrep-monitor-testing.c, which only the tests and benchmarks link. */
void  sitrep_monitor_set_concurrency (SitrepMonitor *self,
                                      guint          limit);
guint sitrep_monitor_get_in_flight   (SitrepMonitor *self);

G_END_DECLS
