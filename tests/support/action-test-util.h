/* action-test-util.h: what the action tests share: a recording kubectl, runbooks, watched runs */
#pragma once

#include "sitrep-action-request.h"
#include "sitrep-action-controller.h"
#include "sitrep-action-run.h"
#include "sitrep-session.h"
#include "sitrep-store-audit.h"

G_BEGIN_DECLS

/* A kubectl that only writes down its arguments, one per line, in record_file. */
extern char *fake_kubectl;
extern char *record_file;

void                 fake_kubectl_set_up    (void);
void                 fake_kubectl_tear_down (void);
char                *recorded               (void);

SitrepRunbook       *carecircle             (void);
GHashTable          *table                  (const char    *first,
                                             ...) G_GNUC_NULL_TERMINATED;
SitrepActionRequest *resolve                (SitrepRunbook *runbook,
                                             const char    *service_id,
                                             const char    *action_id,
                                             GHashTable    *inputs,
                                             GError       **error);

SitrepActionRun     *run_action             (SitrepActionController *controller,
                                             SitrepRunbook          *runbook,
                                             const char             *service_id,
                                             const char             *action_id);

/* What a run said while it ran. */
typedef struct
{
  GMainLoop *loop;
  GPtrArray *out;
  GPtrArray *err;
  GPtrArray *follow_ups;
  gint64 started;
  gint64 first_line_at;
  guint finished_signals;
  gboolean done;
  gboolean ok;
  GError *error;
} Watch;

gint64               run_watched            (SitrepActionRun *run,
                                             Watch           *watch,
                                             guint            cancel_after_ms,
                                             GCancellable    *cancellable);
void                 watch_clear            (Watch           *watch);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Watch, watch_clear)

/* The audit log as the database holds it, once what waited for the log's key is written. */
GPtrArray           *session_audit          (SitrepSession *session);
SitrepAuditEntry    *last_audit             (GPtrArray     *entries);

G_END_DECLS
