/* test-drill-history.c: a drill's health history and production's never mix, though their
 * services bear the same names */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fixture-runbook.h"
#include "sitrep-drill-history.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-session.h"
#include "sitrep-store-testing.h"

static void
outage_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  static const char body[] = "{\"labels\":\"stuck\"}";

  soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

/* Northwind's gateway aimed at @url, as a drill's runbook in the folder @dir, read from there. */
static SitrepRunbook *
write_drill_runbook (const char *dir,
                     const char *url)
{
  g_autofree char *text = fixture_runbook_text ("HTTP_URL", url, NULL);
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  g_autofree char *path = g_build_filename (dir, "runbook.json", NULL);
  g_autofree char *drill_text = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *environment;
  SitrepRunbook *runbook;

  environment = json_object_get_object_member (json_node_get_object (root), "environment");
  json_object_set_boolean_member (environment, "drill", TRUE);
  drill_text = json_to_string (root, TRUE);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, drill_text, -1, NULL));
  file = g_file_new_for_path (path);
  runbook = sitrep_runbook_load_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  return runbook;
}

/* The gateway's sparkline in the session's tiles. */
static guint
gateway_history (SitrepSession     *session,
                 SitrepHealthPoint *points)
{
  SitrepServiceState *state = sitrep_monitor_find_service (sitrep_session_get_monitor (session),
                                                           "gateway");

  g_assert_nonnull (state);
  return sitrep_service_state_get_history (state, points, SITREP_HEALTH_HISTORY);
}

static void
test_apart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = g_build_filename (g_get_user_data_dir (), "sitrep.db", NULL);
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "drill", NULL);
  g_autofree char *drill_database = g_build_filename (dir, SITREP_DRILL_HEALTH_DATABASE, NULL);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SitrepSession) session = sitrep_session_new (NULL);
  g_autoptr(SitrepRunbook) production = fixture_runbook_load (NULL);
  g_autoptr(SitrepRunbook) drill = NULL;
  g_autoptr(SitrepStore) drill_store = NULL;
  SitrepHealthPoint points[SITREP_HEALTH_HISTORY];
  SitrepHealthSample samples[5];
  GSList *uris;
  g_autofree char *url = NULL;
  gint64 now = g_get_real_time ();
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gint64 in_drill = 0;
  guint n;

  soup_server_add_handler (server, "/health", outage_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* Production's gateway was up the last five minutes. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (sitrep_session_open_store (session, database));
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    samples[i] = (SitrepHealthSample) { "gateway", "health", now - (5 - i) * 60 * G_USEC_PER_SEC,
                                        "up", 12, NULL };
  g_assert_true (sitrep_store_add_health (sitrep_session_get_store (session), samples,
                                          G_N_ELEMENTS (samples), NULL, 0, &error));
  g_assert_no_error (error);

  /* A drill starts on the same console: its gateway tile has no history of production's. */
  drill = write_drill_runbook (dir, url);
  sitrep_session_set_runbook (session, drill);
  /* Read off the main loop: that none of production's comes is checked below, once the loop
   * has turned for the drill's results (its sparkline then holds only its own "down"). */
  g_assert_cmpuint (gateway_history (session, points), ==, 0);

  /* The drill's outage is kept in the drill's own database, and production's has none of it. */
  drill_store = sitrep_store_open (drill_database, &error);
  g_assert_no_error (error);
  while (in_drill == 0 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      in_drill = sitrep_store_count_health_samples (drill_store, NULL);
    }
  g_assert_cmpint (in_drill, >, 0);
  g_assert_cmpint (sitrep_store_count_health_samples (sitrep_session_get_store (session), &error),
                   ==, G_N_ELEMENTS (samples));
  g_assert_no_error (error);
  n = gateway_history (session, points);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (points[i].health, ==, SITREP_HEALTH_DOWN);

  /* Back on production: its gateway's sparkline is its own five results, all up. */
  sitrep_session_pause_probes (session);
  sitrep_session_set_runbook (session, production);
  /* The history is read on the store's reader thread once the loop is idle. */
  n = gateway_history (session, points);
  while (n == 0 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      n = gateway_history (session, points);
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (samples));
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (points[i].health, ==, SITREP_HEALTH_UP);

  /* The drill's history goes with its folder. */
  sitrep_session_close (session);
  g_clear_object (&drill_store);
  sitrep_drill_remove_health_store (dir);
  g_assert_false (g_file_test (drill_database, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/drill-history/apart", test_apart);

  return g_test_run ();
}
