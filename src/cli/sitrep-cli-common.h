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
gboolean       sitrep_cli_open_with_runbook (const char     *runbook_path,
                                             const char     *database,
                                             SitrepRunbook **at_hand,
                                             SitrepStore   **store);
gboolean       sitrep_cli_parse_incident_id (const char     *text,
                                             gint64         *id);
void           sitrep_cli_guard_terminal (void);
char          *sitrep_cli_read_secret    (const char     *prompt);

G_END_DECLS
