/* test-webhook.c: recording messages, and posting them to a loopback chat webhook that fails */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fixture-incident.h"
#include "fixture-runbook.h"
#include "fixture-schema.h"
#include "pg-test-util.h"
#include "sitrep-clock.h"
#include "sitrep-incident.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-secrets.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-messages.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-webhook-private.h"
#include "sitrep-webhook.h"
#include "sitrep-timeline-event-render.h"
#include "webhook-test-util.h"

/* 2026-01-01 00:00:00 UTC */
#define T0 (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)
#define SECOND G_USEC_PER_SEC
#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
/* Northwind's P1 wants an update every 20 minutes. */
#define UPDATE_EVERY (20 * MINUTE)
#define MESSAGE "🔴 INCIDENT DECLARED\nSeverity: P1\nSummary: \"Labels\" do not print \\ again\n" \
                "\tImpact: every depot 🟡\n"
#define WAIT_MS 20000
/* A credential the server puts in its answer: it must reach no table. */
#define ANSWER_SECRET "xoxb-4242-answer-secret"

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
  TestHook *hook;
  GArray *changes;
  gint64 incident_id;
  char *path;
} Fixture;

/* Northwind, with and without "webhook": {"allow_plain_http": true}: every hook here is an
 * http:// one on loopback. */
static SitrepRunbook *runbook;
static SitrepRunbook *strict_runbook;

