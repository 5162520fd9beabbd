/* test-team-edits.c: what a console edits on a team database while its server is away or
 * stalls: the channel of an incident declared meanwhile, a note kept in the journal, the chat
 * webhook's state (a PostgreSQL cluster of the test's own, stopped or paused) */
#include "config.h"

#include <string.h>

#include "fixture-runbook.h"
#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-incident-kept.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-secrets.h"
#include "sitrep-incident-manager.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store.h"
#include "sitrep-store-kept.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-message-writes.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"
#include "sitrep-timeline-event-render.h"
#include "sitrep-webhook-private.h"
#include "team-test-util.h"
#include "webhook-test-util.h"
#include "sitrep-store-testing.h"
#include "sitrep-store-private.h"

static void
replayed_cb (SitrepStore *store,
             guint        n_written,
             gpointer     user_data)
{
  *(guint *) user_data += n_written;
}

static void
written_cb (SitrepStore    *store,
            gint64          local_id,
            SitrepIncident *incident,
            gpointer        user_data)
{
  gint64 *ids = user_data;

  ids[0] = local_id;
  ids[1] = sitrep_incident_get_id (incident);
}

typedef struct
{
  SitrepStore *store;
  guint *replayed;
} Replay;

static gboolean
replayed_and_online (gpointer data)
{
  Replay *replay = data;

  return *replay->replayed > 0 && !sitrep_store_get_offline (replay->store)
         && sitrep_store_get_pending_changes (replay->store) == 0;
}

/* The store counts @n changes kept (its writer tells the main loop). */
typedef struct
{
  SitrepStore *store;
  guint n;
} Kept;

static gboolean
kept_at_least (gpointer data)
{
  Kept *kept = data;

  return sitrep_store_get_pending_changes (kept->store) >= kept->n;
}

/* The replay's own line on an incident's timeline. */
static char *
replay_line (SitrepStore *store,
             gint64       incident)
{
  const char *kinds[] = { "journal-replayed", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) replays = sitrep_store_list_events (store, incident,
                                                           SITREP_TIMELINE_LIST_DEFAULT, kinds,
                                                           &error);

  g_assert_no_error (error);
  g_assert_cmpuint (replays->len, ==, 1);
  return sitrep_timeline_event_render (replays->pdata[0], SITREP_TIMELINE_RENDER_DEFAULT);
}

/* A console on a team database (its journal in the test's data folder) whose server is
 * stopped once it has started, and an incident declared meanwhile: "Checkout fails", SEV-1,
 * led by carol, in #incident-checkout. */
typedef struct
{
  SitrepStore *store;
  SitrepRunbook *runbook;
  SitrepClock *clock;
  SitrepIncidentManager *manager;
  gint64 ids[2];            /* the incident as the store wrote it: provisional id, server's */
  guint replayed;           /* changes the journal's replays wrote */
  gint64 local;             /* the incident's provisional id */
} AwayConsole;

static void
away_console_declare (AwayConsole   *console,
                      PgTestCluster *cluster)
{
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  TeamWaiting waiting = { 0 };

  console->store = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  console->runbook = sitrep_runbook_load_default (&error);
  g_assert_no_error (error);
  console->clock = sitrep_clock_new ();
  sitrep_store_set_journal_path (console->store, journal);
  g_signal_connect (console->store, "journal-replayed", G_CALLBACK (replayed_cb),
                    &console->replayed);
  g_signal_connect (console->store, "incident-written", G_CALLBACK (written_cb), console->ids);
  console->manager = sitrep_incident_manager_new (console->store, console->runbook,
                                                  console->clock, &error);
  g_assert_no_error (error);
  sitrep_store_wait_for_writes (console->store);

  pg_test_cluster_stop (cluster);
  waiting.pending++;
  sitrep_incident_manager_declare_async (console->manager, "SEV-1", "Checkout fails",
                                         "Orders lost", "carol", "#incident-checkout", NULL,
                                         NULL, team_test_declared_cb, &waiting);
  team_test_wait_for_all (&waiting);
  console->local = waiting.declared;
  g_assert_cmpint (console->local, <, 0);
}

static void
away_console_clear (AwayConsole *console)
{
  g_signal_handlers_disconnect_by_data (console->store, &console->replayed);
  g_signal_handlers_disconnect_by_data (console->store, console->ids);
  g_clear_object (&console->manager);
  g_clear_object (&console->clock);
  g_clear_object (&console->runbook);
  g_clear_object (&console->store);
}

/* Issue 17: the channel of an incident declared while the team database is away is renamed
 * (the declare dialog's "Done" does this). The change is kept with the declaration, the
 * console shows the new name at once, and when the server is back the server's incident has
 * that name: the rename written once, after the declaration, under the server's id. */
