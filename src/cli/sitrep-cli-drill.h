/* sitrep-cli-drill.h: `sitrep drill list|serve`: the drill's scenarios, and a drill for scripts */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sitrep_cli_drill (int    argc,
                      char **argv);

G_END_DECLS
