/* sitrep-lazy-libraries.h: libpq and hiredis, opened on first use rather than linked */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean sitrep_lazy_libpq_load   (GError **error);
gboolean sitrep_lazy_hiredis_load (GError **error);

G_END_DECLS
