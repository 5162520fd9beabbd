/* sitrep-cli-probe.h: `sitrep probe`: every probe once, each service's state */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sitrep_cli_probe (int    argc,
                      char **argv);

G_END_DECLS
