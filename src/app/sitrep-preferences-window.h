/* sitrep-preferences-window.h: the preferences: read-only mode and UTC times */
#pragma once

#include <adwaita.h>

#include "sitrep-session.h"

G_BEGIN_DECLS

#define SITREP_TYPE_PREFERENCES_WINDOW (sitrep_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SitrepPreferencesWindow, sitrep_preferences_window, SITREP,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

SitrepPreferencesWindow *sitrep_preferences_window_new (GSettings *settings);
void                     sitrep_preferences_window_set_read_only_reason (SitrepPreferencesWindow *self,
                                                                         const char              *reason);
const char              *sitrep_preferences_window_get_read_only_reason (SitrepPreferencesWindow *self);

void        sitrep_preferences_window_set_webhook_allow_plain_http (SitrepPreferencesWindow *self,
                                                                    gboolean                 allow);
gboolean    sitrep_preferences_window_get_webhook_allow_plain_http (SitrepPreferencesWindow *self);
void        sitrep_preferences_window_set_session               (SitrepPreferencesWindow *self,
                                                                 SitrepSession           *session);

G_END_DECLS
