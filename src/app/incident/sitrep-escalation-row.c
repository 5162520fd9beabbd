/* sitrep-escalation-row.c: a step of the escalation path: who, and when to call them */
#include "config.h"

#include "sitrep-escalation-row.h"
#include "sitrep-incident-format.h"

struct _SitrepEscalationRow
{
  AdwActionRow parent_instance;

  GtkLabel *state_label;
};

G_DEFINE_FINAL_TYPE (SitrepEscalationRow, sitrep_escalation_row, ADW_TYPE_ACTION_ROW)

static void
sitrep_escalation_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_ESCALATION_ROW);

  G_OBJECT_CLASS (sitrep_escalation_row_parent_class)->dispose (object);
}

static void
sitrep_escalation_row_class_init (SitrepEscalationRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_escalation_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-escalation-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepEscalationRow, state_label);
}

static void
sitrep_escalation_row_init (SitrepEscalationRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_escalation_row_new (const char *role,
                           const char *subtitle)
{
  return g_object_new (SITREP_TYPE_ESCALATION_ROW, "title", role, "subtitle", subtitle, NULL);
}

void
sitrep_escalation_row_set_state (SitrepEscalationRow   *self,
                                 const char            *text,
                                 SitrepEscalationState  state)
{
  GtkWidget *label;

  g_return_if_fail (SITREP_IS_ESCALATION_ROW (self));

  label = GTK_WIDGET (self->state_label);
  if (g_strcmp0 (gtk_label_get_text (self->state_label), text) != 0)
    gtk_label_set_text (self->state_label, text);
  sitrep_incident_format_set_css (label, "error", state == SITREP_ESCALATION_DUE);
  sitrep_incident_format_set_css (label, "heading", state == SITREP_ESCALATION_DUE);
  sitrep_incident_format_set_css (label, "success", state == SITREP_ESCALATION_ESCALATED);
  sitrep_incident_format_set_css (label, "dim-label",
                                  state == SITREP_ESCALATION_NOT_NEEDED
                                  || state == SITREP_ESCALATION_STOPPED
                                  || state == SITREP_ESCALATION_MANUAL);
}

const char *
sitrep_escalation_row_get_state_text (SitrepEscalationRow *self)
{
  g_return_val_if_fail (SITREP_IS_ESCALATION_ROW (self), NULL);
  return gtk_label_get_text (self->state_label);
}
