/* sitrep-message-composer.h: a stakeholder message from a runbook template, copied or posted */
#pragma once

#include <adwaita.h>

#include "sitrep-incident-manager.h"
#include "sitrep-webhook.h"

G_BEGIN_DECLS

#define SITREP_TYPE_MESSAGE_COMPOSER (sitrep_message_composer_get_type ())

G_DECLARE_FINAL_TYPE (SitrepMessageComposer, sitrep_message_composer, SITREP, MESSAGE_COMPOSER,
                      GtkWidget)

GtkWidget  *sitrep_message_composer_new             (SitrepStore           *store,
                                                     SitrepRunbook         *runbook,
                                                     SitrepIncidentManager *manager,
                                                     SitrepWebhook         *webhook);
const char *sitrep_message_composer_get_template_id (SitrepMessageComposer *self);
void        sitrep_message_composer_set_utc         (SitrepMessageComposer *self,
                                                     gboolean               utc);
gboolean    sitrep_message_composer_get_utc         (SitrepMessageComposer *self);
void        sitrep_message_composer_set_author      (SitrepMessageComposer *self,
                                                     const char            *author);
const char *sitrep_message_composer_get_author      (SitrepMessageComposer *self);

G_END_DECLS
