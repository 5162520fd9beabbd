/* sitrep-probe-kind.h: a kind of probe (its keys, how it reads and runs them), and the registry */
#pragma once

#include "sitrep-runbook-schema.h"

G_BEGIN_DECLS

/* The runbook's side of a kind (its keys, how it reads them, the program it runs) is what the
 * loader and the trust review need; the run's side takes the types of probes/, known here by
 * name only: one run of one probe (sitrep-probe-run.h, which a kind's file includes) and what it
 * found (sitrep-probe.h). */
typedef struct _SitrepProbeRun SitrepProbeRun;
typedef struct _SitrepProbeResult SitrepProbeResult;

/* One kind of probe: everything the loader, the monitor, the service's state, the trust review
 * and the service page need of it. A kind lives in one file that ends with
 * SITREP_DEFINE_PROBE_KIND (); registering it is all it takes for runbooks to use it. */
typedef struct _SitrepProbeKind SitrepProbeKind;

struct _SitrepProbeKind
{
  /* Reads the kind's own keys of the probe object @node into @spec, checking them and saying
   * through @l what is wrong and where. The common keys are read already, and keys that are
   * neither common nor the kind's are reported already. */
  void     (*load)       (SitrepLoader          *l,
                          JsonNode              *node,
                          const SitrepService   *service,
                          SitrepProbeSpec       *spec);
  /* Whether a result is good when the probe has no condition. NULL: when it connected. */
  gboolean (*default_ok) (const SitrepProbeSpec   *spec,
                          const SitrepProbeResult *result);
  /* What the probe checks, in a line for a person ("GET https://…"), or NULL. Optional. */
  char    *(*describe)   (const SitrepProbeSpec   *spec);
  /* For a kind that runs a program of the runbook's: the argv one run starts, placeholders
   * unexpanded, as the trust review lists it. A kind with this hook runs only once the user
   * trusts the runbook. */
  GStrv    (*program)    (const SitrepProbeSpec   *spec);

  /* Starts one run of run->spec; the kind ends it with sitrep_probe_run_complete (), _fail ()
   * or _cannot_run (). */
  void     (*start)      (SitrepProbeRun        *run);

  /* For a kind whose runs call a client library opened on first use (libpq, hiredis:
   * support/sitrep-lazy-libraries.h): whether it was opened (or found missing) already, and
   * opening it. A run opens it on a thread before start (), and a monitor before its first
   * round, so that the main loop never waits for the disk there. Optional, both or neither. */
  gboolean (*library_settled) (void);
  gboolean (*library_load)    (GError              **error);

  /* For work that the run's cancellable cannot stop, like a hiredis or libpq connection; each
   * is optional and runs in the run's main context. Without them the cancellable tells the
   * kind's pending operations, whose callbacks end the run. */
  void     (*timed_out)  (SitrepProbeRun        *run); /* end the run now: say what was awaited */
  void     (*cancelled)  (SitrepProbeRun        *run); /* the caller gave up: end the run now */
  void     (*stop)       (SitrepProbeRun        *run); /* close it all before the result goes */
};

/* Brings a kind's code in: called once, the first time a runbook or a run needs the kind, so a
 * kind could live in a module loaded then. It must not call the registry. */
typedef const SitrepProbeKind *(*SitrepProbeKindFactory) (void);

void                   sitrep_probe_kind_register  (const char             *name,
                                                    const char *const      *keys,
                                                    SitrepProbeKindFactory  factory);
const SitrepProbeKind *sitrep_probe_kind_get       (const char             *name);
const char *const     *sitrep_probe_kind_get_keys  (const char             *name);
gboolean               sitrep_probe_kind_is_loaded (const char             *name);
GStrv                  sitrep_probe_kind_list      (void);

/* Registers the kinds Sitrep has built in (probes/sitrep-probe-kinds.c, which lists them); the
 * registry calls it once, and each built-in kind's registration calls
 * sitrep_probe_kind_add_builtin (). */
void                   sitrep_probe_kinds_register_builtin (void);
void                   sitrep_probe_kind_add_builtin (const char             *name,
                                                      const char *const      *keys,
                                                      SitrepProbeKindFactory  factory);

/* Ends a built-in kind's file: defines sitrep_probe_<id>_register (), which registers the
 * SitrepProbeKind @kind as @name, with the runbook keys it takes besides the common ones
 * (@keys, a static array). sitrep-probe-kinds.c calls it. */
#define SITREP_DEFINE_PROBE_KIND(id, name, keys, kind)              \
  static const SitrepProbeKind *                                    \
  sitrep_probe_##id##_get_kind (void)                               \
  {                                                                 \
    return &(kind);                                                 \
  }                                                                 \
                                                                    \
  void sitrep_probe_##id##_register (void);                         \
  void                                                              \
  sitrep_probe_##id##_register (void)                               \
  {                                                                 \
    sitrep_probe_kind_add_builtin ((name), (keys),                  \
                                   sitrep_probe_##id##_get_kind);   \
  }

G_END_DECLS