static char *
runbook_text_with (const char *webhook_member)
{
  g_autofree char *text = fixture_runbook_text (NULL);
  g_autoptr(GString) out = g_string_new (text);
  g_autofree char *member = g_strdup_printf ("\"sitrep_runbook\": 1,\n  %s,", webhook_member);

  g_assert_cmpuint (g_string_replace (out, "\"sitrep_runbook\": 1,", member, 1), ==, 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static SitrepRunbook *
load_text (const char *text,
           GPtrArray **problems)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return sitrep_runbook_load_bytes (bytes, "northwind.json", problems, NULL);
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

/* Waits for the webhook to report @n changes in all, and checks the last one. */
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

  fixture->hook = test_hook_new ();
  /* A file, so the test reads what reached the disk through a connection of its own. */
  fixture->path = g_build_filename (g_get_user_data_dir (), "sitrep", "webhook.db", NULL);
  fixture->store = sitrep_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->clock = sitrep_clock_new_manual (T0);
  fixture->incident_id = fixture_declare_incident (fixture->store, runbook, "P1",
                                                   "Labels do not print", "Every depot", "Dana",
                                                   NULL, NULL, T0, &error);
  g_assert_no_error (error);
  fixture->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  fixture->webhook = sitrep_webhook_new (fixture->store, fixture->clock);
  sitrep_webhook_set_allow_plain_http (fixture->webhook,
                                       sitrep_runbook_get_webhook_allow_plain_http (runbook));
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
  /* A silent hook lets go of its connections first, so every attempt ends. */
  test_hook_free (fixture->hook);
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
  SitrepMessageRecord message = { 0 };
  gint64 id;

  message.incident_id = fixture->incident_id;
  message.template_id = "depot-notice";
  message.title = "Depot notice";
  message.kind = SITREP_TEMPLATE_STATUS;
  message.text = text;
  message.at = sitrep_clock_now (fixture->clock);
  message.author = "Dana";
  message.posted = posted;
  id = sitrep_store_record_message_full (fixture->store, &message, &error);
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

/* When the next status update is due, as the incident in the store says. */
static gint64
update_due (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepIncident) incident = sitrep_store_load_incident (fixture->store,
                                                                   fixture->incident_id, &error);

  g_assert_no_error (error);
  return sitrep_incident_next_update_due_at (incident, runbook);
}

/* The incident's "message" events in words, read through @store. */
static GStrv
store_message_events (SitrepStore *store,
                      gint64       incident_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = sitrep_store_list_events (store, incident_id,
                                                          SITREP_TIMELINE_LIST_DEFAULT,
                                                          (const char *[]) { "message", NULL },
                                                          &error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *sentence = sitrep_timeline_event_render (events->pdata[i],
                                                                SITREP_TIMELINE_RENDER_DEFAULT);

      g_strv_builder_add (builder, sentence);
    }
  return g_strv_builder_end (builder);
}

/* The incident's "message" events, read from the file. */
static GStrv
message_events (Fixture *fixture)
{
  return test_db_events (fixture->path, fixture->incident_id, "message");
}

/* Nothing says the message went out: no timeline event, and the update clock where the
 * declaration left it, in the file. */
static void
assert_not_sent (Fixture *fixture)
{
  g_auto(GStrv) events = message_events (fixture);
  g_auto(GStrv) last_update = test_db_strings (fixture->path,
                                               "SELECT last_update_at FROM incidents"
                                               " WHERE id = ?1",
                                               fixture->incident_id);

  g_assert_cmpstrv (events, ((const char *[]) { NULL }));
  g_assert_cmpstrv (last_update, ((const char *[]) { "(null)", NULL }));
  g_assert_cmpint (update_due (fixture), ==, T0 + UPDATE_EVERY);
}

/* Neither the URL, its token nor a credential the server answered reached the database. */
static void
assert_secrets_not_stored (Fixture *fixture)
{
  test_db_assert_absent (fixture->path, TEST_HOOK_TOKEN);
  test_db_assert_absent (fixture->path, test_hook_get_url (fixture->hook));
  test_db_assert_absent (fixture->path, ANSWER_SECRET);
}

static void
test_retry_delay (void)
{
  const gint64 expected[] = { 10, 30, 60, 120, 300, 300, 300 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (sitrep_webhook_retry_delay (i + 1), ==, expected[i] * G_USEC_PER_SEC);
}

static gint64
count_events (SitrepStore *store,
              gint64       incident_id)
{
  g_autoptr(GError) error = NULL;
  gint64 n = sitrep_store_query_int (store, "SELECT count(*) FROM timeline_events"
                                     " WHERE incident_id = ?1 AND kind = 'message'",
                                     incident_id, "counting", &error);

  g_assert_no_error (error);
  return n;
}

static void
test_record_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (":memory:", &error);
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(SitrepMessage) copied = NULL;
  g_autoptr(SitrepMessage) queued = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  SitrepMessageRecord postmortem = { 0 };
  const char *text = "\n🔴 We're investigating an issue affecting the gateway.\nImpact: no labels\n";
  gboolean newly;
  sqlite3_stmt *stmt;
  gint64 incident_id, id, queued_id, at = T0 + 20 * MINUTE;

  g_assert_no_error (error);
  incident_id = fixture_declare_incident (store, runbook, "P1", "Labels do not print",
                                          "Every depot", "Dana", NULL, NULL, T0, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_note_update_overdue (store, incident_id, T0 + 15 * MINUTE, &newly,
                                                   &error));
  g_assert_no_error (error);

  id = sitrep_store_record_message (store, incident_id, "customer-note", text, at, "Dana",
                                    FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  copied = sitrep_store_load_message (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copied->incident_id, ==, incident_id);
  g_assert_cmpstr (copied->template_id, ==, "customer-note");
  g_assert_cmpstr (copied->text, ==, text);
  g_assert_cmpstr (copied->author, ==, "Dana");
  g_assert_true (copied->resets_update);
  g_assert_cmpint (copied->created_at, ==, at);
  g_assert_cmpint (copied->copied_at, ==, at);
  g_assert_cmpint (copied->webhook_state, ==, SITREP_WEBHOOK_STATE_NONE);
  g_assert_cmpuint (copied->webhook_attempts, ==, 0);

  /* A copy is sent: its timeline event, system-made, in the same transaction. */
  stmt = sitrep_store_prepare (store,
                               "SELECT fields, author, is_system, at, fields FROM timeline_events"
                               " WHERE incident_id = ?1 AND kind = 'message'",
                               &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, incident_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  {
    g_autofree char *sentence = sitrep_timeline_render_json (
      "message", (const char *) sqlite3_column_text (stmt, 0), NULL, SITREP_TIMELINE_RENDER_DEFAULT);

    g_assert_cmpstr (sentence, ==,
                     "Message sent: Customer note — 🔴 We're investigating an issue affecting the "
                     "gateway.");
  }
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "Dana");
  g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 1);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 3), ==, at);
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 4), "\"clipboard\""));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  /* The "next update due" clock starts again from the copy. */
  incident = sitrep_store_load_incident (store, incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, at);
  g_assert_cmpint (sitrep_incident_get_update_overdue_at (incident), ==, 0);
  g_clear_object (&incident);

  /* To be posted: queued, and nothing says it went out until the webhook takes it. */
  queued_id = sitrep_store_record_message (store, incident_id, "progress", "Mitigating",
                                           at + MINUTE, NULL, TRUE, &error);
  g_assert_no_error (error);
  queued = sitrep_store_load_message (store, queued_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (queued->copied_at, ==, 0);
  g_assert_cmpint (queued->webhook_state, ==, SITREP_WEBHOOK_STATE_QUEUED);
  g_assert_cmpint (count_events (store, incident_id), ==, 1);
  incident = sitrep_store_load_incident (store, incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, at);
  g_clear_object (&incident);

  /* Taken by the webhook: "posted to chat", and the clock starts from that moment. */
  g_assert_true (sitrep_store_mark_message_sent (store, queued_id, 1, at + 3 * MINUTE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_events (store, incident_id), ==, 2);
  {
    g_auto(GStrv) sentences = store_message_events (store, incident_id);

    g_assert_cmpstr (sentences[1], ==, "Message posted to chat: Progress — Mitigating");
  }
  incident = sitrep_store_load_incident (store, incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, at + 3 * MINUTE);
  g_clear_object (&incident);
  /* Once: a second "sent" changes nothing. */
  g_assert_true (sitrep_store_mark_message_sent (store, queued_id, 2, at + 9 * MINUTE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_events (store, incident_id), ==, 2);

  /* A post-mortem is no status update. */
  postmortem.incident_id = incident_id;
  postmortem.template_id = "review";
  postmortem.title = "Review";
  postmortem.kind = SITREP_TEMPLATE_POSTMORTEM;
  postmortem.text = "# Review";
  postmortem.at = at + 10 * MINUTE;
  g_assert_cmpint (sitrep_store_record_message_full (store, &postmortem, &error), >, 0);
  g_assert_no_error (error);
  incident = sitrep_store_load_incident (store, incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, at + 3 * MINUTE);
  {
    g_auto(GStrv) sentences = store_message_events (store, incident_id);

    g_assert_cmpstr (sentences[2], ==, "Message sent: Review — # Review");
    g_assert_null (sentences[3]);
  }

  /* No incident: nothing recorded at all. */
  g_assert_cmpint (sitrep_store_record_message (store, incident_id + 100, "depot-notice", text,
                                                at, NULL, FALSE, &error), ==, -1);
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  messages = sitrep_store_list_messages (store, incident_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_cmpint (((SitrepMessage *) messages->pdata[0])->id, ==, id);
  g_assert_cmpint (((SitrepMessage *) messages->pdata[1])->id, ==, queued_id);
}

static guint
count_pending (SitrepStore *store,
               gint64       now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = sitrep_store_list_pending_messages (store, now, &error);

  g_assert_no_error (error);
  return pending->len;
}

/* Several consoles may run the queue over one database: the one that claims a message posts
 * it. Another's claim holds until it runs out; the queue does not list the message meanwhile,
 * and wakes up when the claim runs out. Once sent, no claim, and no failure, takes it back.
 * On SQLite, and on PostgreSQL, whose statements differ (sitrep-store-messages.c). */
static void
test_claim (gconstpointer data)
{
  gboolean on_postgres = GPOINTER_TO_INT (data);
  g_autoptr(PgTestDatabase) db = on_postgres ? pg_test_database_new ("sitrep_claim", TRUE) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (db != NULL ? db->uri : ":memory:", &error);
  g_autoptr(SitrepMessage) message = NULL;
  gint64 incident_id, id, at = T0 + 20 * MINUTE;

  g_assert_no_error (error);
  incident_id = fixture_declare_incident (store, runbook, "P1", "Labels do not print",
                                          "Every depot", "Dana", NULL, NULL, T0, &error);
  g_assert_no_error (error);
  id = sitrep_store_record_message (store, incident_id, "progress", "Mitigating", at, NULL, TRUE,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_pending (store, at), ==, 1);
  g_assert_cmpint (sitrep_store_next_message_attempt (store, &error), ==, 0);

  /* One console claims it for 2 min; the other cannot, and its queue lists it no more. */
  g_assert_true (sitrep_store_mark_message_queued (store, id, "console-a", at, at + 2 * MINUTE,
                                                   &error));
  g_assert_no_error (error);
  g_assert_false (sitrep_store_mark_message_queued (store, id, "console-b", at + MINUTE,
                                                    at + 3 * MINUTE, &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpuint (count_pending (store, at + MINUTE), ==, 0);
  g_assert_cmpint (sitrep_store_next_message_attempt (store, &error), ==, at + 2 * MINUTE);
  /* Its own claim, again: it holds on. */
  g_assert_true (sitrep_store_mark_message_queued (store, id, "console-a", at + MINUTE,
                                                   at + 4 * MINUTE, &error));
  g_assert_no_error (error);

  /* console-a went: once its claim ran out, console-b's queue lists it and claims it. */
  g_assert_cmpuint (count_pending (store, at + 4 * MINUTE), ==, 1);
  g_assert_true (sitrep_store_mark_message_queued (store, id, "console-b", at + 4 * MINUTE,
                                                   at + 6 * MINUTE, &error));
  g_assert_no_error (error);

  /* console-a's attempt ends late, failed: console-b's claim holds, the failure is not
   * written over it. */
  {
    SitrepMessageMark late = {
      .id = id,
      .state = SITREP_WEBHOOK_STATE_FAILED,
      .attempts = 1,
      .at = at + 5 * MINUTE,
      .reason = "the webhook did not answer within 10 s",
      .next_attempt_at = at + 6 * MINUTE,
      .claimant = "console-a",
    };

    g_assert_true (sitrep_store_mark_message (store, &late, &error));
    g_assert_no_error (error);
    message = sitrep_store_load_message (store, id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_QUEUED);
    g_assert_null (message->webhook_error);
    g_assert_cmpuint (count_pending (store, at + 5 * MINUTE), ==, 0);
    g_clear_pointer (&message, sitrep_message_free);
  }

  /* Sent by console-b: console-a's late failure leaves it sent, and nobody claims it again. */
  g_assert_true (sitrep_store_mark_message_sent (store, id, 1, at + 5 * MINUTE, &error));
  g_assert_no_error (error);
  g_assert_true (sitrep_store_mark_message_failed (store, id, "the webhook did not answer", 1,
                                                   at + 6 * MINUTE, &error));
  g_assert_no_error (error);
  g_assert_false (sitrep_store_mark_message_queued (store, id, "console-a", at + 7 * MINUTE,
                                                    at + 9 * MINUTE, &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  message = sitrep_store_load_message (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_SENT);
  g_assert_null (message->webhook_error);
  g_assert_cmpuint (count_pending (store, at + 10 * MINUTE), ==, 0);
  g_assert_cmpint (sitrep_store_next_message_attempt (store, &error), ==, 0);

  /* No such message: said so, claimed or not. */
  g_assert_false (sitrep_store_mark_message_queued (store, id + 100, "console-a", at, at,
                                                    &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (sitrep_store_mark_message_failed (store, id + 100, "gone", 1, 0, &error));
  g_assert_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND);
}

/* 2xx: sent, on the timeline once, and the update clock starts from the moment it went out. */
static void
test_post (Fixture      *fixture,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) events = NULL;
  JsonObject *object;
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (test_hook_get_url (fixture->hook));
  /* Slack answers "ok"; this one also quotes a credential, which is never read. */
  test_hook_answer (fixture->hook, 200, "{\"ok\": true, \"token\": \"" ANSWER_SECRET "\"}");
  sitrep_clock_advance (fixture->clock, 5 * MINUTE);
  id = record (fixture, MESSAGE, TRUE);
  assert_not_sent (fixture);

  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpint (g_array_index (fixture->changes, Change, 0).id, ==, id);
  g_assert_cmpint (g_array_index (fixture->changes, Change, 0).state, ==,
                   SITREP_WEBHOOK_STATE_QUEUED);

  g_assert_cmpuint (test_hook_get_n_requests (fixture->hook), ==, 1);
  g_assert_cmpstr (test_hook_get_method (fixture->hook), ==, "POST");
  g_assert_cmpstr (test_hook_get_path (fixture->hook), ==, "/hooks/" TEST_HOOK_TOKEN);
  g_assert_cmpstr (test_hook_get_content_type (fixture->hook), ==, "application/json");
  g_assert_true (json_parser_load_from_data (parser, test_hook_get_body (fixture->hook), -1,
                                             &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, MESSAGE);

  message = load (fixture, id);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpuint (message->webhook_attempts, ==, 1);
  g_assert_null (message->webhook_error);
  g_assert_cmpint (message->next_attempt_at, ==, 0);

  events = message_events (fixture);
  g_assert_cmpstrv (events, ((const char *[]) {
                      "Message posted to chat: Depot notice — 🔴 INCIDENT DECLARED", NULL }));
  g_assert_cmpint (update_due (fixture), ==, T0 + 5 * MINUTE + UPDATE_EVERY);

  /* Once is enough: stakeholders must not get it twice. */
  g_assert_false (post (fixture, id, &error));
  g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_ALREADY_SENT);
  g_assert_cmpuint (test_hook_get_n_requests (fixture->hook), ==, 1);
  g_clear_pointer (&events, g_strfreev);
  events = message_events (fixture);
  g_assert_cmpuint (g_strv_length (events), ==, 1);
  assert_secrets_not_stored (fixture);
}

/* A hook that fails, each in its own way. */
typedef struct
{
  TestHookMode mode;
  guint status;
  const char *answer;
  const char *expect[3];  /* in the reason */
  const char *refuse[3];  /* not in the reason */
} Failure;

static const Failure server_error = {
  TEST_HOOK_ANSWER, 500, "invalid token=" ANSWER_SECRET " for this channel\nsecond line",
  { "HTTP 500 Internal Server Error", "invalid token=[redacted] for this channel", NULL },
  { ANSWER_SECRET, "second line", NULL },
};
static const Failure not_found = {
  TEST_HOOK_ECHO_PATH, 404, NULL,
  { "HTTP 404 Not Found", "no route for POST /<webhook>", NULL },
  { TEST_HOOK_TOKEN, NULL },
};
static const Failure reset = {
  TEST_HOOK_RESET, 0, NULL,
  { "cannot reach the webhook: ", NULL },
  { "HTTP", NULL },
};
static const Failure silent = {
  TEST_HOOK_SILENT, 0, NULL,
  { "the webhook did not answer within 1 s", NULL },
  { "HTTP", NULL },
};

static void
test_failure (Fixture      *fixture,
              gconstpointer data)
{
  const Failure *failure = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  gint64 started, id;

  if (!have_keyring ())
    return;
  store_url (test_hook_get_url (fixture->hook));
  if (failure->mode == TEST_HOOK_ANSWER)
    test_hook_answer (fixture->hook, failure->status, failure->answer);
  else
    test_hook_set_mode (fixture->hook, failure->mode);
  sitrep_webhook_set_timeout (fixture->webhook, 1000);
  id = record (fixture, MESSAGE, TRUE);

  started = g_get_monotonic_time ();
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_FAILED);
  g_test_message ("failed after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - started) / 1000);
  g_assert_cmpuint (test_hook_get_n_requests (fixture->hook), ==, 1);

  message = load (fixture, id);
  g_test_message ("reason: %s", message->webhook_error);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_FAILED);
  g_assert_cmpuint (message->webhook_attempts, ==, 1);
  g_assert_cmpint (message->next_attempt_at, ==, T0 + 10 * SECOND);
  for (guint i = 0; failure->expect[i] != NULL; i++)
    g_assert_nonnull (strstr (message->webhook_error, failure->expect[i]));
  for (guint i = 0; failure->refuse[i] != NULL; i++)
    g_assert_null (strstr (message->webhook_error, failure->refuse[i]));

  assert_not_sent (fixture);
  assert_secrets_not_stored (fixture);
}

static void
test_fail_and_recover (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_auto(GStrv) events = NULL;
  SitrepMessage *message;
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (test_hook_get_url (fixture->hook));
  test_hook_answer (fixture->hook, 500, "internal trouble\nsecond line");
  id = record (fixture, MESSAGE, TRUE);

  /* queued → failed, with the status and the body's first line. */
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_FAILED);
  message = load (fixture, id);
  g_assert_nonnull (strstr (message->webhook_error, "500"));
  g_assert_nonnull (strstr (message->webhook_error, "internal trouble"));
  g_assert_cmpint (message->next_attempt_at, ==, T0 + 10 * SECOND);
  g_clear_pointer (&message, sitrep_message_free);

  pending = sitrep_store_list_pending_messages (fixture->store, T0 + 9 * SECOND, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 0);
  g_clear_pointer (&pending, g_ptr_array_unref);
  g_assert_cmpint (sitrep_store_next_message_attempt (fixture->store, &error), ==,
                   T0 + 10 * SECOND);

  /* Not due yet: nothing happens. */
  sitrep_clock_advance (fixture->clock, 5 * SECOND);
  settle (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 2);
  g_assert_cmpuint (test_hook_get_n_requests (fixture->hook), ==, 1);

  /* Due, and the server is gone: connection refused. */
  test_hook_stop (fixture->hook);
  sitrep_clock_advance (fixture->clock, 6 * SECOND);
  wait_changes (fixture, 4, SITREP_WEBHOOK_STATE_FAILED);
  g_assert_cmpint (g_array_index (fixture->changes, Change, 2).state, ==,
                   SITREP_WEBHOOK_STATE_QUEUED);
  message = load (fixture, id);
  g_test_message ("second attempt: %s", message->webhook_error);
  g_assert_null (strstr (message->webhook_error, "500"));
  g_assert_nonnull (strstr (message->webhook_error, "reach"));
  g_assert_cmpuint (message->webhook_attempts, ==, 2);
  g_assert_cmpint (message->next_attempt_at, ==, T0 + 41 * SECOND);
  g_clear_pointer (&message, sitrep_message_free);
  assert_not_sent (fixture);

  /* The server is back: the next retry goes out, and only then is the message sent. */
  test_hook_restart (fixture->hook);
  test_hook_answer (fixture->hook, 200, "ok");
  sitrep_clock_advance (fixture->clock, 29 * SECOND);
  settle (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 4);
  sitrep_clock_advance (fixture->clock, 1 * SECOND);
  wait_changes (fixture, 6, SITREP_WEBHOOK_STATE_SENT);
  message = load (fixture, id);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpuint (message->webhook_attempts, ==, 3);
  g_assert_null (message->webhook_error);
  g_assert_cmpint (message->next_attempt_at, ==, 0);
  g_clear_pointer (&message, sitrep_message_free);
  g_assert_cmpuint (test_hook_get_n_requests (fixture->hook), ==, 2);
  g_assert_nonnull (strstr (test_hook_get_body (fixture->hook), "INCIDENT DECLARED"));
  g_assert_cmpint (sitrep_store_next_message_attempt (fixture->store, &error), ==, 0);
  events = message_events (fixture);
  g_assert_cmpuint (g_strv_length (events), ==, 1);
  g_assert_true (g_str_has_prefix (events[0], "Message posted to chat: Depot notice"));
  g_assert_cmpint (update_due (fixture), ==, T0 + 41 * SECOND + UPDATE_EVERY);

  /* Sent stays sent. */
  sitrep_clock_advance (fixture->clock, 10 * MINUTE);
  settle (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 6);
  assert_secrets_not_stored (fixture);
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
  store_url (test_hook_get_url (fixture->hook));
  test_hook_answer (fixture->hook, 503, "");
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
  g_assert_nonnull (strstr (message->webhook_error, "No more retries"));
  g_assert_cmpint (message->next_attempt_at, ==, 0);
  g_assert_cmpuint (message->webhook_attempts, ==, 2);
  g_clear_pointer (&message, sitrep_message_free);
  sitrep_clock_advance (fixture->clock, 60 * MINUTE);
  settle (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 4);
  assert_not_sent (fixture);

  /* Posting it again by hand still works. */
  test_hook_answer (fixture->hook, 200, "ok");
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 6, SITREP_WEBHOOK_STATE_SENT);
  message = load (fixture, id);
  g_assert_cmpuint (message->webhook_attempts, ==, 3);
  sitrep_message_free (message);
}

/* No URL: the post fails at once with what to do, and nothing says the message went out. */
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
  id = record (fixture, MESSAGE, TRUE);

  g_assert_false (post (fixture, id, &error));
  g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_NO_URL);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  wait_changes (fixture, 1, SITREP_WEBHOOK_STATE_FAILED);

  message = load (fixture, id);
  g_test_message ("reason: %s", message->webhook_error);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_FAILED);
  g_assert_true (g_str_has_prefix (message->webhook_error, "no chat webhook URL is set"));
  g_assert_nonnull (strstr (message->webhook_error, "Preferences"));
  g_assert_nonnull (strstr (message->webhook_error, "secret-tool store"));
  g_assert_nonnull (strstr (message->webhook_error, SITREP_WEBHOOK_SECRET_NAME));
  g_assert_cmpuint (message->webhook_attempts, ==, 0);
  /* Not retried behind the commander's back once a URL appears: they post it again. */
  g_assert_cmpint (message->next_attempt_at, ==, 0);
  settle (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  g_assert_cmpuint (test_hook_get_n_requests (fixture->hook), ==, 0);
  g_assert_cmpuint (sitrep_webhook_get_n_in_flight (fixture->webhook), ==, 0);
  pending = sitrep_store_list_pending_messages (fixture->store, T0 + 60 * MINUTE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 0);
  assert_not_sent (fixture);
}

/* http:// without the runbook's opt-in: refused before anything crosses the network. */
static void
test_plain_http_refused (Fixture      *fixture,
                         gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (test_hook_get_url (fixture->hook));
  g_assert_false (sitrep_runbook_get_webhook_allow_plain_http (strict_runbook));
  sitrep_webhook_set_allow_plain_http (fixture->webhook,
                                       sitrep_runbook_get_webhook_allow_plain_http (strict_runbook));
  id = record (fixture, MESSAGE, TRUE);

  g_assert_false (post (fixture, id, &error));
  g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_PLAIN_HTTP);
  g_clear_error (&error);
  wait_changes (fixture, 1, SITREP_WEBHOOK_STATE_FAILED);
  message = load (fixture, id);
  g_test_message ("reason: %s", message->webhook_error);
  g_assert_nonnull (strstr (message->webhook_error, "http://"));
  g_assert_nonnull (strstr (message->webhook_error, "https://"));
  g_assert_nonnull (strstr (message->webhook_error,
                            "\"webhook\": {\"allow_plain_http\": true}"));
  g_assert_cmpint (message->next_attempt_at, ==, 0);
  settle (fixture);
  g_assert_cmpuint (test_hook_get_n_requests (fixture->hook), ==, 0);
  assert_not_sent (fixture);
  assert_secrets_not_stored (fixture);

  /* With the opt-in, the same URL is used. */
  sitrep_webhook_set_allow_plain_http (fixture->webhook, TRUE);
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 3, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpuint (test_hook_get_n_requests (fixture->hook), ==, 1);
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

typedef struct
{
  gboolean done;
  char *url;
  GError *error;
} Lookup;

static gboolean
is_looked_up (Fixture *fixture,
              gpointer data)
{
  return ((Lookup *) data)->done;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->url = sitrep_secrets_lookup_finish (result, &lookup->error);
  lookup->done = TRUE;
}

/* What the keyring holds for the webhook. */
static char *
lookup_url (Fixture *fixture,
            GError **error)
{
  Lookup lookup = { 0 };

  sitrep_secrets_lookup_async (SITREP_WEBHOOK_SECRET_NAME, NULL, lookup_cb, &lookup);
  g_assert_true (iterate_until (is_looked_up, fixture, &lookup));
  if (lookup.error != NULL)
    g_propagate_error (error, lookup.error);
  return lookup.url;
}

/* The preferences' way: the URL is checked, then goes to the keyring in a thread. */
static void
test_set_url (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  Posted set = { 0 };
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (NULL);
  g_assert_false (sitrep_webhook_set_url_sync ("ftp://example.com/hook", TRUE, NULL, &error));
  g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_INVALID_URL);
  g_clear_error (&error);
  g_assert_false (sitrep_webhook_set_url_sync ("https://", TRUE, NULL, &error));
  g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_INVALID_URL);
  g_clear_error (&error);
  g_assert_false (sitrep_webhook_set_url_sync (test_hook_get_url (fixture->hook), FALSE, NULL,
                                               &error));
  g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_PLAIN_HTTP);
  g_assert_nonnull (strstr (error->message, "allow_plain_http"));
  g_clear_error (&error);
  /* Refused: nothing reached the keyring. */
  stored = lookup_url (fixture, &error);
  g_assert_error (error, SITREP_SECRETS_ERROR, SITREP_SECRETS_ERROR_NOT_FOUND);
  g_assert_null (stored);
  g_clear_error (&error);
  g_assert_true (sitrep_webhook_check_url ("https://hooks.slack.com/services/T/B/X", FALSE,
                                           &error));
  g_assert_no_error (error);

  sitrep_webhook_set_url_async (test_hook_get_url (fixture->hook), TRUE, NULL, set_url_cb, &set);
  g_assert_true (iterate_until (is_posted, fixture, &set));
  g_assert_no_error (set.error);
  g_assert_true (set.ok);
  id = record (fixture, MESSAGE, TRUE);
  g_assert_true (post (fixture, id, &error));
  g_assert_no_error (error);
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_SENT);

  g_assert_true (sitrep_webhook_set_url_sync (NULL, FALSE, NULL, &error));
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
  g_autoptr(SitrepMessage) message = NULL;
  gint64 id;

  if (!have_keyring ())
    return;
  store_url (test_hook_get_url (fixture->hook));
  id = record (fixture, MESSAGE, TRUE);

  g_signal_handlers_disconnect_by_data (fixture->webhook, fixture);
  g_clear_object (&fixture->webhook);
  fixture->webhook = sitrep_webhook_new (fixture->store, fixture->clock);
  sitrep_webhook_set_allow_plain_http (fixture->webhook, TRUE);
  g_signal_connect (fixture->webhook, "changed", G_CALLBACK (changed_cb), fixture);
  /* Claimed by this console (queued again), then posted. */
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_SENT);
  message = load (fixture, id);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpuint (test_hook_get_n_requests (fixture->hook), ==, 1);
}

