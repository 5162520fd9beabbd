/* test-drill.c: a whole drill started and stopped in this process, with its real servers */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "sitrep-drill.h"
#include "sitrep-runbook.h"

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_flag (gboolean   *flag,
           int         seconds,
           const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (id);
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_drill_start_finish (SITREP_DRILL (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_assert_true (sitrep_drill_stop_finish (SITREP_DRILL (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static gboolean
idle_cb (gpointer user_data)
{
  gboolean *stopped = ((gboolean **) user_data)[0];
  gboolean *ran = ((gboolean **) user_data)[1];

  /* The loop turned while the servers were still ending. */
  *ran = !*stopped;
  return G_SOURCE_REMOVE;
}

static gboolean
port_answers (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, 5);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

/* The ports the drill's runbook aims at: its health endpoints, Redis and PostgreSQL. */
static void
read_ports (const char *runbook_path,
            guint      *health,
            guint      *redis,
            guint      *postgres)
{
  g_autofree char *text = NULL;
  const char *found;

  g_assert_true (g_file_get_contents (runbook_path, &text, NULL, NULL));
  found = strstr (text, "http://127.0.0.1:");
  g_assert_nonnull (found);
  *health = (guint) g_ascii_strtoull (found + strlen ("http://127.0.0.1:"), NULL, 10);
  found = strstr (text, "\"port\" : ");
  g_assert_nonnull (found);
  *redis = (guint) g_ascii_strtoull (found + strlen ("\"port\" : "), NULL, 10);
  found = strstr (text, "host=127.0.0.1 port=");
  g_assert_nonnull (found);
  *postgres = (guint) g_ascii_strtoull (found + strlen ("host=127.0.0.1 port="), NULL, 10);
}

/* Stopping does not hold the main loop while the servers end (the console stays alive), and
 * when it calls back every server is gone. */
static void
test_stop_async (void)
{
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "drill-stop", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepDrill) drill = sitrep_drill_new ("db-pool", dir, 1, &error);
  gboolean started = FALSE;
  gboolean stopped = FALSE;
  gboolean turned = FALSE;
  gboolean *flags[] = { &stopped, &turned };
  guint health, redis, postgres;

  g_assert_no_error (error);
  sitrep_drill_start_async (drill, NULL, started_cb, &started);
  wait_flag (&started, 90, "the drill to start");
  g_assert_null (sitrep_drill_get_absent (drill, "redis"));
  g_assert_null (sitrep_drill_get_absent (drill, "postgres"));
  read_ports (sitrep_drill_get_runbook_path (drill), &health, &redis, &postgres);
  g_assert_true (port_answers (health));
  g_assert_true (port_answers (redis));
  g_assert_true (port_answers (postgres));

  sitrep_drill_stop_async (drill, stopped_cb, &stopped);
  /* It returned at once: nothing has ended yet, and the loop is free. */
  g_assert_false (stopped);
  /* First on the loop's next turn: under the sanitizers the servers can end before an idle of
   * the default priority would run, which says nothing about the loop being held. */
  g_idle_add_full (G_PRIORITY_HIGH, idle_cb, flags, NULL);
  wait_flag (&stopped, 60, "the drill to stop");
  g_assert_true (turned);

  g_assert_false (port_answers (health));
  g_assert_false (port_answers (redis));
  g_assert_false (port_answers (postgres));

  /* Stopping again, or disposing of it, is harmless. */
  stopped = FALSE;
  sitrep_drill_stop_async (drill, stopped_cb, &stopped);
  wait_flag (&stopped, 10, "the second stop");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/drill/stop-async", test_stop_async);

  return g_test_run ();
}
