/* sitrep-escalation-panel-testing.c: the escalation path and banner read and answered as a
 * person would, for the tests */
#include "config.h"

#include "sitrep-escalation-banner-private.h"
#include "sitrep-escalation-panel-private.h"
#include "sitrep-escalation-row.h"

/* The banner's three lines when it is shown, then one line per step: "Role (subtitle) — state". */
void
sitrep_escalation_panel_append_text (SitrepEscalationPanel *self,
                                     GString               *out)
{
  g_return_if_fail (SITREP_IS_ESCALATION_PANEL (self));

  if (self->banner != NULL && sitrep_escalation_banner_get_shown (self->banner))
    g_string_append_printf (out, "%s\n%s\n%s\n", gtk_label_get_text (self->banner->title_label),
                            gtk_label_get_text (self->banner->contact_label),
                            gtk_label_get_text (self->banner->message_label));

  for (guint i = 0; i < self->steps->len; i++)
    {
      SitrepEscalationRow *row = self->steps->pdata[i];

      g_string_append_printf (out, "%s (%s) — %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                              sitrep_escalation_row_get_state_text (row));
    }
}

/* Answers the step the banner shows, as its buttons would; FALSE when no banner is shown. */
gboolean
sitrep_escalation_panel_answer (SitrepEscalationPanel *self,
                                gboolean               escalated)
{
  g_return_val_if_fail (SITREP_IS_ESCALATION_PANEL (self), FALSE);

  if (self->banner == NULL || !sitrep_escalation_banner_get_shown (self->banner))
    return FALSE;
  g_signal_emit_by_name (self->banner, "answered", escalated);
  return TRUE;
}
