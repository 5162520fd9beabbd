/* sitrep-timeline-text-cell.c: an event's text on the timeline, its edit mark and annotation
 *
 * The Timeline's column view keeps some 200 rows and measures every cell in them whenever the
 * list changes, so the text does not wrap: a wrapping GtkLabel lays its text out again for each
 * width it is asked about (three quarters of the time from Alt+3 to the rows,
 * docs/PERFORMANCE.md). Each of the text's lines is a line of the cell, up to
 * SITREP_TIMELINE_TEXT_CELL_MAX_LINES, and ends in "…" where the column is narrower; the whole
 * text is the tooltip wherever it is cut, and what a screen reader reads. The "(edited)" mark
 * and the annotation, rare, are made the first time a row needs them. A cell is made in code,
 * not from a template: a template's instance cost some 0.45 M instructions, 200 times.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-timeline-text-cell-private.h"

G_DEFINE_FINAL_TYPE (SitrepTimelineTextCell, sitrep_timeline_text_cell, GTK_TYPE_WIDGET)

char *
sitrep_timeline_text_cell_dup_cut_text (SitrepTimelineTextCell *self)
{
  gboolean cut;

  g_return_val_if_fail (SITREP_IS_TIMELINE_TEXT_CELL (self), NULL);

  cut = g_strcmp0 (gtk_label_get_text (self->text), self->whole) != 0
        || (gtk_widget_get_width (GTK_WIDGET (self->text)) > 0
            && pango_layout_is_ellipsized (gtk_label_get_layout (self->text)));
  return cut ? g_strdup (self->whole) : NULL;
}

/* Asked when the pointer rests on the text, not set for every row bound: in GTK 4.8, setting
 * a visible widget's tooltip asks the display server where the pointer is. */
static gboolean
text_tooltip_cb (GtkWidget              *text,
                 int                     x,
                 int                     y,
                 gboolean                keyboard,
                 GtkTooltip             *tooltip,
                 SitrepTimelineTextCell *self)
{
  g_autofree char *words = sitrep_timeline_text_cell_dup_cut_text (self);

  if (words == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, words);
  return TRUE;
}

static gboolean
edited_tooltip_cb (GtkWidget              *mark,
                   int                     x,
                   int                     y,
                   gboolean                keyboard,
                   GtkTooltip             *tooltip,
                   SitrepTimelineTextCell *self)
{
  if (self->original == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->original);
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

  G_OBJECT_CLASS (sitrep_timeline_text_cell_parent_class)->dispose (object);
}

static void
sitrep_timeline_text_cell_finalize (GObject *object)
{
  SitrepTimelineTextCell *self = SITREP_TIMELINE_TEXT_CELL (object);

  g_free (self->whole);
  g_free (self->original);

  G_OBJECT_CLASS (sitrep_timeline_text_cell_parent_class)->finalize (object);
}

static void
sitrep_timeline_text_cell_class_init (SitrepTimelineTextCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sitrep_timeline_text_cell_dispose;
  object_class->finalize = sitrep_timeline_text_cell_finalize;

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
  g_signal_connect_object (text, "query-tooltip", G_CALLBACK (text_tooltip_cb), self, 0);
  gtk_box_append (GTK_BOX (self->line), text);
}

GtkWidget *
sitrep_timeline_text_cell_new (void)
{
  return g_object_new (SITREP_TYPE_TIMELINE_TEXT_CELL, NULL);
}

/* The length of the line break at @p ("\r\n", "\n", "\r", U+2028 or U+2029), 0 if none: Pango
 * starts a line at each. */
static gsize
line_break_at (const char *p)
{
  if (p[0] == '\r' && p[1] == '\n')
    return 2;
  if (p[0] == '\n' || p[0] == '\r')
    return 1;
  if ((guchar) p[0] == 0xE2 && (guchar) p[1] == 0x80 && ((guchar) p[2] == 0xA8
                                                          || (guchar) p[2] == 0xA9))
    return 3;
  return 0;
}

/* Where the lines after the first SITREP_TIMELINE_TEXT_CELL_MAX_LINES of @text start (at the
 * break before them), or NULL when it has no more. */
static const char *
lines_left_out (const char *text)
{
  guint lines = 1;

  for (const char *p = text; *p != '\0';)
    {
      gsize length = line_break_at (p);

      if (length == 0)
        {
          p++;
          continue;
        }
      if (lines == SITREP_TIMELINE_TEXT_CELL_MAX_LINES)
        return p;
      lines++;
      p += length;
    }
  return NULL;
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
  rest = lines_left_out (text);
  /* A screen reader reads a label's text; where lines are left out, the whole text instead. */
  if (rest == NULL)
    {
      gtk_label_set_text (self->text, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      text, -1);
    }
  else
    {
      g_autofree char *first = g_strdup_printf ("%.*s…", (int) (rest - text), text);

      gtk_label_set_text (self->text, first);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      text, -1);
    }

  g_free (self->original);
  self->original = g_strdup (original);
  if (original != NULL && self->edited_label == NULL)
    {
      /* Translators: the marker after a note that was edited */
      self->edited_label = gtk_label_new (_("(edited)"));
      /* Beside the first line; baseline alignment in GTK 4.8 boxes cut a third line off. */
      gtk_widget_set_valign (self->edited_label, GTK_ALIGN_START);
      gtk_widget_add_css_class (self->edited_label, "dim-label");
      gtk_widget_add_css_class (self->edited_label, "caption");
      gtk_widget_set_has_tooltip (self->edited_label, TRUE);
      g_signal_connect_object (self->edited_label, "query-tooltip",
                               G_CALLBACK (edited_tooltip_cb), self, 0);
      gtk_box_append (GTK_BOX (self->line), self->edited_label);
    }
  if (self->edited_label != NULL)
    {
      gtk_widget_set_visible (self->edited_label, original != NULL);
      if (original != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->edited_label),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, original, -1);
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