/* "webhook": {"allow_plain_http": true} is read, and checked as strictly as the rest. */
static void
test_runbook_key (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(SitrepRunbook) off = NULL;
  g_autofree char *off_text = runbook_text_with ("\"webhook\": { \"allow_plain_http\": false }");
  g_autofree char *typo = runbook_text_with ("\"webhook\": { \"allow_plain_htp\": true }");
  g_autofree char *wrong = runbook_text_with ("\"webhook\": { \"allow_plain_http\": \"yes\" }");
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  char *problem;
  int status;

  g_assert_true (sitrep_runbook_get_webhook_allow_plain_http (runbook));
  g_assert_false (sitrep_runbook_get_webhook_allow_plain_http (strict_runbook));
  off = load_text (off_text, NULL);
  g_assert_nonnull (off);
  g_assert_false (sitrep_runbook_get_webhook_allow_plain_http (off));

  g_assert_null (load_text (typo, &problems));
  g_assert_cmpuint (problems->len, ==, 1);
  problem = sitrep_runbook_problem_to_string (problems->pdata[0]);
  g_test_message ("%s", problem);
  g_assert_cmpstr (problem, ==, "northwind.json:3:16: unknown key \"allow_plain_htp\" in "
                                "\"webhook\"; did you mean \"allow_plain_http\"?");
  g_free (problem);
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_assert_null (load_text (wrong, &problems));
  g_assert_cmpuint (problems->len, ==, 1);
  problem = sitrep_runbook_problem_to_string (problems->pdata[0]);
  g_test_message ("%s", problem);
  g_assert_cmpstr (problem, ==, "northwind.json:3:36: \"allow_plain_http\" must be true or "
                                "false, not a string");
  g_free (problem);

  /* The same through `sitrep check`, as a runbook repository's CI runs it. */
  dir = g_dir_make_tmp ("sitrep-webhook-check-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (dir, "northwind.json", NULL);
  g_file_set_contents (file, typo, -1, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char *[]) { (char *) g_getenv ("SITREP_BIN"), "check", file, NULL }, NULL,
                G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("sitrep check: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL) == FALSE);
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, ":3:16: unknown key \"allow_plain_htp\" in \"webhook\"; did you "
                                 "mean \"allow_plain_http\"?"));
  g_unlink (file);
  g_rmdir (dir);
}

