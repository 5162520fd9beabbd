/* test-monitor.c: the health state machine with an injected clock, persistence and scheduling */
#include "config.h"

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "fixture-language.h"
#include "fixture-processes.h"
#include "fixture-runbook.h"
#include "sitrep-monitor-private.h"
#include "sitrep-monitor.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-testing.h"

#define SEC G_USEC_PER_SEC
#define T0 ((gint64) 1700000000 * SEC)

static const char runbook_json[] =
  "{\n"
  "  \"sitrep_runbook\": 1,\n"
  "  \"name\": \"Test\",\n"
  "  \"severities\": [ { \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" } ],\n"
  "  \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
  "  \"services\": [\n"
  "    { \"id\": \"api\", \"name\": \"API\", \"probes\": [\n"
  "      { \"id\": \"health\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/health\",\n"
  "        \"interval\": \"%s\", \"timeout\": \"20s\",\n"
  "        \"conditions\": [\n"
  "          { \"check\": \"[STATUS] == 200\", \"severity\": \"critical\" },\n"
  "          { \"check\": \"[BODY].db == \\\"up\\\"\", \"severity\": \"warning\" } ] } ] },\n"
  "    { \"id\": \"web\", \"name\": \"Web\", \"probes\": [\n"
  "      { \"id\": \"a\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/slow\", \"interval\": \"%s\", \"timeout\": \"20s\" },\n"
  "      { \"id\": \"b\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/slow\", \"interval\": \"%s\", \"timeout\": \"20s\" },\n"
  "      { \"id\": \"c\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/slow\", \"interval\": \"%s\", \"timeout\": \"20s\" },\n"
  "      { \"id\": \"d\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/slow\", \"interval\": \"%s\", \"timeout\": \"20s\" } ] }\n"
  "  ]\n"
  "}\n";

static SitrepRunbook *
load_runbook (guint       port,
              const char *interval)
{
  g_autofree char *json = g_strdup_printf (runbook_json, port, interval, port, interval, port,
                                           interval, port, interval, port, interval);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  SitrepRunbook *runbook;

  runbook = sitrep_runbook_load_bytes (bytes, "test.json", &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  return runbook;
}

static SitrepProbeResult *
http_result (int         status,
             const char *body)
{
  SitrepProbeResult *result = sitrep_probe_result_new ();
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  result->connected = TRUE;
  result->status = status;
  result->response_time_ms = 12.5;
  sitrep_probe_result_set_body (result, bytes, FALSE);
  return result;
}

typedef struct
{
  guint count;
  SitrepHealth last_old;
  SitrepHealth last_new;
} Changes;

static void
health_changed_cb (SitrepMonitor      *monitor,
                   SitrepServiceState *state,
                   SitrepHealth        old_health,
                   SitrepHealth        new_health,
                   Changes            *changes)
{
  changes->count++;
  changes->last_old = old_health;
  changes->last_new = new_health;
}

static void
feed (SitrepMonitor *monitor,
      SitrepClock   *clock,
      int            status,
      const char    *body)
{
  g_autoptr(SitrepProbeResult) result = http_result (status, body);

  sitrep_clock_advance (clock, 15 * SEC);
  sitrep_monitor_feed (monitor, "api", "health", result, NULL);
}

/* The api up at once, then down at the third 503 (fail_after 3). */
static void
go_down (SitrepMonitor *monitor,
         SitrepClock   *clock)
{
  for (guint i = 0; i < 4; i++)
    feed (monitor, clock, i < 1 ? 200 : 503, "{\"db\": \"up\"}");
  g_assert_cmpint (sitrep_service_state_get_health (sitrep_monitor_find_service (monitor, "api")),
                   ==, SITREP_HEALTH_DOWN);
}

/* fail_after 3 and recover_after 2 by default: one bad result is not an outage. */
static void
test_monitor_hysteresis (void)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook (1, "15s");
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (runbook, NULL, clock);
  SitrepServiceState *api = sitrep_monitor_find_service (monitor, "api");
  Changes changes = { 0 };

  g_signal_connect (monitor, "health-changed", G_CALLBACK (health_changed_cb), &changes);
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_UNKNOWN);

  /* The first result counts at once. */
  feed (monitor, clock, 200, "{\"db\": \"up\"}");
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_UP);
  g_assert_cmpuint (changes.count, ==, 1);
  g_assert_cmpint (sitrep_service_state_get_since (api), ==, T0 + 15 * SEC);

  /* Two failures: still up. The third: down, since the third failure's time. */
  feed (monitor, clock, 503, "{}");
  feed (monitor, clock, 503, "{}");
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_UP);
  feed (monitor, clock, 503, "{}");
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_DOWN);
  g_assert_cmpuint (changes.count, ==, 2);
  g_assert_cmpint (changes.last_old, ==, SITREP_HEALTH_UP);
  g_assert_cmpint (changes.last_new, ==, SITREP_HEALTH_DOWN);
  g_assert_cmpint (sitrep_service_state_get_since (api), ==, T0 + 60 * SEC);
  g_assert_nonnull (strstr (sitrep_service_state_get_reason (api), "503"));

  /* One success is not a recovery; two are. */
  feed (monitor, clock, 200, "{\"db\": \"up\"}");
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_DOWN);
  feed (monitor, clock, 200, "{\"db\": \"up\"}");
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_UP);
  g_assert_null (sitrep_service_state_get_reason (api));
  g_assert_cmpuint (changes.count, ==, 3);

  /* A failure between successes resets the count. */
  feed (monitor, clock, 503, "{}");
  feed (monitor, clock, 503, "{}");
  feed (monitor, clock, 200, "{\"db\": \"up\"}");
  feed (monitor, clock, 503, "{}");
  feed (monitor, clock, 503, "{}");
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_UP);
}

