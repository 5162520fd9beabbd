/* test-store-watch.c: one console follows another's writes to a team database, on the real PostgreSQL */
#include "config.h"

#include <string.h>

#include "pg-test-util.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-watch.h"
#include "sitrep-store-testing.h"

typedef struct
{
  PgTestDatabase *db;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->db = pg_test_database_new ("sitrep_watch", TRUE);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->db, pg_test_database_free);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static SitrepStoreWatch *
watch_new (const char *conninfo,
           GError    **error)
{
  GAsyncResult *result = NULL;
  SitrepStoreWatch *watch;

  sitrep_store_watch_new_async (conninfo, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  watch = sitrep_store_watch_new_finish (result, error);
  g_object_unref (result);
  return watch;
}

typedef struct
{
  char *table;
  gint64 incident;
  gint64 row;
  char *kind;
} Change;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_free (change->table);
  g_free (change->kind);
  g_free (change);
}

static void
changed_cb (SitrepStoreWatch *watch,
            const char       *table,
            gint64            incident,
            gint64            row,
            const char       *kind,
            gpointer          user_data)
{
  Change *change = g_new0 (Change, 1);

  change->table = g_strdup (table);
  change->incident = incident;
  change->row = row;
  change->kind = g_strdup (kind);
  g_ptr_array_add (user_data, change);
}

