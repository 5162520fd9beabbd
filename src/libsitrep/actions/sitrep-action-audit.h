/* sitrep-action-audit.h: what the audit log keeps of an action: who ran what, and how it ended */
#pragma once

#include "sitrep-action-run.h"
#include "sitrep-store-audit.h"

G_BEGIN_DECLS

/* One entry to append for @request; everything is redacted with the request's redactor. */
typedef struct
{
  SitrepActionRequest *request;
  const char *const *argv;   /* the command line that runs (or would have) */
  const char *confirmation;
  gint64 incident_id;
  gint64 at;                 /* 0: now */
  const char *outcome;
  SitrepActionRun *run;      /* a finished run: its exit code and duration; or NULL */
  gint64 started_id;         /* the run's "started" entry, or 0 */
  const char *output_tail;
  gboolean with_owner;       /* a "started" entry: this process runs it */
  const char *author;        /* the name in Preferences of who runs it, or NULL */
} SitrepActionAuditRecord;

gint64    sitrep_action_audit_append        (SitrepStore                   *store,
                                             const SitrepActionAuditRecord *record,
                                             GError                       **error);
void      sitrep_action_audit_append_async  (SitrepStore                   *store,
                                             const SitrepActionAuditRecord *record);
void      sitrep_action_audit_append_unkept_async (SitrepStore                   *store,
                                                   const SitrepActionAuditRecord *record,
                                                   GAsyncReadyCallback            callback,
                                                   gpointer                       user_data);
char     *sitrep_action_audit_owner         (void);
gboolean  sitrep_action_audit_owner_is_gone (const char                    *owner);

G_END_DECLS
