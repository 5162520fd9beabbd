/* sitrep-cli-audit.h: `sitrep audit verify|export`: the audit log's chain, or the log */
#pragma once

#include <glib.h>

#include "sitrep-store.h"

G_BEGIN_DECLS

int sitrep_cli_audit        (int          argc,
                             char       **argv);
int sitrep_cli_audit_verify (SitrepStore *store);

G_END_DECLS
