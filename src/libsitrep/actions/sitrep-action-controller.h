/* sitrep-action-controller.h: runs confirmed actions and records each on the audit log and timeline */
#pragma once

#include "sitrep-action-run.h"
#include "sitrep-incident-manager.h"
#include "sitrep-store.h"

G_BEGIN_DECLS

/* How long a confirmed mutation waits, with an Undo, before it starts. */
#define SITREP_ACTION_CONTROLLER_DEFAULT_GRACE_MS 5000

#define SITREP_TYPE_ACTION_CONTROLLER (sitrep_action_controller_get_type ())

G_DECLARE_FINAL_TYPE (SitrepActionController, sitrep_action_controller, SITREP, ACTION_CONTROLLER,
                      GObject)

SitrepActionController *sitrep_action_controller_new           (SitrepStore            *store,
                                                                SitrepRunbook          *runbook,
                                                                SitrepIncidentManager  *manager,
                                                                gboolean                app_read_only);
SitrepStore            *sitrep_action_controller_get_store     (SitrepActionController *self);
SitrepRunbook          *sitrep_action_controller_get_runbook   (SitrepActionController *self);
gboolean                sitrep_action_controller_get_read_only (SitrepActionController *self);
void                    sitrep_action_controller_set_read_only (SitrepActionController *self,
                                                                gboolean                read_only);
gboolean                sitrep_action_controller_get_trusted   (SitrepActionController *self);
void                    sitrep_action_controller_set_trusted   (SitrepActionController *self,
                                                                gboolean                trusted);
const char             *sitrep_action_controller_get_kubectl   (SitrepActionController *self);
/* Who runs the actions: the name in Preferences. NULL (the default) records the account's user
 * name on the timeline and no author in the audit log. */
void                    sitrep_action_controller_set_author    (SitrepActionController *self,
                                                                const char             *author);
const char             *sitrep_action_controller_get_author    (SitrepActionController *self);

gboolean                sitrep_action_controller_is_hidden     (SitrepActionController *self,
                                                                const SitrepAction     *action);
gboolean                sitrep_action_controller_check_allowed (SitrepActionController *self,
                                                                const SitrepAction     *action,
                                                                GError                **error);
GPtrArray              *sitrep_action_controller_list_actions  (SitrepActionController *self,
                                                                const SitrepService    *service);
SitrepActionRequest    *sitrep_action_controller_resolve       (SitrepActionController *self,
                                                                const SitrepService    *service,
                                                                const SitrepAction     *action,
                                                                GHashTable             *inputs,
                                                                GHashTable             *offered,
                                                                GError                **error);

SitrepActionRun        *sitrep_action_controller_run           (SitrepActionController *self,
                                                                SitrepActionRequest    *request,
                                                                const char             *confirmation,
                                                                gboolean                dry_run,
                                                                GError                **error);
guint                   sitrep_action_controller_get_grace_ms  (SitrepActionController *self);
GCancellable           *sitrep_action_controller_schedule      (SitrepActionController *self,
                                                                SitrepActionRequest    *request,
                                                                const char             *confirmation,
                                                                GError                **error);
guint                   sitrep_action_controller_get_n_pending (SitrepActionController *self);
void                    sitrep_action_controller_record_undone (SitrepActionController *self,
                                                                SitrepActionRequest    *request,
                                                                const char             *confirmation);
guint                   sitrep_action_controller_get_n_running (SitrepActionController *self);
gboolean                sitrep_action_controller_is_settled    (SitrepActionController *self);
void                    sitrep_action_controller_cancel_all    (SitrepActionController *self);
void                    sitrep_action_controller_cancel_pending (SitrepActionController *self,
                                                                 const char             *reason);
void                    sitrep_action_controller_close_unfinished_async  (SitrepActionController *self,
                                                                          GCancellable           *cancellable,
                                                                          GAsyncReadyCallback     callback,
                                                                          gpointer                user_data);
gint64                  sitrep_action_controller_close_unfinished_finish (SitrepActionController *self,
                                                                          GAsyncResult           *result,
                                                                          GError                **error);

G_END_DECLS
