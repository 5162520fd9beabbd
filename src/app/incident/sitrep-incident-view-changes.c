/* sitrep-incident-view-changes.c: what the commander changes in the incident view
 *
 * Ticks, status, severity, a sent update and an escalation answer: recorded through the incident
 * manager as the commander, with a toast that says what was not saved and why.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-incident-status.h"
#include "sitrep-incident-view-private.h"

/* Who the changes are recorded as: the name in Preferences, or the login. */
static const char *
author (SitrepIncidentView *self)
{
  return self->author ? self->author : g_get_user_name ();
}

/* What the pieces ask for: the view records it, as the commander. The manager writes it on
 * the store's writer thread; the screen shows the change when it is stored, and a toast says
 * what was not saved and why when it was not. */

typedef struct
{
  SitrepIncidentView *self;
  const char *what;         /* translated: "The checklist tick", … */
} Saving;

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Saving *saving = user_data;
  SitrepIncidentView *self = saving->self;
  g_autoptr(GError) error = NULL;

  self->saving--;
  if (!sitrep_incident_manager_change_finish (SITREP_INCIDENT_MANAGER (source), result, &error)
      && self->manager != NULL)
    {
      /* Translators: "The checklist tick was not saved: <why>" */
      g_autofree char *text = g_strdup_printf (_("%s was not saved: %s"), saving->what,
                                               error->message);

      _sitrep_incident_view_show_toast (self, text);
    }
  /* Everything asked for is stored (or refused): the screen shows what is stored. */
  if (self->saving == 0 && self->manager != NULL)
    _sitrep_incident_view_refresh (self);
  g_object_unref (self);
  g_free (saving);
}

static Saving *
saving (SitrepIncidentView *self,
        const char         *what)
{
  Saving *saving = g_new (Saving, 1);
  SitrepIncident *incident = _sitrep_incident_view_current (self);

  saving->self = g_object_ref (self);
  self->saving++;
  self->saving_id = incident ? sitrep_incident_get_id (incident) : 0;
  saving->what = what;
  return saving;
}

static void
item_toggled_cb (SitrepIncidentView *self,
                 const char         *item_id,
                 gboolean            done)
{
  SitrepIncident *incident = _sitrep_incident_view_current (self);

  if (self->updating || incident == NULL)
    return;
  sitrep_incident_manager_set_item_async (self->manager, sitrep_incident_get_id (incident),
                                          item_id, done, author (self), NULL, saved_cb,
                                          saving (self, _("The checklist tick")));
}

static void
update_sent_cb (SitrepIncidentView *self)
{
  SitrepIncident *incident = _sitrep_incident_view_current (self);

  if (incident == NULL)
    return;
  sitrep_incident_manager_update_sent_async (self->manager, sitrep_incident_get_id (incident),
                                             author (self), NULL, saved_cb,
                                             saving (self, _("The status update")));
}

static void
answered_cb (SitrepIncidentView *self,
             guint               step,
             gboolean            escalated)
{
  SitrepIncident *incident = _sitrep_incident_view_current (self);

  if (incident == NULL)
    return;
  sitrep_incident_manager_answer_escalation_async (self->manager,
                                                   sitrep_incident_get_id (incident), step,
                                                   escalated, author (self), NULL, saved_cb,
                                                   saving (self, _("The escalation answer")));
}

static void
severity_selected_cb (SitrepIncidentView *self)
{
  SitrepIncident *incident = _sitrep_incident_view_current (self);
  GPtrArray *severities;
  guint selected = adw_combo_row_get_selected (self->severity_row);
  const SitrepSeverity *severity;

  if (self->updating || incident == NULL)
    return;
  severities = sitrep_runbook_get_severities (self->runbook);
  if (selected >= severities->len)
    return;
  severity = severities->pdata[selected];
  if (g_strcmp0 (severity->id, sitrep_incident_get_severity (incident)) == 0)
    return;
  sitrep_incident_manager_set_severity_async (self->manager, sitrep_incident_get_id (incident),
                                              severity->id, author (self), NULL, saved_cb,
                                              saving (self, _("The severity")));
}

static void
status_toggled_cb (GtkToggleButton    *button,
                   SitrepIncidentView *self)
{
  SitrepIncident *incident = _sitrep_incident_view_current (self);
  SitrepIncidentStatus status = 0;

  while (status < SITREP_STATUS_RESOLVED && self->status_buttons[status] != button)
    status++;
  if (self->updating || incident == NULL || !gtk_toggle_button_get_active (button)
      || sitrep_incident_get_status (incident) == status)
    return;
  sitrep_incident_manager_set_status_async (self->manager, sitrep_incident_get_id (incident),
                                            status, author (self), NULL, saved_cb,
                                            saving (self, _("The status")));
}

static void
status_selected_cb (SitrepIncidentView *self)
{
  SitrepIncident *incident = _sitrep_incident_view_current (self);
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);
  const SitrepStatusChoice *choice;

  if (self->updating || incident == NULL || self->status_choices == NULL
      || selected >= self->status_choices->len)
    return;
  choice = &g_array_index (self->status_choices, SitrepStatusChoice, selected);
  if (g_strcmp0 (choice->id, sitrep_incident_get_status_id (incident)) == 0)
    return;
  sitrep_incident_manager_set_status_id_async (self->manager, sitrep_incident_get_id (incident),
                                               choice->id, author (self), NULL, saved_cb,
                                               saving (self, _("The status")));
}

/* @group: (nullable): a checklist phase's group, or %NULL for the view's own controls */
void
_sitrep_incident_view_connect_changes (SitrepIncidentView *self,
                                       GtkWidget          *group)
{
  if (group != NULL)
    {
      g_signal_connect_swapped (group, "item-toggled", G_CALLBACK (item_toggled_cb), self);
      g_signal_connect_swapped (group, "update-sent", G_CALLBACK (update_sent_cb), self);
      return;
    }
  g_signal_connect_swapped (self->severity_row, "notify::selected",
                            G_CALLBACK (severity_selected_cb), self);
  g_signal_connect_swapped (self->status_dropdown, "notify::selected",
                            G_CALLBACK (status_selected_cb), self);
}

void
_sitrep_incident_view_class_bind_changes (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, status_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_sent_cb);
  gtk_widget_class_bind_template_callback (widget_class, answered_cb);
}
