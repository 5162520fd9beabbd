/* sitrep-action.h: what Sitrep knows of a runbook action before it is asked to run it */
#pragma once

#include <gio/gio.h>

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
gboolean          sitrep_action_is_kubectl         (const SitrepAction      *action,
                                                    SitrepRunbook           *runbook);
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

G_END_DECLS