/* A warning condition degrades; a missing path is a failed condition with a reason. */
static void
test_monitor_degraded (void)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook (1, "15s");
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (runbook, NULL, clock);
  SitrepServiceState *api = sitrep_monitor_find_service (monitor, "api");
  const SitrepProbeStatus *status;
  const SitrepConditionVerdict *verdict;

  feed (monitor, clock, 200, "{\"db\": \"down\"}");
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_DEGRADED);

  feed (monitor, clock, 200, "{\"other\": 1}");
  feed (monitor, clock, 200, "{\"other\": 1}");
  status = sitrep_service_state_find_probe (api, "health");
  g_assert_cmpuint (status->verdicts->len, ==, 2);
  verdict = status->verdicts->pdata[0];
  g_assert_true (verdict->passed);
  verdict = status->verdicts->pdata[1];
  g_assert_false (verdict->passed);
  g_assert_nonnull (strstr (sitrep_reason_to_string (verdict->reason), "not found"));
  g_assert_nonnull (strstr (sitrep_service_state_get_reason (api), "db"));
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_DEGRADED);
}

/* A probe that cannot run is unknown at once, with the reason, and counts as no outage. */
static void
test_monitor_cannot_run (void)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook (1, "15s");
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (runbook, NULL, clock);
  SitrepServiceState *api = sitrep_monitor_find_service (monitor, "api");
  g_autoptr(GError) error = g_error_new (SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN,
                                         "secret \"token\" is not in the keyring");

  feed (monitor, clock, 200, "{\"db\": \"up\"}");
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_UP);
  sitrep_monitor_feed (monitor, "api", "health", NULL, error);
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_UNKNOWN);
  g_assert_nonnull (strstr (sitrep_service_state_get_reason (api), "not in the keyring"));
}

/* Stale when the last result is older than twice the interval. */
static void
test_monitor_stale (void)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook (1, "15s");
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (runbook, NULL, clock);
  SitrepServiceState *api = sitrep_monitor_find_service (monitor, "api");

  feed (monitor, clock, 200, "{\"db\": \"up\"}");
  g_assert_false (sitrep_service_state_get_stale (api));
  sitrep_clock_advance (clock, 30 * SEC);
  sitrep_service_state_update_stale (api, sitrep_clock_now (clock));
  g_assert_false (sitrep_service_state_get_stale (api));
  sitrep_clock_advance (clock, 1 * SEC);
  sitrep_service_state_update_stale (api, sitrep_clock_now (clock));
  g_assert_true (sitrep_service_state_get_stale (api));
  feed (monitor, clock, 200, "{\"db\": \"up\"}");
  g_assert_false (sitrep_service_state_get_stale (api));
}

