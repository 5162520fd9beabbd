/* sitrep-action-request.h: one runbook action resolved for one service, checked before
 * anything runs */
#pragma once

#include <gio/gio.h>

#include "sitrep-action.h"
#include "sitrep-audit-redact.h"

G_BEGIN_DECLS

#define SITREP_TYPE_ACTION_REQUEST (sitrep_action_request_get_type ())

G_DECLARE_FINAL_TYPE (SitrepActionRequest, sitrep_action_request, SITREP, ACTION_REQUEST, GObject)

SitrepActionRequest *sitrep_action_request_new     (SitrepRunbook           *runbook,
                                                    const SitrepService     *service,
                                                    const SitrepAction      *action,
                                                    GHashTable              *inputs,
                                                    GHashTable              *offered,
                                                    const char              *kubectl,
                                                    GError                 **error);

SitrepRunbook       *sitrep_action_request_get_runbook        (SitrepActionRequest *self);
const SitrepService *sitrep_action_request_get_service        (SitrepActionRequest *self);
const SitrepAction  *sitrep_action_request_get_action         (SitrepActionRequest *self);
GHashTable          *sitrep_action_request_get_inputs         (SitrepActionRequest *self);
const char *const   *sitrep_action_request_get_argv           (SitrepActionRequest *self);
const char *const   *sitrep_action_request_get_follow_up_argv (SitrepActionRequest *self);
const char *const   *sitrep_action_request_get_dry_run_argv   (SitrepActionRequest *self);
char                *sitrep_action_request_get_command_line   (SitrepActionRequest *self);
const char          *sitrep_action_request_get_context        (SitrepActionRequest *self);
const char          *sitrep_action_request_get_namespace      (SitrepActionRequest *self);
const char          *sitrep_action_request_get_title          (SitrepActionRequest *self);
const char          *sitrep_action_request_get_description    (SitrepActionRequest *self);
const char          *sitrep_action_request_get_confirm_text   (SitrepActionRequest *self);
gboolean             sitrep_action_request_get_needs_confirmation (SitrepActionRequest *self);
gboolean             sitrep_action_request_get_needs_typed_confirmation (SitrepActionRequest *self);
const char          *sitrep_action_request_get_confirmation_word (SitrepActionRequest *self);
gboolean             sitrep_action_request_check_confirmation (SitrepActionRequest *self,
                                                               const char          *typed);
gint64               sitrep_action_request_get_timeout_ms     (SitrepActionRequest *self);
gint64               sitrep_action_request_get_follow_up_timeout_ms (SitrepActionRequest *self);
gboolean             sitrep_action_request_is_scale           (SitrepActionRequest *self);
gboolean             sitrep_action_request_set_current_replicas (SitrepActionRequest *self,
                                                                 gint64               replicas,
                                                                 GError             **error);

/* Secrets: what the command gets besides its argv, and what is recorded instead. */
SitrepRedactor      *sitrep_action_request_get_redactor       (SitrepActionRequest *self);
char                *sitrep_action_request_get_inputs_record  (SitrepActionRequest *self);
char                *sitrep_action_request_get_process_record (SitrepActionRequest *self);
gboolean             sitrep_action_request_get_has_stdin      (SitrepActionRequest *self);
void                 sitrep_action_request_resolve_async      (SitrepActionRequest *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             sitrep_action_request_resolve_finish     (SitrepActionRequest *self,
                                                               GAsyncResult        *result,
                                                               GStrv               *env,
                                                               char               **stdin_text,
                                                               GError             **error);

G_END_DECLS
