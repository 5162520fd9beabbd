/* sitrep-severity-row.c: a severity to pick, with its description, target and examples */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-severity-row.h"

struct _SitrepSeverityRow
{
  AdwActionRow parent_instance;

  char *severity_id;

  GtkCheckButton *check;
};

G_DEFINE_FINAL_TYPE (SitrepSeverityRow, sitrep_severity_row, ADW_TYPE_ACTION_ROW)

enum
{
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
check_active_cb (SitrepSeverityRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
sitrep_severity_row_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SitrepSeverityRow *self = SITREP_SEVERITY_ROW (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, sitrep_severity_row_get_active (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_severity_row_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SitrepSeverityRow *self = SITREP_SEVERITY_ROW (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      sitrep_severity_row_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_severity_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_SEVERITY_ROW);

  G_OBJECT_CLASS (sitrep_severity_row_parent_class)->dispose (object);
}

static void
sitrep_severity_row_finalize (GObject *object)
{
  g_free (SITREP_SEVERITY_ROW (object)->severity_id);

  G_OBJECT_CLASS (sitrep_severity_row_parent_class)->finalize (object);
}

static void
sitrep_severity_row_class_init (SitrepSeverityRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_severity_row_dispose;
  object_class->finalize = sitrep_severity_row_finalize;
  object_class->get_property = sitrep_severity_row_get_property;
  object_class->set_property = sitrep_severity_row_set_property;

  /**
   * SitrepSeverityRow:active:
   *
   * Whether this severity is the one picked.
   */
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                  | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-severity-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepSeverityRow, check);
}

static void
sitrep_severity_row_init (SitrepSeverityRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->check, "notify::active", G_CALLBACK (check_active_cb), self,
                           G_CONNECT_SWAPPED);
}

/* "Complete outage · respond within 15 min\nFor example: Checkout down, Data loss" */
static char *
describe (const SitrepSeverity *severity)
{
  GString *subtitle = g_string_new (NULL);

  if (severity->description != NULL && *severity->description != '\0')
    g_string_append (subtitle, severity->description);
  if (severity->response_target > 0)
    {
      g_autofree char *target = NULL;

      /* "24 h" reads better than the runbook's "1 d" for a response target. */
      if (severity->response_target % 3600 == 0 && severity->response_target <= 48 * 3600)
        /* Translators: a number of hours, "24 h" */
        target = g_strdup_printf (_("%d h"), (int) (severity->response_target / 3600));
      else
        target = sitrep_format_duration (severity->response_target);

      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      /* Translators: a severity's response target, "respond within 15 min" */
      g_string_append_printf (subtitle, _("respond within %s"), target);
    }
  if (severity->examples != NULL && severity->examples[0] != NULL)
    {
      g_autofree char *examples = g_strjoinv (", ", severity->examples);

      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      /* Translators: a severity's examples, "For example: Complete outage, Data loss" */
      g_string_append_printf (subtitle, _("For example: %s"), examples);
    }
  return g_string_free (subtitle, FALSE);
}

GtkWidget *
sitrep_severity_row_new (const SitrepSeverity *severity,
                         SitrepSeverityRow    *group)
{
  /* Translators: a severity's title, its id and label: "SEV-1 · Critical" */
  g_autofree char *title = g_strdup_printf (_("%s · %s"), severity->id, severity->label);
  g_autofree char *subtitle = describe (severity);
  SitrepSeverityRow *self;

  g_return_val_if_fail (group == NULL || SITREP_IS_SEVERITY_ROW (group), NULL);

  self = g_object_new (SITREP_TYPE_SEVERITY_ROW, "title", title, "subtitle", subtitle, NULL);
  self->severity_id = g_strdup (severity->id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  if (group != NULL)
    gtk_check_button_set_group (self->check, group->check);
  return GTK_WIDGET (self);
}

const char *
sitrep_severity_row_get_severity_id (SitrepSeverityRow *self)
{
  g_return_val_if_fail (SITREP_IS_SEVERITY_ROW (self), NULL);
  return self->severity_id;
}

gboolean
sitrep_severity_row_get_active (SitrepSeverityRow *self)
{
  g_return_val_if_fail (SITREP_IS_SEVERITY_ROW (self), FALSE);
  return gtk_check_button_get_active (self->check);
}

void
sitrep_severity_row_set_active (SitrepSeverityRow *self,
                                gboolean           active)
{
  g_return_if_fail (SITREP_IS_SEVERITY_ROW (self));
  gtk_check_button_set_active (self->check, active);
}
