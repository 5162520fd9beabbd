/* sitrep-lazy-libraries.h: libpq and hiredis, opened on first use rather than linked */
#pragma once

#include <gio/gio.h>
#include <gmodule.h>

G_BEGIN_DECLS

gboolean sitrep_lazy_libpq_load   (GError **error);
gboolean sitrep_lazy_hiredis_load (GError **error);

GModule *sitrep_lazy_library_open (const char        *soname,
                                   const char *const *names,
                                   gpointer *const   *slots,
                                   char             **why_not,
                                   char             **missing);

G_END_DECLS
