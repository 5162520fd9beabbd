/* sitrep-store-audit.h: the append-only, hash-chained log of every action run or refused */
#pragma once

#include "sitrep-audit-redact.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

/* What the first row's prev_hash holds: 64 zeros. */
#define SITREP_AUDIT_GENESIS_HASH \
  "0000000000000000000000000000000000000000000000000000000000000000"

/* Longer output is cut at the front when appended: the end says how the command ended. */
#define SITREP_AUDIT_OUTPUT_TAIL_MAX 16384

/* The outcome column's values. */
#define SITREP_AUDIT_SUCCEEDED "succeeded"
#define SITREP_AUDIT_NO_CHANGE "no-change"
#define SITREP_AUDIT_FAILED    "failed"
#define SITREP_AUDIT_CANCELLED "cancelled"
#define SITREP_AUDIT_TIMED_OUT "timed-out"
#define SITREP_AUDIT_REFUSED   "refused"
#define SITREP_AUDIT_DRY_RUN   "dry-run"

/* One row of the audit log, every column. To append one, fill what is known (a designated
 * initializer on the stack is fine: append never keeps or frees anything) and leave the rest zero:
 * at 0 is now, os_user NULL is the current user, incident_id 0 is none, inputs NULL is "{}",
 * has_exit_code and has_duration FALSE store NULL. id, prev_hash and hash are filled only in the
 * entries the store reads back; append computes them itself. */
typedef struct
{
  gint64 id;
  gint64 at;             /* microseconds since the epoch, UTC */
  char *os_user;
  gint64 incident_id;    /* 0: no incident was open */
  char *context;         /* kubectl context, "" when the action has none */
  char *namespace;
  char *action_id;
  char *service_id;      /* NULL when the action is not about one service */
  GStrv argv;            /* the exact command line; may be empty for a refusal */
  char *inputs;          /* a JSON object of the action's input values */
  char *confirmation;    /* what the user typed or accepted; NULL when none was asked */
  gboolean has_exit_code;
  int exit_code;
  gboolean has_duration;
  gint64 duration_ms;
  char *outcome;         /* one of SITREP_AUDIT_SUCCEEDED … SITREP_AUDIT_DRY_RUN */
  char *output_tail;
  char *prev_hash;
  char *hash;
} SitrepAuditEntry;

typedef void (*SitrepAuditEntryFunc) (const SitrepAuditEntry *entry,
                                      gpointer                user_data);

void       sitrep_audit_entry_free          (SitrepAuditEntry       *entry);
gboolean   sitrep_audit_outcome_is_valid    (const char             *outcome);
char      *sitrep_audit_entry_compute_hash  (const SitrepAuditEntry *entry);

gint64     sitrep_store_append_audit        (SitrepStore            *self,
                                             const SitrepAuditEntry *entry,
                                             GError                **error);
gboolean   sitrep_store_verify_audit        (SitrepStore            *self,
                                             gint64                 *first_broken_id,
                                             char                  **reason,
                                             GError                **error);
gboolean   sitrep_store_verify_audit_full   (SitrepStore            *self,
                                             gint64                 *n_entries,
                                             char                  **last_hash,
                                             gint64                 *first_broken_id,
                                             char                  **reason,
                                             GError                **error);
gboolean   sitrep_store_foreach_audit       (SitrepStore            *self,
                                             SitrepAuditEntryFunc    func,
                                             gpointer                user_data,
                                             GError                **error);
GPtrArray *sitrep_store_list_audit          (SitrepStore            *self,
                                             GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepAuditEntry, sitrep_audit_entry_free)

G_END_DECLS
