/* bench-frames.h: the frame-clock hook every measured GUI process uses, Sitrep's and the bare ones */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _BenchFrames BenchFrames;

/* Called at the end of every frame (after-paint), with its end in monotonic microseconds. */
typedef void (*BenchFrameFunc) (BenchFrames *frames,
                                gint64       end,
                                gpointer     user_data);

struct _BenchFrames
{
  GtkWidget *window;
  gint64 first_frame;  /* the end of the window's first frame, monotonic µs */
  gint64 paint_start;
  gint64 last_end;
  gboolean recording;
  GArray *durations;   /* ms, before-paint to the end of after-paint, while recording */
  double longest_gap;  /* ms, the longest time between two frames' ends, while recording */
  guint tick_id;
  BenchFrameFunc func;
  gpointer user_data;
};

void   bench_frames_watch      (BenchFrames    *frames,
                                GtkWidget      *window,
                                BenchFrameFunc  func,
                                gpointer        user_data);
void   bench_frames_record     (BenchFrames    *frames,
                                gboolean        recording);
void   bench_frames_print      (BenchFrames    *frames);
void   bench_print_rss         (void);
void   bench_after             (guint           ms,
                                GSourceFunc     func,
                                gpointer        user_data);

/* The content of a baseline's window, below its header bar. */
typedef GtkWidget *(*BenchContentFunc) (void);

int    bench_bare_run          (const char      *app_id,
                                BenchContentFunc content,
                                BenchFrames     *frames,
                                BenchFrameFunc   func,
                                char           **argv);

G_END_DECLS
