/* sitrep-audit-redact.h: what the audit log removes from a command line, its inputs and output */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char  *sitrep_audit_redact         (const char        *text);
GStrv  sitrep_audit_redact_argv    (const char *const *argv);
char  *sitrep_audit_redact_inputs  (const char        *inputs,
                                    GError           **error);
char  *sitrep_audit_inputs_to_json (GHashTable        *inputs);

G_END_DECLS
