/* sitrep-cli.h: the headless verbs of the sitrep command: which words are verbs, and running one */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  sitrep_cli_is_verb             (const char  *word);
int       sitrep_cli_run                 (int          argc,
                                          char       **argv);
char     *sitrep_cli_describe_verbs      (void);
char     *sitrep_cli_describe_unexpected (const char  *word);

G_END_DECLS