static void
test_channel_kept (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) reader = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autofree char *count = NULL;
  g_autofree char *applied = NULL;
  g_autofree char *line = NULL;
  AwayConsole console = { 0 };
  TeamWaiting waiting = { 0 };
  Replay replay = { NULL, &console.replayed };
  Kept kept = { NULL, 2 };
  SitrepIncidentManager *manager;
  SitrepStore *store;
  gint64 *ids = console.ids;
  gint64 local;

  away_console_declare (&console, cluster);
  store = replay.store = kept.store = console.store;
  manager = console.manager;
  local = console.local;

  waiting.pending++;
  sitrep_incident_manager_set_channel_async (manager, local, "#inc-checkout-war-room", NULL,
                                             team_test_changed_cb, &waiting);
  team_test_wait_for_all (&waiting);
  /* The console shows the new name at once; both changes are kept. */
  g_assert_cmpstr (sitrep_incident_get_channel (sitrep_incident_manager_find (manager, local)), ==,
                   "#inc-checkout-war-room");
  wait_until (kept_at_least, &kept, 30, "both changes to be kept");
  g_assert_cmpuint (sitrep_store_get_pending_changes (store), ==, 2);

  pg_test_cluster_start (cluster);
  wait_until (replayed_and_online, &replay, 60, "the journal to be written");
  g_assert_cmpuint (console.replayed, ==, 2);
  g_assert_cmpint (ids[0], ==, local);
  g_assert_cmpint (ids[1], >, 0);

  reader = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  count = pg_test_cluster_query (cluster, "SELECT count(*) FROM incidents");
  g_assert_cmpstr (count, ==, "1");
  incident = sitrep_store_load_incident (reader, ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sitrep_incident_get_channel (incident), ==, "#inc-checkout-war-room");
  /* Written once each: the declaration and the rename. */
  applied = pg_test_cluster_query (cluster, "SELECT count(*) FROM sitrep_journal_applied");
  g_assert_cmpstr (applied, ==, "2");
  line = replay_line (reader, ids[1]);
  g_assert_cmpstr (line, ==,
                   "2 changes made while the team database was unreachable were written");
  /* And the console shows the server's incident, with the name. */
  g_assert_cmpstr (sitrep_incident_get_channel (sitrep_incident_manager_find (manager, local)), ==,
                   "#inc-checkout-war-room");
  away_console_clear (&console);
}

typedef struct
{
  guint pending;
  char *change_id;          /* the kept note's */
  gboolean journaled;
  char *text;               /* as the callback showed it */
} NoteWaiting;

static void
kept_note_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  NoteWaiting *waiting = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note_finish (SITREP_STORE (source), result,
                                                                      &error);

  g_assert_no_error (error);
  g_assert_nonnull (note);
  g_assert_true (sitrep_store_write_was_journaled (result));
  g_assert_cmpint (sitrep_timeline_event_get_id (note), ==, 0);
  g_free (waiting->change_id);
  waiting->change_id = g_strdup (sitrep_store_write_get_change_id (result));
  g_assert_nonnull (waiting->change_id);
  waiting->pending--;
}

static void
note_edited_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  NoteWaiting *waiting = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = sitrep_store_change_event_finish (SITREP_STORE (source),
                                                                          result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (note);
  waiting->journaled = sitrep_store_write_was_journaled (result);
  g_free (waiting->text);
  waiting->text = g_strdup (sitrep_timeline_event_get_text (note));
  waiting->pending--;
}

static void
wait_for_notes (NoteWaiting *waiting)
{
  while (waiting->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* The notes of an incident on the server: "text (first: original)" per line. */
static char *
server_notes (PgTestCluster *cluster,
              gint64         incident)
{
  g_autofree char *sql = g_strdup_printf ("SELECT string_agg (text || ' (first: ' ||"
                                          " coalesce (original_text, '-') || ')', E'\\n'"
                                          " ORDER BY id) FROM timeline_events"
                                          " WHERE kind = 'note' AND incident_id = %"
                                          G_GINT64_FORMAT,
                                          incident);

  return pg_test_cluster_query (cluster, sql);
}

/* Issue 17: a note written while the team database is away is kept on this computer, and its
 * author sees a typo in it. The edit is possible at once and kept after the note; when the
 * server is back the note is written, then edited, once: the server's note has the corrected
 * text, the first one as its original, as any edited note. An edit of a kept note after the
 * replay wrote it lands on the server's note at once. */
static void
test_kept_note_edit (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepStore) other = NULL;
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autofree char *notes = NULL;
  g_autofree char *first_note = NULL;
  g_autofree char *applied = NULL;
  NoteWaiting waiting = { 0 };
  guint replayed = 0;
  Replay replay = { NULL, &replayed };
  Kept kept = { NULL, 3 };
  gint64 incident;

  g_assert_no_error (error);
  replay.store = store;
  kept.store = store;
  other = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (other, sitrep_runbook_get_name (runbook), "P1",
                                           "Dispatch queue stuck", g_get_real_time (), &error);
  g_assert_no_error (error);
  sitrep_store_set_journal_path (store, journal);
  g_signal_connect (store, "journal-replayed", G_CALLBACK (replayed_cb), &replayed);
  sitrep_store_wait_for_writes (store);

  pg_test_cluster_stop (cluster);
  waiting.pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), "Cache flushd on dispatch-2",
                               "Dana", NULL, kept_note_cb, &waiting);
  wait_for_notes (&waiting);
  first_note = g_strdup (waiting.change_id);

  /* The typo fixed while the server is still away: kept too, shown as it will be. */
  waiting.pending++;
  sitrep_store_edit_kept_note_async (store, first_note, incident, "Cache flushed on dispatch-2",
                                     g_get_real_time (), "Dana", note_edited_cb, &waiting);
  wait_for_notes (&waiting);
  g_assert_true (waiting.journaled);
  g_assert_cmpstr (waiting.text, ==, "Cache flushed on dispatch-2");

  /* A second kept note, edited only once it is written. */
  waiting.pending++;
  sitrep_store_add_note_async (store, incident, g_get_real_time (), "Queue drainig", "Dana", NULL,
                               kept_note_cb, &waiting);
  wait_for_notes (&waiting);
  wait_until (kept_at_least, &kept, 30, "the notes and the edit to be kept");
  g_assert_cmpuint (sitrep_store_get_pending_changes (store), ==, 3);

  pg_test_cluster_start (cluster);
  wait_until (replayed_and_online, &replay, 60, "the journal to be written");
  g_assert_cmpuint (replayed, ==, 3);
  waiting.pending++;
  sitrep_store_edit_kept_note_async (store, waiting.change_id, incident, "Queue draining",
                                     g_get_real_time (), "Dana", note_edited_cb, &waiting);
  wait_for_notes (&waiting);
  g_assert_false (waiting.journaled);
  g_assert_cmpstr (waiting.text, ==, "Queue draining");

  notes = server_notes (cluster, incident);
  g_assert_cmpstr (notes, ==,
                   "Cache flushed on dispatch-2 (first: Cache flushd on dispatch-2)\n"
                   "Queue draining (first: Queue drainig)");
  applied = pg_test_cluster_query (cluster, "SELECT count(*) FROM sitrep_journal_applied");
  g_assert_cmpstr (applied, ==, "4");
  g_free (waiting.change_id);
  g_free (waiting.text);
}

