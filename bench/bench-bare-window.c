/* bench-bare-window.c: the baseline of startup and memory: a bare AdwApplicationWindow
 *
 * An AdwApplication on the session bus, as Sitrep is, whose window has a header bar and an empty
 * view stack at Sitrep's default size. It prints when its first frame ended and its resident
 * memory then, and quits.
 */
#include "config.h"

#include <adwaita.h>

#include "bench-frames.h"

static BenchFrames frames;

static void
frame_cb (BenchFrames *f,
          gint64       end,
          gpointer     user_data)
{
  if (end != f->first_frame)
    return;
  bench_print_rss ();
  g_application_quit (user_data);
}

static GtkWidget *
make_content (void)
{
  return GTK_WIDGET (adw_view_stack_new ());
}

int
main (int   argc,
      char *argv[])
{
  return bench_bare_run ("org.sitrep.BenchBareWindow", make_content, &frames, frame_cb, argv);
}
