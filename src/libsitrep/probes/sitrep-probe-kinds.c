/* sitrep-probe-kinds.c: the probe kinds Sitrep has built in, one registration each */
#include "config.h"

#include "sitrep-probe-kind.h"

/* Each defined at the end of its kind's file by SITREP_DEFINE_PROBE_KIND (). */
void sitrep_probe_http_register (void);
void sitrep_probe_tcp_register (void);
void sitrep_probe_redis_register (void);
void sitrep_probe_postgres_register (void);
void sitrep_probe_kube_register (void);
void sitrep_probe_command_register (void);

/* In the order runbook messages list the kinds in. */
void
sitrep_probe_kinds_register_builtin (void)
{
  sitrep_probe_http_register ();
  sitrep_probe_tcp_register ();
  sitrep_probe_redis_register ();
  sitrep_probe_postgres_register ();
  sitrep_probe_kube_register ();
  sitrep_probe_command_register ();
}
