/* test-drill-play.c: a drill scenario played on a manual clock, read with the real kubectl */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "run-test-util.h"
#include "sitrep-drill-kube.h"
#include "sitrep-drill-private.h"
#include "sitrep-drill-scenario.h"

#define KUBECTL "/usr/bin/kubectl"

static gboolean
pod_is_ready (JsonObject *pod)
{
  JsonObject *status = json_object_get_object_member (pod, "status");
  JsonArray *containers = json_object_get_array_member (status, "containerStatuses");

  return json_object_get_boolean_member (json_array_get_object_element (containers, 0), "ready");
}

/* The moment a pod of the API stops being ready, its container has crashed: what a commander
 * reads first, `kubectl logs --previous`, shows why, for that pod and for the deployment
 * (whichever pod kubectl picks). Before, the pods went unready a few simulated seconds before
 * their first crash, and under load the drill's CLI test asked in that gap. */
static void
test_unready_pod_has_crashed (void)
{
  const SitrepDrillScenarioInfo *scenario = sitrep_drill_scenario_find ("api-down");
  g_autofree char *scratch = g_dir_make_tmp ("sitrep-drill-play-XXXXXX", NULL);
  g_autofree char *kubeconfig = g_build_filename (scratch, "kubeconfig", NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(SitrepDrillKube) kube = NULL;
  g_autoptr(GError) error = NULL;
  SitrepDrillBackends *backends;
  SitrepDrillPlay *play;
  guint all_down_at = 0;

  if (!g_file_test (KUBECTL, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_fail_printf ("kubectl is missing: it is on the CI image at " KUBECTL);
      return;
    }
  g_assert_nonnull (scenario);
  /* GLib points HOME at /dev/null for isolated tests; kubectl wants one for its cache. */
  g_assert_true (g_mkdir_with_parents (g_get_home_dir (), 0700) == 0);
  g_setenv ("HOME", g_get_home_dir (), TRUE);
  g_unsetenv ("KUBECONFIG");
  kube = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  sitrep_drill_kube_write_kubeconfig (kube, kubeconfig, "drill", SITREP_DRILL_NAMESPACE, TRUE,
                                      &error);
  g_assert_no_error (error);
  /* The servers are never started: the play only records what it wants of them. */
  backends = sitrep_drill_backends_new (scratch);
  play = sitrep_drill_play_new (scenario, kube, backends);

  for (guint tenth = 0; tenth <= 1200 && all_down_at == 0; tenth += 5)
    {
      g_autoptr(GPtrArray) pods = NULL;
      guint unready = 0;

      sitrep_drill_play_tick (play, tenth / 10.0);
      pods = sitrep_drill_kube_list (kube, SITREP_DRILL_NAMESPACE, "pods", "app=carecircle-api");
      g_assert_cmpuint (pods->len, >, 0);
      for (guint i = 0; i < pods->len; i++)
        {
          JsonObject *pod = pods->pdata[i];
          const char *name = json_object_get_string_member (
            json_object_get_object_member (pod, "metadata"), "name");
          g_auto(TestRun) previous = { 0 };

          if (pod_is_ready (pod))
            continue;
          unready++;
          if (!g_hash_table_add (seen, g_strdup (name)))
            continue;
          test_run_kubectl (&previous, kubeconfig, "logs", name, "--previous", NULL);
          if (previous.status != 0)
            g_test_message ("at %.1f s, %s: %s", tenth / 10.0, name, previous.err);
          g_assert_cmpint (previous.status, ==, 0);
          g_assert_nonnull (strstr (previous.out, "JavaScript heap out of memory"));
        }
      if (unready == pods->len)
        all_down_at = tenth;
    }
  /* The outage came, and kubectl's own choice of pod finds the crash too. */
  g_assert_cmpuint (all_down_at, >, 0);
  {
    g_auto(TestRun) previous = { 0 };

    test_run_kubectl (&previous, kubeconfig,
                      "logs", "deployment/carecircle-api", "--previous", NULL);
    g_assert_cmpint (previous.status, ==, 0);
    g_assert_nonnull (strstr (previous.out, "JavaScript heap out of memory"));
  }

  sitrep_drill_play_free (play);
  sitrep_drill_backends_free (backends);
  g_remove (kubeconfig);
  g_rmdir (scratch);
}

typedef struct
{
  SitrepDrillBackends *backends;
  SitrepDrillPlay *play;
  double now;
  gboolean started;
} Played;

/* The drill's own pace: 200 ms a tick, 20 simulated seconds a real one. */
static gboolean
tick_cb (gpointer user_data)
{
  Played *played = user_data;

  played->now += 4.0;
  sitrep_drill_play_tick (played->play, played->now);
  return G_SOURCE_CONTINUE;
}

static void
backends_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Played *played = user_data;

  g_autoptr(GError) error = NULL;

  /* A server that did not start is said by its port, below. */
  if (!sitrep_drill_backends_start_finish (played->backends, result, &error))
    g_test_message ("the drill's servers: %s", error->message);
  played->started = TRUE;
}

/* Starts the drill's servers in @name under the test's cache folder (which GLib removes with
 * what the servers left) and returns Redis's port, or 0 with the test failed. */
static guint
start_backends (Played     *played,
                const char *name)
{
  g_autofree char *scratch = g_build_filename (g_get_user_cache_dir (), name, NULL);
  const char *absent = NULL;
  guint port;

  g_assert_true (g_mkdir_with_parents (scratch, 0700) == 0);
  played->backends = sitrep_drill_backends_new (scratch);
  sitrep_drill_backends_start_async (played->backends, NULL, backends_started_cb, played);
  while (!played->started)
    g_main_context_iteration (NULL, TRUE);
  port = sitrep_drill_backends_redis_port (played->backends, &absent);
  if (port == 0)
    g_test_fail_printf ("the drill has no Redis: %s", absent);
  return port;
}

/* Ticks the play until the API's health says Redis is @redis; fails after @seconds. */
static void
tick_until_redis (Played     *played,
                  const char *redis,
                  guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!g_str_equal (sitrep_drill_play_get_health (played->play)->redis, redis))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("waited %u s for the API to find Redis %s", seconds, redis);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Runs the play's ticks for @ms. */
static void
tick_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
}

