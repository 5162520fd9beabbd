/* sitrep-drill-testing.c: the drill's hooks, which only the tests link */
#include "config.h"

#include "sitrep-drill-private.h"

/* @func runs on the backends' thread after each session written to Redis; %NULL for none. */
void
sitrep_drill_backends_testing_set_session_written (void (*func) (guint  redis_port,
                                                                 gint64 id))
{
  g_atomic_pointer_set (&sitrep_drill_backends_session_written, func);
}
