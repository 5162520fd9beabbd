/* test-team-netdown.c: the network to the team database goes away without a word
 *
 * A stalled server (SIGSTOP, test-team-reads.c) still has a kernel that acknowledges what is
 * sent to it, and a stopped one refuses connections at once. A cable pulled, a VPN dropped or a
 * firewall that drops packets does neither: what is sent is never acknowledged and nothing
 * says so. TCP then retries for a quarter of an hour before it gives up, and a console that
 * waits for its last change to be written before it quits would wait that long.
 *
 * This test gets a network of its own (a network namespace, so the machine's is not touched;
 * it must run as root, as the test command does in CI), runs its own PostgreSQL there, and takes
 * the loopback interface down under a console: packets to the server are then dropped, as on a
 * dead link.
 *
 * A server that stalls (SIGSTOP: paused on its disk, a lock held elsewhere) is the other
 * silence: its kernel acknowledges every packet and answers keepalives, so no limit of the
 * connection's ever ends the wait. There the console stops waiting on its own.
 */
#define _GNU_SOURCE /* unshare () */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fixture-runbook.h"
#include "loop-test-util.h"
#include "pg-test-util.h"
#include "sitrep-store-incidents.h"
#include "team-test-util.h"
#include "sitrep-session-private.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-presence.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-writer.h"
#include "sitrep-store-testing.h"

/* How long the console may take to quit before the test calls it hung: far more than the
 * 5 s it waits for the server and the connection's own limits (connect_timeout), far less than
 * TCP's quarter hour or a minute of retries. A hang detector, not a measure of speed. */
#define QUIT_LIMIT_S 45

/* Takes this namespace's loopback interface up or down. */
static void
set_loopback (gboolean up)
{
  struct ifreq request = { 0 };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_strlcpy (request.ifr_name, "lo", sizeof request.ifr_name);
  if (ioctl (fd, SIOCGIFFLAGS, &request) != 0)
    g_error ("Cannot read the loopback interface's flags: %s", g_strerror (errno));
  if (up)
    request.ifr_flags |= IFF_UP;
  else
    request.ifr_flags &= ~IFF_UP;
  if (ioctl (fd, SIOCSIFFLAGS, &request) != 0)
    g_error ("Cannot take the loopback interface %s: %s", up ? "up" : "down",
             g_strerror (errno));
  close (fd);
}

static gboolean
incidents_ready (gpointer data)
{
  SitrepSession *session = data;

  return session->incidents != NULL && session->watch != NULL
         && sitrep_incident_manager_get_current (session->incidents) != NULL;
}

typedef struct
{
  gint quit;
  PgTestCluster *cluster;
  gboolean paused;
} Quitting;

/* Fails the test, with what it waited for, when quitting has not ended in time; the server is
 * stopped first, so that no postgres outlives the test. */
static gpointer
watchdog (gpointer data)
{
  Quitting *quitting = data;

  for (guint i = 0; i < QUIT_LIMIT_S * 10; i++)
    {
      if (g_atomic_int_get (&quitting->quit))
        return NULL;
      g_usleep (G_USEC_PER_SEC / 10);
    }
  g_printerr ("The console has not quit after %u s with its team database not answering: it "
              "waits on a connection that nothing will answer (no tcp_user_timeout, no "
              "keepalives, no limit of its own on the writes it waits for?).\n",
              QUIT_LIMIT_S);
  if (quitting->paused)
    pg_test_cluster_resume (quitting->cluster);
  pg_test_cluster_stop (quitting->cluster);
  g_abort ();
}

static char *
count_notes (PgTestCluster *cluster,
             const char    *text)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM timeline_events"
                                          " WHERE kind = 'note' AND text = '%s'",
                                          text);

  return pg_test_cluster_query (cluster, sql);
}

static gboolean
note_on_server (gpointer data)
{
  g_autofree char *found = count_notes (data, "Written as the link went down");

  return g_strcmp0 (found, "1") == 0;
}

#define STALLED_NOTE "Written as the server stalled"

static gboolean
stalled_note_on_server (gpointer data)
{
  g_autofree char *found = count_notes (data, STALLED_NOTE);

  return g_strcmp0 (found, "1") == 0;
}

