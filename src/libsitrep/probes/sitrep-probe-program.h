/* sitrep-probe-program.h: running a program for a probe, shared by the command and kube kinds */
#pragma once

#include "sitrep-probe-run.h"

G_BEGIN_DECLS

void     sitrep_probe_run_program         (SitrepProbeRun          *run,
                                           const char *const       *argv_template,
                                           gboolean                 exit_status_fails);
gboolean sitrep_probe_program_exited_zero (const SitrepProbeSpec   *spec,
                                           const SitrepProbeResult *result);

G_END_DECLS
