/* sitrep-trust-item.c: a program a runbook would run: what it is for, and its command line */
#include "config.h"

#include "sitrep-trust-item-private.h"

G_DEFINE_FINAL_TYPE (SitrepTrustItem, sitrep_trust_item, GTK_TYPE_WIDGET)

static void
sitrep_trust_item_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_TRUST_ITEM);
  /* The template's box has no name: the template leaves it to its parent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sitrep_trust_item_parent_class)->dispose (object);
}

static void
sitrep_trust_item_class_init (SitrepTrustItemClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_trust_item_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-trust-item.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepTrustItem, what_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepTrustItem, line_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sitrep_trust_item_init (SitrepTrustItem *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_trust_item_new (const SitrepTrustCommand *command)
{
  SitrepTrustItem *self;

  g_return_val_if_fail (command != NULL, NULL);

  self = g_object_new (SITREP_TYPE_TRUST_ITEM, NULL);
  gtk_label_set_text (self->what_label, command->what);
  gtk_label_set_text (self->line_label, command->command_line);
  return GTK_WIDGET (self);
}