typedef struct
{
  PgTestCluster *cluster;
  SitrepWebhook *webhook;
  gint64 message;
  SitrepWebhookState state;
  GThread *resume;
  guint posts;              /* posts finished */
  guint queued;             /* times it was said queued */
} Posting;

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Posting *posting = user_data;
  g_autoptr(GError) error = NULL;

  /* The second post is left to the attempt under way, or refused once that has sent it. */
  if (!sitrep_webhook_post_finish (SITREP_WEBHOOK (source), result, &error))
    g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_ALREADY_SENT);
  posting->posts++;
}

/* While the server stalls, what would post the message a second time: the timer's look at
 * the queue and the commander's "Post" again. */
static void
try_again (gpointer data)
{
  Posting *posting = data;

  sitrep_webhook_retry_due (posting->webhook);
  sitrep_webhook_post_async (posting->webhook, posting->message, NULL, posted_cb, posting);
}

static void
webhook_changed_cb (SitrepWebhook      *webhook,
                    gint64              message_id,
                    SitrepWebhookState  state,
                    Posting            *posting)
{
  if (message_id != posting->message)
    return;
  posting->state = state;
  if (state != SITREP_WEBHOOK_STATE_QUEUED || posting->queued++ > 0)
    return;
  /* Queued, about to be posted: the server stalls as the webhook answers, so that the
   * message is marked sent while it does. */
  pg_test_cluster_pause (posting->cluster);
  posting->resume = g_thread_new ("resume", team_test_resume_later, posting->cluster);
  g_idle_add_once (try_again, posting);
}

static gboolean
message_sent (gpointer data)
{
  Posting *posting = data;

  return posting->state == SITREP_WEBHOOK_STATE_SENT && posting->posts == 2;
}

static gboolean
webhook_idle (gpointer data)
{
  SitrepWebhook *webhook = data;

  return !webhook->listing && sitrep_webhook_get_n_in_flight (webhook) == 0;
}

static guint
count_messages_on_timeline (SitrepStore *store,
                            gint64       incident)
{
  const char *kinds[] = { "message", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = sitrep_store_list_events (store, incident,
                                                          SITREP_TIMELINE_LIST_DEFAULT, kinds,
                                                          &error);

  g_assert_no_error (error);
  return events->len;
}

/* A message copied on @cluster's incident, not posted yet (the queue does not list it), and a
 * chat webhook on loopback whose URL is in the keyring. */
typedef struct
{
  TestHook *hook;
  gint64 incident;
  gint64 message;
  guint on_timeline;        /* the incident's messages on its timeline */
} ChatSetUp;

static gboolean
chat_set_up (PgTestCluster *cluster,
             ChatSetUp     *chat)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) other = NULL;
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  SitrepMessageRecord record = {
    .template_id = "depot-notice",
    .title = "Depot notice",
    .kind = SITREP_TEMPLATE_STATUS,
    .text = "Label printing is down at every depot.",
    .author = "Dana",
    .posted = FALSE,
  };

  if (g_getenv ("SITREP_TEST_KEYRING") == NULL)
    {
      g_test_fail_printf ("no keyring: run the tests through build-aux/test-session, which "
                          "starts an unlocked gnome-keyring-daemon; the webhook URL lives only "
                          "there");
      return FALSE;
    }
  chat->hook = test_hook_new ();
  test_hook_answer (chat->hook, 200, "ok");
  sitrep_secrets_store_sync (SITREP_WEBHOOK_SECRET_NAME, test_hook_get_url (chat->hook), NULL,
                             &error);
  g_assert_no_error (error);

  other = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  chat->incident = sitrep_store_insert_incident (other, sitrep_runbook_get_name (runbook), "P1",
                                                 "Dispatch queue stuck", g_get_real_time (),
                                                 &error);
  g_assert_no_error (error);
  record.incident_id = chat->incident;
  record.at = g_get_real_time ();
  chat->message = sitrep_store_record_message_full (other, &record, &error);
  g_assert_no_error (error);
  chat->on_timeline = count_messages_on_timeline (other, chat->incident);
  return TRUE;
}

