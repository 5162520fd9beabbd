/* sitrep-cli-audit.h: `sitrep audit verify|export`: the audit log's chain, or the log */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sitrep_cli_audit (int    argc,
                      char **argv);

G_END_DECLS
