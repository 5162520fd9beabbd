/* sitrep-monitor-testing.c: the monitor's hooks, which only the tests and benchmarks link */
#include "config.h"

#include "sitrep-monitor-private.h"

/* How many probes run at once (the console's limit is its default). */
void
sitrep_monitor_set_concurrency (SitrepMonitor *self,
                                guint          limit)
{
  g_return_if_fail (SITREP_IS_MONITOR (self));
  self->concurrency = MAX (1, limit);
}

/* Probes running, and those whose results wait for the next batch. */
guint
sitrep_monitor_get_in_flight (SitrepMonitor *self)
{
  g_return_val_if_fail (SITREP_IS_MONITOR (self), 0);
  return self->in_flight + self->arrivals->len;
}
