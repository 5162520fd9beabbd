/* sitrep-preferences-window.h: the preferences: read-only mode and UTC times */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SITREP_TYPE_PREFERENCES_WINDOW (sitrep_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SitrepPreferencesWindow, sitrep_preferences_window, SITREP,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

SitrepPreferencesWindow *sitrep_preferences_window_new (GSettings *settings);
void                     sitrep_preferences_window_set_read_only_reason (SitrepPreferencesWindow *self,
                                                                         const char              *reason);
/* The read-only row's subtitle, for tests. */
const char              *sitrep_preferences_window_get_read_only_text   (SitrepPreferencesWindow *self);

void        sitrep_preferences_window_set_webhook_allow_plain_http (SitrepPreferencesWindow *self,
                                                                    gboolean                 allow);

/* For the tests. */
void        sitrep_preferences_window_apply_webhook_url   (SitrepPreferencesWindow *self,
                                                           const char              *url);
const char *sitrep_preferences_window_get_webhook_text    (SitrepPreferencesWindow *self);
const char *sitrep_preferences_window_get_webhook_problem (SitrepPreferencesWindow *self);

G_END_DECLS
