/* loop-test-util.c: turning the main loop until something holds, or for a while */
#include "config.h"

#include "loop-test-util.h"

/* Runs the main loop until @condition holds; fails the test after @seconds. */
void
wait_until (Condition   condition,
            gpointer    data,
            guint       seconds,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("waited %u s for %s", seconds, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

/* Runs the main loop for @ms, for things that must not happen. */
void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}
