/* sitrep-argv-testing.c: the hook the tests set the sandbox with; never in the shipped sitrep */
#include "config.h"

#include "sitrep-argv-private.h"

void
sitrep_argv_set_sandboxed_for_testing (gboolean sandboxed)
{
  sitrep_argv_sandboxed_override = sandboxed ? 1 : 0;
}
