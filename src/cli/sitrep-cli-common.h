/* sitrep-cli-common.h: what the headless verbs share: option errors, usage, the runbook, the database */
#pragma once

#include "sitrep-runbook.h"
#include "sitrep-session.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

gboolean       sitrep_cli_parse        (GOptionContext  *options,
                                        int             *argc,
                                        char          ***argv);
void           sitrep_cli_usage        (GOptionContext  *options);
SitrepRunbook *sitrep_cli_load_runbook (const char      *path);
SitrepStore   *sitrep_cli_open_store   (const char      *database);
SitrepSession *sitrep_cli_open_session (const char     *runbook_path,
                                        const char     *database);
gboolean       sitrep_cli_open_session_store (SitrepSession *session,
                                              const char    *database);
gboolean       sitrep_cli_parse_incident_id (const char     *text,
                                             gint64         *id);
void           sitrep_cli_guard_terminal (void);
char          *sitrep_cli_read_secret    (const char     *prompt);

G_END_DECLS