static char *
redis_cli (guint       port,
           const char *first,
           ...)
{
  g_autofree char *program = sitrep_drill_find_program ("redis-cli");
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(TestRun) run = { 0 };
  va_list args;

  g_assert_nonnull (program);
  g_strv_builder_add_many (builder, program, "-h", "127.0.0.1", "-p", port_text, NULL);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);
  test_run_argv (&run, (const char *const *) argv, 30);
  g_assert_cmpint (run.status, ==, 0);
  return g_steal_pointer (&run.out);
}

/* Redis filled by the redis-memory scenario is cleared with FLUSHDB (the runbook's mitigation)
 * while the drill's main loop is late, as on a loaded machine: the backends' thread goes on
 * with its rounds in the meantime. The API must not fill Redis again with the wishes it had
 * before the flush: once the play hears of it, Redis and the API stay well. Before, the
 * thread's second round refilled Redis to its limit, and the API stayed degraded (1.5 s health
 * checks) for the rest of the drill: `/drill/scenario/redis-memory` failed under load. */
static void
test_redis_flush_while_late (void)
{
  const SitrepDrillScenarioInfo *scenario = sitrep_drill_scenario_find ("redis-memory");
  g_autoptr(SitrepDrillKube) kube = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  Played played = { 0 };
  guint port;
  guint tick_id;
  const char *used;

  g_assert_nonnull (scenario);
  kube = sitrep_drill_kube_new (&error);
  g_assert_no_error (error);
  port = start_backends (&played, "redis-memory");
  if (port == 0)
    {
      sitrep_drill_backends_free (played.backends);
      return;
    }
  played.play = sitrep_drill_play_new (scenario, kube, played.backends);
  tick_id = g_timeout_add (200, tick_cb, &played);

  tick_until_redis (&played, "error", 60);
  g_free (redis_cli (port, "FLUSHDB", NULL));
  /* The main loop stands still for 3.5 s: no tick, no poll; the thread's rounds (one a second
   * without a wish) see the flush, then go on. */
  g_usleep (3500 * 1000);
  tick_until_redis (&played, "up", 30);
  g_assert_cmpfloat (sitrep_drill_play_mitigated_at (played.play), >=, 0);
  /* Several of the thread's rounds later, Redis still has room and the API answers quickly. */
  tick_for (3000);
  g_assert_cmpstr (sitrep_drill_play_get_health (played.play)->redis, ==, "up");
  g_assert_cmpint (sitrep_drill_play_get_health (played.play)->api_latency_ms, <, 1000);
  info = redis_cli (port, "INFO", "memory", NULL);
  used = strstr (info, "used_memory:");
  g_assert_nonnull (used);
  g_assert_cmpint (g_ascii_strtoll (used + strlen ("used_memory:"), NULL, 10), <,
                   SITREP_DRILL_REDIS_MAXMEMORY * 9 / 10);

  g_source_remove (tick_id);
  sitrep_drill_play_free (played.play);
  sitrep_drill_backends_free (played.backends);
}

/* The hook of the tests below: on the backends' thread, after the session numbered
 * flush_at_session was written, Redis is cleared (once). What went wrong there is said on the
 * test's thread (hook_error): an assertion here would abort the whole program. */
static gint64 flush_at_session;
static gint flushed;
static char *hook_error;

