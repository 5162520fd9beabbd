/* sitrep-store-audit-private.h: reading the audit log row by row, for listing and verifying it */
#pragma once

#include "sitrep-store-audit.h"

G_BEGIN_DECLS

/* @entry is the callee's to free; @malformed names the first column holding a value Sitrep
 * never writes, or is NULL. Returning FALSE stops the walk. */
typedef gboolean (*SitrepAuditWalkFunc) (SitrepAuditEntry *entry,
                                         const char       *malformed,
                                         gpointer          user_data,
                                         GError          **error);

gboolean sitrep_store_walk_audit (SitrepStore         *self,
                                  SitrepAuditWalkFunc  func,
                                  gpointer             user_data,
                                  GError             **error);

G_END_DECLS