/* Alternating results flap; a steady run calms it down again. */
static void
test_monitor_flapping (void)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook (1, "15s");
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (runbook, NULL, clock);
  SitrepServiceState *api = sitrep_monitor_find_service (monitor, "api");
  guint turned_on = 0;

  for (guint i = 0; i < 10; i++)
    {
      feed (monitor, clock, i % 2 ? 503 : 200, "{\"db\": \"up\"}");
      if (sitrep_service_state_get_flapping (api) && turned_on == 0)
        turned_on = i + 1;
    }
  g_assert_true (sitrep_service_state_get_flapping (api));
  g_assert_cmpuint (turned_on, >=, 3);

  /* 21 steady results push every change out of the window. */
  for (guint i = 0; i < 21; i++)
    feed (monitor, clock, 200, "{\"db\": \"up\"}");
  g_assert_false (sitrep_service_state_get_flapping (api));
}

static gboolean
set_true_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Turns the loop until the "api" service's sparkline has points (read on the store's reader
 * thread), for 10 s at most; returns how many. */
static guint
wait_for_history (SitrepMonitor     *monitor,
                  SitrepHealthPoint *points)
{
  SitrepServiceState *api = sitrep_monitor_find_service (monitor, "api");
  gboolean late = FALSE;
  guint id = g_timeout_add_seconds (10, set_true_cb, &late);
  guint n;

  while ((n = sitrep_service_state_get_history (api, points, SITREP_HEALTH_HISTORY)) == 0
         && !late)
    g_main_context_iteration (NULL, TRUE);
  if (!late)
    g_source_remove (id);
  return n;
}

/* Samples and changes reach the store, and the sparkline comes back after a restart. */
static void
test_monitor_persistence (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "monitor.db", NULL);
  g_autoptr(SitrepRunbook) runbook = load_runbook (1, "15s");
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  SitrepHealthPoint points[SITREP_HEALTH_HISTORY];
  SitrepServiceState *api;
  guint n;

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  monitor = sitrep_monitor_new (runbook, store, clock);
  for (guint i = 0; i < 5; i++)
    feed (monitor, clock, i < 2 ? 200 : 503, "{\"db\": \"up\"}");
  g_assert_true (sitrep_monitor_flush (monitor, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sitrep_store_count_health_samples (store, &error), ==, 5);
  g_clear_object (&monitor);
  g_clear_object (&store);

  store = sitrep_store_open (path, &error);
  monitor = sitrep_monitor_new (runbook, store, clock);
  api = sitrep_monitor_find_service (monitor, "api");
  /* Read on the store's reader thread: the monitor, and the window's first frame of its tiles,
   * do not wait for it. */
  g_assert_cmpuint (sitrep_service_state_get_history (api, points, G_N_ELEMENTS (points)), ==, 0);
  n = wait_for_history (monitor, points);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (points[0].health, ==, SITREP_HEALTH_UP);
  g_assert_cmpint (points[4].health, ==, SITREP_HEALTH_DOWN);
  g_assert_cmpint (points[0].at, ==, T0 + 15 * SEC);
  g_assert_cmpfloat_with_epsilon (points[0].latency_ms, 12.5, 0.001);
  /* An old sample says nothing about now. */
  g_assert_cmpint (sitrep_service_state_get_health (api), ==, SITREP_HEALTH_UNKNOWN);

  /* Retention drops what is too old. */
  g_assert_cmpint (sitrep_store_prune_health (store, T0 + 50 * SEC, &error), ==, 3 + 1);
  g_assert_cmpint (sitrep_store_count_health_samples (store, &error), ==, 2);
}

