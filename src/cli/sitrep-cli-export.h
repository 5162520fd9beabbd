/* sitrep-cli-export.h: `sitrep export ID`: an incident's post-mortem as Markdown */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sitrep_cli_export (int    argc,
                       char **argv);

G_END_DECLS
