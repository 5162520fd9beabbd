/* sitrep-store-audit-private.h: what the audit log's files share: rows, chain record, key */
#pragma once

#include <json-glib/json-glib.h>

#include "sitrep-store-audit.h"

G_BEGIN_DECLS

/* The audit_log columns, in the order sitrep-store-audit.c writes them and -read.c reads them. */
#define AUDIT_CONTENT_COLUMNS                                                          \
  "at, os_user, incident_id, context, namespace, action_id, service_id, argv, inputs," \
  " confirmation, exit_code, duration_ms, outcome, output_tail, prev_hash, hash,"      \
  " started_id, process, owner, author, host"
#define AUDIT_COLUMNS "id, " AUDIT_CONTENT_COLUMNS

/* @entry is the callee's to free; @malformed names the first column holding a value Sitrep
 * never writes, or is NULL. Returning FALSE stops the walk. */
typedef gboolean (*SitrepAuditWalkFunc) (SitrepAuditEntry *entry,
                                         const char       *malformed,
                                         gpointer          user_data,
                                         GError          **error);

gboolean sitrep_store_walk_audit        (SitrepStore         *self,
                                         SitrepAuditWalkFunc  func,
                                         gpointer             user_data,
                                         GError             **error);
gboolean sitrep_store_read_audit_chain  (SitrepStore         *self,
                                         char               **database_id,
                                         gint64              *keyed_from,
                                         GError             **error);
gboolean sitrep_store_read_audit_hash   (SitrepStore         *self,
                                         gint64               id,
                                         char               **hash,
                                         GError             **error);
gboolean sitrep_store_read_audit_head   (SitrepStore         *self,
                                         gint64              *id,
                                         char               **hash,
                                         GError             **error);
void     sitrep_store_seal_audit        (SitrepStore         *self);

/* sitrep-store-audit.c: an append made inside the caller's transaction, until it ends */
typedef struct _SitrepAuditPending SitrepAuditPending;
void     sitrep_store_audit_outer_ended (SitrepStore         *self,
                                         gboolean             committed);

/* sitrep-store-audit-read.c: an entry as a team database's journal keeps it */
JsonObject       *sitrep_store_audit_entry_to_json   (const SitrepAuditEntry *entry);
SitrepAuditEntry *sitrep_store_audit_entry_from_json (JsonObject             *object,
                                                      gint64                  incident_id);

G_END_DECLS
