/* sitrep-preferences-window-testing.c: the preferences read and filled in as a person would */
#include "config.h"

#include "sitrep-preferences-window-private.h"

const char *
sitrep_preferences_window_get_read_only_text (SitrepPreferencesWindow *self)
{
  g_return_val_if_fail (SITREP_IS_PREFERENCES_WINDOW (self), NULL);
  return adw_action_row_get_subtitle (self->read_only_row);
}

/* Types @url into the webhook row and applies it, as the commander would. */
void
sitrep_preferences_window_apply_webhook_url (SitrepPreferencesWindow *self,
                                             const char              *url)
{
  g_return_if_fail (SITREP_IS_PREFERENCES_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->webhook_row), url);
  g_signal_emit_by_name (self->webhook_row, "apply");
}

/* What the webhook row shows: the URL still in it, and why it was refused (or NULL). */
const char *
sitrep_preferences_window_get_webhook_text (SitrepPreferencesWindow *self)
{
  g_return_val_if_fail (SITREP_IS_PREFERENCES_WINDOW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->webhook_row));
}

const char *
sitrep_preferences_window_get_webhook_problem (SitrepPreferencesWindow *self)
{
  g_return_val_if_fail (SITREP_IS_PREFERENCES_WINDOW (self), NULL);
  return self->webhook_problem;
}
