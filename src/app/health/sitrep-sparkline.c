/* sitrep-sparkline.c: a small chart of a probe's recent latencies and states
 *
 * One bar per result, its height the latency relative to the largest shown, its colour the
 * state of that result; a result without latency (refused, timed out) is a full-height bar in
 * the state's colour, so an outage is never drawn as "fast".
 *
 * The colours come from style.css: a swatch child per state has the state's background, and
 * each bar is that swatch drawn again, clipped to the bar. Only what GTK draws from CSS follows
 * the light, dark and high-contrast styles; a colour written here would not.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sitrep-sparkline.h"

struct _SitrepSparkline
{
  GtkWidget parent_instance;

  SitrepHealthPoint points[SITREP_HEALTH_HISTORY];
  guint n_points;
  GtkWidget *swatches[SITREP_HEALTH_DOWN + 1]; /* by SitrepHealth */
};

G_DEFINE_FINAL_TYPE (SitrepSparkline, sitrep_sparkline, GTK_TYPE_WIDGET)

/* The style class of each state's swatch, by SitrepHealth. */
static const char *const swatch_classes[] = { "up", "unknown", "degraded", "down" };

G_STATIC_ASSERT (G_N_ELEMENTS (swatch_classes) == SITREP_HEALTH_DOWN + 1);

static void
sitrep_sparkline_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  SitrepSparkline *self = SITREP_SPARKLINE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double max_latency = 1;
  float bar;

  if (self->n_points == 0 || width <= 0 || height <= 0)
    return;

  for (guint i = 0; i < self->n_points; i++)
    max_latency = MAX (max_latency, self->points[i].latency_ms);

  bar = (float) width / SITREP_HEALTH_HISTORY;
  for (guint i = 0; i < self->n_points; i++)
    {
      const SitrepHealthPoint *point = &self->points[i];
      /* Newest on the right, like every chart a person has read. */
      float x = width - (self->n_points - i) * bar;
      float h;

      if (point->latency_ms < 0 || point->health == SITREP_HEALTH_DOWN)
        h = height;
      else
        h = MAX (2.0f, (float) (point->latency_ms / max_latency) * height);

      gtk_snapshot_push_clip (snapshot,
                              &GRAPHENE_RECT_INIT (x, height - h, MAX (1.0f, bar - 1), h));
      gtk_widget_snapshot_child (widget, self->swatches[point->health], snapshot);
      gtk_snapshot_pop (snapshot);
    }
}

static void
sitrep_sparkline_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 60, *natural = 180;
  else
    *minimum = 16, *natural = 24;
}

/* Every swatch covers the whole chart; the snapshot shows only the bars' parts of them. */
static void
sitrep_sparkline_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  SitrepSparkline *self = SITREP_SPARKLINE (widget);

  for (guint i = 0; i < G_N_ELEMENTS (self->swatches); i++)
    {
      int minimum, natural;

      gtk_widget_measure (self->swatches[i], GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural,
                          NULL, NULL);
      gtk_widget_allocate (self->swatches[i], width, height, -1, NULL);
    }
}

static void
sitrep_sparkline_dispose (GObject *object)
{
  SitrepSparkline *self = SITREP_SPARKLINE (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->swatches); i++)
    g_clear_pointer (&self->swatches[i], gtk_widget_unparent);

  G_OBJECT_CLASS (sitrep_sparkline_parent_class)->dispose (object);
}

static void
sitrep_sparkline_class_init (SitrepSparklineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_sparkline_dispose;
  widget_class->snapshot = sitrep_sparkline_snapshot;
  widget_class->measure = sitrep_sparkline_measure;
  widget_class->size_allocate = sitrep_sparkline_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sitrep_sparkline_init (SitrepSparkline *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->swatches); i++)
    {
      const char *classes[] = { "swatch", swatch_classes[i], NULL };

      /* Not a part a person can see or reach on its own: the chart's label says it all. */
      self->swatches[i] = g_object_new (GTK_TYPE_BOX,
                                        "css-classes", classes,
                                        "can-target", FALSE,
                                        "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                        NULL);
      gtk_widget_set_parent (self->swatches[i], GTK_WIDGET (self));
    }
}

GtkWidget *
sitrep_sparkline_new (void)
{
  return g_object_new (SITREP_TYPE_SPARKLINE, NULL);
}

static gboolean
same_points (SitrepSparkline         *self,
             const SitrepHealthPoint *points,
             guint                    n_points)
{
  if (n_points != self->n_points)
    return FALSE;
  for (guint i = 0; i < n_points; i++)
    if (points[i].at != self->points[i].at || points[i].health != self->points[i].health
        || points[i].latency_ms != self->points[i].latency_ms)
      return FALSE;
  return TRUE;
}

void
sitrep_sparkline_set_points (SitrepSparkline         *self,
                             const SitrepHealthPoint *points,
                             guint                    n_points)
{
  guint down = 0;
  g_autofree char *label = NULL;

  g_return_if_fail (SITREP_IS_SPARKLINE (self));

  /* The tiles are refreshed every few seconds for their "Up for 3 min": the same history is
   * neither drawn nor announced again. */
  if (n_points > SITREP_HEALTH_HISTORY)
    {
      points += n_points - SITREP_HEALTH_HISTORY;
      n_points = SITREP_HEALTH_HISTORY;
    }
  if (same_points (self, points, n_points))
    return;
  self->n_points = n_points;
  memcpy (self->points, points, n_points * sizeof (SitrepHealthPoint));

  for (guint i = 0; i < self->n_points; i++)
    down += self->points[i].health == SITREP_HEALTH_DOWN;
  /* Translators: what a screen reader says for the sparkline */
  label = g_strdup_printf (_("%u recent results, %u of them down"), self->n_points, down);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