static void
flush_at (guint  redis_port,
          gint64 id)
{
  g_autofree char *program = NULL;
  g_autofree char *port = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (id != flush_at_session || !g_atomic_int_compare_and_exchange (&flushed, 0, 1))
    return;
  program = sitrep_drill_find_program ("redis-cli");
  port = g_strdup_printf ("%u", redis_port);
  /* Not test_run_argv(): that runs the main context, which is the test's thread's. */
  if (program == NULL)
    g_set_error_literal (&error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT,
                         "redis-cli is not installed");
  else if (g_spawn_sync (NULL, (char *[]) { program, "-h", "127.0.0.1", "-p", port, "FLUSHDB",
                                            NULL },
                         NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                         &error))
    g_spawn_check_wait_status (status, &error);
  if (error != NULL)
    g_atomic_pointer_set (&hook_error, g_strdup_printf ("FLUSHDB: %s", error->message));
}

/* Polls the backends until a poll tells of a flush; FALSE after @seconds. */
static gboolean
hear_flush (SitrepDrillBackends   *backends,
            SitrepDrillRedisState *state,
            guint                  seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_usleep (50 * 1000);
      if (sitrep_drill_backends_poll (backends, state) && state->flushed)
        return TRUE;
    }
  return FALSE;
}

/* The hook taken away; fails the test with what went wrong in it. */
static void
stop_flushing (void)
{
  g_autofree char *error = NULL;

  sitrep_drill_backends_testing_set_session_written (NULL);
  error = g_atomic_pointer_exchange (&hook_error, NULL);
  if (error != NULL)
    g_test_fail_printf ("%s", error);
  g_assert_cmpint (g_atomic_int_get (&flushed), ==, 1);
}

/* A FLUSHDB that lands while the backends' thread fills Redis with sessions: the thread's
 * session count starts again at 1 under it. The play must hear of the flush, or the API stays
 * degraded for the rest of the drill. Before, the thread took the count it wrote after the flush
 * for its own, the next round found as many sessions as it had written, and the flush was never
 * told: `/drill/scenario/redis-memory` failed once in CI this way. */
static void
test_redis_flush_while_filling (void)
{
  SitrepDrillRedisState state = { 0 };
  Played played = { 0 };
  gboolean heard;

  if (start_backends (&played, "redis-filling") == 0)
    {
      sitrep_drill_backends_free (played.backends);
      return;
    }
  flush_at_session = 5;
  g_atomic_int_set (&flushed, 0);
  sitrep_drill_backends_testing_set_session_written (flush_at);

  /* The API fills Redis to its limit, as the redis-memory scenario's does. */
  sitrep_drill_backends_want (played.backends, SITREP_DRILL_REDIS_MAXMEMORY, 0, 0, 0);
  heard = hear_flush (played.backends, &state, 20);
  stop_flushing ();
  if (!heard)
    g_test_fail_printf ("Redis was cleared while the thread filled it, and the play never heard "
                        "of it (the last round counted %" G_GINT64_FORMAT " sessions)",
                        state.sessions);
  sitrep_drill_backends_free (played.backends);
}

/* A flush caught while a round fills Redis that was already half full is told with what Redis
 * holds after it, not with the memory the round began with: the play, which reads "full" from
 * that figure, would otherwise take Redis for full for one more poll after the flush. (A poll
 * late by a whole round would read the next round's memory, measured after the flush, and pass
 * either way; seen failing once on the code before, with 41.8 MB.) */
static void
test_redis_flush_tells_memory_after (void)
{
  SitrepDrillRedisState state = { 0 };
  Played played = { 0 };
  gint64 half = SITREP_DRILL_REDIS_MAXMEMORY / 2;
  gint64 deadline;
  gboolean heard;

  if (start_backends (&played, "redis-half") == 0)
    {
      sitrep_drill_backends_free (played.backends);
      return;
    }
  /* Half full first, in one round or more. */
  sitrep_drill_backends_want (played.backends, half, 0, 0, 0);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (state.used_memory < half && g_get_monotonic_time () < deadline)
    {
      g_usleep (50 * 1000);
      sitrep_drill_backends_poll (played.backends, &state);
    }
  g_assert_cmpint (state.used_memory, >=, half);
  g_assert_false (state.flushed);

  /* Then to the limit; five sessions into that round, Redis is cleared. */
  flush_at_session = state.sessions + 5;
  g_atomic_int_set (&flushed, 0);
  sitrep_drill_backends_testing_set_session_written (flush_at);
  sitrep_drill_backends_want (played.backends, SITREP_DRILL_REDIS_MAXMEMORY, 0, 0, 0);
  heard = hear_flush (played.backends, &state, 20);
  stop_flushing ();
  g_assert_true (heard);
  g_test_message ("after the flush: %" G_GINT64_FORMAT " bytes, %" G_GINT64_FORMAT " sessions",
                  state.used_memory, state.sessions);
  g_assert_cmpint (state.used_memory, <, half / 4);
  sitrep_drill_backends_free (played.backends);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/drill-play/unready-pod-has-crashed", test_unready_pod_has_crashed);
  g_test_add_func ("/drill-play/redis-flush-while-late", test_redis_flush_while_late);
  g_test_add_func ("/drill-play/redis-flush-while-filling", test_redis_flush_while_filling);
  g_test_add_func ("/drill-play/redis-flush-tells-memory-after",
                   test_redis_flush_tells_memory_after);
  return g_test_run ();
}
