/* bench-common.h: what the benchmarks share: a health server, generated runbooks, statistics */
#pragma once

#include <libsoup/soup.h>

#include "bench-stats.h"
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
/* The figures of every run of the baseline and of Sitrep (tables from bench_run_child()). */
typedef struct
{
  GPtrArray *bare;
  GPtrArray *sitrep;
} BenchRuns;

gboolean       bench_pairs               (BenchRuns    *runs,
                                          const char *const *bare,
                                          const char *const *sitrep,
                                          guint         n_pairs,
                                          guint         timeout_s);
void           bench_runs_clear          (BenchRuns    *runs);
GArray        *bench_figure              (GPtrArray    *runs,
                                          const char   *name,
                                          const char   *since);
double         bench_compare             (BenchRuns    *runs,
                                          const char   *name,
                                          const char   *since,
                                          const char   *label,
                                          const char   *unit,
                                          double       *median);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BenchRuns, bench_runs_clear)
void           bench_print_load          (const char   *when);
const char    *bench_renderer            (void);

/* A benchmark's scratch folder: an empty database file and, for some, a runbook. */
typedef struct
{
  char *dir;
  char *database;
  char *runbook;
} BenchScratch;

gboolean       bench_scratch_init        (BenchScratch *scratch,
                                          const char   *name,
                                          const char   *runbook_text);
void           bench_scratch_clear       (BenchScratch *scratch);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BenchScratch, bench_scratch_clear)

gint64         bench_fill_incident       (SitrepStore  *store,
                                          SitrepRunbook *runbook,
                                          guint         n_events,
                                          GError      **error);

G_END_DECLS