static SitrepSession *
open_session (GSettings  *settings,
              const char *uri)
{
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load (NULL);
  SitrepSession *session = sitrep_session_new (settings);

  sitrep_session_set_runbook (session, runbook);
  sitrep_session_open_store (session, uri);
  return session;
}

/* How many times the console's journal on this computer keeps the note @text. */
static guint
count_kept (PgTestCluster *cluster,
            const char    *text)
{
  g_autofree char *path = sitrep_store_journal_default_path (cluster->uri);
  g_autofree char *kept = team_test_journal_text (path);
  g_autofree char *line = g_strdup_printf ("note:%s\n", text);
  guint count = 0;

  for (const char *at = strstr (kept, line); at != NULL; at = strstr (at + 1, line))
    count++;
  return count;
}

/* The commander quits, with the watchdog on: the console must be gone in QUIT_LIMIT_S. */
static void
quit (SitrepSession **session,
      Quitting       *quitting,
      const char     *with)
{
  gint64 started = g_get_monotonic_time ();
  GThread *dog = g_thread_new ("watchdog", watchdog, quitting);

  sitrep_session_close (*session);
  g_clear_object (session);
  g_atomic_int_set (&quitting->quit, 1);
  g_thread_join (dog);
  g_test_message ("quit in %.1f s with %s",
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC, with);
}

/* An incident on the team database, and a console on it that has read it and listens. */
static SitrepSession *
start_console (PgTestCluster  *cluster,
               GSettings     **settings,
               gint64         *incident)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepStore) other = sitrep_store_open (cluster->uri, &error);
  SitrepSession *session;

  g_assert_no_error (error);
  *incident = sitrep_store_insert_incident (other, "Northwind Freight", "P1",
                                            "Dispatch queue stuck", g_get_real_time (), &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  *settings = g_settings_new (APP_ID);
  session = open_session (*settings, cluster->uri);
  wait_until (incidents_ready, session, 60, "the team database to open and its watch to listen");
  spin (500);
  return session;
}

/* A note is written as the link goes down, and the commander quits: the console gives up on the
 * connection in bounded time, keeps the note in its journal, and quits. With the link back, the
 * next start writes the note to the team database: once. */
static void
test_quit (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SitrepSession) session = NULL;
  Quitting quitting = { 0, cluster };
  gint64 incident;

  session = start_console (cluster, &settings, &incident);

  set_loopback (FALSE);
  sitrep_store_add_note_async (session->store, incident, g_get_real_time (),
                               "Written as the link went down", "Dana", NULL, NULL, NULL);

  quit (&session, &quitting, "the link down");

  /* The note is on this computer. Back, the next start replays the journal. */
  g_assert_cmpuint (count_kept (cluster, "Written as the link went down"), ==, 1);
  set_loopback (TRUE);
  g_assert_false (note_on_server (cluster));
  session = open_session (settings, cluster->uri);
  wait_until (note_on_server, cluster, 60, "the kept note to be written to the team database");
  spin (1000);
  g_assert_true (note_on_server (cluster));
  sitrep_session_close (session);
}

/* The server stalls as a note is written, and the commander quits: the console stops waiting
 * for the server after a few seconds, with the note kept in its journal on this computer. Once
 * the server answers again, the note is on the team database: once, though the change that
 * was stuck in the server may be committed too. */
static void
test_quit_stalled (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SitrepSession) session = NULL;
  g_autofree char *count = NULL;
  Quitting quitting = { 0, cluster, TRUE };
  gint64 incident;

  session = start_console (cluster, &settings, &incident);

  pg_test_cluster_pause (cluster);
  sitrep_store_add_note_async (session->store, incident, g_get_real_time (), STALLED_NOTE,
                               "Dana", NULL, NULL, NULL);
  /* The writer has sent the note and waits for the server's answer. */
  spin (500);

  quit (&session, &quitting, "the server stalled");

  /* The note is on this computer, to be written at the next start (the server first goes on,
   * so that a failed assertion leaves no stopped postgres behind). */
  pg_test_cluster_resume (cluster);
  g_assert_cmpuint (count_kept (cluster, STALLED_NOTE), ==, 1);

  session = open_session (settings, cluster->uri);
  wait_until (stalled_note_on_server, cluster, 60,
              "the kept note to be written to the team database");
  wait_until (incidents_ready, session, 60, "the console to open again");
  spin (2000);
  count = count_notes (cluster, STALLED_NOTE);
  g_assert_cmpstr (count, ==, "1");
  sitrep_session_close (session);
  g_clear_object (&session);

  /* Nothing is left to replay. */
  g_assert_cmpuint (count_kept (cluster, STALLED_NOTE), ==, 0);
}

