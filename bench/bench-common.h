/* bench-common.h: what the benchmarks share: a health server, generated runbooks, statistics */
#pragma once

#include <libsoup/soup.h>

#include "sitrep-runbook.h"

G_BEGIN_DECLS

/* What the health server answers, and what the probes' two conditions check. */
#define BENCH_HEALTH_BODY "{\"status\": \"up\", \"checks\": {\"database\": \"up\", \"queue\": 3}}"

SoupServer    *bench_health_server_new   (guint        *port,
                                          GError      **error);
GSubprocess   *bench_health_server_spawn (const char   *flag,
                                          guint        *port,
                                          GError      **error);
int            bench_health_server_serve (void);

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

G_END_DECLS