/* A monitor dropped before its history is read, and one dropped while it is read (a runbook
 * opened again at once, or the console closing): nothing is read into it afterwards, and a
 * later monitor on the same store still gets the history. Under AddressSanitizer a callback on
 * a freed monitor would be the failure. */
static void
test_monitor_history_dropped (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "dropped.db", NULL);
  g_autoptr(SitrepRunbook) runbook = load_runbook (1, "15s");
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  SitrepHealthPoint points[SITREP_HEALTH_HISTORY];
  gboolean late = FALSE;

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  monitor = sitrep_monitor_new (runbook, store, clock);
  for (guint i = 0; i < 3; i++)
    feed (monitor, clock, 200, "{\"db\": \"up\"}");
  g_assert_true (sitrep_monitor_flush (monitor, &error));
  g_clear_object (&monitor);

  /* Dropped before the read is queued. */
  monitor = sitrep_monitor_new (runbook, store, clock);
  g_clear_object (&monitor);
  /* Dropped with the read queued: the idle has run, the answer is on its way or came. */
  monitor = sitrep_monitor_new (runbook, store, clock);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&monitor);
  g_timeout_add (200, set_true_cb, &late);
  while (!late)
    g_main_context_iteration (NULL, TRUE);

  /* A monitor kept gets the three samples. */
  monitor = sitrep_monitor_new (runbook, store, clock);
  g_assert_cmpuint (wait_for_history (monitor, points), ==, 3);
}

/* What another reader of the database file sees: the health changes recorded so far. */
static char *
recorded_changes (const char *path)
{
  GString *text = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT service_id, old_state, new_state FROM"
                                       " health_changes ORDER BY at, id", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s %s→%s;", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (text, FALSE);
}

/* A change of health is not one durable transaction of its own on the main loop: the changes
 * of a round of probes are written together with its samples. */
static void
test_monitor_changes_batched (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "batched.db", NULL);
  g_autoptr(SitrepRunbook) runbook = load_runbook (1, "15s");
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *closed = NULL;

  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  monitor = sitrep_monitor_new (runbook, store, clock);
  go_down (monitor, clock);
  before = recorded_changes (path);
  g_assert_cmpstr (before, ==, "");

  g_assert_true (sitrep_monitor_flush (monitor, &error));
  g_assert_no_error (error);
  after = recorded_changes (path);
  g_assert_cmpstr (after, ==, "api unknown→up;api up→down;");
  g_assert_cmpint (sitrep_store_count_health_samples (store, &error), ==, 4);

  /* What is still queued when the monitor goes is written then. */
  feed (monitor, clock, 200, "{\"db\": \"up\"}");
  feed (monitor, clock, 200, "{\"db\": \"up\"}");
  g_clear_object (&monitor);
  closed = recorded_changes (path);
  g_assert_cmpstr (closed, ==, "api unknown→up;api up→down;api down→up;");
}

static void
ok_handler (SoupServer        *soup_server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  guint *served = user_data;

  (*served)++;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"db\": \"up\"}", 12);
}

/* A loopback server that answers every request with ok_handler() and counts them in @served,
 * and a monitor of a runbook whose api service probes it every minute. */
static SitrepMonitor *
ok_server_monitor (SoupServer *soup_server,
                   guint      *served)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;

  soup_server_add_handler (soup_server, NULL, ok_handler, served, NULL);
  g_assert_true (soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup_server);
  runbook = load_runbook (g_uri_get_port (uris->data), "1m");
  return sitrep_monitor_new (runbook, NULL, NULL);
}

typedef struct
{
  SitrepServiceState *api;
  guint *served;
  gint64 busy_until;  /* monotonic; 0 while the server has not answered */
  gboolean applied_while_busy;
} Redraw;

/* Stands for GTK's redraw, which runs at G_PRIORITY_HIGH_IDLE + 20 and is ready again and
 * again while frames are due. */
