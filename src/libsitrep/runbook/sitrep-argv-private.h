/* sitrep-argv-private.h: what sitrep-argv.c shares with the hook the tests set it with */
#pragma once

#include "sitrep-argv.h"

G_BEGIN_DECLS

/* -1: ask the file system whether this runs inside Flatpak; 0 or 1: a test said so. */
extern int sitrep_argv_sandboxed_override;

/* Defined in sitrep-argv-testing.c, which only the tests link: they pretend to run inside
 * Flatpak (or not) without being there. */
void sitrep_argv_set_sandboxed_for_testing (gboolean sandboxed);

G_END_DECLS
