/* sitrep-cli-store.h: `sitrep store migrate` and `sitrep store password` */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sitrep_cli_store (int    argc,
                      char **argv);

G_END_DECLS
