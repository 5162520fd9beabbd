/* sitrep-action-item-row.c: a post-mortem's action item as a row: done, what, who, by when
 *
 * The fields are bound to the item both ways: typing changes the item, and a change of the
 * item (its id, once saved) leaves the row, its focus and a screen reader's place alone.
 */
#include "config.h"

#include "sitrep-action-item-row.h"

struct _SitrepActionItemRow
{
  GtkListBoxRow parent_instance;

  SitrepPostmortemItem *item;

  GtkCheckButton *done_check;
  GtkEntry *text_entry;
  GtkEntry *owner_entry;
  GtkEntry *due_entry;
};

G_DEFINE_FINAL_TYPE (SitrepActionItemRow, sitrep_action_item_row, GTK_TYPE_LIST_BOX_ROW)

enum
{
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
remove_clicked_cb (SitrepActionItemRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
sitrep_action_item_row_constructed (GObject *object)
{
  SitrepActionItemRow *self = SITREP_ACTION_ITEM_ROW (object);
  GBindingFlags flags = G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE;

  G_OBJECT_CLASS (sitrep_action_item_row_parent_class)->constructed (object);

  g_object_bind_property (self->item, "text", self->text_entry, "text", flags);
  g_object_bind_property (self->item, "owner", self->owner_entry, "text", flags);
  g_object_bind_property (self->item, "due", self->due_entry, "text", flags);
  g_object_bind_property (self->item, "done", self->done_check, "active", flags);
}

static void
sitrep_action_item_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SitrepActionItemRow *self = SITREP_ACTION_ITEM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_action_item_row_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SitrepActionItemRow *self = SITREP_ACTION_ITEM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      self->item = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_action_item_row_dispose (GObject *object)
{
  SitrepActionItemRow *self = SITREP_ACTION_ITEM_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_ACTION_ITEM_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (sitrep_action_item_row_parent_class)->dispose (object);
}

static void
sitrep_action_item_row_class_init (SitrepActionItemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sitrep_action_item_row_constructed;
  object_class->get_property = sitrep_action_item_row_get_property;
  object_class->set_property = sitrep_action_item_row_set_property;
  object_class->dispose = sitrep_action_item_row_dispose;

  properties[PROP_ITEM] = g_param_spec_object ("item", NULL, NULL, SITREP_TYPE_POSTMORTEM_ITEM,
                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                               | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SitrepActionItemRow::remove:
   *
   * The commander asked to remove the item; whoever holds the list removes it.
   */
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-action-item-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepActionItemRow, done_check);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionItemRow, text_entry);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionItemRow, owner_entry);
  gtk_widget_class_bind_template_child (widget_class, SitrepActionItemRow, due_entry);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
sitrep_action_item_row_init (SitrepActionItemRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_action_item_row_new (SitrepPostmortemItem *item)
{
  g_return_val_if_fail (SITREP_IS_POSTMORTEM_ITEM (item), NULL);
  return g_object_new (SITREP_TYPE_ACTION_ITEM_ROW, "item", item, NULL);
}

SitrepPostmortemItem *
sitrep_action_item_row_get_item (SitrepActionItemRow *self)
{
  g_return_val_if_fail (SITREP_IS_ACTION_ITEM_ROW (self), NULL);
  return self->item;
}

void
sitrep_action_item_row_focus_text (SitrepActionItemRow *self)
{
  g_return_if_fail (SITREP_IS_ACTION_ITEM_ROW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->text_entry));
}
