/* bench-tiles-frames.c: frame times of the Health view with 1,000 tiles updating every second */
#include "config.h"

#include <adwaita.h>

#include "bench-common.h"
#include "sitrep-health-view-private.h"

#define N_SERVICES 1000
#define PHASE_SECONDS 10
#define BATCHES_PER_SECOND 10
#define TARGET_P99_MS 16.0

typedef struct
{
  GtkWidget *window;
  SitrepMonitor *monitor;
  GBytes *body;
  gint64 paint_start;  /* monotonic, of the frame being painted */
  gint64 last_start;   /* of the frame before */
  gboolean recording;
  GArray *durations;   /* double ms: before-paint to the end of after-paint */
  GArray *intervals;   /* double ms: between the starts of two frames */
  GArray *feeds;       /* double ms: one batch of results fed to the monitor */
  GArray *layouts;     /* double ms: before-paint to the end of layout (update and layout) */
  GArray *paints;      /* double ms: the end of layout to the end of paint (snapshot, render) */
  gint64 layout_end;
  guint next_service;
  guint round;
} Bench;

static void
before_paint_cb (GdkFrameClock *clock,
                 Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();

  if (bench->recording && bench->last_start != 0)
    {
      double interval = (now - bench->last_start) / 1000.0;

      g_array_append_val (bench->intervals, interval);
    }
  bench->last_start = now;
  bench->paint_start = now;
  bench->layout_end = 0;
}

static void
layout_cb (GdkFrameClock *clock,
           Bench         *bench)
{
  double ms;

  if (!bench->recording || bench->paint_start == 0)
    return;
  bench->layout_end = g_get_monotonic_time ();
  ms = (bench->layout_end - bench->paint_start) / 1000.0;
  g_array_append_val (bench->layouts, ms);
}

static void
paint_cb (GdkFrameClock *clock,
          Bench         *bench)
{
  double ms;

  if (!bench->recording || bench->layout_end == 0)
    return;
  ms = (g_get_monotonic_time () - bench->layout_end) / 1000.0;
  g_array_append_val (bench->paints, ms);
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  double duration;

  if (!bench->recording || bench->paint_start == 0)
    return;
  duration = (g_get_monotonic_time () - bench->paint_start) / 1000.0;
  g_array_append_val (bench->durations, duration);
}

/* Keeps the frame clock ticking, so idle frames are counted too and a stall shows as a gap. */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
feed_one (Bench *bench,
          guint  index)
{
  g_autoptr(SitrepProbeResult) result = sitrep_probe_result_new ();
  g_autofree char *service_id = g_strdup_printf ("svc-%u", index);
  /* One service in twenty fails for five rounds out of ten, so tiles change state too. */
  gboolean failing = index % 20 == 0 && bench->round % 10 >= 5;

  result->connected = TRUE;
  result->status = failing ? 500 : 200;
  result->response_time_ms = g_random_double_range (2, 120);
  sitrep_probe_result_set_body (result, bench->body, FALSE);
  sitrep_monitor_feed (bench->monitor, service_id, "health", result, NULL);
}

/* A tenth of the services every tenth of a second: every service once a second, spread the way
 * the monitor's scheduler spreads its probes. */
static gboolean
feed_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 start = g_get_monotonic_time ();
  double ms;

  for (guint i = 0; i < N_SERVICES / BATCHES_PER_SECOND; i++)
    {
      feed_one (bench, bench->next_service++);
      if (bench->next_service == N_SERVICES)
        {
          bench->next_service = 0;
          bench->round++;
        }
    }
  ms = (g_get_monotonic_time () - start) / 1000.0;
  if (bench->recording)
    g_array_append_val (bench->feeds, ms);
  return G_SOURCE_CONTINUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_seconds (guint seconds)
{
  gboolean done = FALSE;

  g_timeout_add_seconds (seconds, timeout_cb, &done);
  bench_spin (&done);
}

static void
print_stats (const char *label,
             GArray     *values,
             double      seconds)
{
  double max = 0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));
  g_print ("  %-30s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (%u, %.0f/s)\n",
           label, bench_percentile (values, 50), bench_percentile (values, 95),
           bench_percentile (values, 99), max, values->len, values->len / seconds);
}

