/* sitrep-affected-service-row.c: a service the incident may affect, and why it is suggested */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-affected-service-row.h"

struct _SitrepAffectedServiceRow
{
  AdwActionRow parent_instance;

  char *service_id;
  char *description;
  char *note;       /* why it is suggested, or NULL */
  gboolean touched; /* the commander changed it: the monitor no longer decides */
  gboolean updating;

  GtkCheckButton *check;
};

G_DEFINE_FINAL_TYPE (SitrepAffectedServiceRow, sitrep_affected_service_row, ADW_TYPE_ACTION_ROW)

static void
check_toggled_cb (SitrepAffectedServiceRow *self)
{
  if (!self->updating)
    self->touched = TRUE;
}

static void
sitrep_affected_service_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_AFFECTED_SERVICE_ROW);

  G_OBJECT_CLASS (sitrep_affected_service_row_parent_class)->dispose (object);
}

static void
sitrep_affected_service_row_finalize (GObject *object)
{
  SitrepAffectedServiceRow *self = SITREP_AFFECTED_SERVICE_ROW (object);

  g_free (self->service_id);
  g_free (self->description);
  g_free (self->note);

  G_OBJECT_CLASS (sitrep_affected_service_row_parent_class)->finalize (object);
}

static void
sitrep_affected_service_row_class_init (SitrepAffectedServiceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_affected_service_row_dispose;
  object_class->finalize = sitrep_affected_service_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-affected-service-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepAffectedServiceRow, check);
  gtk_widget_class_bind_template_callback (widget_class, check_toggled_cb);
}

static void
sitrep_affected_service_row_init (SitrepAffectedServiceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_affected_service_row_new (const SitrepService *service)
{
  const char *name;
  SitrepAffectedServiceRow *self;

  g_return_val_if_fail (service != NULL, NULL);

  name = service->name ? service->name : service->id;
  self = g_object_new (SITREP_TYPE_AFFECTED_SERVICE_ROW, "title", name, NULL);
  self->service_id = g_strdup (service->id);
  self->description = g_strdup (service->description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name, -1);
  sitrep_affected_service_row_suggest (self, SITREP_HEALTH_UNKNOWN, NULL);
  return GTK_WIDGET (self);
}

const char *
sitrep_affected_service_row_get_service_id (SitrepAffectedServiceRow *self)
{
  g_return_val_if_fail (SITREP_IS_AFFECTED_SERVICE_ROW (self), NULL);
  return self->service_id;
}

gboolean
sitrep_affected_service_row_get_active (SitrepAffectedServiceRow *self)
{
  g_return_val_if_fail (SITREP_IS_AFFECTED_SERVICE_ROW (self), FALSE);
  return gtk_check_button_get_active (self->check);
}

void
sitrep_affected_service_row_set_active (SitrepAffectedServiceRow *self,
                                        gboolean                  active)
{
  g_return_if_fail (SITREP_IS_AFFECTED_SERVICE_ROW (self));
  gtk_check_button_set_active (self->check, active);
}

void
sitrep_affected_service_row_suggest (SitrepAffectedServiceRow *self,
                                     SitrepHealth              health,
                                     const char               *reason)
{
  g_return_if_fail (SITREP_IS_AFFECTED_SERVICE_ROW (self));

  g_clear_pointer (&self->note, g_free);
  if (health == SITREP_HEALTH_DOWN || health == SITREP_HEALTH_DEGRADED)
    {
      if (reason != NULL && *reason != '\0')
        /* Translators: why a service is pre-selected, "Down now: [STATUS] is 503, not 200" */
        self->note = g_strdup_printf (health == SITREP_HEALTH_DOWN ? _("Down now: %s")
                                                                   : _("Degraded now: %s"),
                                      reason);
      else
        self->note = g_strdup (health == SITREP_HEALTH_DOWN ? _("Down now") : _("Degraded now"));
    }

  if (self->note == NULL && self->description != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->description);
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), self->note ? self->note : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "warning");
  if (self->note != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), health == SITREP_HEALTH_DOWN ? "error"
                                                                              : "warning");
  if (!self->touched)
    {
      self->updating = TRUE;
      gtk_check_button_set_active (self->check, self->note != NULL);
      self->updating = FALSE;
    }
}

const char *
sitrep_affected_service_row_get_note (SitrepAffectedServiceRow *self)
{
  g_return_val_if_fail (SITREP_IS_AFFECTED_SERVICE_ROW (self), NULL);
  return self->note;
}
