/* sitrep-probe-testing.c: the probe context's hook, which only the tests link */
#include "config.h"

#include "sitrep-probe-private.h"

void
sitrep_probe_context_set_kubectl (SitrepProbeContext *context,
                                  const char         *kubectl)
{
  g_free (context->kubectl);
  context->kubectl = g_strdup (kubectl);
}
