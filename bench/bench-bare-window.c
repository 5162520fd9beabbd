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

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (adw_view_stack_new ()));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  bench_frames_watch (&frames, window, frame_cb, app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("org.sitrep.BenchBareWindow",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