static gboolean
redraw_cb (gpointer user_data)
{
  Redraw *redraw = user_data;
  gint64 now = g_get_monotonic_time ();

  if (sitrep_service_state_get_health (redraw->api) != SITREP_HEALTH_UNKNOWN)
    redraw->applied_while_busy = TRUE;
  if (redraw->busy_until == 0 && *redraw->served > 0)
    redraw->busy_until = now + SEC / 2;
  if (redraw->busy_until != 0 && now >= redraw->busy_until)
    return G_SOURCE_REMOVE;
  g_usleep (1000);
  return G_SOURCE_CONTINUE;
}

/* Results from the network are applied below the window's redraw: while frames keep coming, a
 * thousand answers wait for a gap between them instead of holding the next frame back. */
static void
test_monitor_results_below_redraw (void)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  guint served = 0;
  g_autoptr(SitrepMonitor) monitor = ok_server_monitor (soup_server, &served);
  Redraw redraw = { 0 };
  gint64 until;

  redraw.api = sitrep_monitor_find_service (monitor, "api");
  redraw.served = &served;

  g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, redraw_cb, &redraw, NULL);
  sitrep_monitor_start (monitor);
  sitrep_monitor_probe_now (monitor);
  until = g_get_monotonic_time () + 20 * SEC;
  while (redraw.busy_until == 0 || g_get_monotonic_time () < redraw.busy_until)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, TRUE);
    }
  /* The server answered half a second ago, and the redraws kept the results back. */
  g_assert_false (redraw.applied_while_busy);

  /* Once the frames are drawn, the results are applied. */
  while (sitrep_service_state_get_health (redraw.api) == SITREP_HEALTH_UNKNOWN)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (sitrep_service_state_get_health (redraw.api), ==, SITREP_HEALTH_UP);
  sitrep_monitor_stop (monitor);
}

static gboolean
first_frame_cb (gpointer user_data)
{
  SitrepMonitor *monitor = user_data;

  /* The window's first frame: no probe may have started yet. */
  g_assert_cmpuint (sitrep_monitor_get_in_flight (monitor), ==, 0);
  g_object_set_data (G_OBJECT (monitor), "drawn", GINT_TO_POINTER (TRUE));
  return G_SOURCE_REMOVE;
}

/* A console starting up draws its window before the first probe opens a connection or spawns
 * a process: starting the monitor starts no probe until the main loop is idle. */
static void
test_monitor_first_frame_first (void)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  guint served = 0;
  g_autoptr(SitrepMonitor) monitor = ok_server_monitor (soup_server, &served);
  gint64 until = g_get_monotonic_time () + 20 * SEC;

  sitrep_monitor_start (monitor);
  g_assert_cmpuint (sitrep_monitor_get_in_flight (monitor), ==, 0);
  /* As gtk_window_present() asks for the first frame, at GTK's redraw priority. */
  g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, first_frame_cb, monitor, NULL);
  while (sitrep_service_state_get_health (sitrep_monitor_find_service (monitor, "api"))
         == SITREP_HEALTH_UNKNOWN)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (g_object_get_data (G_OBJECT (monitor), "drawn"));
  g_assert_cmpint (sitrep_service_state_get_health (sitrep_monitor_find_service (monitor, "api")),
                   ==, SITREP_HEALTH_UP);
  sitrep_monitor_stop (monitor);
}

/* A window holds the monitor until its first frame: no probe starts while held, and the ones
 * that fell due start at the release. */
static void
test_monitor_hold (void)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  guint served = 0;
  g_autoptr(SitrepMonitor) monitor = ok_server_monitor (soup_server, &served);
  gint64 until;

  sitrep_monitor_hold (monitor);
  sitrep_monitor_start (monitor);
  /* Longer than the first round's spread over a second. */
  until = g_get_monotonic_time () + 3 * SEC / 2;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_cmpuint (sitrep_monitor_get_in_flight (monitor), ==, 0);
  g_assert_cmpuint (served, ==, 0);

  sitrep_monitor_release (monitor);
  until = g_get_monotonic_time () + 20 * SEC;
  while (served < 5)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, TRUE);
    }
  sitrep_monitor_stop (monitor);
}