/* Once it is over: the message was posted once, is sent after one attempt, and is once more
 * on the incident's timeline. */
static void
assert_sent_once (PgTestCluster *cluster,
                  ChatSetUp     *chat)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) other = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepMessage) message = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (test_hook_get_n_requests (chat->hook), ==, 1);
  message = sitrep_store_load_message (other, chat->message, &error);
  g_assert_no_error (error);
  g_assert_cmpint (message->webhook_state, ==, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpuint (message->webhook_attempts, ==, 1);
  g_assert_cmpuint (count_messages_on_timeline (other, chat->incident), ==, chat->on_timeline + 1);
}

/* The chat webhook on a team database whose server stalls (SIGSTOP, a few seconds) just as a message is
 * posted: the message is marked sent on the store's writer thread, the main loop turns all the
 * while, and neither the queue's timer nor a second "Post" meanwhile posts it again. Once the
 * server answers, the message is sent, after one attempt, once on the timeline. */
static void
test_webhook_stall (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepWebhook) webhook = NULL;
  TeamStall beat = { 0 };
  ChatSetUp chat = { 0 };
  Posting posting = { cluster, NULL, 0, SITREP_WEBHOOK_STATE_NONE, NULL, 0, 0 };

  if (!chat_set_up (cluster, &chat))
    return;
  posting.message = chat.message;

  store = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  webhook = sitrep_webhook_new (store, NULL);
  sitrep_webhook_set_allow_plain_http (webhook, TRUE);
  posting.webhook = webhook;
  g_signal_connect (webhook, "changed", G_CALLBACK (webhook_changed_cb), &posting);

  team_test_beat_begin (&beat);
  sitrep_webhook_post_async (webhook, posting.message, NULL, posted_cb, &posting);
  wait_until (message_sent, &posting, 60, "the message to be marked sent");
  team_test_beat_end (&beat);
  g_assert_nonnull (posting.resume);
  g_thread_join (posting.resume);
  /* Whatever was still reading the queue when it was marked has finished, and tried what it
   * found. */
  wait_until (webhook_idle, webhook, 30, "the webhook to be done with its queue");

  assert_sent_once (cluster, &chat);
  g_signal_handlers_disconnect_by_data (webhook, &posting);
  g_clear_object (&webhook);
  test_hook_free (chat.hook);
}

typedef struct
{
  SitrepWebhook *webhook;
  gint64 message;
  SitrepWebhookState state;
  guint asked;              /* posts asked for */
  guint posts;              /* posts finished */
  guint refused;            /* posts refused: sent already */
  guint told_sent;          /* "changed" of the message to sent */
} Away;

static void
away_changed_cb (SitrepWebhook      *webhook,
                 gint64              message_id,
                 SitrepWebhookState  state,
                 Away               *away)
{
  if (message_id == away->message)
    {
      away->state = state;
      away->told_sent += state == SITREP_WEBHOOK_STATE_SENT;
    }
}

static gboolean
away_told_sent (gpointer data)
{
  return ((Away *) data)->state == SITREP_WEBHOOK_STATE_SENT;
}

static void
away_posted_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Away *away = user_data;
  g_autoptr(GError) error = NULL;

  /* Left to the post before it, still reading the message; or the message cannot be read
   * while the server is away; or, once back, it is sent already. */
  if (!sitrep_webhook_post_finish (SITREP_WEBHOOK (source), result, &error))
    {
      if (!g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE))
        g_assert_error (error, SITREP_WEBHOOK_ERROR, SITREP_WEBHOOK_ERROR_ALREADY_SENT);
      if (error->domain == SITREP_WEBHOOK_ERROR)
        away->refused++;
    }
  away->posts++;
}

static gboolean
hook_holds_one (gpointer data)
{
  return test_hook_get_n_held (data) == 1;
}

static void
away_post (Away *away)
{
  away->asked++;
  sitrep_webhook_post_async (away->webhook, away->message, NULL, away_posted_cb, away);
}

static gboolean
away_sent_and_kept (gpointer data)
{
  Away *away = data;
  SitrepStore *store = away->webhook->store;

  return away->state == SITREP_WEBHOOK_STATE_SENT && sitrep_store_get_offline (store)
         && sitrep_store_get_pending_changes (store) >= 1;
}

static gboolean
away_idle (gpointer data)
{
  Away *away = data;

  return webhook_idle (away->webhook) && away->posts == away->asked;
}

/* As the server comes back, until the journal is written: the queue is read and "Post" pressed
 * again, every 50 ms; then once more. */
