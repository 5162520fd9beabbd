/* sitrep-incident-row.c: an incident in the list: summary, severity, status, when declared */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-incident-kept.h"
#include "sitrep-incident-row.h"

struct _SitrepIncidentRow
{
  AdwActionRow parent_instance;

  gint64 incident_id;

  GtkWidget *unresolved_icon;
};

G_DEFINE_FINAL_TYPE (SitrepIncidentRow, sitrep_incident_row, ADW_TYPE_ACTION_ROW)

static void
sitrep_incident_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_INCIDENT_ROW);

  G_OBJECT_CLASS (sitrep_incident_row_parent_class)->dispose (object);
}

static void
sitrep_incident_row_class_init (SitrepIncidentRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_incident_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-incident-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepIncidentRow, unresolved_icon);
}

static void
sitrep_incident_row_init (SitrepIncidentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_incident_row_new (SitrepIncident *incident,
                         const char     *status_label,
                         const char     *declared)
{
  SitrepIncidentStatus status;
  g_autofree char *subtitle = NULL;
  SitrepIncidentRow *self;

  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), NULL);

  status = sitrep_incident_get_status (incident);
  if (sitrep_incident_is_kept (incident))
    /* Translators: an incident declared while the team database is away, in the list:
     * "SEV-1 · Investigating · 03:24 · not yet on the team database" */
    subtitle = g_strdup_printf (_("%s · %s · %s · not yet on the team database"),
                                sitrep_incident_get_severity (incident), status_label, declared);
  else
    /* Translators: an incident in the list: "SEV-1 · Investigating · 03:24" */
    subtitle = g_strdup_printf (_("%s · %s · %s"), sitrep_incident_get_severity (incident),
                                status_label, declared);
  self = g_object_new (SITREP_TYPE_INCIDENT_ROW,
                       "title", sitrep_incident_get_summary (incident),
                       "subtitle", subtitle,
                       NULL);
  self->incident_id = sitrep_incident_get_id (incident);
  /* A row's prefix box keeps its margin around a hidden icon: the box goes too. */
  gtk_widget_set_visible (gtk_widget_get_parent (self->unresolved_icon),
                          status != SITREP_STATUS_RESOLVED);
  return GTK_WIDGET (self);
}

gint64
sitrep_incident_row_get_incident_id (SitrepIncidentRow *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT_ROW (self), -1);
  return self->incident_id;
}
