/* sitrep-cli-incident-write.h: `sitrep incident declare|note|status|resolve`, for bots and hooks */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean sitrep_cli_incident_is_write_verb (const char  *word);
int      sitrep_cli_incident_write         (int          argc,
                                            char       **argv);

G_END_DECLS
