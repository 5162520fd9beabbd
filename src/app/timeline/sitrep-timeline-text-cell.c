/* sitrep-timeline-text-cell.c: an event's text on the timeline, its edit mark and annotation
 *
 * The Timeline's column view keeps some 200 rows and measures every cell in them whenever the
 * list changes, so the text does not wrap: a wrapping GtkLabel lays its text out again for each
 * width it is asked about (three quarters of the time from Alt+3 to the rows,
 * docs/PERFORMANCE.md). Each of the text's lines is a line of the cell, up to
 * SITREP_TIMELINE_TEXT_CELL_MAX_LINES, and ends in "…" where the column is narrower; the whole
 * text is the tooltip wherever it is cut. The "(edited)" mark and the annotation, rare, are
 * made the first time a row needs them.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-timeline-text-cell.h"

struct _SitrepTimelineTextCell
{
  GtkWidget parent_instance;

  GtkWidget *line;               /* the text, and the edit mark after it */
  GtkLabel *text;
  char *whole;                   /* the text; the label may show its first lines only */
  guint lines;
  GtkWidget *edited_label;       /* (nullable): made on first need */
  GtkLabel *annotation_label;    /* (nullable): made on first need */
};

G_DEFINE_FINAL_TYPE (SitrepTimelineTextCell, sitrep_timeline_text_cell, GTK_TYPE_WIDGET)

/* The text as the label shows it in its allocation: cut when lines were left out or pango
 * ended one with "…" to fit the column. */
gboolean
sitrep_timeline_text_cell_is_cut (SitrepTimelineTextCell *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_TEXT_CELL (self), FALSE);

  if (g_strcmp0 (gtk_label_get_text (self->text), self->whole) != 0)
    return TRUE;
  return gtk_widget_get_width (GTK_WIDGET (self->text)) > 0
         && pango_layout_is_ellipsized (gtk_label_get_layout (self->text));
}

char *
sitrep_timeline_text_cell_get_tooltip (SitrepTimelineTextCell *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_TEXT_CELL (self), NULL);

  if (!sitrep_timeline_text_cell_is_cut (self))
    return NULL;
  return g_strdup (self->whole);
}

/* Asked when the pointer rests on the text, not made for every row bound. */
static gboolean
query_tooltip_cb (GtkWidget              *text,
                  int                     x,
                  int                     y,
                  gboolean                keyboard,
                  GtkTooltip             *tooltip,
                  SitrepTimelineTextCell *self)
{
  g_autofree char *words = sitrep_timeline_text_cell_get_tooltip (self);

  if (words == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, words);
  return TRUE;
}

static void
sitrep_timeline_text_cell_dispose (GObject *object)
{
  SitrepTimelineTextCell *self = SITREP_TIMELINE_TEXT_CELL (object);

  g_clear_pointer (&self->line, gtk_widget_unparent);
  if (self->annotation_label != NULL)
    gtk_widget_unparent (GTK_WIDGET (g_steal_pointer (&self->annotation_label)));
  self->text = NULL;
  self->edited_label = NULL;
  g_clear_pointer (&self->whole, g_free);

  G_OBJECT_CLASS (sitrep_timeline_text_cell_parent_class)->dispose (object);
}

static void
sitrep_timeline_text_cell_class_init (SitrepTimelineTextCellClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_timeline_text_cell_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
sitrep_timeline_text_cell_init (SitrepTimelineTextCell *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *text = gtk_label_new (NULL);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 2);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);

  self->line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_parent (self->line, GTK_WIDGET (self));

  self->text = GTK_LABEL (text);
  gtk_label_set_xalign (self->text, 0);
  gtk_label_set_ellipsize (self->text, PANGO_ELLIPSIZE_END);
  gtk_widget_set_has_tooltip (text, TRUE);
  g_signal_connect_object (text, "query-tooltip", G_CALLBACK (query_tooltip_cb), self, 0);
  gtk_box_append (GTK_BOX (self->line), text);
}

GtkWidget *
sitrep_timeline_text_cell_new (void)
{
  return g_object_new (SITREP_TYPE_TIMELINE_TEXT_CELL, NULL);
}

/* How many lines @text is given, and where the ones that do not fit start (NULL when all do). */
static guint
count_lines (const char  *text,
             const char **rest)
{
  guint lines = 1;

  *rest = NULL;
  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      {
        if (lines == SITREP_TIMELINE_TEXT_CELL_MAX_LINES)
          {
            *rest = p;
            break;
          }
        lines++;
      }
  return lines;
}

void
sitrep_timeline_text_cell_set (SitrepTimelineTextCell *self,
                               const char             *text,
                               const char             *original,
                               const char             *annotation)
{
  const char *rest;

  g_return_if_fail (SITREP_IS_TIMELINE_TEXT_CELL (self));

  if (text == NULL)
    text = "";
  g_free (self->whole);
  self->whole = g_strdup (text);
  self->lines = count_lines (text, &rest);
  if (rest == NULL)
    gtk_label_set_text (self->text, text);
  else
    {
      g_autofree char *first = g_strdup_printf ("%.*s…", (int) (rest - text), text);

      gtk_label_set_text (self->text, first);
    }

  if (original != NULL && self->edited_label == NULL)
    {
      /* Translators: the marker after a note that was edited */
      self->edited_label = gtk_label_new (_("(edited)"));
      /* Beside the first line; baseline alignment in GTK 4.8 boxes cut a third line off. */
      gtk_widget_set_valign (self->edited_label, GTK_ALIGN_START);
      gtk_widget_add_css_class (self->edited_label, "dim-label");
      gtk_widget_add_css_class (self->edited_label, "caption");
      gtk_box_append (GTK_BOX (self->line), self->edited_label);
    }
  if (self->edited_label != NULL)
    {
      gtk_widget_set_visible (self->edited_label, original != NULL);
      gtk_widget_set_tooltip_text (self->edited_label, original);
    }

  if (annotation != NULL && self->annotation_label == NULL)
    {
      self->annotation_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (self->annotation_label, 0);
      gtk_label_set_wrap (self->annotation_label, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->annotation_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->annotation_label), "caption");
      gtk_widget_set_parent (GTK_WIDGET (self->annotation_label), GTK_WIDGET (self));
    }
  if (self->annotation_label != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->annotation_label), annotation != NULL);
      gtk_label_set_text (self->annotation_label, annotation ? annotation : "");
    }
}

guint
sitrep_timeline_text_cell_get_lines (SitrepTimelineTextCell *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_TEXT_CELL (self), 0);

  return self->lines;
}

const char *
sitrep_timeline_text_cell_get_text (SitrepTimelineTextCell *self)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_TEXT_CELL (self), NULL);

  return self->whole;
}
