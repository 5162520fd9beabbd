/* sitrep-store-audit.h: the append-only, keyed hash chain of every action run or refused */
#pragma once

#include <gio/gio.h>

#include "sitrep-audit-redact.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

/* What the first row's prev_hash holds: 64 zeros. */
#define SITREP_AUDIT_GENESIS_HASH \
  "0000000000000000000000000000000000000000000000000000000000000000"

/* Longer output is cut at the front when appended: the end says how the command ended. */
#define SITREP_AUDIT_OUTPUT_TAIL_MAX 16384

/* The outcome column's values. */
#define SITREP_AUDIT_STARTED        "started"        /* written before the process starts */
#define SITREP_AUDIT_SUCCEEDED      "succeeded"
#define SITREP_AUDIT_NO_CHANGE      "no-change"
#define SITREP_AUDIT_FAILED         "failed"
#define SITREP_AUDIT_CANCELLED      "cancelled"
#define SITREP_AUDIT_TIMED_OUT      "timed-out"
#define SITREP_AUDIT_REFUSED        "refused"
#define SITREP_AUDIT_DRY_RUN        "dry-run"
#define SITREP_AUDIT_NEVER_FINISHED "never-finished" /* Sitrep stopped while the command ran */

/* One row of the audit log, every column. To append one, fill what is known (a designated
 * initializer on the stack is fine: append never keeps or frees anything) and leave the rest zero:
 * at 0 is now, os_user NULL is the current user, incident_id 0 is none, inputs NULL is "{}",
 * has_exit_code and has_duration FALSE store NULL, started_id 0 is none, host NULL is this
 * machine's name. id, prev_hash and hash
 * are filled only in the entries the store reads back; append computes them itself. */
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
  char *outcome;         /* one of SITREP_AUDIT_STARTED … SITREP_AUDIT_NEVER_FINISHED */
  char *output_tail;
  gint64 started_id;     /* a finishing entry: the "started" entry of its run; else 0 */
  char *process;         /* a JSON object: how the environment and stdin were made, or NULL */
  char *owner;           /* a "started" entry: the Sitrep process running it, or NULL */
  char *author;          /* the name in Preferences of who ran it, or NULL */
  char *host;            /* the machine that wrote it; NULL is this one (append), or an entry
                          * recorded before schema version 10 (read back) */
  char *prev_hash;
  char *hash;
} SitrepAuditEntry;

typedef void (*SitrepAuditEntryFunc) (const SitrepAuditEntry *entry,
                                      gpointer                user_data);

void       sitrep_audit_entry_free          (SitrepAuditEntry       *entry);
gboolean   sitrep_audit_outcome_is_valid    (const char             *outcome);
char      *sitrep_audit_entry_compute_hash  (const SitrepAuditEntry *entry);
char      *sitrep_audit_entry_compute_mac   (const SitrepAuditEntry *entry,
                                             const char             *database_id,
                                             GBytes                 *key);

gint64     sitrep_store_append_audit        (SitrepStore            *self,
                                             const SitrepAuditEntry *entry,
                                             GError                **error);
gboolean   sitrep_store_foreach_audit       (SitrepStore            *self,
                                             SitrepAuditEntryFunc    func,
                                             gpointer                user_data,
                                             GError                **error);
GPtrArray *sitrep_store_list_audit          (SitrepStore            *self,
                                             GError                **error);
GHashTable *sitrep_store_list_audit_finished (SitrepStore           *self,
                                             GError                **error);
GPtrArray *sitrep_store_list_unfinished_audit (SitrepStore          *self,
                                             GError                **error);

/* The chain's identity and key. */
char      *sitrep_store_get_audit_database_id (SitrepStore          *self,
                                             gint64                 *keyed_from,
                                             GError                **error);
char      *sitrep_store_get_audit_anchor_path (SitrepStore          *self,
                                             GError                **error);
void       sitrep_store_set_audit_key       (SitrepStore            *self,
                                             GBytes                 *key);
GBytes    *sitrep_store_get_audit_key       (SitrepStore            *self);
const char *sitrep_store_get_audit_key_problem (SitrepStore         *self);
gboolean   sitrep_store_load_audit_key_sync (SitrepStore            *self,
                                             gboolean                create,
                                             GCancellable           *cancellable,
                                             GError                **error);
void       sitrep_store_load_audit_key_async (SitrepStore           *self,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data);
gboolean   sitrep_store_load_audit_key_finish (SitrepStore          *self,
                                             GAsyncResult           *result,
                                             GError                **error);
char      *sitrep_store_export_audit_key_sync (SitrepStore         *self,
                                               GCancellable        *cancellable,
                                               GError             **error);
gboolean   sitrep_store_import_audit_key_sync (SitrepStore         *self,
                                               const char          *text,
                                               GCancellable        *cancellable,
                                               GError             **error);

/* Verifying. */
typedef enum
{
  SITREP_AUDIT_INTACT,     /* everything was checked and holds */
  SITREP_AUDIT_BROKEN,     /* evidence of tampering: first_broken_id and reason */
  SITREP_AUDIT_INCOMPLETE, /* what could be checked holds; "unchecked" says what could not */
} SitrepAuditVerdict;

typedef struct
{
  SitrepAuditVerdict verdict;
  gint64 n_entries;
  gint64 keyed_from;       /* the first entry of the keyed chain */
  char *last_hash;         /* of the last intact entry; 64 zeros when there is none */
  gint64 first_broken_id;  /* 0 when the log breaks at its end (the anchor), or is intact */
  char *reason;            /* why it is broken, or NULL */
  GPtrArray *checked;      /* sentences: what was checked and holds */
  GPtrArray *unchecked;    /* sentences: what could not be checked, and why */
} SitrepAuditReport;

void               sitrep_audit_report_free        (SitrepAuditReport *report);
SitrepAuditReport *sitrep_store_verify_audit_report (SitrepStore      *self,
                                                    GError          **error);
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepAuditEntry, sitrep_audit_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepAuditReport, sitrep_audit_report_free)

G_END_DECLS
