/* sitrep-action.h: one runbook action resolved for one service, checked before anything runs */
#pragma once

#include <gio/gio.h>

#include "sitrep-audit-redact.h"
#include "sitrep-runbook.h"

G_BEGIN_DECLS

#define SITREP_ACTION_ERROR (sitrep_action_error_quark ())

typedef enum
{
  SITREP_ACTION_ERROR_INVALID_INPUT,
  SITREP_ACTION_ERROR_MISSING_INPUT,
  SITREP_ACTION_ERROR_READ_ONLY,
  SITREP_ACTION_ERROR_CANNOT_BUILD,
  SITREP_ACTION_ERROR_CANNOT_RUN,
  SITREP_ACTION_ERROR_PARSE,
  SITREP_ACTION_ERROR_UNTRUSTED,
} SitrepActionError;

/* The longest secret input (a token, a key), in bytes; any other value goes on the command
 * line, which takes SITREP_TEMPLATE_ARGV_MAX_VALUE bytes at most. */
#define SITREP_ACTION_MAX_SECRET 8192

GQuark            sitrep_action_error_quark        (void);

gboolean          sitrep_action_validate_input     (const SitrepActionInput *input,
                                                    const char              *value,
                                                    const char *const       *offered,
                                                    char                   **normalized,
                                                    GError                 **error);
gboolean          sitrep_action_is_hidden          (const SitrepAction      *action,
                                                    SitrepRunbook           *runbook,
                                                    gboolean                 app_read_only);
char             *sitrep_action_fill_text          (const char              *text,
                                                    SitrepRunbook           *runbook,
                                                    const SitrepService     *service,
                                                    GHashTable              *inputs);
const char       *sitrep_action_target_name        (const SitrepService     *service);
char             *sitrep_action_command_line_template (SitrepRunbook        *runbook,
                                                       const SitrepService  *service,
                                                       const SitrepAction   *action,
                                                       GHashTable           *inputs,
                                                       const char           *kubectl);
gboolean          sitrep_action_get_is_scale       (const SitrepAction      *action,
                                                    SitrepRunbook           *runbook);
gboolean          sitrep_action_get_has_preview    (const SitrepAction      *action,
                                                    SitrepRunbook           *runbook);
gboolean          sitrep_action_get_needs_typed_confirmation (const SitrepAction *action,
                                                              SitrepRunbook      *runbook);
const char       *sitrep_action_get_confirmation_word (const SitrepAction   *action,
                                                       const SitrepService  *service);
gint64            sitrep_action_kubectl_duration_ms (const char             *text);
gboolean          sitrep_action_open_in_terminal    (const char *const      *argv,
                                                     GError                **error);

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
