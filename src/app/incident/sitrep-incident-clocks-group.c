/* sitrep-incident-clocks-group.c: an incident's clocks: response target, updates, time to fix */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-incident-clocks-group-private.h"
#include "sitrep-incident-format.h"

G_DEFINE_FINAL_TYPE (SitrepIncidentClocksGroup, sitrep_incident_clocks_group,
                     ADW_TYPE_PREFERENCES_GROUP)

enum
{
  UPDATE_SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_sent_clicked_cb (SitrepIncidentClocksGroup *self)
{
  g_signal_emit (self, signals[UPDATE_SENT], 0);
}

static void
sitrep_incident_clocks_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_INCIDENT_CLOCKS_GROUP);

  G_OBJECT_CLASS (sitrep_incident_clocks_group_parent_class)->dispose (object);
}

static void
sitrep_incident_clocks_group_class_init (SitrepIncidentClocksGroupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_incident_clocks_group_dispose;

  /**
   * SitrepIncidentClocksGroup::update-sent:
   *
   * The commander says a status update went out; the group does not record it itself.
   */
  signals[UPDATE_SENT] = g_signal_new ("update-sent", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-incident-clocks-group.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentClocksGroup, response_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentClocksGroup, update_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentClocksGroup, update_icon);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentClocksGroup,
                                        update_sent_button);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentClocksGroup, ack_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentClocksGroup, mitigate_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentClocksGroup, resolve_label);
  gtk_widget_class_bind_template_callback (widget_class, update_sent_clicked_cb);
}

static void
sitrep_incident_clocks_group_init (SitrepIncidentClocksGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The prefix box would keep its margin around the hidden icon: hide the box too. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->update_icon)), FALSE);
}

GtkWidget *
sitrep_incident_clocks_group_new (void)
{
  return g_object_new (SITREP_TYPE_INCIDENT_CLOCKS_GROUP, NULL);
}

static void
refresh_response (SitrepIncidentClocksGroup *self,
                  SitrepIncident            *incident,
                  SitrepRunbook             *runbook,
                  gint64                     now)
{
  gint64 response_due = sitrep_incident_response_due_at (incident, runbook);
  gint64 acknowledged = sitrep_incident_get_acknowledged_at (incident);
  g_autofree char *response = NULL;
  g_autofree char *span = NULL;

  /* The response target is met by acknowledging: the first tick or status change. */
  if (response_due == 0)
    {
      response = g_strdup (_("not set by the runbook"));
    }
  else if (acknowledged != 0)
    {
      span = sitrep_incident_format_countdown (acknowledged - response_due);
      response = acknowledged <= response_due
        ? g_strdup (_("met"))
        /* Translators: the response target, acknowledged too late: "missed by 02:03" */
        : g_strdup_printf (_("missed by %s"), span);
    }
  else
    {
      span = sitrep_incident_format_countdown (response_due - now);
      response = now <= response_due
        /* Translators: the response target counting down, "07:12 left" */
        ? g_strdup_printf (_("%s left"), span)
        /* Translators: the response target, passed: "exceeded by 02:03" */
        : g_strdup_printf (_("exceeded by %s"), span);
    }
  gtk_label_set_text (self->response_label, response);
  sitrep_incident_format_set_css (GTK_WIDGET (self->response_label), "error",
                                  response_due != 0
                                  && (acknowledged ? acknowledged : now) > response_due);
  sitrep_incident_format_set_css (GTK_WIDGET (self->response_label), "success",
                                  acknowledged != 0 && acknowledged <= response_due);
}

static void
refresh_update (SitrepIncidentClocksGroup *self,
                SitrepIncident            *incident,
                SitrepRunbook             *runbook,
                gint64                     now,
                gboolean                   utc)
{
  gint64 update_due = sitrep_incident_next_update_due_at (incident, runbook);
  gint64 last_at = sitrep_incident_get_last_update_at (incident);
  gboolean resolved = sitrep_incident_get_status (incident) == SITREP_STATUS_RESOLVED;
  g_autofree char *update = NULL;
  g_autofree char *last = NULL;
  gboolean overdue = FALSE;

  if (update_due == 0)
    {
      update = g_strdup (resolved ? _("No updates due: the incident is resolved")
                                  : _("No update cadence for this severity"));
    }
  else
    {
      g_autofree char *at = sitrep_incident_format_time (update_due, now, utc, FALSE);
      g_autofree char *span = sitrep_incident_format_span (update_due - now);

      overdue = now >= update_due;
      update = overdue
        /* Translators: "Update overdue since 03:35" */
        ? g_strdup_printf (_("Update overdue since %s"), at)
        /* Translators: "Next update due 03:35 (in 12 min)" */
        : g_strdup_printf (_("Next update due %s (in %s)"), at, span);
    }
  if (last_at != 0)
    {
      g_autofree char *at = sitrep_incident_format_time (last_at, now, utc, FALSE);

      /* Translators: "Last update sent 03:20" */
      last = g_strdup_printf (_("Last update sent %s"), at);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->update_row), update);
  adw_action_row_set_subtitle (self->update_row, last ? last : _("No update sent yet"));
  /* The prefix box would keep its margin around a hidden icon: hide the box too. */
  gtk_widget_set_visible (GTK_WIDGET (self->update_icon), overdue);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->update_icon)), overdue);
  sitrep_incident_format_set_css (GTK_WIDGET (self->update_sent_button), "suggested-action",
                                  overdue);
  gtk_widget_set_sensitive (GTK_WIDGET (self->update_sent_button), !resolved);
}

/* Shows @incident's clocks at @now. */
void
sitrep_incident_clocks_group_refresh (SitrepIncidentClocksGroup *self,
                                      SitrepIncident            *incident,
                                      SitrepRunbook             *runbook,
                                      gint64                     now,
                                      gboolean                   utc)
{
  gint64 declared;
  gboolean resolved;
  gint64 marks[3];
  GtkLabel *labels[] = { self->ack_label, self->mitigate_label, self->resolve_label };

  g_return_if_fail (SITREP_IS_INCIDENT_CLOCKS_GROUP (self));
  g_return_if_fail (SITREP_IS_INCIDENT (incident));

  declared = sitrep_incident_get_declared_at (incident);
  resolved = sitrep_incident_get_status (incident) == SITREP_STATUS_RESOLVED;
  marks[0] = sitrep_incident_get_acknowledged_at (incident);
  marks[1] = sitrep_incident_get_mitigated_at (incident);
  marks[2] = sitrep_incident_get_resolved_at (incident);

  refresh_response (self, incident, runbook, now);
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      g_autofree char *span = sitrep_incident_format_countdown ((marks[i] ? marks[i] : now)
                                                                - declared);
      g_autofree char *text = NULL;

      if (marks[i] != 0)
        text = g_strdup (span);
      else if (resolved)
        text = g_strdup (_("not recorded"));
      else
        /* Translators: a time to acknowledge, mitigate or resolve, still running: "04:12 so far" */
        text = g_strdup_printf (_("%s so far"), span);
      gtk_label_set_text (labels[i], text);
      sitrep_incident_format_set_css (GTK_WIDGET (labels[i]), "dim-label", marks[i] == 0);
    }
  refresh_update (self, incident, runbook, now, utc);
}
