/* sitrep-lazy-linked.c: the loaders of libpq and hiredis when they are linked, not opened
 *
 * A sanitized build links libpq and hiredis as usual (see meson.build): there is nothing to
 * open, and both are always there.
 */
#include "config.h"

#include "sitrep-lazy-libraries.h"

gboolean
sitrep_lazy_libpq_load (GError **error)
{
  return TRUE;
}

gboolean
sitrep_lazy_hiredis_load (GError **error)
{
  return TRUE;
}

gboolean
sitrep_lazy_libpq_settled (void)
{
  return TRUE;
}

gboolean
sitrep_lazy_hiredis_settled (void)
{
  return TRUE;
}