/* Records frames for PHASE_SECONDS; returns the p99 frame time. */
static double
record_phase (Bench      *bench,
              const char *name,
              gboolean    updating)
{
  gint64 start;
  double seconds, p99;
  guint feed_id = 0;

  g_array_set_size (bench->durations, 0);
  g_array_set_size (bench->intervals, 0);
  g_array_set_size (bench->feeds, 0);
  g_array_set_size (bench->layouts, 0);
  g_array_set_size (bench->paints, 0);
  if (updating)
    feed_id = g_timeout_add (1000 / BATCHES_PER_SECOND, feed_cb, bench);
  start = g_get_monotonic_time ();
  bench->last_start = 0;
  bench->recording = TRUE;
  spin_seconds (PHASE_SECONDS);
  bench->recording = FALSE;
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (feed_id != 0)
    g_source_remove (feed_id);

  g_print ("%s, %.1f s:\n", name, seconds);
  print_stats ("frame time", bench->durations, seconds);
  print_stats ("  of which update + layout", bench->layouts, seconds);
  print_stats ("  of which paint (render)", bench->paints, seconds);
  print_stats ("interval between frames", bench->intervals, seconds);
  if (updating)
    print_stats ("feeding a batch of 100 results", bench->feeds, seconds);
  p99 = bench_percentile (bench->durations, 99);
  return p99;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoptr(GtkCssProvider) css = NULL;
  Bench bench = { 0 };
  SitrepHealthView *view;
  GdkFrameClock *clock;
  GskRenderer *renderer;
  double floor_p99, p99;
  guint bound;

  if (!gtk_init_check ())
    {
      g_printerr ("no display: run under xvfb-run\n");
      return 1;
    }
  adw_init ();

  /* The app's own style sheet, as AdwApplication would load it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  /* The probes never run: port 1 is never asked, every result is fed by hand. */
  runbook = bench_runbook_new (N_SERVICES, 1, "1s", &error);
  if (runbook == NULL)
    {
      g_printerr ("cannot load the generated runbook: %s\n", error->message);
      return 1;
    }
  monitor = sitrep_monitor_new (runbook, NULL, NULL);

  bench.monitor = monitor;
  bench.body = g_bytes_new_static (BENCH_HEALTH_BODY, strlen (BENCH_HEALTH_BODY));
  bench.durations = g_array_new (FALSE, FALSE, sizeof (double));
  bench.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  bench.feeds = g_array_new (FALSE, FALSE, sizeof (double));
  bench.layouts = g_array_new (FALSE, FALSE, sizeof (double));
  bench.paints = g_array_new (FALSE, FALSE, sizeof (double));

  bench.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1280, 900);
  view = g_object_new (SITREP_TYPE_HEALTH_VIEW, NULL);
  sitrep_health_view_set_monitor (view, monitor);
  gtk_window_set_child (GTK_WINDOW (bench.window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (bench.window));
  spin_seconds (1);

  clock = gtk_widget_get_frame_clock (bench.window);
  if (clock == NULL)
    {
      g_printerr ("the window has no frame clock: is the display working?\n");
      return 1;
    }
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &bench);
  /* Connected after GTK's own handlers, which are in place once the window is shown. */
  g_signal_connect_after (clock, "layout", G_CALLBACK (layout_cb), &bench);
  g_signal_connect_after (clock, "paint", G_CALLBACK (paint_cb), &bench);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), &bench);
  gtk_widget_add_tick_callback (bench.window, tick_cb, NULL, NULL);

  /* One round of results first, so the idle floor shows real tiles, not "no result yet". */
  for (guint i = 0; i < BATCHES_PER_SECOND; i++)
    feed_cb (&bench);
  spin_seconds (1);

  renderer = gtk_native_get_renderer (GTK_NATIVE (bench.window));
  bound = sitrep_health_view_get_tiles (view)->len;
  g_print ("bench-tiles-frames: %u services, window %dx%d, %u tiles bound (on screen), "
           "renderer %s, results fed %u times a second in batches of %u\n",
           N_SERVICES, gtk_widget_get_width (bench.window), gtk_widget_get_height (bench.window),
           bound, renderer ? G_OBJECT_TYPE_NAME (renderer) : "none", BATCHES_PER_SECOND,
           N_SERVICES / BATCHES_PER_SECOND);
  g_print ("frame time: from the frame clock's before-paint to the end of its after-paint "
           "(update, layout, snapshot and render)\n");

  floor_p99 = record_phase (&bench, "floor: idle window, 1,000 tiles, no updates", FALSE);
  p99 = record_phase (&bench, "1,000 services updating every second", TRUE);

  g_print ("frame time p99: %.2f ms with updates, %.2f ms idle (ratio %.2f); target < %.0f ms\n",
           p99, floor_p99, floor_p99 > 0 ? p99 / floor_p99 : 0, TARGET_P99_MS);
  g_print ("frame time p99: %s\n", p99 < TARGET_P99_MS ? "PASS" : "OVER TARGET");

  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_array_unref (bench.durations);
  g_array_unref (bench.intervals);
  g_array_unref (bench.feeds);
  g_array_unref (bench.layouts);
  g_array_unref (bench.paints);
  g_bytes_unref (bench.body);
  return 0;
}
