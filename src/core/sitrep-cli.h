/* sitrep-cli.h: the headless verbs of the sitrep command */
#pragma once

#include "sitrep-runbook.h"

G_BEGIN_DECLS

gboolean sitrep_cli_is_verb (const char *word);
int      sitrep_cli_run     (int    argc,
                             char **argv);

SitrepRunbook *sitrep_cli_load_runbook (const char *path);
int            sitrep_cli_probe        (int         argc,
                                        char      **argv);

int            sitrep_cli_incident     (int         argc,
                                        char      **argv);

int            sitrep_cli_audit        (int         argc,
                                        char      **argv);
int            sitrep_cli_export       (int         argc,
                                        char      **argv);
int            sitrep_cli_import       (int         argc,
                                        char      **argv);

G_END_DECLS
