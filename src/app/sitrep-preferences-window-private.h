/* sitrep-preferences-window-private.h: what the preferences and the tests that drive them share */
#pragma once

#include "sitrep-preferences-window.h"

G_BEGIN_DECLS

struct _SitrepPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwActionRow *read_only_row;
  GtkSwitch *read_only_switch;
  char *read_only_subtitle; /* the row's own, when nothing else makes Sitrep read-only */
  char *read_only_reason;   /* what else makes it read-only, shown instead; or NULL */
  GtkSwitch *utc_switch;
  AdwEntryRow *lead_row;
  AdwPasswordEntryRow *webhook_row;
  gboolean webhook_allow_plain_http;
  char *webhook_problem;
  AdwEntryRow *team_row;
  GSettings *settings;
  SitrepSession *session; /* switched to the team database set here; NULL: from the next start */
};

/* Defined in sitrep-preferences-window-testing.c, which only the tests link. */
/* The read-only row's subtitle. */
const char *sitrep_preferences_window_get_read_only_text  (SitrepPreferencesWindow *self);
void        sitrep_preferences_window_apply_webhook_url   (SitrepPreferencesWindow *self,
                                                           const char              *url);
const char *sitrep_preferences_window_get_webhook_text    (SitrepPreferencesWindow *self);
const char *sitrep_preferences_window_get_webhook_problem (SitrepPreferencesWindow *self);

G_END_DECLS
