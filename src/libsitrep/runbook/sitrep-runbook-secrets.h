/* sitrep-runbook-secrets.h: how an action's secrets reach its command: inputs, env, stdin */
#pragma once

#include "sitrep-runbook-schema.h"

G_BEGIN_DECLS

void  sitrep_runbook_load_input_secrets  (SitrepLoader      *l,
                                          JsonObject        *in,
                                          SitrepActionInput *input);
guint sitrep_runbook_load_action_secrets (SitrepLoader      *l,
                                          JsonObject        *object,
                                          SitrepAction      *action,
                                          GStrv              inputs);

G_END_DECLS
