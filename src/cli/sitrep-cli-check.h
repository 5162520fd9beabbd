/* sitrep-cli-check.h: `sitrep check FILE`: a runbook checked without a display */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sitrep_cli_check (int    argc,
                      char **argv);

G_END_DECLS
