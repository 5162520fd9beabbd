/* sitrep-incident-view-testing.c: the incident view read and driven as a person would, for the
 * tests */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-checklist-group-private.h"
#include "sitrep-escalation-panel-private.h"
#include "sitrep-incident-clocks-group-private.h"
#include "sitrep-incident-row.h"
#include "sitrep-incident-view-private.h"

static void
append_row (GString    *out,
            const char *title,
            const char *value)
{
  g_string_append_printf (out, "%s: %s\n", title, value);
}

/**
 * sitrep_incident_view_get_text:
 *
 * What the view shows, one line per label: the header, the clocks, the banner, the escalation
 * path and the checklist; or the empty state and its list.
 *
 * Returns: (transfer full): the text
 */
char *
sitrep_incident_view_get_text (SitrepIncidentView *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *page;

  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), NULL);

  page = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (page, "empty") == 0)
    {
      GtkWidget *row;

      g_string_append_printf (out, "%s\n", _("No Incident"));
      if (gtk_widget_get_visible (GTK_WIDGET (self->past_group)))
        g_string_append_printf (out, "%s\n", adw_preferences_group_get_title (self->past_group));
      for (row = gtk_widget_get_first_child (GTK_WIDGET (self->past_list)); row != NULL;
           row = gtk_widget_get_next_sibling (row))
        if (ADW_IS_ACTION_ROW (row))
          g_string_append_printf (out, "%s — %s\n",
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                  adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  g_string_append_printf (out, "%s\n", gtk_label_get_text (self->summary_label));
  if (gtk_widget_get_visible (GTK_WIDGET (self->kept_label)))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (self->kept_label));
  if (gtk_widget_get_visible (GTK_WIDGET (self->impact_label)))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (self->impact_label));
  if (gtk_widget_get_visible (GTK_WIDGET (self->reminder_label)))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (self->reminder_label));
  if (gtk_widget_get_visible (GTK_WIDGET (self->runbook_label)))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (self->runbook_label));
  if (adw_combo_row_get_selected_item (self->severity_row) != NULL)
    append_row (out, _("Severity"),
                gtk_string_object_get_string (
                  adw_combo_row_get_selected_item (self->severity_row)));
  for (guint i = 0; gtk_widget_get_visible (self->status_box) && i < G_N_ELEMENTS (self->status_buttons); i++)
    if (gtk_toggle_button_get_active (self->status_buttons[i]))
      append_row (out, _("Status"), gtk_button_get_label (GTK_BUTTON (self->status_buttons[i])));
  if (gtk_widget_get_visible (GTK_WIDGET (self->status_dropdown))
      && gtk_drop_down_get_selected_item (self->status_dropdown) != NULL)
    append_row (out, _("Status"),
                gtk_string_object_get_string (gtk_drop_down_get_selected_item (self->status_dropdown)));
  append_row (out, _("Lead"), adw_action_row_get_subtitle (self->lead_row));
  append_row (out, _("Channel"), adw_action_row_get_subtitle (self->channel_row));
  sitrep_incident_clocks_group_append_text (self->clocks, out);
  sitrep_escalation_panel_append_text (self->escalation, out);
  for (guint i = 0; i < self->groups->len; i++)
    sitrep_checklist_group_append_text (self->groups->pdata[i], out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The list of incidents beside the incident, a line a row: "summary — subtitle". */
char *
sitrep_incident_view_get_list_text (SitrepIncidentView *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->incident_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_string_append_printf (out, "%s — %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  return g_string_free (out, FALSE);
}

/* "empty" or "incident" */
const char *
sitrep_incident_view_get_page (SitrepIncidentView *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
sitrep_incident_view_get_last_toast (SitrepIncidentView *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), NULL);
  return self->last_toast;
}

static SitrepChecklistGroup *
find_group (SitrepIncidentView *self,
            const char         *item_id)
{
  for (guint i = 0; i < self->groups->len; i++)
    if (sitrep_checklist_group_has_item (self->groups->pdata[i], item_id))
      return self->groups->pdata[i];
  return NULL;
}

/* Ticks or unticks the item's check button, as a click would. */
gboolean
sitrep_incident_view_set_item_done (SitrepIncidentView *self,
                                    const char         *item_id,
                                    gboolean            done)
{
  SitrepChecklistGroup *group;

  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), FALSE);

  group = find_group (self, item_id);
  return group != NULL && sitrep_checklist_group_set_item_done (group, item_id, done);
}

/* Presses the button of what the item opens. */
gboolean
sitrep_incident_view_open_item (SitrepIncidentView *self,
                                const char         *item_id)
{
  SitrepChecklistGroup *group;

  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), FALSE);

  group = find_group (self, item_id);
  return group != NULL && sitrep_checklist_group_open_item (group, item_id);
}

gboolean
sitrep_incident_view_select_status (SitrepIncidentView   *self,
                                    SitrepIncidentStatus  status)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), FALSE);

  if (status > SITREP_STATUS_RESOLVED || _sitrep_incident_view_current (self) == NULL)
    return FALSE;
  gtk_toggle_button_set_active (self->status_buttons[status], TRUE);
  return TRUE;
}

/* Picks the runbook's own status labelled @label in the dropdown, as a person would; FALSE
 * when the dropdown is not shown or has no such status. */
gboolean
sitrep_incident_view_select_status_label (SitrepIncidentView *self,
                                          const char         *label)
{
  GListModel *model;

  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), FALSE);

  if (_sitrep_incident_view_current (self) == NULL
      || !gtk_widget_get_visible (GTK_WIDGET (self->status_dropdown)))
    return FALSE;
  model = gtk_drop_down_get_model (self->status_dropdown);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), label) == 0)
        {
          gtk_drop_down_set_selected (self->status_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
sitrep_incident_view_select_severity (SitrepIncidentView *self,
                                      const char         *severity)
{
  GPtrArray *severities;

  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), FALSE);

  if (_sitrep_incident_view_current (self) == NULL)
    return FALSE;
  severities = sitrep_runbook_get_severities (self->runbook);
  for (guint i = 0; i < severities->len; i++)
    if (g_strcmp0 (((SitrepSeverity *) severities->pdata[i])->id, severity) == 0)
      {
        adw_combo_row_set_selected (self->severity_row, i);
        return TRUE;
      }
  return FALSE;
}

/* Activates the incident's row in the list, as a click would. */
gboolean
sitrep_incident_view_select_incident (SitrepIncidentView *self,
                                      gint64              id)
{
  GtkListBox *list;
  GtkListBoxRow *row;

  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), FALSE);

  list = _sitrep_incident_view_current (self) != NULL ? self->incident_list : self->past_list;
  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (sitrep_incident_row_get_incident_id (SITREP_INCIDENT_ROW (row)) == id)
      {
        g_signal_emit_by_name (list, "row-activated", row);
        return TRUE;
      }
  return FALSE;
}

/* Answers the escalation the banner shows; FALSE when no banner is shown. */
gboolean
sitrep_incident_view_answer_escalation (SitrepIncidentView *self,
                                        gboolean            escalated)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), FALSE);
  return sitrep_escalation_panel_answer (self->escalation, escalated);
}

gboolean
sitrep_incident_view_mark_update_sent (SitrepIncidentView *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), FALSE);
  return _sitrep_incident_view_current (self) != NULL && sitrep_incident_clocks_group_mark_update_sent (self->clocks);
}

gboolean
sitrep_incident_view_request_declare (SitrepIncidentView *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_VIEW (self), FALSE);

  g_signal_emit_by_name (self, "declare-requested");
  return TRUE;
}
