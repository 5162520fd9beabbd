/* sitrep-cli-store.h: `sitrep store migrate`: a personal database copied into a team one */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sitrep_cli_store (int    argc,
                      char **argv);

G_END_DECLS
