/* bench-bare-soup.c: the baseline of probing: a bare libsoup loop over 500 URLs every second
 *
 *   bench-bare-soup PORT N_URLS
 *
 * Asks http://127.0.0.1:PORT/health/I for every I once a second, spread over the second in ten
 * batches, reads each body whole and parses it as JSON, as an http probe does, and nothing else:
 * no conditions, no states, no store, no window. Prints its CPU use over ten seconds after a
 * two-second warm-up.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bench-stats.h"

#define BATCHES_PER_SECOND 10
#define WARMUP_MS 2000
#define CPU_MS 10000

static SoupSession *session;
static guint port, n_urls, next_url;
static double cpu_start;
static GMainLoop *loop;

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (body != NULL)
    json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                NULL);
}

static gboolean
batch_cb (gpointer user_data)
{
  for (guint i = 0; i < n_urls / BATCHES_PER_SECOND; i++)
    {
      g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/health/%u", port, next_url);
      g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);

      soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, read_cb, NULL);
      next_url = (next_url + 1) % n_urls;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
stop_cb (gpointer user_data)
{
  g_print ("cpu-percent %.3f\n", (bench_cpu_seconds () - cpu_start) * 100.0 * 1000 / CPU_MS);
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
start_cb (gpointer user_data)
{
  cpu_start = bench_cpu_seconds ();
  g_timeout_add (CPU_MS, stop_cb, NULL);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  if (argc != 3)
    {
      g_printerr ("usage: bench-bare-soup PORT N_URLS\n");
      return 2;
    }
  port = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  n_urls = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  loop = g_main_loop_new (NULL, FALSE);
  session = soup_session_new_with_options ("max-conns", 16, "max-conns-per-host", 16, NULL);
  g_timeout_add (1000 / BATCHES_PER_SECOND, batch_cb, NULL);
  g_timeout_add (WARMUP_MS, start_cb, NULL);
  g_main_loop_run (loop);
  g_object_unref (session);
  g_main_loop_unref (loop);
  return 0;
}