static gpointer
read_incidents (SitrepStore *store,
                gpointer     data,
                GError     **error)
{
  return sitrep_store_list_incidents (store, error);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GError **error = data;
  g_autoptr(GPtrArray) incidents = sitrep_store_read_finish (SITREP_STORE (source), result,
                                                             error);

  g_assert_null (incidents);
  g_assert_nonnull (*error);
}

static gboolean
is_set (gpointer data)
{
  return *(GError **) data != NULL;
}

/* The server stalls while the console reads, with nothing to write, and the commander quits:
 * the read is not waited for (nothing would ever answer it), and is answered as cancelled. */
static void
test_quit_reading (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SitrepSession) session = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Quitting quitting = { 0, cluster, TRUE };
  gint64 incident;

  session = start_console (cluster, &settings, &incident);
  store = g_object_ref (session->store);
  pg_test_cluster_pause (cluster);
  sitrep_store_read_async (store, read_incidents, NULL, NULL, (GDestroyNotify) g_ptr_array_unref,
                           NULL, read_cb, &error);
  spin (500);

  quit (&session, &quitting, "a read under way on a stalled server");
  pg_test_cluster_resume (cluster);
  wait_until (is_set, &error, 30, "the read to be answered");
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

#define STALLED_RUNNING_NOTE "Written while the server stalled"

typedef struct
{
  gboolean done;
  gboolean journaled;
  GError *error;
} NoteWritten;

static void
note_written_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  NoteWritten *written = user_data;
  g_autoptr(SitrepTimelineEvent) event = NULL;

  event = sitrep_store_add_note_finish (SITREP_STORE (source), result, &written->error);
  written->journaled = sitrep_store_write_was_journaled (result);
  written->done = TRUE;
}

/* A change the journal cannot keep (as the escalation check the incident manager makes every
 * few seconds): it reads the incidents on the writer thread. */
static gboolean
read_in_writer (SitrepStore *store,
                gpointer     data,
                GError     **error)
{
  g_autoptr(GPtrArray) incidents = sitrep_store_list_incidents (store, error);

  return incidents != NULL;
}

static void
plain_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  NoteWritten *written = user_data;

  sitrep_store_write_finish (SITREP_STORE (source), result, &written->error);
  written->done = TRUE;
}

static gboolean
running_note_on_server (gpointer data)
{
  g_autofree char *found = count_notes (data, STALLED_RUNNING_NOTE);

  return g_strcmp0 (found, "1") == 0;
}

static gboolean
back_online (gpointer data)
{
  return !sitrep_store_get_offline (data);
}

/* The server stalls while the console runs (no one quits): the change it was sent is given up
 * after the console's limit, and a note written then is not left waiting for good behind it:
 * it is kept on this computer, and the console says the team database is unreachable (the
 * window's banner); with the server back, the note is written there, once, and the console is
 * online again. */