/* A service with several probes draws the worst of them: a Down service never shows a green
 * chart because its first probe is fine (the Workers tile said Down over green bars). */
static void
test_monitor_history_every_probe (void)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook (1, "15s");
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (runbook, NULL, clock);
  SitrepServiceState *web = sitrep_monitor_find_service (monitor, "web");
  SitrepHealthPoint points[SITREP_HEALTH_HISTORY];
  guint n;

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SitrepProbeResult) fine = http_result (200, "{}");
      g_autoptr(SitrepProbeResult) failing = http_result (i < 1 ? 200 : 503, "{}");

      sitrep_clock_advance (clock, 15 * SEC);
      sitrep_monitor_feed (monitor, "web", "a", fine, NULL);
      sitrep_monitor_feed (monitor, "web", "b", failing, NULL);
    }
  g_assert_cmpint (sitrep_service_state_get_health (web), ==, SITREP_HEALTH_DOWN);
  n = sitrep_service_state_get_history (web, points, G_N_ELEMENTS (points));
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (points[0].health, ==, SITREP_HEALTH_UP);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (points[i].health, ==, SITREP_HEALTH_DOWN);
}

/* The summary line of the header. */
static void
test_monitor_counts (void)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook (1, "15s");
  g_autoptr(SitrepClock) clock = sitrep_clock_new_manual (T0);
  g_autoptr(SitrepMonitor) monitor = sitrep_monitor_new (runbook, NULL, clock);
  g_autofree char *before = sitrep_monitor_describe_counts (monitor);
  g_autofree char *after = NULL;

  g_assert_cmpstr (before, ==, "2 unknown");
  feed (monitor, clock, 200, "{\"db\": \"down\"}");
  after = sitrep_monitor_describe_counts (monitor);
  g_assert_cmpstr (after, ==, "1 degraded · 1 unknown");
}

/* Scheduling against a real server: never more than the concurrency limit in flight, and the
 * main loop keeps turning while probes wait on a slow server. */
typedef struct
{
  guint in_flight;
  guint max_in_flight;
  guint served;
  GPtrArray *paused;
} Server;

static gboolean
unpause_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  Server *server = g_object_get_data (G_OBJECT (msg), "server");

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
  soup_server_message_unpause (msg);
  server->in_flight--;
  server->served++;
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
slow_handler (SoupServer        *soup_server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Server *server = user_data;

  server->in_flight++;
  server->max_in_flight = MAX (server->max_in_flight, server->in_flight);
  g_object_set_data (G_OBJECT (msg), "server", server);
  soup_server_message_pause (msg);
  g_timeout_add (150, unpause_cb, g_object_ref (msg));
}

typedef struct
{
  gint64 last;
  gint64 max_gap;
} Ticker;

static gboolean
ticker_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();

  if (ticker->last > 0)
    ticker->max_gap = MAX (ticker->max_gap, now - ticker->last);
  ticker->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_monitor_concurrency (void)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoslist(GUri) uris = NULL;
  Server server = { 0 };
  Ticker ticker = { 0 };
  guint ticker_id;
  guint port;
  guint served;
  gint64 until;

  soup_server_add_handler (soup_server, NULL, slow_handler, &server, NULL);
  g_assert_true (soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup_server);
  port = g_uri_get_port (uris->data);

  runbook = load_runbook (port, "1s");
  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  sitrep_monitor_set_concurrency (monitor, 2);
  sitrep_monitor_start (monitor);
  /* All five due at once: the limit has to hold them back. */
  sitrep_monitor_probe_now (monitor);
  g_assert_cmpuint (sitrep_monitor_get_in_flight (monitor), ==, 2);

  ticker_id = g_timeout_add (10, ticker_cb, &ticker);
  g_timeout_add (1500, quit_cb, loop);
  g_main_loop_run (loop);
  /* A loaded machine under the sanitizers may need longer than 1.5 s for all five. */
  until = g_get_monotonic_time () + 30 * SEC;
  while (server.served < 5)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (ticker_id);
  served = server.served;
  /* No new probe, and the server answers those it holds: an answer left pending would come in
   * the next test's main loop, for a connection long gone and a Server this test no longer
   * has. */
  sitrep_monitor_set_paused (monitor, TRUE);
  until = g_get_monotonic_time () + 10 * SEC;
  while (sitrep_monitor_get_in_flight (monitor) > 0 || server.in_flight > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, TRUE);
    }
  sitrep_monitor_stop (monitor);

  /* Five probes, 150 ms each, two at a time: every one ran, and never more than two at once. */
  g_assert_cmpuint (server.max_in_flight, ==, 2);
  g_assert_cmpuint (served, >=, 5);
  /* Generous: loading TLS certificates or a busy machine stalls the loop a few hundred ms under
   * the sanitizers; a probe that waited on the network would stall it for a timeout. */
  g_assert_cmpint (ticker.max_gap, <, G_USEC_PER_SEC);
  g_assert_cmpint (sitrep_service_state_get_health (sitrep_monitor_find_service (monitor, "web")),
                   ==, SITREP_HEALTH_UP);
}