static void
hammer_until_replayed (Away   *away,
                       Replay *replay)
{
  while (!replayed_and_online (replay))
    {
      gint64 until = g_get_monotonic_time () + 50 * 1000;

      sitrep_webhook_retry_due (away->webhook);
      away_post (away);
      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  sitrep_webhook_retry_due (away->webhook);
  away_post (away);
  wait_until (away_idle, away, 30, "the webhook to be done with its queue and the posts");
}

static SitrepWebhook *
away_webhook_new (Away        *away,
                  SitrepStore *store)
{
  SitrepWebhook *webhook = sitrep_webhook_new (store, NULL);

  sitrep_webhook_set_allow_plain_http (webhook, TRUE);
  away->webhook = webhook;
  g_signal_connect (webhook, "changed", G_CALLBACK (away_changed_cb), away);
  return webhook;
}

static void
kept_listed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GPtrArray **changes = user_data;
  g_autoptr(GError) error = NULL;

  *changes = sitrep_store_list_kept_finish (SITREP_STORE (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* What the banner's list of kept changes says of each, oldest first. */
static GStrv
kept_whats (SitrepStore *store)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GStrvBuilder) whats = g_strv_builder_new ();

  sitrep_store_list_kept_async (store, NULL, kept_listed_cb, &changes);
  wait_until (is_set, &changes, 30, "the kept changes to be listed");
  for (guint i = 0; i < changes->len; i++)
    g_strv_builder_add (whats, ((SitrepKeptChange *) changes->pdata[i])->what);
  return g_strv_builder_end (whats);
}

/* The chat webhook on a team database whose server goes away (stopped) while a message is
 * posted: the chat takes the message, and the console keeps its "sent" in the journal. Neither
 * the queue, read again and again as the server comes back, nor "Post" pressed again meanwhile
 * sends it a second time; the replay writes it sent, after one attempt, once on the timeline.
 * With @data, the console is started again while the server is still away: the new console
 * reads the state its earlier run kept, and does not post the message again either. */
static void
test_webhook_away (gconstpointer data)
{
  gboolean restart = GPOINTER_TO_INT (data);
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepWebhook) webhook = NULL;
  guint replayed = 0;
  Replay replay = { NULL, &replayed };
  ChatSetUp chat = { 0 };
  Away away = { 0 };

  if (!chat_set_up (cluster, &chat))
    return;
  test_hook_set_mode (chat.hook, TEST_HOOK_HOLD);
  away.message = chat.message;
  store = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  webhook = away_webhook_new (&away, store);

  /* Queued on the server; the chat has the message when the server goes. */
  away_post (&away);
  wait_until (hook_holds_one, chat.hook, 30, "the message to reach the chat");
  g_assert_cmpint (away.state, ==, SITREP_WEBHOOK_STATE_QUEUED);
  pg_test_cluster_stop (cluster);
  test_hook_release (chat.hook);
  wait_until (away_sent_and_kept, &away, 60, "the message's state to be kept in the journal");
  {
    g_auto(GStrv) whats = kept_whats (store);
    const char *expected[] = { "A chat message marked “Posted”", NULL };

    g_assert_cmpstrv (whats, expected);
  }

  if (restart)
    {
      /* The console quits, and starts again while the server is still away. */
      wait_until (away_idle, &away, 30, "the first console's webhook to be done");
      g_signal_handlers_disconnect_by_data (webhook, &away);
      g_clear_object (&webhook);
      sitrep_store_wait_for_writes (store);
      g_clear_object (&store);
      store = sitrep_store_open_away (cluster->uri, &error);
      g_assert_no_error (error);
      webhook = away_webhook_new (&away, store);
    }
  else
    /* Pressed again while away. */
    away_post (&away);

  /* The server comes back. */
  replay.store = store;
  g_signal_connect (store, "journal-replayed", G_CALLBACK (replayed_cb), &replayed);
  pg_test_cluster_start (cluster);
  hammer_until_replayed (&away, &replay);

  assert_sent_once (cluster, &chat);
  /* "Post" pressed once the journal is written: refused, the message is sent. */
  g_assert_cmpuint (away.refused, >=, 1);
  g_signal_handlers_disconnect_by_data (webhook, &away);
  g_signal_handlers_disconnect_by_data (store, &replayed);
  g_clear_object (&webhook);
  test_hook_free (chat.hook);
}

/* Both consoles have answered every post asked of them, and one of them is done with its
 * queue: the other may still be posting. */
typedef struct
{
  Away *consoles[2];
} TwoConsoles;

static gboolean
posts_answered_and_one_idle (gpointer data)
{
  TwoConsoles *two = data;

  for (guint i = 0; i < 2; i++)
    if (two->consoles[i]->posts != two->consoles[i]->asked)
      return FALSE;
  return webhook_idle (two->consoles[0]->webhook) || webhook_idle (two->consoles[1]->webhook);
}

static gboolean
both_idle (gpointer data)
{
  TwoConsoles *two = data;

  return away_idle (two->consoles[0]) && away_idle (two->consoles[1]);
}

static gboolean
hook_has_two (gpointer data)
{
  return test_hook_get_n_requests (data) == 2;
}

/* Turns the main loop for @ms milliseconds. */
static void
iterate_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

/* Two consoles on one team database each run the chat webhook's queue. While one posts a
 * message (the chat holds the POST), the other, whose queue is read and whose commander
 * presses "Post" on the same message, leaves it to the first: the chat gets it once. A message
 * that a console claimed and never finished (the console was killed mid-post) is posted by
 * the other once that claim runs out, and not before. */
