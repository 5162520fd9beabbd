/* test-webhook.c: recording messages, and posting them to a loopback chat webhook that fails */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sitrep-clock.h"
#include "sitrep-incident.h"
#include "sitrep-secrets.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-private.h"
#include "sitrep-webhook.h"

/* 2026-01-01 00:00:00 UTC */
#define T0 (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)
#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define TOKEN "T0K3N-b7e2c9-do-not-leak"
#define HOOK_PATH "/hooks/" TOKEN
#define MESSAGE "🔴 INCIDENT DECLARED\nSeverity: SEV-1\nSummary: \"Checkout\" returns 503s \\ again\n" \
                "\tImpact: every user 🟡\n"
#define WAIT_MS 5000

/* The chat server: it answers what the test says and remembers the last POST. */
typedef struct
{
  SoupServer *server;
  guint port;
  char *url;
  guint status;
  const char *answer;
  gboolean echo_path; /* answer 404 with the request path in the body, as some proxies do */
  gboolean hang;      /* never answer */
  guint n_requests;
  char *method;
  char *content_type;
  char *body;
} Hook;

typedef struct
{
  gint64 id;
  SitrepWebhookState state;
} Change;

typedef struct
{
  SitrepStore *store;
  SitrepClock *clock;
  SitrepWebhook *webhook;
  GArray *changes;
  gint64 incident_id;
  char *path;
} Fixture;

static Hook hook;
static SitrepRunbook *runbook;

static void
hook_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  hook.n_requests++;
  g_free (hook.method);
  hook.method = g_strdup (soup_server_message_get_method (msg));
  g_free (hook.content_type);
  hook.content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  g_free (hook.body);
  hook.body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  if (hook.hang)
    {
      soup_server_message_pause (msg);
      return;
    }
  if (hook.echo_path)
    {
      g_autofree char *answer = g_strdup_printf ("no route for POST %s\n", path);

      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, answer,
                                        strlen (answer));
      return;
    }
  soup_server_message_set_status (msg, hook.status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, hook.answer,
                                    strlen (hook.answer));
}

static void
hook_listen (guint port)
{
  g_autoptr(GError) error = NULL;

  if (port == 0)
    {
      GSList *uris;

      g_assert_true (soup_server_listen_local (hook.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                               &error));
      g_assert_no_error (error);
      uris = soup_server_get_uris (hook.server);
      hook.port = g_uri_get_port (uris->data);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }
  else
    {
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

      g_assert_true (soup_server_listen (hook.server, address, 0, &error));
      g_assert_no_error (error);
    }
}

static void
hook_reset (void)
{
  hook.status = SOUP_STATUS_OK;
  hook.answer = "ok";
  hook.echo_path = FALSE;
  hook.hang = FALSE;
  hook.n_requests = 0;
  g_clear_pointer (&hook.method, g_free);
  g_clear_pointer (&hook.content_type, g_free);
  g_clear_pointer (&hook.body, g_free);
}

static gboolean
have_keyring (void)
{
  if (g_getenv ("SITREP_TEST_KEYRING") != NULL)
    return TRUE;
  g_test_fail_printf ("no keyring: run the tests through build-aux/test-session, which starts an "
                      "unlocked gnome-keyring-daemon; the webhook URL lives only there");
  return FALSE;
}