/* A database of schema 3 (before posted messages kept their title) upgrades, and a message it
 * left queued is sent with a title made from its template id. */
static void
test_upgrade (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepMessage) message = NULL;
  g_auto(GStrv) events = NULL;
  g_auto(GStrv) version = NULL;
  g_autofree char *downgrade = NULL;
  gint64 id;

  if (!have_keyring ())
    return;
  /* Back to schema 3, with a message queued the way it stored one. */
  downgrade = fixture_schema_downgrade_sql (3);
  g_assert_true (sitrep_store_exec (fixture->store, downgrade, "going back to schema 3", &error));
  g_assert_no_error (error);
  id = sitrep_store_query_int (fixture->store,
                               "INSERT INTO messages (incident_id, template_id, text, created_at,"
                               " webhook_state) VALUES (?1, 'customer-note', 'We are on it', 0,"
                               " 'queued') RETURNING id",
                               fixture->incident_id, "queueing", &error);
  g_assert_no_error (error);
  g_signal_handlers_disconnect_by_data (fixture->webhook, fixture);
  g_clear_object (&fixture->webhook);
  g_clear_object (&fixture->store);
  version = test_db_strings (fixture->path, "PRAGMA user_version", 0);
  g_assert_cmpstrv (version, ((const char *[]) { "3", NULL }));

  store_url (test_hook_get_url (fixture->hook));
  fixture->store = sitrep_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_get_schema_version (fixture->store), ==, SITREP_STORE_SCHEMA_VERSION);
  message = load (fixture, id);
  g_assert_null (message->title);
  g_assert_true (message->resets_update);
  g_assert_cmpstr (message->text, ==, "We are on it");

  fixture->webhook = sitrep_webhook_new (fixture->store, fixture->clock);
  sitrep_webhook_set_allow_plain_http (fixture->webhook, TRUE);
  g_signal_connect (fixture->webhook, "changed", G_CALLBACK (changed_cb), fixture);
  /* Claimed by this console (queued again), then posted. */
  wait_changes (fixture, 2, SITREP_WEBHOOK_STATE_SENT);
  events = message_events (fixture);
  g_assert_cmpstrv (events, ((const char *[]) {
                      "Message posted to chat: Customer note — We are on it", NULL }));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *with_opt_in = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  test_hook_take_keyring_turn ();

  with_opt_in = runbook_text_with ("\"webhook\": { \"allow_plain_http\": true }");
  runbook = load_text (with_opt_in, NULL);
  g_assert_nonnull (runbook);
  strict_runbook = fixture_runbook_load (NULL);

  g_test_add_func ("/webhook/retry-delay", test_retry_delay);
  g_test_add_func ("/webhook/record-message", test_record_message);
  g_test_add_data_func ("/webhook/claim", GINT_TO_POINTER (FALSE), test_claim);
  g_test_add_data_func ("/webhook/claim-postgres", GINT_TO_POINTER (TRUE), test_claim);
  g_test_add_func ("/webhook/runbook-key", test_runbook_key);
#define ADD(path, func, data) \
  g_test_add ("/webhook/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("post", test_post, NULL);
  ADD ("failure/500", test_failure, &server_error);
  ADD ("failure/404-quoting-the-url", test_failure, &not_found);
  ADD ("failure/reset", test_failure, &reset);
  ADD ("failure/silent", test_failure, &silent);
  ADD ("fail-and-recover", test_fail_and_recover, NULL);
  ADD ("give-up", test_give_up, NULL);
  ADD ("no-url", test_no_url, NULL);
  ADD ("plain-http-refused", test_plain_http_refused, NULL);
  ADD ("set-url", test_set_url, NULL);
  ADD ("restart", test_restart, NULL);
  ADD ("upgrade-from-schema-3", test_upgrade, NULL);
#undef ADD

  status = g_test_run ();

  if (g_getenv ("SITREP_TEST_KEYRING") != NULL)
    sitrep_secrets_clear_sync (SITREP_WEBHOOK_SECRET_NAME, NULL, NULL);
  g_clear_object (&runbook);
  g_clear_object (&strict_runbook);
  return status;
}
