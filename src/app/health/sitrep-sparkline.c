/* sitrep-sparkline.c: a small chart of a probe's recent latencies and states
 *
 * One bar per result, its height the latency relative to the largest shown, its colour the
 * state of that result; a result without latency (refused, timed out) is a full-height bar in
 * the state's colour, so an outage is never drawn as "fast".
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
};

G_DEFINE_FINAL_TYPE (SitrepSparkline, sitrep_sparkline, GTK_TYPE_WIDGET)

static void
color_for (SitrepHealth health,
           GdkRGBA     *rgba)
{
  /* The GNOME palette: green 4, yellow 5, red 3, light grey. */
  switch (health)
    {
    case SITREP_HEALTH_UP:
      gdk_rgba_parse (rgba, "#2ec27e");
      break;
    case SITREP_HEALTH_DEGRADED:
      gdk_rgba_parse (rgba, "#e5a50a");
      break;
    case SITREP_HEALTH_DOWN:
      gdk_rgba_parse (rgba, "#e01b24");
      break;
    case SITREP_HEALTH_UNKNOWN:
    default:
      gdk_rgba_parse (rgba, "#9a9996");
      break;
    }
}

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
      GdkRGBA rgba;

      if (point->latency_ms < 0 || point->health == SITREP_HEALTH_DOWN)
        h = height;
      else
        h = MAX (2.0f, (float) (point->latency_ms / max_latency) * height);

      color_for (point->health, &rgba);
      gtk_snapshot_append_color (snapshot, &rgba,
                                 &GRAPHENE_RECT_INIT (x, height - h, MAX (1.0f, bar - 1), h));
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

static void
sitrep_sparkline_class_init (SitrepSparklineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = sitrep_sparkline_snapshot;
  widget_class->measure = sitrep_sparkline_measure;
  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sitrep_sparkline_init (SitrepSparkline *self)
{
}

GtkWidget *
sitrep_sparkline_new (void)
{
  return g_object_new (SITREP_TYPE_SPARKLINE, NULL);
}

void
sitrep_sparkline_set_points (SitrepSparkline         *self,
                             const SitrepHealthPoint *points,
                             guint                    n_points)
{
  guint down = 0;
  g_autofree char *label = NULL;

  g_return_if_fail (SITREP_IS_SPARKLINE (self));

  self->n_points = MIN (n_points, SITREP_HEALTH_HISTORY);
  memcpy (self->points, points + (n_points - self->n_points),
          self->n_points * sizeof (SitrepHealthPoint));

  for (guint i = 0; i < self->n_points; i++)
    down += self->points[i].health == SITREP_HEALTH_DOWN;
  /* Translators: what a screen reader says for the sparkline */
  label = g_strdup_printf (_("%u recent results, %u of them down"), self->n_points, down);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