static void
store_url (const char *url)
{
  g_autoptr(GError) error = NULL;

  if (url != NULL)
    sitrep_secrets_store_sync (SITREP_WEBHOOK_SECRET_NAME, url, NULL, &error);
  else
    sitrep_secrets_clear_sync (SITREP_WEBHOOK_SECRET_NAME, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @done says so, for WAIT_MS at most. */
static gboolean
iterate_until (gboolean (*done) (Fixture *fixture, gpointer data),
               Fixture  *fixture,
               gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  guint tick = g_timeout_add (20, tick_cb, NULL);
  gboolean ok;

  while (!(ok = done (fixture, data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

static gboolean
has_changes (Fixture *fixture,
             gpointer data)
{
  return fixture->changes->len >= GPOINTER_TO_UINT (data);
}

/* Waits for the webhook to report @n changes in all, and checks the last ones. */
static void
wait_changes (Fixture           *fixture,
              guint              n,
              SitrepWebhookState last)
{
  if (!iterate_until (has_changes, fixture, GUINT_TO_POINTER (n)))
    g_error ("the webhook reported %u state changes in %d ms, not %u", fixture->changes->len,
             WAIT_MS, n);
  g_assert_cmpuint (fixture->changes->len, ==, n);
  g_assert_cmpstr (sitrep_webhook_state_to_string (g_array_index (fixture->changes, Change,
                                                                  n - 1).state),
                   ==, sitrep_webhook_state_to_string (last));
}

/* Lets the loop run a while, for checking that nothing happens. */
static void
settle (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 300 * 1000;
  guint tick = g_timeout_add (20, tick_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

static void
changed_cb (SitrepWebhook     *webhook,
            gint64             id,
            SitrepWebhookState state,
            Fixture           *fixture)
{
  Change change = { id, state };

  g_array_append_val (fixture->changes, change);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} Posted;

static gboolean
is_posted (Fixture *fixture,
           gpointer data)
{
  return ((Posted *) data)->done;
}

static void
post_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Posted *posted = user_data;

  posted->ok = sitrep_webhook_post_finish (SITREP_WEBHOOK (source), result, &posted->error);
  posted->done = TRUE;
}

static gboolean
post (Fixture *fixture,
      gint64   id,
      GError **error)
{
  Posted posted = { 0 };

  sitrep_webhook_post_async (fixture->webhook, id, NULL, post_cb, &posted);
  g_assert_true (iterate_until (is_posted, fixture, &posted));
  if (posted.error != NULL)
    g_propagate_error (error, posted.error);
  return posted.ok;
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  hook_reset ();
  /* A file, so the test can read what reached the disk. */
  fixture->path = g_build_filename (g_get_user_data_dir (), "sitrep", "webhook.db", NULL);
  fixture->store = sitrep_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->clock = sitrep_clock_new_manual (T0);
  fixture->incident_id = sitrep_incident_declare (fixture->store, runbook, "SEV-1",
                                                  "Checkout returns 503s", "Every user", "Dana",
                                                  NULL, NULL, T0, &error);
  g_assert_no_error (error);
  fixture->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  fixture->webhook = sitrep_webhook_new (fixture->store, fixture->clock);
  g_signal_connect (fixture->webhook, "changed", G_CALLBACK (changed_cb), fixture);
}

static gboolean
is_idle (Fixture *fixture,
         gpointer data)
{
  return sitrep_webhook_get_n_in_flight (fixture->webhook) == 0;
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  g_assert_true (iterate_until (is_idle, fixture, NULL));
  g_signal_handlers_disconnect_by_data (fixture->webhook, fixture);
  g_clear_object (&fixture->webhook);
  g_clear_object (&fixture->clock);
  g_clear_object (&fixture->store);
  g_array_unref (fixture->changes);
  g_free (fixture->path);
}

static gint64
record (Fixture    *fixture,
        const char *text,
        gboolean    posted)
{
  g_autoptr(GError) error = NULL;
  gint64 id = sitrep_store_record_message (fixture->store, fixture->incident_id,
                                           "initial-status", text,
                                           sitrep_clock_now (fixture->clock), "Dana", posted,
                                           &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static SitrepMessage *
load (Fixture *fixture,
      gint64   id)
{
  g_autoptr(GError) error = NULL;
  SitrepMessage *message = sitrep_store_load_message (fixture->store, id, &error);

  g_assert_no_error (error);
  return message;
}

/* Neither the URL nor its token reached the database, its journal or its WAL. */
static void
assert_url_not_on_disk (Fixture *fixture)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);
      g_autofree char *bytes = NULL;
      gsize size;

      if (!g_file_get_contents (file, &bytes, &size, NULL))
        continue;
      g_assert_null (g_strstr_len (bytes, size, TOKEN));
      g_assert_null (g_strstr_len (bytes, size, hook.url));
    }
}

static void
test_retry_delay (void)
{
  const gint64 expected[] = { 10, 30, 60, 120, 300, 300, 300 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (sitrep_webhook_retry_delay (i + 1), ==, expected[i] * G_USEC_PER_SEC);
}

static void
test_record_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(SitrepMessage) copied = NULL;
  g_autoptr(SitrepMessage) posted = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  SitrepMessageRecord postmortem = { 0 };
  const char *text = "\n🔴 We're investigating an issue affecting API.\nImpact: logins fail\n";
  gboolean newly;
  sqlite3_stmt *stmt;
  gint64 incident_id, id, posted_id, at = T0 + 20 * MINUTE;

  g_assert_no_error (error);
  incident_id = sitrep_incident_declare (store, runbook, "SEV-1", "Logins fail", "Every user",
                                         "Dana", NULL, NULL, T0, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_note_update_overdue (store, incident_id, T0 + 15 * MINUTE, &newly,
                                                   &error));
  g_assert_no_error (error);

  id = sitrep_store_record_message (store, incident_id, "initial-notification", text, at, "Dana",
                                    FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  copied = sitrep_store_load_message (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copied->incident_id, ==, incident_id);
  g_assert_cmpstr (copied->template_id, ==, "initial-notification");
  g_assert_cmpstr (copied->text, ==, text);
  g_assert_cmpint (copied->created_at, ==, at);
  g_assert_cmpint (copied->copied_at, ==, at);
  g_assert_cmpint (copied->webhook_state, ==, SITREP_WEBHOOK_STATE_NONE);
  g_assert_cmpuint (copied->webhook_attempts, ==, 0);

  /* The timeline event, system-made, in the same transaction. */
  stmt = sitrep_store_prepare (store,
                               "SELECT text, author, is_system, at, data FROM timeline_events"
                               " WHERE incident_id = ?1 AND kind = 'message'",
                               &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, incident_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                   "Message sent: Initial notification — 🔴 We're investigating an issue "
                   "affecting API.");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "Dana");
  g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 1);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 3), ==, at);
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 4), "\"clipboard\""));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  /* The "next update due" clock starts again from the message. */
  incident = sitrep_store_load_incident (store, incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, at);
  g_assert_cmpint (sitrep_incident_get_update_overdue_at (incident), ==, 0);
  g_clear_object (&incident);

  /* Posted rather than copied: no copy time, and the clock moves again. */
  posted_id = sitrep_store_record_message (store, incident_id, "ongoing-update", "🟡 UPDATE",
                                           at + MINUTE, NULL, TRUE, &error);
  g_assert_no_error (error);
  posted = sitrep_store_load_message (store, posted_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (posted->copied_at, ==, 0);
  incident = sitrep_store_load_incident (store, incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, at + MINUTE);
  g_clear_object (&incident);

  /* A post-mortem is no status update. */
  postmortem.incident_id = incident_id;
  postmortem.template_id = "postmortem";
  postmortem.title = "Post-mortem";
  postmortem.kind = SITREP_TEMPLATE_POSTMORTEM;
  postmortem.text = "# Incident Post-Mortem";
  postmortem.at = at + 2 * MINUTE;
  g_assert_cmpint (sitrep_store_record_message_full (store, &postmortem, &error), >, 0);
  g_assert_no_error (error);
  incident = sitrep_store_load_incident (store, incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, at + MINUTE);
  g_assert_cmpint (sitrep_store_query_int (store, "SELECT count(*) FROM timeline_events"
                                           " WHERE incident_id = ?1 AND kind = 'message'"
                                           " AND text = 'Message sent: Post-mortem — # Incident"
                                           " Post-Mortem'",
                                           incident_id, "counting", &error), ==, 1);

  /* No incident: nothing recorded at all. */
  g_assert_cmpint (sitrep_store_record_message (store, incident_id + 100, "initial-status", text,
                                                at, NULL, FALSE, &error), ==, -1);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  messages = sitrep_store_list_messages (store, incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_cmpint (((SitrepMessage *) messages->pdata[0])->id, ==, id);
  g_assert_cmpint (((SitrepMessage *) messages->pdata[1])->id, ==, posted_id);
  g_assert_cmpint (sitrep_store_query_int (store, "SELECT count(*) FROM messages WHERE ?1",
                                           1, "counting", &error), ==, 3);
}

static void
test_post (Fixture      *fixture,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (hook.url);
  id = record (fixture, MESSAGE, TRUE);

  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpint (g_array_index (fixture->changes, Change, 0).id, ==, id);
  g_assert_cmpint (g_array_index (fixture->changes, Change, 0).state, ==,
                   SITREP_WEBHOOK_STATE_QUEUED);

  g_assert_cmpuint (hook.n_requests, ==, 1);
  g_assert_cmpstr (hook.method, ==, "POST");
  g_assert_cmpstr (hook.content_type, ==, "application/json");
  g_assert_true (json_parser_load_from_data (parser, hook.body, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, MESSAGE);

  message = load (fixture, id);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpuint (message->webhook_attempts, ==, 1);
  g_assert_null (message->webhook_error);
  g_assert_cmpint (message->next_attempt_at, ==, 0);

  /* Once is enough: stakeholders must not get it twice. */
  g_assert_false (post (fixture, id, &error));
  g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_ALREADY_SENT);
  g_assert_cmpuint (hook.n_requests, ==, 1);
  assert_url_not_on_disk (fixture);
}

static void
test_fail_and_recover (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  SitrepMessage *message;
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (hook.url);
  hook.status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  hook.answer = "internal trouble\nsecond line";
  id = record (fixture, MESSAGE, TRUE);

  /* queued → failed, with the status and the body's first line. */
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_FAILED);
  message = load (fixture, id);
  g_test_message ("first attempt: %s", message->webhook_error);
  g_assert_nonnull (strstr (message->webhook_error, "500"));
  g_assert_nonnull (strstr (message->webhook_error, "internal trouble"));
  g_assert_null (strstr (message->webhook_error, "second line"));
  g_assert_cmpuint (message->webhook_attempts, ==, 1);
  g_assert_cmpint (message->next_attempt_at, ==, T0 + 10 * G_USEC_PER_SEC);
  g_clear_pointer (&message, sitrep_message_free);

  pending = sitrep_store_list_pending_messages (fixture->store, T0 + 9 * G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 0);
  g_clear_pointer (&pending, g_ptr_array_unref);
  g_assert_cmpint (sitrep_store_next_message_attempt (fixture->store, &error), ==,
                   T0 + 10 * G_USEC_PER_SEC);

  /* Not due yet: nothing happens. */
  sitrep_clock_advance (fixture->clock, 5 * G_USEC_PER_SEC);
  settle (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 2);
  g_assert_cmpuint (hook.n_requests, ==, 1);

  /* Due, and the server is gone: connection refused. */
  soup_server_disconnect (hook.server);
  sitrep_clock_advance (fixture->clock, 6 * G_USEC_PER_SEC);
  wait_changes (fixture, 4, SITREP_WEBHOOK_STATE_FAILED);
  g_assert_cmpint (g_array_index (fixture->changes, Change, 2).state, ==,
                   SITREP_WEBHOOK_STATE_QUEUED);
  message = load (fixture, id);
  g_test_message ("second attempt: %s", message->webhook_error);
  g_assert_null (strstr (message->webhook_error, "500"));
  g_assert_nonnull (strstr (message->webhook_error, "reach"));
  g_assert_cmpuint (message->webhook_attempts, ==, 2);
  g_assert_cmpint (message->next_attempt_at, ==, T0 + 41 * G_USEC_PER_SEC);
  g_clear_pointer (&message, sitrep_message_free);

  /* The server is back: the next retry goes out. */
  hook_listen (hook.port);
  hook.status = SOUP_STATUS_OK;
  hook.answer = "ok";
  sitrep_clock_advance (fixture->clock, 29 * G_USEC_PER_SEC);
  settle (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 4);
  sitrep_clock_advance (fixture->clock, 1 * G_USEC_PER_SEC);
  wait_changes (fixture, 6, SITREP_WEBHOOK_STATE_SENT);
  message = load (fixture, id);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpuint (message->webhook_attempts, ==, 3);
  g_assert_null (message->webhook_error);
  g_assert_cmpint (message->next_attempt_at, ==, 0);
  g_clear_pointer (&message, sitrep_message_free);
  g_assert_cmpuint (hook.n_requests, ==, 2);
  g_assert_nonnull (strstr (hook.body, "INCIDENT DECLARED"));
  g_assert_cmpint (sitrep_store_next_message_attempt (fixture->store, &error), ==, 0);

  /* Sent stays sent. */
  sitrep_clock_advance (fixture->clock, 10 * MINUTE);
  settle (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 6);
  assert_url_not_on_disk (fixture);
}

static void
test_url_not_stored (Fixture      *fixture,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (hook.url);
  hook.echo_path = TRUE;
  id = record (fixture, MESSAGE, TRUE);
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_FAILED);

  /* The server quoted the path, token and all: the stored reason does not. */
  message = load (fixture, id);
  g_test_message ("reason: %s", message->webhook_error);
  g_assert_nonnull (strstr (message->webhook_error, "404"));
  g_assert_nonnull (strstr (message->webhook_error, "no route for POST"));
  g_assert_null (strstr (message->webhook_error, TOKEN));
  assert_url_not_on_disk (fixture);
}

