/* sitrep-timeline-text-cell.c: an event's text on the timeline, its edit mark and annotation */
#include "config.h"

#include "sitrep-timeline-text-cell.h"

struct _SitrepTimelineTextCell
{
  GtkWidget parent_instance;

  GtkLabel *text_label;
  GtkWidget *edited_label;
  GtkLabel *annotation_label;
};

G_DEFINE_FINAL_TYPE (SitrepTimelineTextCell, sitrep_timeline_text_cell, GTK_TYPE_WIDGET)

static void
sitrep_timeline_text_cell_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), SITREP_TYPE_TIMELINE_TEXT_CELL);
  /* The template's box has no name: the template leaves it to its parent. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sitrep_timeline_text_cell_parent_class)->dispose (object);
}

static void
sitrep_timeline_text_cell_class_init (SitrepTimelineTextCellClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_timeline_text_cell_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-timeline-text-cell.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineTextCell, text_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineTextCell, edited_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepTimelineTextCell, annotation_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sitrep_timeline_text_cell_init (SitrepTimelineTextCell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sitrep_timeline_text_cell_new (void)
{
  return g_object_new (SITREP_TYPE_TIMELINE_TEXT_CELL, NULL);
}

void
sitrep_timeline_text_cell_set (SitrepTimelineTextCell *self,
                               const char             *text,
                               const char             *original,
                               const char             *annotation)
{
  g_return_if_fail (SITREP_IS_TIMELINE_TEXT_CELL (self));

  gtk_label_set_text (self->text_label, text ? text : "");
  gtk_widget_set_visible (self->edited_label, original != NULL);
  gtk_widget_set_tooltip_text (self->edited_label, original);
  gtk_widget_set_visible (GTK_WIDGET (self->annotation_label), annotation != NULL);
  gtk_label_set_text (self->annotation_label, annotation ? annotation : "");
}
