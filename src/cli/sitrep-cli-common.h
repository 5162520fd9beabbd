/* sitrep-cli-common.h: what the headless verbs share: option errors, usage, the runbook, the database */
#pragma once

#include "sitrep-runbook.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

gboolean       sitrep_cli_parse        (GOptionContext  *options,
                                        int             *argc,
                                        char          ***argv);
void           sitrep_cli_usage        (GOptionContext  *options);
SitrepRunbook *sitrep_cli_load_runbook (const char      *path);
SitrepStore   *sitrep_cli_open_store   (const char      *database);
void           sitrep_cli_guard_terminal (void);

G_END_DECLS
