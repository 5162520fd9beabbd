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
gboolean    sitrep_message_composer_select_template (SitrepMessageComposer *self,
                                                     const char            *template_id);
const char *sitrep_message_composer_get_template_id (SitrepMessageComposer *self);
char       *sitrep_message_composer_get_text        (SitrepMessageComposer *self);
void        sitrep_message_composer_set_utc         (SitrepMessageComposer *self,
                                                     gboolean               utc);
void        sitrep_message_composer_set_author      (SitrepMessageComposer *self,
                                                     const char            *author);

/* The gestures, as the buttons make them; the tests call them too. */
gint64      sitrep_message_composer_copy            (SitrepMessageComposer *self);
gint64      sitrep_message_composer_post            (SitrepMessageComposer *self);

/* For the tests. */
GStrv       sitrep_message_composer_get_highlighted (SitrepMessageComposer *self);
gboolean    sitrep_message_composer_type_over       (SitrepMessageComposer *self,
                                                     const char            *old_text,
                                                     const char            *new_text);
const char *sitrep_message_composer_get_state_text  (SitrepMessageComposer *self);
const char *sitrep_message_composer_get_last_toast  (SitrepMessageComposer *self);
gboolean    sitrep_message_composer_get_can_post    (SitrepMessageComposer *self);

G_END_DECLS
