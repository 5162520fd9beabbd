/* bench-frames.c: the frame-clock hook every measured GUI process uses, Sitrep's and the bare ones
 *
 * The same code runs in Sitrep's process and in the baselines' so that both are measured alike:
 * the first frame ends when the window's frame clock finishes its first after-paint; a frame's
 * time runs from before-paint to the end of after-paint (update, layout, snapshot, render). The
 * figures go to standard output as "name value" lines for the benchmark that started the process.
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>

#include "bench-frames.h"
#include "bench-stats.h"

static void
before_paint_cb (GdkFrameClock *clock,
                 BenchFrames   *frames)
{
  frames->paint_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                BenchFrames   *frames)
{
  gint64 now = g_get_monotonic_time ();

  if (frames->first_frame == 0)
    {
      frames->first_frame = now;
      g_print ("first-frame %" G_GINT64_FORMAT "\n", now);
    }
  if (frames->recording && frames->paint_start != 0)
    {
      double ms = (now - frames->paint_start) / 1000.0;

      g_array_append_val (frames->durations, ms);
      if (frames->last_end != 0)
        frames->longest_gap = MAX (frames->longest_gap, (now - frames->last_end) / 1000.0);
    }
  frames->last_end = now;
  if (frames->func != NULL)
    frames->func (frames, now, frames->user_data);
}

/* Keeps the frame clock ticking while recording (only then: a window that draws 60 frames a
 * second would be measured instead of the program), so a stall shows as a gap between frames. */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
realize_cb (GtkWidget   *window,
            BenchFrames *frames)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), frames);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), frames);
}

/* Watches @window's frames from its first one on: call before the window is shown. */
void
bench_frames_watch (BenchFrames    *frames,
                    GtkWidget      *window,
                    BenchFrameFunc  func,
                    gpointer        user_data)
{
  memset (frames, 0, sizeof *frames);
  frames->window = window;
  frames->func = func;
  frames->user_data = user_data;
  frames->durations = g_array_new (FALSE, FALSE, sizeof (double));
  if (gtk_widget_get_realized (window))
    realize_cb (window, frames);
  else
    g_signal_connect (window, "realize", G_CALLBACK (realize_cb), frames);
}

void
bench_frames_record (BenchFrames *frames,
                     gboolean     recording)
{
  if (recording && !frames->recording)
    {
      g_array_set_size (frames->durations, 0);
      frames->longest_gap = 0;
      frames->last_end = 0;
      frames->tick_id = gtk_widget_add_tick_callback (frames->window, tick_cb, NULL, NULL);
    }
  else if (!recording && frames->recording)
    {
      gtk_widget_remove_tick_callback (frames->window, frames->tick_id);
    }
  frames->recording = recording;
}

/* The recorded frames: p50, p99, how many, and the longest gap between two of them. */
void
bench_frames_print (BenchFrames *frames)
{
  g_print ("frame-p50 %.3f\nframe-p99 %.3f\nframes %u\nlongest-gap %.3f\n",
           bench_percentile (frames->durations, 50), bench_percentile (frames->durations, 99),
           frames->durations->len, frames->longest_gap);
}

/* The resident set size now, in kB. */
void
bench_print_rss (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      && (line = strstr (status, "\nVmRSS:")) != NULL)
    g_print ("rss %" G_GUINT64_FORMAT "\n", g_ascii_strtoull (line + 7, NULL, 10));
}

void
bench_after (guint       ms,
             GSourceFunc func,
             gpointer    user_data)
{
  g_timeout_add (ms, func, user_data);
}

typedef struct
{
  BenchContentFunc content;
  BenchFrames *frames;
  BenchFrameFunc func;
} BareWindow;

static void
bare_activate_cb (GApplication *app,
                  gpointer      user_data)
{
  BareWindow *bare = user_data;
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), bare->content ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  bench_frames_watch (bare->frames, window, bare->func, app);
  gtk_window_present (GTK_WINDOW (window));
}

/**
 * bench_bare_run:
 * @app_id: the baseline's application id: it is on the session bus, as Sitrep is
 * @content: makes what the window shows below its header bar
 * @func: called at the end of every frame, with the application as its data
 *
 * Runs a baseline: an AdwApplicationWindow laid out as Sitrep's is, at its default size, whose
 * frames @frames watches.
 *
 * Returns: the application's exit status
 */
int
bench_bare_run (const char      *app_id,
                BenchContentFunc content,
                BenchFrames     *frames,
                BenchFrameFunc   func,
                char           **argv)
{
  BareWindow bare = { content, frames, func };
  g_autoptr(AdwApplication) app = adw_application_new (app_id, G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (bare_activate_cb), &bare);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
