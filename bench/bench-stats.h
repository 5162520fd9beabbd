/* bench-stats.h: the figures every benchmark process computes: medians, percentiles, its CPU */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double bench_median      (double *values,
                          guint   n);
double bench_percentile  (GArray *values,
                          double  percent);
double bench_cpu_seconds (void);

G_END_DECLS