static void
test_webhook_two_consoles (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store_a = NULL;
  g_autoptr(SitrepStore) store_b = NULL;
  g_autoptr(SitrepWebhook) webhook_a = NULL;
  g_autoptr(SitrepWebhook) webhook_b = NULL;
  g_autoptr(SitrepMessage) left = NULL;
  ChatSetUp chat = { 0 };
  Away a = { 0 }, b = { 0 };
  TwoConsoles two = { { &a, &b } };
  SitrepMessageRecord record = {
    .template_id = "depot-notice",
    .title = "Depot notice",
    .kind = SITREP_TEMPLATE_STATUS,
    .text = "Label printing is back at every depot.",
    .author = "Dana",
  };
  gint64 now, claimed_until;

  if (!chat_set_up (cluster, &chat))
    return;
  test_hook_set_mode (chat.hook, TEST_HOOK_HOLD);
  a.message = b.message = chat.message;
  store_a = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  store_b = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  webhook_a = away_webhook_new (&a, store_a);
  webhook_b = away_webhook_new (&b, store_b);
  /* The chat holds the POST for as long as the test needs, however busy the machine. */
  sitrep_webhook_set_timeout (webhook_a, 120 * 1000);
  sitrep_webhook_set_timeout (webhook_b, 120 * 1000);

  /* A posts; the chat holds the POST. B's queue is read and its "Post" pressed meanwhile, and
   * A's again. */
  away_post (&a);
  wait_until (hook_holds_one, chat.hook, 30, "the message to reach the chat");
  sitrep_webhook_retry_due (webhook_b);
  away_post (&b);
  away_post (&a);
  wait_until (posts_answered_and_one_idle, &two, 30, "both consoles to answer the posts");
  sitrep_webhook_retry_due (webhook_b);
  iterate_for (500);
  g_assert_cmpuint (test_hook_get_n_held (chat.hook), ==, 1);
  g_assert_cmpuint (test_hook_get_n_requests (chat.hook), ==, 1);

  test_hook_release (chat.hook);
  test_hook_set_mode (chat.hook, TEST_HOOK_ANSWER);
  wait_until (both_idle, &two, 30, "both consoles to be done with the message");
  assert_sent_once (cluster, &chat);
  /* B left the message to A: once B's queue is read again (as when the team database tells of
   * A's post, or within the minute), B tells its composer the message is sent, once. */
  sitrep_webhook_retry_due (webhook_b);
  wait_until (away_told_sent, &b, 30, "B to tell that A sent the message");
  sitrep_webhook_retry_due (webhook_b);
  wait_until (both_idle, &two, 30, "B's queue to be read again");
  iterate_for (200);
  g_assert_cmpuint (b.told_sent, ==, 1);

  /* A console claimed a message and was killed before it posted it: its claim runs out in
   * 3 s. B, started again meanwhile, reads the queue: it leaves the message until then, and
   * posts it once after. */
  g_signal_handlers_disconnect_by_data (webhook_b, &b);
  g_clear_object (&webhook_b);
  record.incident_id = chat.incident;
  record.at = g_get_real_time ();
  record.posted = TRUE;
  b.message = sitrep_store_record_message_full (store_a, &record, &error);
  g_assert_no_error (error);
  now = g_get_real_time ();
  claimed_until = now + 3 * G_USEC_PER_SEC;
  sitrep_store_mark_message_queued (store_a, b.message, "a console killed mid-post", now,
                                    claimed_until, &error);
  g_assert_no_error (error);
  webhook_b = away_webhook_new (&b, store_b);
  while (g_get_real_time () < claimed_until - G_USEC_PER_SEC / 2)
    iterate_for (100);
  g_assert_cmpuint (test_hook_get_n_requests (chat.hook), ==, 1);
  wait_until (hook_has_two, chat.hook, 30, "the left message to be posted");
  wait_until (both_idle, &two, 30, "both consoles to be done with the left message");
  iterate_for (500);
  g_assert_cmpuint (test_hook_get_n_requests (chat.hook), ==, 2);
  left = sitrep_store_load_message (store_b, b.message, &error);
  g_assert_no_error (error);
  g_assert_cmpint (left->webhook_state, ==, SITREP_WEBHOOK_STATE_SENT);
  g_assert_cmpuint (left->webhook_attempts, ==, 1);

  g_signal_handlers_disconnect_by_data (webhook_a, &a);
  g_signal_handlers_disconnect_by_data (webhook_b, &b);
  g_clear_object (&webhook_a);
  g_clear_object (&webhook_b);
  test_hook_free (chat.hook);
}

typedef struct
{
  gboolean done;
  gint64 id;
} Recorded;

