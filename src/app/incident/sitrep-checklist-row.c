/* sitrep-checklist-row.c: an item of the checklist: its tick, who ticked it, and what it opens
 *
 * The row records nothing: ::toggled and ::open say what the commander did, and its group
 * decides what that means.
 */
#include "config.h"

#include "sitrep-checklist-row-private.h"

G_DEFINE_FINAL_TYPE (SitrepChecklistRow, sitrep_checklist_row, ADW_TYPE_ACTION_ROW)

enum
{
  TOGGLED,
  OPEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
check_toggled_cb (SitrepChecklistRow *self)
{
  if (!self->updating)
    g_signal_emit (self, signals[TOGGLED], 0, gtk_check_button_get_active (self->check));
}

static void
button_clicked_cb (SitrepChecklistRow *self)
{
  g_signal_emit (self, signals[OPEN], 0);
}

static void
sitrep_checklist_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_CHECKLIST_ROW);

  G_OBJECT_CLASS (sitrep_checklist_row_parent_class)->dispose (object);
}

static void
sitrep_checklist_row_class_init (SitrepChecklistRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_checklist_row_dispose;

  /**
   * SitrepChecklistRow::toggled:
   * @done: whether the commander ticked the item
   */
  signals[TOGGLED] = g_signal_new ("toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /**
   * SitrepChecklistRow::open:
   *
   * The commander pressed the button of what the item opens.
   */
  signals[OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-checklist-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepChecklistRow, check);
  gtk_widget_class_bind_template_child (widget_class, SitrepChecklistRow, button);
  gtk_widget_class_bind_template_callback (widget_class, check_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, button_clicked_cb);
}

static void
sitrep_checklist_row_init (SitrepChecklistRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_checklist_row_new (const SitrepChecklistItem *item)
{
  SitrepChecklistRow *self;

  g_return_val_if_fail (item != NULL, NULL);

  self = g_object_new (SITREP_TYPE_CHECKLIST_ROW, "title", item->text, NULL);
  self->item = item;
  return GTK_WIDGET (self);
}

const SitrepChecklistItem *
sitrep_checklist_row_get_item (SitrepChecklistRow *self)
{
  g_return_val_if_fail (SITREP_IS_CHECKLIST_ROW (self), NULL);
  return self->item;
}

gboolean
sitrep_checklist_row_get_done (SitrepChecklistRow *self)
{
  g_return_val_if_fail (SITREP_IS_CHECKLIST_ROW (self), FALSE);
  return gtk_check_button_get_active (self->check);
}

void
sitrep_checklist_row_set_done (SitrepChecklistRow *self,
                               gboolean            done)
{
  g_return_if_fail (SITREP_IS_CHECKLIST_ROW (self));

  self->updating = TRUE;
  gtk_check_button_set_active (self->check, done);
  self->updating = FALSE;
}

void
sitrep_checklist_row_set_button (SitrepChecklistRow *self,
                                 const char         *label,
                                 const char         *name,
                                 const char         *tooltip,
                                 gboolean            sensitive)
{
  g_return_if_fail (SITREP_IS_CHECKLIST_ROW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->button), label != NULL);
  /* A row's suffix box keeps its spacing around a hidden button: the box goes too. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->button)), label != NULL);
  if (label == NULL)
    return;
  gtk_button_set_label (self->button, label);
  /* Several rows say "Copy Message" or "Open": the name a screen reader hears tells them apart. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name != NULL ? name : label, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), sensitive);
}