static void
lost_cb (SitrepStoreWatch *watch,
         const char       *message,
         gpointer          user_data)
{
  g_ptr_array_add (user_data, g_strdup (message));
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Turns the main loop until @changes holds @n, or 10 s passed. */
static void
wait_for (GPtrArray *changes,
          guint      n)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (changes->len < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

/* Another console's note, and its declaration, reach this one as changes naming the incident
 * and the event; a change rolled back never does. */
static void
test_follow (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) other = sitrep_store_open (fixture->db->uri, &error);
  g_autoptr(SitrepStoreWatch) watch = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (change_free);
  g_autoptr(SitrepTimelineEvent) note = NULL;
  Change *change;
  gint64 incident;

  g_assert_no_error (error);
  watch = watch_new (fixture->db->uri, &error);
  g_assert_no_error (error);
  g_signal_connect (watch, "changed", G_CALLBACK (changed_cb), changes);

  incident = sitrep_store_insert_incident (other, "Northwind Freight", "P1",
                                           "Depot scanners offline", g_get_real_time (), &error);
  g_assert_no_error (error);
  note = sitrep_store_add_note (other, incident, g_get_real_time (), "Scanners rebooted",
                                "Dana Scribe", &error);
  g_assert_no_error (error);

  wait_for (changes, 1);
  g_assert_cmpuint (changes->len, ==, 1);
  change = changes->pdata[0];
  g_assert_cmpstr (change->table, ==, "timeline_events");
  g_assert_cmpint (change->incident, ==, incident);
  g_assert_cmpint (change->row, ==, sitrep_timeline_event_get_id (note));
  g_assert_cmpstr (change->kind, ==, "note");

  /* An empty note is refused: nothing committed, nothing reported. */
  g_clear_object (&note);
  note = sitrep_store_add_note (other, incident, g_get_real_time (), "   ", "Dana Scribe", &error);
  g_assert_null (note);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  note = sitrep_store_add_note (other, incident, g_get_real_time (), "Second", "Dana Scribe",
                                &error);
  g_assert_no_error (error);
  wait_for (changes, 2);
  g_assert_cmpuint (changes->len, ==, 2);
  change = changes->pdata[1];
  g_assert_cmpint (change->row, ==, sitrep_timeline_event_get_id (note));

  /* A stranger's notification on the channel is not Sitrep's: ignored. */
  pg_test_database_exec (fixture->db, "NOTIFY sitrep, 'hello'");
  pg_test_database_exec (fixture->db, "NOTIFY sitrep, '{\"table\": \"timeline_events\"}'");
  /* Members of the wrong kind (json-glib's getters would print a critical, which the suite
   * makes fatal): ignored, or read without them. */
  pg_test_database_exec (fixture->db, "NOTIFY sitrep, '{\"table\": {}, \"incident\": 1}'");
  pg_test_database_exec (fixture->db, "NOTIFY sitrep, '{\"table\": \"incidents\", "
                                      "\"incident\": [1]}'");
  pg_test_database_exec (fixture->db, "NOTIFY sitrep, '{\"table\": \"incidents\", "
                                      "\"incident\": \"1\"}'");
  pg_test_database_exec (fixture->db, "NOTIFY sitrep, '{\"table\": \"timeline_events\", "
                                      "\"incident\": 1, \"event\": {}, \"kind\": [\"note\"]}'");
  wait_for (changes, 3);
  g_assert_cmpuint (changes->len, ==, 3);
  {
    Change *odd = changes->pdata[2];

    g_assert_cmpstr (odd->table, ==, "timeline_events");
    g_assert_cmpint (odd->incident, ==, 1);
    g_assert_cmpint (odd->row, ==, 0);
    g_assert_cmpstr (odd->kind, ==, "");
  }
  g_ptr_array_remove_index (changes, 2);
  g_clear_object (&note);
  note = sitrep_store_add_note (other, incident, g_get_real_time (), "Third", "Dana Scribe",
                                &error);
  g_assert_no_error (error);
  wait_for (changes, 3);
  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_cmpint (((Change *) changes->pdata[2])->row, ==, sitrep_timeline_event_get_id (note));

  /* The server ends the watch's connection: the watch says so, once. */
  {
    g_autofree char *kill = g_strdup_printf ("SELECT count (pg_terminate_backend (pid)) FROM"
                                             " pg_stat_activity WHERE datname = '%s'"
                                             " AND query = 'LISTEN sitrep'",
                                             fixture->db->dbname);
    g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *killed = pg_test_database_query (fixture->db, kill);
    gboolean timed_out = FALSE;
    guint id;

    g_assert_cmpstr (killed, ==, "1");
    g_signal_connect (watch, "lost", G_CALLBACK (lost_cb), lost);
    id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
    while (lost->len == 0 && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    if (!timed_out)
      g_source_remove (id);
    g_assert_cmpuint (lost->len, ==, 1);
    g_assert_nonnull (strstr (lost->pdata[0], "connection to the team database was lost"));
  }
}

/* Turns the main loop until @changes names @kind of @table, or 10 s passed; returns that
 * change. */
static Change *
wait_for_kind (GPtrArray  *changes,
               const char *table,
               const char *kind)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  Change *found = NULL;

  while (found == NULL && !timed_out)
    {
      for (guint i = 0; i < changes->len && found == NULL; i++)
        {
          Change *change = changes->pdata[i];

          if (g_str_equal (change->table, table) && g_strcmp0 (change->kind, kind) == 0)
            found = change;
        }
      if (found == NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (id);
  return found;
}

/* The incident's channel renamed in another console (it has no timeline event) reaches this
 * one as a change of the incident, which a console reads again. */
static void
test_channel (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) other = sitrep_store_open (fixture->db->uri, &error);
  g_autoptr(SitrepStoreWatch) watch = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (change_free);
  Change *change;
  gint64 incident;

  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (other, "Northwind Freight", "P2",
                                           "Label printers jammed", g_get_real_time (), &error);
  g_assert_no_error (error);
  watch = watch_new (fixture->db->uri, &error);
  g_assert_no_error (error);
  g_signal_connect (watch, "changed", G_CALLBACK (changed_cb), changes);

  g_assert_true (sitrep_store_set_channel (other, incident, "#inc-labels", &error));
  g_assert_no_error (error);
  change = wait_for_kind (changes, "incidents", "channel");
  g_assert_nonnull (change);
  g_assert_cmpint (change->incident, ==, incident);
  /* Nothing else of the incident's row was announced. */
  for (guint i = 0; i < changes->len; i++)
    if (g_str_equal (((Change *) changes->pdata[i])->table, "incidents"))
      g_assert_cmpstr (((Change *) changes->pdata[i])->kind, ==, "channel");
}

/* A post-mortem saved in another console, and a message whose post failed there, reach this
 * one (whose editor shows the draft, whose composer shows the message's state) as soon as
 * they are written. */
static void
test_postmortem_and_message (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) other = sitrep_store_open (fixture->db->uri, &error);
  g_autoptr(SitrepStoreWatch) watch = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (change_free);
  g_autoptr(SitrepPostmortemFields) fields = sitrep_postmortem_fields_new ();
  Change *change;
  gint64 incident;
  gint64 message;

  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (other, "Northwind Freight", "P2",
                                           "Label printers jammed", g_get_real_time (), &error);
  g_assert_no_error (error);
  message = sitrep_store_record_message (other, incident, "depot-notice", "Printers are back",
                                         g_get_real_time (), "Dana", TRUE, &error);
  g_assert_no_error (error);
  watch = watch_new (fixture->db->uri, &error);
  g_assert_no_error (error);
  g_signal_connect (watch, "changed", G_CALLBACK (changed_cb), changes);

  g_free (fields->summary);
  fields->summary = g_strdup ("A firmware update jammed the label printers.");
  g_assert_true (sitrep_store_save_postmortem (other, incident, NULL, fields, NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);
  change = wait_for_kind (changes, "incidents", SITREP_STORE_CHANGE_POSTMORTEM);
  g_assert_nonnull (change);
  g_assert_cmpint (change->incident, ==, incident);

  g_assert_true (sitrep_store_mark_message_failed (other, message, "HTTP 502 from the chat",
                                                   1, g_get_real_time () + G_USEC_PER_SEC * 60,
                                                   &error));
  g_assert_no_error (error);
  change = wait_for_kind (changes, "messages", "message");
  g_assert_nonnull (change);
  g_assert_cmpint (change->incident, ==, incident);
  g_assert_cmpint (change->row, ==, message);
}

/* A file has no one to follow; a server nobody answers on is an error naming it. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStoreWatch) watch = NULL;
  g_autofree char *file = g_build_filename (g_get_user_data_dir (), "personal.db", NULL);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *where = NULL;
  guint16 port;

  watch = watch_new (file, &error);
  g_assert_null (watch);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  closed = g_strdup_printf ("postgresql://postgres@127.0.0.1:%u/%s", port, fixture->db->dbname);
  where = g_strdup_printf ("127.0.0.1:%u", port);
  watch = watch_new (closed, &error);
  g_assert_null (watch);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, where));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/store/watch/follow", Fixture, NULL, fixture_setup, test_follow,
              fixture_teardown);
  g_test_add ("/store/watch/channel", Fixture, NULL, fixture_setup, test_channel,
              fixture_teardown);
  g_test_add ("/store/watch/postmortem-and-message", Fixture, NULL, fixture_setup,
              test_postmortem_and_message, fixture_teardown);
  g_test_add ("/store/watch/refused", Fixture, NULL, fixture_setup, test_refused,
              fixture_teardown);
  return g_test_run ();
}
