/* sitrep-cli.h: the headless verbs of the sitrep command */
#pragma once

#include "sitrep-runbook.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

gboolean       sitrep_cli_is_verb             (const char      *word);
int            sitrep_cli_run                 (int              argc,
                                               char           **argv);
char          *sitrep_cli_describe_verbs      (void);
char          *sitrep_cli_describe_unexpected (const char      *word);

/* Shared by the verbs. */
gboolean       sitrep_cli_parse               (GOptionContext  *options,
                                               int             *argc,
                                               char          ***argv);
void           sitrep_cli_usage               (GOptionContext  *options);
SitrepRunbook *sitrep_cli_load_runbook        (const char      *path);
SitrepStore   *sitrep_cli_open_store          (const char      *path,
                                               GError         **error);
gboolean       sitrep_cli_check_database      (const char      *path,
                                               gboolean         is_default,
                                               GError         **error);

int            sitrep_cli_probe               (int              argc,
                                               char           **argv);
int            sitrep_cli_incident            (int              argc,
                                               char           **argv);
SitrepRunbook *sitrep_cli_incident_runbook    (SitrepStore     *store,
                                               SitrepIncident  *incident,
                                               SitrepRunbook   *at_hand,
                                               gboolean         given,
                                               int             *status);
int            sitrep_cli_audit               (int              argc,
                                               char           **argv);
int            sitrep_cli_export              (int              argc,
                                               char           **argv);
int            sitrep_cli_import              (int              argc,
                                               char           **argv);

G_END_DECLS
