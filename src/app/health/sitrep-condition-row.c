/* sitrep-condition-row.c: a probe's condition, its resolved value, and whether it holds
 *
 * Texts and the icon change only where they differ: a screen reader announces every change,
 * and a result arrives every few seconds.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-condition-row.h"

struct _SitrepConditionRow
{
  AdwActionRow parent_instance;

  const SitrepConditionSpec *spec;

  GtkImage *icon;
};

G_DEFINE_FINAL_TYPE (SitrepConditionRow, sitrep_condition_row, ADW_TYPE_ACTION_ROW)

static void
sitrep_condition_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_CONDITION_ROW);

  G_OBJECT_CLASS (sitrep_condition_row_parent_class)->dispose (object);
}

static void
sitrep_condition_row_class_init (SitrepConditionRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_condition_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-condition-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepConditionRow, icon);
}

static void
sitrep_condition_row_init (SitrepConditionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_condition_row_new (const SitrepConditionSpec *spec)
{
  SitrepConditionRow *self;

  g_return_val_if_fail (spec != NULL, NULL);

  self = g_object_new (SITREP_TYPE_CONDITION_ROW, "title", spec->check, NULL);
  self->spec = spec;
  sitrep_condition_row_set_verdict (self, NULL);
  return GTK_WIDGET (self);
}

const SitrepConditionSpec *
sitrep_condition_row_get_spec (SitrepConditionRow *self)
{
  g_return_val_if_fail (SITREP_IS_CONDITION_ROW (self), NULL);
  return self->spec;
}

void
sitrep_condition_row_set_verdict (SitrepConditionRow           *self,
                                  const SitrepConditionVerdict *verdict)
{
  const char *warning = self->spec->severity == SITREP_CONDITION_WARNING
                          ? _("\nWarning: failing degrades the service") : "";
  g_autofree char *subtitle = NULL;
  const char *icon_name, *label;

  g_return_if_fail (SITREP_IS_CONDITION_ROW (self));

  if (verdict == NULL)
    {
      subtitle = g_strdup_printf ("%s%s", _("Not checked yet"), warning);
      icon_name = "content-loading-symbolic";
      label = _("Not checked yet");
    }
  else
    {
      subtitle = g_strdup_printf ("%s%s%s%s", verdict->resolved ? verdict->resolved : "",
                                  verdict->reason ? "\n" : "",
                                  verdict->reason ? sitrep_reason_to_string (verdict->reason) : "",
                                  warning);
      icon_name = verdict->passed ? "emblem-ok-symbolic" : "window-close-symbolic";
      label = verdict->passed ? _("Holds") : _("Fails");
    }
  if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (self)), subtitle) != 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  if (g_strcmp0 (gtk_image_get_icon_name (self->icon), icon_name) != 0)
    {
      gtk_image_set_from_icon_name (self->icon, icon_name);
      gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "error");
      if (verdict != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->icon), verdict->passed ? "success" : "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
    }
}