/* A command probe still running when the monitor goes (the window closed, the application
 * quits) takes everything it started with it, at once: a quitting application may not turn
 * its main loop again. */
static void
test_monitor_dispose_kills_probes (void)
{
  g_autofree char *dir = fixture_scratch_dir ();
  g_autofree char *pid_file = NULL;
  g_autofree char *script = fixture_forking_script (dir, FIXTURE_SCRIPT_WAITS, &pid_file);
  g_autoptr(SitrepRunbook) runbook = fixture_runbook_load ("COMMAND", script, NULL);
  SitrepMonitor *monitor = sitrep_monitor_new (runbook, NULL, NULL);
  gint64 until = g_get_monotonic_time () + 10 * SEC;
  GPid shell, grandchild;

  sitrep_monitor_start (monitor);
  sitrep_monitor_probe_now (monitor);
  while (!fixture_read_pids (pid_file, &shell, &grandchild))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, until);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  g_assert_true (fixture_process_alive (grandchild));

  g_object_unref (monitor);
  g_assert_true (fixture_processes_gone (shell, grandchild, shell, 10));
}

static void
test_monitor_notify (void)
{
  g_assert_true (sitrep_health_should_notify (SITREP_HEALTH_UP, SITREP_HEALTH_DOWN, FALSE));
  g_assert_true (sitrep_health_should_notify (SITREP_HEALTH_UNKNOWN, SITREP_HEALTH_DOWN, FALSE));
  g_assert_true (sitrep_health_should_notify (SITREP_HEALTH_DOWN, SITREP_HEALTH_UP, FALSE));
  /* Degraded and unknown are shown, not pushed; nothing is pushed while flapping. */
  g_assert_false (sitrep_health_should_notify (SITREP_HEALTH_UP, SITREP_HEALTH_DEGRADED, FALSE));
  g_assert_false (sitrep_health_should_notify (SITREP_HEALTH_DOWN, SITREP_HEALTH_DEGRADED, FALSE));
  g_assert_false (sitrep_health_should_notify (SITREP_HEALTH_UNKNOWN, SITREP_HEALTH_UP, FALSE));
  g_assert_false (sitrep_health_should_notify (SITREP_HEALTH_UP, SITREP_HEALTH_DOWN, TRUE));
  g_assert_false (sitrep_health_should_notify (SITREP_HEALTH_DOWN, SITREP_HEALTH_UP, TRUE));
}

typedef struct
{
  GPtrArray *error;
  GPtrArray *why;
} Reasons;

static void
collect_reason_cb (const SitrepHealthSample *sample,
                   gpointer                  user_data)
{
  Reasons *reasons = user_data;

  g_ptr_array_add (reasons->error, g_strdup (sample->error));
  g_ptr_array_add (reasons->why, g_strdup (sample->why));
}

