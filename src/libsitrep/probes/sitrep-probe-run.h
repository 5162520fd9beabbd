/* sitrep-probe-run.h: one run of one probe, as its kind drives it: deadline, clock and end */
#pragma once

#include "sitrep-probe.h"
#include "sitrep-probe-kind.h"
#include "sitrep-lazy-libraries.h"

G_BEGIN_DECLS

/* What every kind's run shares, made by sitrep_probe_run_async () before it starts the kind:
 * the result to fill, a cancellable of the run's own, a deadline of spec->timeout_ms and a
 * clock for the response time. The kind reads these fields and never sets them; it ends the run
 * once with sitrep_probe_run_complete (), _fail () or _cannot_run (), and the result is returned
 * on a later turn of the main loop, so that nothing the kind is inside of (a hiredis callback,
 * a libpq poll) is torn down under its feet. */
struct _SitrepProbeRun
{
  SitrepProbeContext *context;
  const SitrepService *service;
  const SitrepProbeSpec *spec;
  SitrepProbeResult *result;
  /* Cancelled when the caller cancels (at once, in the caller's call), when the deadline passes
   * and when the run ends: what the kind started with it stops by itself. */
  GCancellable *cancellable;
  GMainContext *main_context; /* where the run's callbacks and the kind's hooks run */
  gint64 timeout_ms;          /* the deadline, after the start */
  gboolean timed_out;         /* the deadline has passed */
};

typedef void (*SitrepProbeRunFunc) (SitrepProbeRun *run);
/* @secret is the kind's to keep or to wipe (sitrep_probe_scrub_free ()). */
typedef void (*SitrepProbeSecretFunc) (SitrepProbeRun *run,
                                       char           *secret);
/* Either @addresses (GInetAddress, owned by the callee) or @error. */
typedef void (*SitrepProbeResolvedFunc) (SitrepProbeRun *run,
                                         GList          *addresses,
                                         const GError   *error);

SitrepProbeRun *sitrep_probe_run_ref           (SitrepProbeRun         *run);
void            sitrep_probe_run_unref         (SitrepProbeRun         *run);
void            sitrep_probe_run_set_data      (SitrepProbeRun         *run,
                                                gpointer                data,
                                                GDestroyNotify          destroy);
gpointer        sitrep_probe_run_get_data      (SitrepProbeRun         *run);
void            sitrep_probe_run_start_clock   (SitrepProbeRun         *run);
gboolean        sitrep_probe_run_is_over       (SitrepProbeRun         *run);
void            sitrep_probe_run_complete      (SitrepProbeRun         *run);
void            sitrep_probe_run_fail          (SitrepProbeRun         *run,
                                                SitrepReason           *why);
void            sitrep_probe_run_cannot_run    (SitrepProbeRun         *run,
                                                SitrepReason           *why);
void            sitrep_probe_run_cannot_run_error (SitrepProbeRun      *run,
                                                   const GError        *error);
void            sitrep_probe_run_later         (SitrepProbeRun         *run,
                                                SitrepProbeRunFunc      func);
void            sitrep_probe_run_lookup_secret (SitrepProbeRun         *run,
                                                const char             *name,
                                                SitrepProbeSecretFunc   func);
void            sitrep_probe_run_resolve       (SitrepProbeRun         *run,
                                                const char             *host,
                                                SitrepProbeResolvedFunc func);

void            sitrep_probe_run_load_library  (SitrepProbeRun         *run,
                                                SitrepLazySettledFunc   settled,
                                                SitrepLazyLoadFunc      load,
                                                SitrepProbeRunFunc      func);
SitrepReason   *sitrep_probe_timeout_reason    (gint64                  ms);
SitrepReason   *sitrep_probe_seconds_reason    (gint64                  ms);
void            sitrep_probe_scrub_free        (char                   *secret);
void            sitrep_probe_destroy_source    (GSource               **source);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepProbeRun, sitrep_probe_run_unref)

G_END_DECLS