static void
test_timeout (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  gint64 started, id;

  if (!have_keyring ())
    return;
  store_url (hook.url);
  hook.hang = TRUE;
  sitrep_webhook_set_timeout (fixture->webhook, 300);
  id = record (fixture, MESSAGE, TRUE);
  started = g_get_monotonic_time ();
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  /* The post finished before the server answered: the caller never waits for the network. */
  g_assert_cmpuint (sitrep_webhook_get_n_in_flight (fixture->webhook), ==, 1);
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_FAILED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
  message = load (fixture, id);
  g_assert_nonnull (strstr (message->webhook_error, "did not answer"));
  g_assert_cmpuint (message->webhook_attempts, ==, 1);
}

static void
test_give_up (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SitrepMessage *message;
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (hook.url);
  hook.status = SOUP_STATUS_SERVICE_UNAVAILABLE;
  hook.answer = "";
  id = record (fixture, MESSAGE, TRUE);
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_FAILED);

  /* A day later the last retry fails and no other is scheduled. */
  sitrep_clock_advance (fixture->clock, 24 * 60 * MINUTE);
  wait_changes (fixture, 4, SITREP_WEBHOOK_STATE_FAILED);
  message = load (fixture, id);
  g_test_message ("gave up: %s", message->webhook_error);
  g_assert_nonnull (strstr (message->webhook_error, "503"));
  g_assert_cmpint (message->next_attempt_at, ==, 0);
  g_assert_cmpuint (message->webhook_attempts, ==, 2);
  g_clear_pointer (&message, sitrep_message_free);
  sitrep_clock_advance (fixture->clock, 60 * MINUTE);
  settle (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 4);

  /* Posting it again by hand still works. */
  hook.status = SOUP_STATUS_OK;
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 6, SITREP_WEBHOOK_STATE_SENT);
  message = load (fixture, id);
  g_assert_cmpuint (message->webhook_attempts, ==, 3);
  sitrep_message_free (message);
}

