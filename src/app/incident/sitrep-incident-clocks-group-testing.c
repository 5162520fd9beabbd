/* sitrep-incident-clocks-group-testing.c: what the tests read and drive, as a person would */
#include "config.h"

#include "sitrep-incident-clocks-group-private.h"

/* "Response target: 07:12 left": the row's title, as shown, and the clock beside it. */
static void
append_clock (GString  *out,
              GtkLabel *label)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (label), ADW_TYPE_PREFERENCES_ROW);

  g_string_append_printf (out, "%s: %s\n",
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                          gtk_label_get_text (label));
}

/* One line per clock. */
void
sitrep_incident_clocks_group_append_text (SitrepIncidentClocksGroup *self,
                                          GString                   *out)
{
  g_return_if_fail (SITREP_IS_INCIDENT_CLOCKS_GROUP (self));

  append_clock (out, self->response_label);
  g_string_append_printf (out, "%s\n",
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->update_row)));
  append_clock (out, self->ack_label);
  append_clock (out, self->mitigate_label);
  append_clock (out, self->resolve_label);
}

/* Presses "Mark Update Sent"; FALSE when it cannot be pressed. */
gboolean
sitrep_incident_clocks_group_mark_update_sent (SitrepIncidentClocksGroup *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_CLOCKS_GROUP (self), FALSE);

  if (!gtk_widget_is_sensitive (GTK_WIDGET (self->update_sent_button)))
    return FALSE;
  g_signal_emit_by_name (self->update_sent_button, "clicked");
  return TRUE;
}
