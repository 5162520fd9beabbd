/* sitrep-audit-redact.h: what Sitrep removes from command lines and output before anyone sees it */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a removed value is replaced with. */
#define SITREP_REDACTED "[redacted]"

/* Credential-shaped values, without knowing any secret's value. */
char  *sitrep_audit_redact         (const char        *text);
GStrv  sitrep_audit_redact_argv    (const char *const *argv);
char  *sitrep_audit_redact_inputs  (const char        *inputs);
char  *sitrep_audit_inputs_to_json (GHashTable        *inputs);

/* The same, plus the exact values of the secrets a run was given (secret inputs, keyring
 * entries). Shared, reference-counted: a request and its runs add to one redactor. */
typedef struct _SitrepRedactor SitrepRedactor;

SitrepRedactor *sitrep_redactor_new          (void);
SitrepRedactor *sitrep_redactor_ref          (SitrepRedactor    *self);
void            sitrep_redactor_unref        (SitrepRedactor    *self);
void            sitrep_redactor_add_secret   (SitrepRedactor    *self,
                                              const char        *value);
guint           sitrep_redactor_get_n_secrets (SitrepRedactor   *self);
char           *sitrep_redactor_redact       (SitrepRedactor    *self,
                                              const char        *text);
GStrv           sitrep_redactor_redact_argv  (SitrepRedactor    *self,
                                              const char *const *argv);
char           *sitrep_redactor_redact_line  (SitrepRedactor    *self,
                                              const char        *line,
                                              gboolean          *in_private_key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepRedactor, sitrep_redactor_unref)

G_END_DECLS