static void
test_no_url (Fixture      *fixture,
             gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (NULL);
  id = record (fixture, MESSAGE, FALSE);

  g_assert_false (post (fixture, id, &error));
  g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_NO_URL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_assert_nonnull (strstr (error->message, "secret-tool store"));
  g_assert_nonnull (strstr (error->message, SITREP_WEBHOOK_SECRET_NAME));
  g_clear_error (&error);

  /* Nothing queued, nothing sent, and the copy is recorded as it was. */
  settle (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  g_assert_cmpuint (hook.n_requests, ==, 0);
  g_assert_cmpuint (sitrep_webhook_get_n_in_flight (fixture->webhook), ==, 0);
  message = load (fixture, id);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_NONE);
  g_assert_cmpuint (message->webhook_attempts, ==, 0);
  g_assert_cmpint (message->copied_at, ==, T0);
  pending = sitrep_store_list_pending_messages (fixture->store, T0 + 60 * MINUTE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 0);
}

static void
set_url_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Posted *set = user_data;

  set->ok = sitrep_webhook_set_url_finish (result, &set->error);
  set->done = TRUE;
}

/* The preferences' way: the URL is checked, then goes to the keyring in a thread. */
static void
test_set_url (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  Posted set = { 0 };
  gint64 id;

  if (!have_keyring ())
    return;
  g_assert_false (sitrep_webhook_set_url_sync ("ftp://example.com/hook", NULL, &error));
  g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_INVALID_URL);
  g_clear_error (&error);

  sitrep_webhook_set_url_async (hook.url, NULL, set_url_cb, &set);
  g_assert_true (iterate_until (is_posted, fixture, &set));
  g_assert_no_error (set.error);
  g_assert_true (set.ok);
  id = record (fixture, MESSAGE, TRUE);
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_SENT);

  g_assert_true (sitrep_webhook_set_url_sync (NULL, NULL, &error));
  g_assert_no_error (error);
  id = record (fixture, MESSAGE, TRUE);
  g_assert_false (post (fixture, id, &error));
  g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_NO_URL);
}

