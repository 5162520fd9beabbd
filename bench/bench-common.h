/* bench-common.h: what the benchmarks share: a health server, generated runbooks, statistics */
#pragma once

#include <libsoup/soup.h>

#include "sitrep-runbook.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

/* What the health server answers, and what the probes' two conditions check. */
#define BENCH_HEALTH_BODY "{\"status\": \"up\", \"checks\": {\"database\": \"up\", \"queue\": 3}}"

SoupServer    *bench_health_server_new   (guint        *port,
                                          GError      **error);
GSubprocess   *bench_health_server_spawn (const char   *flag,
                                          guint        *port,
                                          GError      **error);
int            bench_health_server_serve (gboolean      flip);

char          *bench_runbook_text        (guint         n_services,
                                          guint         port,
                                          const char   *interval);
SitrepRunbook *bench_runbook_new         (guint         n_services,
                                          guint         port,
                                          const char   *interval,
                                          GError      **error);

SoupSession   *bench_session_like        (SoupSession  *model);

double         bench_median              (double       *values,
                                          guint         n);
double         bench_percentile          (GArray       *values,
                                          double        percent);
double         bench_cpu_seconds         (void);
double         bench_child_cpu_seconds   (GSubprocess  *child);
void           bench_spin                (gboolean     *done);

char          *bench_sibling             (const char   *name);
GHashTable    *bench_run_child           (const char *const *argv,
                                          guint         timeout_s,
                                          GError      **error);
double         bench_value               (GHashTable   *values,
                                          const char   *name);
double         bench_print_pairs         (const char   *label,
                                          const char   *unit,
                                          GArray       *bare,
                                          GArray       *sitrep);
gboolean       bench_verdict             (const char   *goal,
                                          gboolean      met);
gboolean       bench_pairs               (const char *const *bare,
                                          const char *const *sitrep,
                                          guint         n_pairs,
                                          guint         timeout_s,
                                          GPtrArray    *bare_runs,
                                          GPtrArray    *sitrep_runs,
                                          GError      **error);
GArray        *bench_figure              (GPtrArray    *runs,
                                          const char   *name,
                                          const char   *since);
void           bench_print_load          (const char   *when);

gint64         bench_fill_incident       (SitrepStore  *store,
                                          SitrepRunbook *runbook,
                                          guint         n_events,
                                          GError      **error);

G_END_DECLS
