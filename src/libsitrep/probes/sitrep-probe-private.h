/* sitrep-probe-private.h: what the probes of one runbook share, as the tests' hooks see it */
#pragma once

#include "sitrep-probe.h"

G_BEGIN_DECLS

struct _SitrepProbeContext
{
  gatomicrefcount ref_count;
  SitrepRunbook *runbook;
  SoupSession *session;
  char *kubectl;
  gboolean untrusted;
};

/* Defined in sitrep-probe-testing.c, which only the tests link: the kubectl binary the kube
 * probes run (the runbook's environment names it otherwise). */
void sitrep_probe_context_set_kubectl (SitrepProbeContext *context,
                                       const char         *kubectl);

G_END_DECLS
