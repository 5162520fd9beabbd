/* test-session-headless.c: a command-line verb's session: the database opened in the call, the
 * incidents read in the call when asked for, and nothing of a console's running around them */
#include "config.h"

#include <string.h>

#include "fixture-runbook.h"
#include "pg-test-util.h"
#include "sitrep-incident-manager.h"
#include "sitrep-session.h"
#include "sitrep-store.h"
#include "sitrep-store-writer.h"

/* A listener on loopback that counts who connects: the runbook's mail relay. */
typedef struct
{
  GSocketService *service;
  guint port;
  guint connections;
} Relay;

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             Relay             *relay)
{
  relay->connections++;
  return FALSE;
}

static void
relay_start (Relay *relay)
{
  g_autoptr(GError) error = NULL;

  relay->service = g_socket_service_new ();
  relay->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (relay->service), NULL,
                                                     &error);
  g_assert_no_error (error);
  g_signal_connect (relay->service, "incoming", G_CALLBACK (incoming_cb), relay);
  g_socket_service_start (relay->service);
}

static void
relay_stop (Relay *relay)
{
  g_socket_service_stop (relay->service);
  g_socket_listener_close (G_SOCKET_LISTENER (relay->service));
  g_clear_object (&relay->service);
}

/* Declares one P2 incident in @address, as a console before the verb did. */
static void
declare_one (const char *address)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (address, &error);
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autoptr(SitrepIncidentManager) manager = NULL;

  g_assert_no_error (error);
  manager = sitrep_incident_manager_new (store, runbook, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_manager_declare (manager, "P2", "Dock scanners offline",
                                                    NULL, "Ines", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  sitrep_store_finish_writes (store, g_get_monotonic_time () + 10 * G_USEC_PER_SEC);
}

/* What a verb finds after opening: nothing a console runs is made; the incidents, once asked
 * for, are there without turning the loop. */
static void
assert_headless (SitrepSession *session)
{
  SitrepIncidentManager *incidents = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GError) error = NULL;

  /* A verb that reads one incident does not read them all first. */
  g_assert_null (sitrep_session_get_incidents (session));
  g_assert_true (sitrep_session_read_incidents (session, &error));
  g_assert_no_error (error);
  incidents = sitrep_session_get_incidents (session);
  g_assert_nonnull (incidents);
  g_assert_false (sitrep_incident_manager_get_loading (incidents));
  g_assert_cmpuint (g_list_model_get_n_items (sitrep_incident_manager_get_incidents (incidents)),
                    ==, 1);
  incident = g_list_model_get_item (sitrep_incident_manager_get_incidents (incidents), 0);
  g_assert_cmpstr (sitrep_incident_get_summary (incident), ==, "Dock scanners offline");
  g_assert_null (sitrep_session_get_monitor (session));
  g_assert_null (sitrep_session_get_actions (session));
  g_assert_null (sitrep_session_get_webhook (session));
  g_assert_null (sitrep_session_get_presence (session));
  g_assert_null (sitrep_session_get_store_error (session));
}

/* A verb on a database file: incidents read in the call; the runbook's probes never run (its
 * relay is a live listener that would see them connect). */
static void
test_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "verb.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SitrepSession) session = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  Relay relay = { 0 };
  gint64 until;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  declare_one (path);
  relay_start (&relay);
  port = g_strdup_printf ("%u", relay.port);
  runbook = fixture_runbook_load ("TCP_PORT", port, NULL);

  session = sitrep_session_new_headless (settings);
  sitrep_session_set_runbook (session, runbook);
  g_assert_true (sitrep_session_open_existing_store (session, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_session_get_store_address (session), ==, path);
  assert_headless (session);

  /* The relay is probed every few seconds by a console: none in six here. */
  until = g_get_monotonic_time () + 6 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (20 * 1000);
  g_assert_cmpuint (relay.connections, ==, 0);
  sitrep_session_close (session);
  relay_stop (&relay);
}

/* A mistyped path is said and nothing is created: it must not look like an empty database. */
static void
test_missing (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "no-such.db", NULL);
  g_autoptr(SitrepSession) session = sitrep_session_new_headless (NULL);
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autoptr(GError) error = NULL;

  sitrep_session_set_runbook (session, runbook);
  g_assert_false (sitrep_session_open_existing_store (session, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (sitrep_session_get_store (session));
  g_assert_null (sitrep_session_get_incidents (session));
}

/* On a team database a console lists the incidents on a thread, later; a verb has them when
 * the call returns. */
static void
test_team (void)
{
  g_autoptr(PgTestDatabase) db = pg_test_database_new ("sitrep_headless", TRUE);
  g_autoptr(SitrepSession) session = sitrep_session_new_headless (NULL);
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autoptr(GError) error = NULL;

  declare_one (db->uri);
  sitrep_session_set_runbook (session, runbook);
  g_assert_true (sitrep_session_open_existing_store (session, db->uri, &error));
  g_assert_no_error (error);
  assert_headless (session);
  sitrep_session_close (session);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/session-headless/file", test_file);
  g_test_add_func ("/session-headless/missing", test_missing);
  g_test_add_func ("/session-headless/team", test_team);
  return g_test_run ();
}
