/* sitrep-probe.h: running one health probe of the runbook once, and what it found */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sitrep-reason.h"
#include "sitrep-runbook.h"

G_BEGIN_DECLS

#define SITREP_PROBE_ERROR (sitrep_probe_error_quark ())

typedef enum
{
  SITREP_PROBE_ERROR_CANNOT_RUN, /* the probe could not run at all: no secret, no kubectl */
} SitrepProbeError;

/* What one run of a probe found. A probe that ran but did not complete (refused, timed out,
 * reset, TLS failure, an error reply) is a result with failed set and an error: it is down
 * whatever its conditions say of the fields it did get. A probe that could not run (missing
 * secret, missing kubectl) has ran == FALSE and its state is unknown, not down. */
typedef struct _SitrepProbeResult SitrepProbeResult;

struct _SitrepProbeResult
{
  gint64 started_at;       /* wall-clock time, microseconds since the epoch, UTC */
  double response_time_ms; /* latency of the check itself */
  gboolean ran;
  gboolean connected;
  int status;              /* HTTP status, or the exit status of a command; -1 when none */
  gboolean failed;         /* the check did not complete: never up */
  char *error;             /* why it failed, or what a program that exited non-zero said */
  SitrepReason *why;       /* the same as data, for the record; NULL when error was set alone */
  GBytes *body;            /* the HTTP body, command output or kube object, possibly cut */
  gboolean body_truncated;
  JsonNode *json;          /* the body as JSON, or NULL */
  char *json_error;        /* why the body is not JSON, or NULL */
  SitrepReason *json_why;  /* the same as data */
  char *result;            /* the value of a redis, postgres or command check, as text */
  gboolean insecure_tls;   /* the certificate was not verified */
  gboolean unencrypted;    /* the check crossed the network in clear text (postgres without TLS) */
};

#define SITREP_TYPE_PROBE_RESULT (sitrep_probe_result_get_type ())

GType              sitrep_probe_result_get_type (void) G_GNUC_CONST;
GQuark             sitrep_probe_error_quark     (void);
GError            *sitrep_probe_error_new_cannot_run (SitrepReason   *why);

SitrepProbeResult *sitrep_probe_result_new      (void);
SitrepProbeResult *sitrep_probe_result_ref      (SitrepProbeResult *result);
void               sitrep_probe_result_unref    (SitrepProbeResult *result);
void               sitrep_probe_result_set_body (SitrepProbeResult *result,
                                                 GBytes            *body,
                                                 gboolean           truncated);
void               sitrep_probe_result_fail     (SitrepProbeResult *result,
                                                 const char        *why);
void               sitrep_probe_result_fail_because (SitrepProbeResult *result,
                                                     SitrepReason      *why);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepProbeResult, sitrep_probe_result_unref)

/* Whatever opens a socket (a probe, a webhook) calls this first. */
void               sitrep_probe_ensure_proxy_resolver (void);

/* What every probe of a runbook shares: the HTTP session, the cluster, how to find secrets. */
typedef struct _SitrepProbeContext SitrepProbeContext;

SitrepProbeContext *sitrep_probe_context_new    (SitrepRunbook      *runbook);
SitrepProbeContext *sitrep_probe_context_ref    (SitrepProbeContext *context);
void                sitrep_probe_context_unref  (SitrepProbeContext *context);
SitrepRunbook      *sitrep_probe_context_get_runbook (SitrepProbeContext *context);
SoupSession        *sitrep_probe_context_get_session (SitrepProbeContext *context);
const char         *sitrep_probe_context_get_kubectl (SitrepProbeContext *context);
void                sitrep_probe_context_set_trusted (SitrepProbeContext *context,
                                                      gboolean            trusted);
gboolean            sitrep_probe_context_get_trusted (SitrepProbeContext *context);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepProbeContext, sitrep_probe_context_unref)

/* Runs @spec once with the kind registered under its type (see sitrep-probe-kind.h). The result
 * says what the probe found, however the check went; an error means the probe could not run
 * at all (no secret, no program, an untrusted runbook), or the caller cancelled it. */
void               sitrep_probe_run_async       (SitrepProbeContext    *context,
                                                 const SitrepService   *service,
                                                 const SitrepProbeSpec *spec,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
SitrepProbeResult *sitrep_probe_run_finish      (GAsyncResult          *result,
                                                 GError               **error);

G_END_DECLS
