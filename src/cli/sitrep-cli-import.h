/* sitrep-cli-import.h: `sitrep import FILE.md`: a Markdown runbook turned into a runbook file */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sitrep_cli_import (int    argc,
                       char **argv);

G_END_DECLS
