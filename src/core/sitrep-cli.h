/* sitrep-cli.h: the headless verbs of the sitrep command */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean sitrep_cli_is_verb (const char *word);
int      sitrep_cli_run     (int    argc,
                             char **argv);

G_END_DECLS