/* Why the service went down as its change of health recorded it: words and data. */
static void
recorded_change_reason (const char  *path,
                        char       **reason,
                        char       **why)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT reason, why FROM health_changes"
                                       " WHERE new_state = 'down'", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *reason = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *why = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* Why a probe was not up is kept as data beside the recorder's words: a console recording in
 * English, read by one in German, reads German (a replay of the incident shows it so). Each
 * sample of a probe that was not up keeps its reason, also when it was only the conditions
 * that failed; a sample of a probe that was up keeps none. */
static void
test_monitor_history_reasons (void)
{
  g_autofree char *path = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepClock) clock = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) whys = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *change_reason = NULL;
  g_autofree char *change_why = NULL;
  g_autofree char *english = NULL;
  g_autofree char *german = NULL;
  g_autofree char *change_german = NULL;
  Reasons reasons = { errors, whys };

  if (fixture_in_parent_process ())
    return;
  fixture_use_language (NULL);
  path = g_build_filename (g_get_user_data_dir (), "reasons.db", NULL);
  runbook = load_runbook (1, "15s");
  clock = sitrep_clock_new_manual (T0);
  store = sitrep_store_open (path, &error);
  g_assert_no_error (error);
  monitor = sitrep_monitor_new (runbook, store, clock);
  go_down (monitor, clock);
  g_assert_true (sitrep_monitor_flush (monitor, &error));
  g_assert_no_error (error);

  g_assert_true (sitrep_store_foreach_health_sample (store, "api", "health", 10,
                                                     collect_reason_cb, &reasons, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 4);
  g_assert_null (errors->pdata[0]);
  g_assert_null (whys->pdata[0]);
  english = g_strdup (sitrep_service_state_get_reason (sitrep_monitor_find_service (monitor,
                                                                                    "api")));
  g_test_message ("recorded: %s", english);
  g_assert_nonnull (strstr (english, "503"));
  for (guint i = 1; i < 4; i++)
    {
      g_autofree char *again = NULL;

      g_assert_cmpstr (errors->pdata[i], ==, english);
      g_assert_nonnull (whys->pdata[i]);
      again = sitrep_reason_render_packed (whys->pdata[i]);
      g_assert_cmpstr (again, ==, english);
    }
  recorded_change_reason (path, &change_reason, &change_why);
  g_assert_cmpstr (change_reason, ==, english);
  g_assert_nonnull (change_why);

  fixture_use_language ("de");
  german = sitrep_reason_render_packed (whys->pdata[3]);
  change_german = sitrep_reason_render_packed (change_why);
  g_test_message ("read in German: %s", german);
  g_assert_nonnull (german);
  g_assert_cmpstr (german, !=, english);
  g_assert_nonnull (strstr (german, "503"));
  g_assert_nonnull (strstr (german, "erwartet"));
  g_assert_cmpstr (change_german, ==, german);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/monitor/history-every-probe", test_monitor_history_every_probe);
  g_test_add_func ("/monitor/history-dropped", test_monitor_history_dropped);
  g_test_add_func ("/monitor/hysteresis", test_monitor_hysteresis);
  g_test_add_func ("/monitor/degraded", test_monitor_degraded);
  g_test_add_func ("/monitor/cannot-run", test_monitor_cannot_run);
  g_test_add_func ("/monitor/stale", test_monitor_stale);
  g_test_add_func ("/monitor/flapping", test_monitor_flapping);
  g_test_add_func ("/monitor/persistence", test_monitor_persistence);
  g_test_add_func ("/monitor/changes-batched", test_monitor_changes_batched);
  g_test_add_func ("/monitor/history-reasons", test_monitor_history_reasons);
  g_test_add_func ("/monitor/results-below-redraw", test_monitor_results_below_redraw);
  g_test_add_func ("/monitor/first-frame-first", test_monitor_first_frame_first);
  g_test_add_func ("/monitor/hold", test_monitor_hold);
  g_test_add_func ("/monitor/counts", test_monitor_counts);
  g_test_add_func ("/monitor/concurrency", test_monitor_concurrency);
  g_test_add_func ("/monitor/notify", test_monitor_notify);
  g_test_add_func ("/monitor/dispose-kills-probes", test_monitor_dispose_kills_probes);

  return g_test_run ();
}