static void
message_recorded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Recorded *recorded = user_data;
  g_autoptr(GError) error = NULL;

  recorded->id = sitrep_incident_manager_record_message_finish (SITREP_INCIDENT_MANAGER (source),
                                                                result, &error);
  g_assert_no_error (error);
  recorded->done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Issue 17: a status update copied to the chat while the team database is away, on an
 * incident declared meanwhile, is kept with the declaration (the banner's list says so) and
 * written once the server is back: under the server's id, once, on the timeline, and the
 * "next update due" clock starts from the moment it was copied. */
static void
test_message_kept (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) reader = NULL;
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *applied = NULL;
  AwayConsole console = { 0 };
  Replay replay = { NULL, &console.replayed };
  Kept kept = { NULL, 2 };
  Recorded recorded = { 0 };
  SitrepMessageRecord record = {
    .template_id = "status-update",
    .title = "Status update",
    .kind = SITREP_TEMPLATE_STATUS,
    .text = "Checkout fails for every card payment; we are rolling back.",
    .author = "carol",
    .posted = FALSE,
  };
  SitrepStore *store;
  gint64 local;

  away_console_declare (&console, cluster);
  store = replay.store = kept.store = console.store;
  local = console.local;

  /* Copied to the chat while away, as the composer records it: kept, and the console shows
   * the update clock started again. */
  record.incident_id = local;
  record.at = g_get_real_time ();
  sitrep_incident_manager_record_message_async (console.manager, &record, message_recorded_cb,
                                                &recorded);
  wait_until (is_true, &recorded.done, 30, "the message to be recorded or kept");
  g_assert_cmpint (recorded.id, ==, 0);
  g_assert_cmpint (sitrep_incident_get_last_update_at (sitrep_incident_manager_find (console.manager,
                                                                                     local)),
                   ==, record.at);
  wait_until (kept_at_least, &kept, 30, "both changes to be kept");
  {
    g_auto(GStrv) whats = kept_whats (store);
    const char *expected[] = { "Declared “Checkout fails”", "Message “Status update” copied",
                               NULL };

    g_assert_cmpstrv (whats, expected);
  }

  pg_test_cluster_start (cluster);
  wait_until (replayed_and_online, &replay, 60, "the journal to be written");
  g_assert_cmpuint (console.replayed, ==, 2);
  g_assert_cmpint (console.ids[1], >, 0);

  reader = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  applied = pg_test_cluster_query (cluster, "SELECT count(*) FROM sitrep_journal_applied");
  g_assert_cmpstr (applied, ==, "2");
  messages = sitrep_store_list_messages (reader, console.ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (((SitrepMessage *) messages->pdata[0])->text, ==, record.text);
  g_assert_cmpstr (((SitrepMessage *) messages->pdata[0])->author, ==, "carol");
  g_assert_cmpint (((SitrepMessage *) messages->pdata[0])->copied_at, ==, record.at);
  g_assert_cmpuint (count_messages_on_timeline (reader, console.ids[1]), ==, 1);
  incident = sitrep_store_load_incident (reader, console.ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_incident_get_last_update_at (incident), ==, record.at);
  away_console_clear (&console);
}

/* Changes to events the server has, made while it is away. */
typedef struct
{
  guint pending;
  guint kept;               /* callbacks that said "kept" */
} ChangeWaiting;

/* A change the journal kept: an event's, with the event's id; a moved start, its incident's. */
static void
change_kept_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ChangeWaiting *waiting = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) event = sitrep_store_change_event_finish (SITREP_STORE (source),
                                                                           result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpint (sitrep_timeline_event_get_incident_id (event), >, 0);
  if (g_strcmp0 (sitrep_timeline_event_get_kind (event), SITREP_TIMELINE_KIND_START_MOVED) != 0)
    g_assert_cmpint (sitrep_timeline_event_get_id (event), >, 0);
  if (sitrep_store_write_was_journaled (result))
    waiting->kept++;
  waiting->pending--;
}

static void
refused_cb (const char *change_id,
            const char *kind,
            const char *body,
            gint64      at,
            const char *reason,
            gpointer    data)
{
  g_string_append_printf (data, "%s: %s\n", kind, reason);
}

/* While the console's writer connects again after the restart, another console (here, SQL
 * of its own) edits the note that the kept edit started from. Once. */
static PgTestCluster *overtaking_cluster;
static char *overtaking_sql;

static void
overtake_edit (void)
{
  g_autofree char *sql = g_atomic_pointer_exchange (&overtaking_sql, NULL);

  if (sql != NULL)
    pg_test_cluster_exec (overtaking_cluster, sql);
}

static gint64
add_server_note (SitrepStore *store,
                 gint64       incident,
                 const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepTimelineEvent) note = sitrep_store_add_note (store, incident, g_get_real_time (),
                                                               text, "Ines", &error);

  g_assert_no_error (error);
  return sitrep_timeline_event_get_id (note);
}

/* Issue 17: "when the shared database is unreachable, the console keeps working on a local
 * SQLite journal". A note the server has is edited, starred, annotated and deleted while it is
 * away: each is kept (the callback says so), listed in a person's words, and made once when the
 * server is back. An edit that another console's edit overtook meanwhile is not written over
 * theirs: it is set aside with both texts, not lost. */