/* A message left queued when the app was killed goes out when the webhook starts again. */
static void
test_restart (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepWebhook) again = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (hook.url);
  id = record (fixture, MESSAGE, TRUE);
  g_assert_true (sitrep_store_mark_message_queued (fixture->store, id, &error));
  g_assert_no_error (error);

  g_signal_handlers_disconnect_by_data (fixture->webhook, fixture);
  g_clear_object (&fixture->webhook);
  fixture->webhook = sitrep_webhook_new (fixture->store, fixture->clock);
  g_signal_connect (fixture->webhook, "changed", G_CALLBACK (changed_cb), fixture);
  wait_changes (fixture, 1, SITREP_WEBHOOK_STATE_SENT);
  message = load (fixture, id);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpuint (hook.n_requests, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  runbook = sitrep_runbook_load_default (&error);
  g_assert_no_error (error);
  hook.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (hook.server, "/hooks", hook_cb, NULL, NULL);
  hook_listen (0);
  hook.url = g_strdup_printf ("http://127.0.0.1:%u" HOOK_PATH, hook.port);

  g_test_add_func ("/webhook/retry-delay", test_retry_delay);
  g_test_add_func ("/webhook/record-message", test_record_message);
#define ADD(path, func) \
  g_test_add ("/webhook/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("post", test_post);
  ADD ("fail-and-recover", test_fail_and_recover);
  ADD ("url-not-stored", test_url_not_stored);
  ADD ("timeout", test_timeout);
  ADD ("give-up", test_give_up);
  ADD ("no-url", test_no_url);
  ADD ("set-url", test_set_url);
  ADD ("restart", test_restart);
#undef ADD

  status = g_test_run ();

  if (g_getenv ("SITREP_TEST_KEYRING") != NULL)
    sitrep_secrets_clear_sync (SITREP_WEBHOOK_SECRET_NAME, NULL, NULL);
  soup_server_disconnect (hook.server);
  g_clear_object (&hook.server);
  g_clear_object (&runbook);
  hook_reset ();
  g_free (hook.url);
  return status;
}