static void
test_stalled_running (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SitrepSession) session = NULL;
  g_autofree char *count = NULL;
  NoteWritten plain = { 0 };
  NoteWritten written = { 0 };
  gboolean offline;
  guint kept;
  gint64 incident;
  gint64 started;

  session = start_console (cluster, &settings, &incident);
  g_assert_false (sitrep_store_get_offline (session->store));

  pg_test_cluster_pause (cluster);
  started = g_get_monotonic_time ();
  /* First a change the journal cannot keep, which the server takes and does not answer; then
   * the note, queued behind it. */
  sitrep_store_write_async (session->store, read_in_writer, NULL, NULL, NULL, plain_written_cb,
                            &plain);
  sitrep_store_add_note_async (session->store, incident, g_get_real_time (),
                               STALLED_RUNNING_NOTE, "Dana", NULL, note_written_cb, &written);
  /* A hang detector (the console's limit is 15 s); the server goes on before anything is
   * asserted, so that a failure leaves no stopped postgres behind. */
  while (!written.done && g_get_monotonic_time () < started + 90 * G_USEC_PER_SEC)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10 * 1000);
  spin (200);
  offline = sitrep_store_get_offline (session->store);
  kept = count_kept (cluster, STALLED_RUNNING_NOTE);
  pg_test_cluster_resume (cluster);
  g_test_message ("kept after %.1f s", (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  /* The first failed as on a connection lost (it cannot be kept: its author makes it again);
   * the note behind it did not wait for it for good. */
  g_assert_true (plain.done);
  g_assert_error (plain.error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE);
  g_clear_error (&plain.error);
  g_assert_true (written.done);
  g_assert_no_error (written.error);
  g_assert_true (written.journaled);
  g_assert_true (offline);
  g_assert_cmpuint (kept, ==, 1);

  wait_until (running_note_on_server, cluster, 60,
              "the kept note to be written to the team database");
  wait_until (back_online, session->store, 60, "the console to be online again");
  spin (2000);
  count = count_notes (cluster, STALLED_RUNNING_NOTE);
  g_assert_cmpstr (count, ==, "1");
  g_assert_cmpuint (count_kept (cluster, STALLED_RUNNING_NOTE), ==, 0);
  sitrep_session_close (session);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A console's presence on @cluster under @name, reading who else is there every @interval_ms. */
static SitrepStorePresence *
presence_new (PgTestCluster *cluster,
              const char    *name,
              guint          interval_ms)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  SitrepStorePresence *presence;

  sitrep_store_presence_new_async (cluster->uri, name, interval_ms, NULL, got_result_cb,
                                   &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  presence = sitrep_store_presence_new_finish (result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  return presence;
}

typedef struct
{
  SitrepStorePresence *presence;
  const char *const *others;   /* NULL: not known */
} Seeing;

/* The presence says who else is there as @others; with @others NULL, that it cannot say. */
static gboolean
sees (gpointer data)
{
  Seeing *seeing = data;
  const char *const *others = sitrep_store_presence_get_others (seeing->presence);

  if (seeing->others == NULL)
    return others == NULL && sitrep_store_presence_get_problem (seeing->presence) != NULL;
  return others != NULL && g_strv_equal (others, seeing->others)
         && sitrep_store_presence_get_problem (seeing->presence) == NULL;
}

/* The team database is restarted under a console: while it is down the console does not claim
 * to know who else is there, and once it is up again it sees them again (its connection to
 * read them is made again, as the store's is). */
static void
test_presence_restarted (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(SitrepStorePresence) dana = presence_new (cluster, "Dana", 200);
  g_autoptr(SitrepStorePresence) ben = presence_new (cluster, "Ben", 0);
  g_autoptr(SitrepStorePresence) eve = NULL;
  Seeing seeing = { dana, (const char *[]) { "Ben", NULL } };

  wait_until (sees, &seeing, 30, "Dana's console to see Ben's");
  pg_test_cluster_stop (cluster);
  seeing.others = NULL;
  wait_until (sees, &seeing, 30, "Dana's console to say it cannot see who else is there");
  g_test_message ("with the server down: %s", sitrep_store_presence_get_problem (dana));
  pg_test_cluster_start (cluster);
  /* Ben's connection went with the server; Eve connects to the one that is back. */
  eve = presence_new (cluster, "Eve", 0);
  seeing.others = (const char *[]) { "Eve", NULL };
  wait_until (sees, &seeing, 60, "Dana's console to see Eve's once the server is back");
}

/* The team database stalls under a console: the read of who else is there is not answered,
 * and the console stops saying who is there until it is; then it sees them again. */
static void
test_presence_stalled (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(SitrepStorePresence) dana = presence_new (cluster, "Dana", 200);
  g_autoptr(SitrepStorePresence) ben = presence_new (cluster, "Ben", 0);
  Seeing seeing = { dana, (const char *[]) { "Ben", NULL } };
  gint64 started;
  gboolean said;

  wait_until (sees, &seeing, 30, "Dana's console to see Ben's");
  pg_test_cluster_pause (cluster);
  started = g_get_monotonic_time ();
  seeing.others = NULL;
  /* A hang detector; the server goes on before anything is asserted, so that a failure leaves
   * no stopped postgres behind. */
  while (!(said = sees (&seeing)) && g_get_monotonic_time () < started + 60 * G_USEC_PER_SEC)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10 * 1000);
  g_test_message ("unknown after %.1f s: %s",
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC,
                  sitrep_store_presence_get_problem (dana));
  pg_test_cluster_resume (cluster);
  g_assert_true (said);
  seeing.others = (const char *[]) { "Ben", NULL };
  wait_until (sees, &seeing, 30, "Dana's console to see Ben's once the server answers");
}

static gboolean
watch_lost (gpointer data)
{
  return ((SitrepSession *) data)->watch == NULL;
}

static gboolean
watch_back (gpointer data)
{
  return ((SitrepSession *) data)->watch != NULL;
}

typedef struct
{
  SitrepSession *session;
  gint64 incident;
} Listing;

static gboolean
lists_incident (gpointer data)
{
  Listing *listing = data;

  return sitrep_incident_manager_find (listing->session->incidents, listing->incident) != NULL;
}

/* The console's watch of the team database is lost (its connection ended by the server) and,
 * before it listens again, another writer declares an incident: nothing announces it to this
 * console any more, so once the watch is back the console reads the list again and shows it. */
static void
test_watch_lost_declared (void)
{
  g_autoptr(PgTestCluster) cluster = pg_test_cluster_new ();
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SitrepSession) session = NULL;
  g_autoptr(SitrepStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ended = NULL;
  Listing listing = { 0 };
  gint64 incident;

  session = start_console (cluster, &settings, &incident);
  /* Open before the watch goes: the incident must be in before the console listens again (3 s
   * later). */
  other = sitrep_store_open (cluster->uri, &error);
  g_assert_no_error (error);
  ended = pg_test_cluster_query (cluster, "SELECT count(pg_terminate_backend (pid))"
                                          " FROM pg_stat_activity WHERE query = 'LISTEN sitrep'");
  g_assert_cmpstr (ended, ==, "1");
  wait_until (watch_lost, session, 30, "the console to notice its watch was lost");

  listing.session = session;
  listing.incident = sitrep_store_insert_incident (other, "Northwind Freight", "P2",
                                                   "Customs feed delayed", g_get_real_time (),
                                                   &error);
  g_assert_no_error (error);
  g_assert_false (lists_incident (&listing));

  wait_until (watch_back, session, 30, "the console to listen again");
  wait_until (lists_incident, &listing, 30,
              "the console to list the incident declared while it did not listen");
  /* The one it showed is still there. */
  listing.incident = incident;
  g_assert_true (lists_incident (&listing));
  sitrep_session_close (session);
}

int
main (int    argc,
      char **argv)
{
  /* Before any thread starts: a thread made later shares the namespace of the one that made
   * it. */
  if (unshare (CLONE_NEWNET) != 0)
    {
      g_printerr ("test-team-netdown: cannot make a network namespace of its own (%s): run the "
                  "tests as root, as the test command does (build-aux/sitrep-dev test).\n",
                  g_strerror (errno));
      return 1;
    }
  set_loopback (TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/team-netdown/quit", test_quit);
  g_test_add_func ("/team-netdown/quit-stalled", test_quit_stalled);
  g_test_add_func ("/team-netdown/quit-reading", test_quit_reading);
  g_test_add_func ("/team-netdown/stalled-running", test_stalled_running);
  g_test_add_func ("/team-netdown/presence-restarted", test_presence_restarted);
  g_test_add_func ("/team-netdown/presence-stalled", test_presence_stalled);
  g_test_add_func ("/team-netdown/watch-lost-declared", test_watch_lost_declared);
  return g_test_run ();
}
