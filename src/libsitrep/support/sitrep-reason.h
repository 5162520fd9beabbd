/* sitrep-reason.h: why something is not well, kept as data so that every reader sees it in
 * their own language */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A reason is either words from elsewhere, shown as they are (a value, a name, a library's
 * error, a server's reply), or a message of Sitrep's own: an untranslated msgid whose %s (or
 * %N$s) conversions are reasons themselves. A console that records a reason stores it packed;
 * one that shows it renders the msgid through its own translation. Immutable once made. */
typedef struct _SitrepReason SitrepReason;

#define SITREP_TYPE_REASON (sitrep_reason_get_type ())

GType         sitrep_reason_get_type      (void) G_GNUC_CONST;

SitrepReason *sitrep_reason_new           (const char         *msgid,
                                           ...);
SitrepReason *sitrep_reason_new_plural    (const char         *msgid,
                                           const char         *plural,
                                           gulong              n,
                                           ...);
SitrepReason *sitrep_reason_new_text      (const char         *text);
SitrepReason *sitrep_reason_new_printf    (const char         *format,
                                           ...) G_GNUC_PRINTF (1, 2);
SitrepReason *sitrep_reason_ref           (SitrepReason       *reason);
void          sitrep_reason_unref         (SitrepReason       *reason);

const char   *sitrep_reason_to_string     (const SitrepReason *reason);
gboolean      sitrep_reason_equal         (const SitrepReason *a,
                                           const SitrepReason *b);
char         *sitrep_reason_pack          (const SitrepReason *reason);
char         *sitrep_reason_render_packed (const char         *packed);

/* Errors of Sitrep's own domains may carry their reason as data (GLib's extended errors): a
 * domain registered here, an error made with sitrep_reason_error_new(). */
GQuark        sitrep_reason_error_domain_register (const char   *name);

/* Defines q_n_quark () for the error domain named QN ("sitrep-probe-error-quark"), whose errors
 * carry reasons. */
#define SITREP_DEFINE_REASON_ERROR(QN, q_n)                                                 \
  GQuark                                                                                    \
  q_n##_quark (void)                                                                        \
  {                                                                                         \
    static gsize domain;                                                                    \
                                                                                            \
    if (g_once_init_enter (&domain))                                                        \
      g_once_init_leave (&domain, sitrep_reason_error_domain_register (#QN));               \
    return (GQuark) domain;                                                                 \
  }
GError       *sitrep_reason_error_new     (GQuark              domain,
                                           int                 code,
                                           SitrepReason       *why);
SitrepReason *sitrep_reason_from_error    (const GError       *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepReason, sitrep_reason_unref)

G_END_DECLS