static void
test_event_changes_kept (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "journal.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) store = sitrep_store_open (cluster->uri, &error);
  g_autoptr(SitrepStore) other = NULL;
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  g_autoptr(SitrepStoreJournal) kept_journal = NULL;
  g_auto(GStrv) whats = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(GString) reasons = g_string_new (NULL);
  g_autofree char *rows = NULL;
  g_autofree char *sql = NULL;
  ChangeWaiting waiting = { 0 };
  guint replayed = 0;
  Replay replay = { NULL, &replayed };
  Kept kept = { NULL, 7 };
  gint64 incident, gateway, restart, typo, cache, started;
  g_autofree char *start_sql = NULL;
  g_autofree char *start = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *expected_start = NULL;

  g_assert_no_error (error);
  replay.store = store;
  kept.store = store;
  other = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  incident = sitrep_store_insert_incident (other, sitrep_runbook_get_name (runbook), "P1",
                                           "Dispatch queue stuck", g_get_real_time (), &error);
  g_assert_no_error (error);
  gateway = add_server_note (other, incident, "Gateway 502s");
  restart = add_server_note (other, incident, "Restarted dispatch-2");
  typo = add_server_note (other, incident, "Wrong incident, ignore");
  cache = add_server_note (other, incident, "Cache cold");
  sitrep_store_set_journal_path (store, journal);
  g_signal_connect (store, "journal-replayed", G_CALLBACK (replayed_cb), &replayed);
  sitrep_store_wait_for_writes (store);

  started = g_get_real_time () - (gint64) 3600 * G_USEC_PER_SEC;
  pg_test_cluster_stop (cluster);
  waiting.pending = 7;
  sitrep_store_edit_note_async (store, incident, gateway, "Gateway 502s",
                                "Gateway 502s since 03:10", g_get_real_time (), change_kept_cb,
                                &waiting);
  /* Edited again: the row, read from the server, still shows the first text, which the
   * second edit starts from too. It is no conflict with the first. */
  sitrep_store_edit_note_async (store, incident, gateway, "Gateway 502s",
                                "Gateway 502s since 03:10, EU only", g_get_real_time (),
                                change_kept_cb, &waiting);
  sitrep_store_star_event_async (store, incident, restart, TRUE, change_kept_cb, &waiting);
  sitrep_store_annotate_event_async (store, incident, restart, "confirmed by Ines",
                                     change_kept_cb, &waiting);
  sitrep_store_delete_note_async (store, incident, typo, g_get_real_time (), change_kept_cb,
                                  &waiting);
  sitrep_store_edit_note_async (store, incident, cache, "Cache cold", "Cache cold on eu-1",
                                g_get_real_time (), change_kept_cb, &waiting);
  /* Impact began an hour before the declaration. */
  sitrep_store_move_start_async (store, incident, started, g_get_real_time (), "Ines",
                                 change_kept_cb, &waiting);
  while (waiting.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (waiting.kept, ==, 7);
  wait_until (kept_at_least, &kept, 30, "the seven changes to be kept");

  /* The banner's list says what each is. */
  whats = kept_whats (store);
  joined = g_strjoinv ("\n", whats);
  g_assert_cmpstr (joined, ==,
                   "Note edited to “Gateway 502s since 03:10”\n"
                   "Note edited to “Gateway 502s since 03:10, EU only”\n"
                   "Event starred\n"
                   "Event annotated “confirmed by Ines”\n"
                   "Note deleted\n"
                   "Note edited to “Cache cold on eu-1”\n"
                   "Start of impact moved earlier");

  overtaking_cluster = cluster;
  sql = g_strdup_printf ("UPDATE timeline_events SET text = 'Cache warm again', original_text ="
                         " coalesce (original_text, text), edited_at = 1 WHERE id = %"
                         G_GINT64_FORMAT, cache);
  pg_test_cluster_start (cluster);
  g_atomic_pointer_set (&overtaking_sql, g_steal_pointer (&sql));
  sitrep_store_testing_set_connecting (overtake_edit);
  wait_until (replayed_and_online, &replay, 60, "the journal to be written");
  sitrep_store_testing_set_connecting (NULL);
  g_assert_null (g_atomic_pointer_get (&overtaking_sql));
  g_assert_cmpuint (replayed, ==, 6);
  g_assert_cmpuint (sitrep_store_get_refused_changes (store), ==, 1);

  rows = pg_test_cluster_query (cluster,
                                "SELECT string_agg (text || ' | ' || coalesce (original_text, '-')"
                                " || ' | ' || starred || ' | ' || coalesce (annotation, '-') ||"
                                " ' | ' || (deleted_at IS NOT NULL), E'\\n' ORDER BY id)"
                                " FROM timeline_events WHERE kind = 'note'");
  g_assert_cmpstr (rows, ==,
                   "Gateway 502s since 03:10, EU only | Gateway 502s | 0 | - | false\n"
                   "Restarted dispatch-2 | - | 1 | confirmed by Ines | false\n"
                   "Wrong incident, ignore | - | 0 | - | true\n"
                   "Cache warm again | Cache cold | 0 | - | false");

  start_sql = g_strdup_printf ("SELECT started_at FROM incidents WHERE id = %" G_GINT64_FORMAT,
                               incident);
  start = pg_test_cluster_query (cluster, start_sql);
  expected_start = g_strdup_printf ("%" G_GINT64_FORMAT, started);
  g_assert_cmpstr (start, ==, expected_start);
  moved = pg_test_cluster_query (cluster, "SELECT count(*) FROM timeline_events"
                                          " WHERE kind = 'start-moved' AND author = 'Ines'");
  g_assert_cmpstr (moved, ==, "1");

  /* The overtaken edit is set aside with its text, for `sitrep store journal` to list. */
  kept_journal = sitrep_store_journal_open (journal, &error);
  g_assert_no_error (error);
  g_assert_true (sitrep_store_journal_foreach (kept_journal, TRUE, refused_cb, reasons, &error));
  g_assert_no_error (error);
  g_test_message ("set aside: %s", reasons->str);
  g_assert_nonnull (strstr (reasons->str, "event-change: the edit “Cache cold on eu-1” was not "
                                          "made"));
  g_assert_nonnull (strstr (reasons->str, "Cache warm again"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  test_hook_take_keyring_turn ();
  g_test_add_func ("/team-edits/channel-kept", test_channel_kept);
  g_test_add_func ("/team-edits/kept-note-edit", test_kept_note_edit);
  g_test_add_func ("/team-edits/event-changes-kept", test_event_changes_kept);
  g_test_add_func ("/team-edits/webhook-stall", test_webhook_stall);
  g_test_add_data_func ("/team-edits/webhook-away", GINT_TO_POINTER (FALSE), test_webhook_away);
  g_test_add_data_func ("/team-edits/webhook-away-restart", GINT_TO_POINTER (TRUE),
                        test_webhook_away);
  g_test_add_func ("/team-edits/webhook-two-consoles", test_webhook_two_consoles);
  g_test_add_func ("/team-edits/message-kept", test_message_kept);
  return g_test_run ();
}
