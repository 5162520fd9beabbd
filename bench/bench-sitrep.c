/* bench-sitrep.c: Sitrep's side of the benchmarks: the console as `sitrep` starts it, watched
 *
 *   bench-sitrep first-frame|tiles|cpu|timeline [SITREP OPTIONS…]
 *
 * The application object of src/main.c with the same options; the frame-clock hook of
 * bench-frames.c watches its window from the first frame on and the figures of the chosen
 * measure go to standard output, as the baselines print theirs.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "bench-frames.h"
#include "bench-stats.h"
#include "sitrep-application-private.h"
#include "sitrep-health-view-private.h"
#include "sitrep-monitor-private.h"
#include "sitrep-timeline-view-private.h"
#include "sitrep-window-private.h"

#define WARMUP_MS 2000
#define RECORD_MS 8000
#define CPU_MS 10000

static BenchFrames frames;
static const char *mode;
static gint64 dashboard;  /* the end of the first frame with tiles */
static gint64 switched;   /* when the Timeline was asked for */
static gint64 rows;       /* the end of the first frame with its rows */
static double cpu_start;
/* Frames drawn while the CPU is measured: with steady services, none should be needed. */
static guint cpu_frames;
static gboolean cpu_measuring;

static gboolean
quit_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (g_application_get_default ()));
  return G_SOURCE_REMOVE;
}

static gboolean
stop_recording_cb (gpointer user_data)
{
  bench_frames_record (&frames, FALSE);
  bench_frames_print (&frames);
  return quit_cb (NULL);
}

static gboolean
start_recording_cb (gpointer user_data)
{
  bench_frames_record (&frames, TRUE);
  bench_after (RECORD_MS, stop_recording_cb, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_cpu_cb (gpointer user_data)
{
  g_print ("cpu-percent %.3f\n", (bench_cpu_seconds () - cpu_start) * 100.0 * 1000 / CPU_MS);
  g_print ("cpu-frames %u\n", cpu_frames);
  cpu_measuring = FALSE;
  return quit_cb (NULL);
}

static gboolean
start_cpu_cb (gpointer user_data)
{
  cpu_start = bench_cpu_seconds ();
  cpu_frames = 0;
  cpu_measuring = TRUE;
  bench_after (CPU_MS, stop_cpu_cb, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
switch_cb (gpointer user_data)
{
  SitrepWindow *window = user_data;

  switched = g_get_monotonic_time ();
  g_print ("switched %" G_GINT64_FORMAT "\n", switched);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "timeline");
  return G_SOURCE_REMOVE;
}

static void
frame_cb (BenchFrames *f,
          gint64       end,
          gpointer     user_data)
{
  SitrepWindow *window = user_data;

  if (cpu_measuring)
    cpu_frames++;
  if (strcmp (mode, "first-frame") == 0 && end == f->first_frame)
    {
      SitrepMonitor *monitor = sitrep_session_get_monitor (window->session);

      /* Probes that started before the first frame competed with it. */
      g_print ("probes-before-first-frame %u\n",
               monitor ? sitrep_monitor_get_in_flight (monitor) : 0);
      bench_print_rss ();
      g_idle_add (quit_cb, NULL);
    }
  else if (strcmp (mode, "tiles") == 0 && dashboard == 0
           && sitrep_health_view_get_tiles (window->health_view)->len > 0)
    {
      dashboard = end;
      g_print ("dashboard %" G_GINT64_FORMAT "\n", end);
      bench_after (WARMUP_MS, start_recording_cb, NULL);
    }
  else if (strcmp (mode, "cpu") == 0 && end == f->first_frame)
    {
      bench_after (WARMUP_MS, start_cpu_cb, NULL);
    }
  else if (strcmp (mode, "timeline") == 0)
    {
      if (end == f->first_frame)
        bench_after (1000, switch_cb, window);
      else if (switched != 0 && rows == 0 && window->timeline_view != NULL /* made on show */
               && gtk_widget_get_mapped (GTK_WIDGET (window->timeline_view->column_view))
               && sitrep_timeline_view_get_n_shown (window->timeline_view) > 0)
        {
          rows = end;
          g_print ("rows %" G_GINT64_FORMAT "\nrows-shown %u\n", end,
                   sitrep_timeline_view_get_n_shown (window->timeline_view));
          g_idle_add (quit_cb, NULL);
        }
    }
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window)
{
  if (frames.window == NULL && SITREP_IS_WINDOW (window))
    bench_frames_watch (&frames, GTK_WIDGET (window), frame_cb, window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SitrepApplication) app = NULL;

  if (argc < 2)
    {
      g_printerr ("usage: bench-sitrep first-frame|tiles|cpu|timeline [SITREP OPTIONS…]\n");
      return 2;
    }
  setlocale (LC_ALL, "");
  mode = argv[1];
  argv[1] = argv[0];

  app = sitrep_application_new ();
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc - 1, argv + 1);
}
