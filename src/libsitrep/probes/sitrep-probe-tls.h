/* sitrep-probe-tls.h: the TLS files a probe's spec names (CA, client certificate), read off the main loop */
#pragma once

#include "sitrep-probe-run.h"

G_BEGIN_DECLS

typedef struct
{
  GTlsDatabase *ca_database;           /* the spec's "ca_file", or NULL */
  GTlsCertificate *client_certificate; /* the spec's "client_certificate" and "client_key" */
} SitrepProbeTlsFiles;

/* @files (owned by the callee, free with sitrep_probe_tls_files_free ()) or @error; called only
 * while the run is not over. */
typedef void (*SitrepProbeTlsFunc) (SitrepProbeRun      *run,
                                    SitrepProbeTlsFiles *files,
                                    const GError        *error);

gboolean sitrep_probe_tls_files_needed (const SitrepProbeSpec *spec,
                                        gboolean               uses_tls);
void     sitrep_probe_tls_files_load   (SitrepProbeRun        *run,
                                        SitrepProbeTlsFunc     func);
void     sitrep_probe_tls_files_free   (SitrepProbeTlsFiles   *files);

G_END_DECLS
