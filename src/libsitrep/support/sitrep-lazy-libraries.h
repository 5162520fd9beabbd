/* sitrep-lazy-libraries.h: libpq and hiredis, opened on first use rather than linked */
#pragma once

#include <gio/gio.h>
#include <gmodule.h>

G_BEGIN_DECLS

/* Opening a library reads it and what it needs from disk (libpq: Kerberos, LDAP, GnuTLS…):
 * the main loop does it on a thread (sitrep_probe_run_load_library ()) unless the library is
 * settled, when a load answers at once. */
typedef gboolean (*SitrepLazyLoadFunc) (GError **error);
typedef gboolean (*SitrepLazySettledFunc) (void);

gboolean sitrep_lazy_libpq_load      (GError **error);
gboolean sitrep_lazy_hiredis_load    (GError **error);
/* Whether the library was opened, or found missing, already. */
gboolean sitrep_lazy_libpq_settled   (void);
gboolean sitrep_lazy_hiredis_settled (void);

GModule *sitrep_lazy_library_open (const char        *soname,
                                   const char *const *names,
                                   gpointer *const   *slots,
                                   char             **why_not,
                                   char             **missing);

G_END_DECLS
