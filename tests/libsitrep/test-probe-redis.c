/* test-probe-redis.c: the redis probe against the real redis-server started by the test command */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <hiredis/hiredis.h>

#include "sitrep-probe.h"
#include "sitrep-secrets.h"

#define TICK_MS 20

typedef struct
{
  GMainLoop *loop;
  SitrepProbeResult *result;
  GError *error;
  gboolean done;
  guint ticks;
  gint64 last_tick;
  gint64 max_gap_us;
  gint64 elapsed_us;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_pointer (&run->result, sitrep_probe_result_unref);
  g_clear_error (&run->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static guint
redis_port (void)
{
  const char *port = g_getenv ("SITREP_TEST_REDIS_PORT");

  if (port == NULL || atoi (port) <= 0)
    {
      g_test_fail_printf ("SITREP_TEST_REDIS_PORT is not set: the Redis server is missing; run "
                          "the tests with build-aux/sitrep-dev test, which starts redis-server");
      return 0;
    }
  return atoi (port);
}

static SitrepRunbook *
load_runbook (const char *probe)
{
  g_autofree char *text = g_strdup_printf (
    "{\n"
    "  \"sitrep_runbook\": 1,\n"
    "  \"name\": \"Test\",\n"
    "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\",\n"
    "                   \"response_target\": \"15m\" }],\n"
    "  \"environment\": { \"context\": \"test\", \"namespace\": \"test\" },\n"
    "  \"services\": [{ \"id\": \"cache\", \"name\": \"Cache\", \"probes\": [%s] }]\n"
    "}\n", probe);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_bytes (bytes, "test.json", &problems, &error);

  if (problems != NULL)
    for (guint i = 0; i < problems->len; i++)
      {
        g_autofree char *problem = sitrep_runbook_problem_to_string (problems->pdata[i]);

        g_test_message ("%s", problem);
      }
  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  return runbook;
}

static gboolean
tick_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  run->ticks++;
  run->max_gap_us = MAX (run->max_gap_us, now - run->last_tick);
  run->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
watchdog_cb (gpointer user_data)
{
  g_error ("the probe gave no result within 30 s");
  return G_SOURCE_REMOVE;
}

static void
done_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Run *run = user_data;

  run->result = sitrep_probe_run_finish (res, &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

/* Runs the probe described by @probe (JSON) inside a main loop, with a 20 ms timer beside it
 * that must keep firing: the probe may never stall the loop. */
static void
run_probe (Run          *run,
           const char   *probe,
           GCancellable *cancellable)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook (probe);
  const SitrepService *service = sitrep_runbook_get_services (runbook)->pdata[0];
  const SitrepProbeSpec *spec = service->probes->pdata[0];
  g_autoptr(SitrepProbeContext) context = sitrep_probe_context_new (runbook);
  gint64 start;
  guint tick, watchdog;

  run->loop = g_main_loop_new (NULL, FALSE);
  start = run->last_tick = g_get_monotonic_time ();
  tick = g_timeout_add (TICK_MS, tick_cb, run);
  watchdog = g_timeout_add_seconds (30, watchdog_cb, NULL);

  sitrep_probe_run_async (context, service, spec, cancellable, done_cb, run);
  g_assert_false (run->done);
  g_main_loop_run (run->loop);

  run->elapsed_us = g_get_monotonic_time () - start;
  g_source_remove (tick);
  g_source_remove (watchdog);
  if (run->result != NULL)
    g_test_message ("result: connected %d, %.2f ms, result %s, error %s", run->result->connected,
                    run->result->response_time_ms, run->result->result, run->result->error);
}

static void
assert_loop_kept_ticking (Run *run)
{
  g_test_message ("%u ticks in %" G_GINT64_FORMAT " ms, longest gap %" G_GINT64_FORMAT " ms",
                  run->ticks, run->elapsed_us / 1000, run->max_gap_us / 1000);
  /* Generous: a busy machine or the sanitizers stall the loop a few hundred ms; a probe that
   * waited on the network would stall it for a timeout. */
  g_assert_cmpint (run->max_gap_us, <, G_USEC_PER_SEC);
  g_assert_cmpuint (run->ticks, >=, run->elapsed_us / G_USEC_PER_SEC);
}

static gboolean
contains_nocase (const char *text,
                 const char *needle)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  return strstr (lower, needle) != NULL;
}

static redisContext *
redis_admin (guint port)
{
  struct timeval timeout = { 5, 0 };
  redisContext *c = redisConnectWithTimeout ("127.0.0.1", port, timeout);

  g_assert_nonnull (c);
  if (c->err != 0)
    g_error ("cannot reach the test Redis on port %u: %s", port, c->errstr);
  return c;
}

static void
redis_do (redisContext *c,
          int           argc,
          const char  **argv)
{
  redisReply *reply = redisCommandArgv (c, argc, argv, NULL);

  g_assert_nonnull (reply);
  if (reply->type == REDIS_REPLY_ERROR)
    g_error ("%s failed: %s", argv[0], reply->str);
  freeReplyObject (reply);
}

#define REDIS_DO(c, ...)                                                  \
  G_STMT_START {                                                          \
    const char *argv_[] = { __VA_ARGS__ };                                \
    redis_do ((c), G_N_ELEMENTS (argv_), argv_);                          \
  } G_STMT_END

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_ping (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *probe = NULL;
  guint port = redis_port ();

  if (port == 0)
    return;
  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"check\": \"ping\" }", port);
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_true (run.result->ran);
  g_assert_null (run.result->error);
  g_assert_true (run.result->connected);
  g_assert_cmpstr (run.result->result, ==, "PONG");
  g_assert_cmpfloat (run.result->response_time_ms, >, 0);
  g_assert_cmpfloat (run.result->response_time_ms, <, 1000);
}

static void
test_host_name (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *probe = NULL;
  guint port = redis_port ();

  if (port == 0)
    return;
  /* "localhost" may resolve to ::1 first, where nothing listens: the next address is tried. */
  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"localhost\", "
                           "\"port\": %u }", port);
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_null (run.result->error);
  g_assert_cmpstr (run.result->result, ==, "PONG");
}

static void
test_info (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) missing = { 0 };
  g_autofree char *probe = NULL;
  JsonObject *body;
  guint port = redis_port ();
  guint64 used;

  if (port == 0)
    return;
  probe = g_strdup_printf ("{ \"id\": \"memory\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"check\": \"info\", \"field\": \"used_memory\" }", port);
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_null (run.result->error);
  g_assert_true (run.result->connected);
  g_assert_true (g_ascii_string_to_unsigned (run.result->result, 10, 1, G_MAXUINT64, &used, NULL));
  g_assert_nonnull (run.result->json);
  body = json_node_get_object (run.result->json);
  g_assert_true (json_object_has_member (body, "redis_version"));
  g_assert_cmpint (json_object_get_int_member (body, "used_memory"), >, 0);

  g_free (probe);
  probe = g_strdup_printf ("{ \"id\": \"memory\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"check\": \"info\", \"field\": \"no_such_field\" }",
                           port);
  run_probe (&missing, probe, NULL);
  g_assert_no_error (missing.error);
  g_assert_cmpstr (missing.result->error, ==, "INFO has no field no_such_field");
  g_assert_true (missing.result->connected);
  g_assert_null (missing.result->result);
}

static void
test_queue (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) empty = { 0 };
  g_autofree char *probe = NULL;
  redisContext *admin;
  JsonObject *body;
  guint port = redis_port ();

  if (port == 0)
    return;

  /* BullMQ-shaped keys in database 2, so the probe must SELECT it. */
  admin = redis_admin (port);
  REDIS_DO (admin, "SELECT", "2");
  REDIS_DO (admin, "DEL", "bull:notification:wait", "bull:notification:active",
            "bull:notification:paused", "bull:notification:delayed", "bull:notification:failed");
  REDIS_DO (admin, "LPUSH", "bull:notification:wait", "1", "2", "3");
  REDIS_DO (admin, "LPUSH", "bull:notification:wait", "0:123");
  REDIS_DO (admin, "LPUSH", "bull:notification:active", "4");
  REDIS_DO (admin, "ZADD", "bull:notification:delayed", "1", "5", "2", "6");
  REDIS_DO (admin, "ZADD", "bull:notification:failed", "1", "7", "2", "8", "3", "9");
  redisFree (admin);

  probe = g_strdup_printf ("{ \"id\": \"notification\", \"type\": \"redis\", "
                           "\"host\": \"127.0.0.1\", \"port\": %u, \"db\": 2, "
                           "\"check\": \"queue\", \"queue\": \"bull:notification\" }", port);
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_null (run.result->error);
  g_assert_true (run.result->connected);
  g_assert_cmpstr (run.result->result, ==, "3");
  g_assert_nonnull (run.result->json);
  body = json_node_get_object (run.result->json);
  g_assert_cmpint (json_object_get_int_member (body, "wait"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (body, "active"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (body, "paused"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (body, "delayed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (body, "failed"), ==, 3);
  g_assert_false (run.result->failed);

  /* The same queue in database 0 does not exist: every depth is 0. */
  g_free (probe);
  probe = g_strdup_printf ("{ \"id\": \"notification\", \"type\": \"redis\", "
                           "\"host\": \"127.0.0.1\", \"port\": %u, "
                           "\"check\": \"queue\", \"queue\": \"bull:notification\" }", port);
  run_probe (&empty, probe, NULL);
  g_assert_no_error (empty.error);
  g_assert_null (empty.result->error);
  g_assert_cmpstr (empty.result->result, ==, "0");
}

/* A paused queue keeps its jobs in the paused list, and newer BullMQ keeps jobs with a priority
 * in a sorted set: they are waiting all the same, and a paused queue of 10,000 jobs is not
 * empty. */
static void
test_queue_paused (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *probe = NULL;
  redisContext *admin;
  JsonObject *body;
  guint port = redis_port ();

  if (port == 0)
    return;

  admin = redis_admin (port);
  REDIS_DO (admin, "SELECT", "3");
  REDIS_DO (admin, "DEL", "nwq:dispatch:wait", "nwq:dispatch:paused", "nwq:dispatch:prioritized",
            "nwq:dispatch:active", "nwq:dispatch:delayed", "nwq:dispatch:failed");
  for (guint i = 0; i < 10000; i += 500)
    {
      const char *argv[502] = { "RPUSH", "nwq:dispatch:paused" };
      g_autofree char **owned = g_new0 (char *, 501);

      for (guint j = 0; j < 500; j++)
        argv[2 + j] = owned[j] = g_strdup_printf ("%u", i + j + 1);
      redis_do (admin, 502, argv);
      for (guint j = 0; j < 500; j++)
        g_free (owned[j]);
    }
  /* An old BullMQ's wake-up marker landed in the paused list: it is no job. */
  REDIS_DO (admin, "LPUSH", "nwq:dispatch:paused", "0:1700000000000");
  REDIS_DO (admin, "ZADD", "nwq:dispatch:prioritized", "1", "20001", "2", "20002");
  REDIS_DO (admin, "RPUSH", "nwq:dispatch:wait", "30001");
  redisFree (admin);

  probe = g_strdup_printf ("{ \"id\": \"depth\", \"type\": \"redis\", "
                           "\"host\": \"127.0.0.1\", \"port\": %u, \"db\": 3, "
                           "\"check\": \"queue\", \"queue\": \"nwq:dispatch\" }", port);
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_null (run.result->error);
  g_assert_cmpstr (run.result->result, ==, "10003");
  body = json_node_get_object (run.result->json);
  g_assert_cmpint (json_object_get_int_member (body, "wait"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (body, "paused"), ==, 10000);
  g_assert_cmpint (json_object_get_int_member (body, "prioritized"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (body, "waiting"), ==, 10003);
}

/* A key of the wrong type makes Redis answer with an error: the check did not complete. */
static void
test_error_reply (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *probe = NULL;
  redisContext *admin;
  guint port = redis_port ();

  if (port == 0)
    return;

  admin = redis_admin (port);
  REDIS_DO (admin, "SELECT", "4");
  REDIS_DO (admin, "DEL", "nwq:broken:wait");
  REDIS_DO (admin, "SET", "nwq:broken:wait", "not a list");
  redisFree (admin);

  probe = g_strdup_printf ("{ \"id\": \"depth\", \"type\": \"redis\", "
                           "\"host\": \"127.0.0.1\", \"port\": %u, \"db\": 4, "
                           "\"check\": \"queue\", \"queue\": \"nwq:broken\" }", port);
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_true (run.result->connected);
  g_assert_true (run.result->failed);
  g_assert_nonnull (strstr (run.result->error, "WRONGTYPE"));
  g_assert_nonnull (strstr (run.result->error, "nwq:broken:wait"));
}

static void
test_refused (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *probe = NULL;

  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"10s\" }", free_port ());
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_false (run.result->connected);
  g_assert_nonnull (run.result->error);
  g_assert_true (contains_nocase (run.result->error, "connection refused"));
  g_assert_null (run.result->result);
  g_assert_cmpint (run.elapsed_us, <, G_USEC_PER_SEC);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  GPtrArray *held = user_data;

  /* Accept and never answer. */
  g_ptr_array_add (held, g_object_ref (connection));
  return TRUE;
}

static GSocketService *
silent_server (GPtrArray *held,
               guint     *port)
{
  GSocketService *service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), held);
  g_socket_service_start (service);
  return service;
}

static void
test_silent_server (void)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketService) service = NULL;
  g_auto(Run) run = { 0 };
  g_autofree char *probe = NULL;
  guint port;

  service = silent_server (held, &port);
  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"300ms\" }", port);
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->error, ==, "no answer within 0.3 s");
  g_assert_false (run.result->connected);
  g_assert_cmpuint (held->len, ==, 1);
  g_assert_cmpint (run.elapsed_us, >=, 290 * 1000);
  g_assert_cmpint (run.elapsed_us, <, 2 * G_USEC_PER_SEC);
  assert_loop_kept_ticking (&run);
  g_socket_service_stop (service);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Run) run = { 0 };
  g_autofree char *probe = NULL;
  guint port;

  service = silent_server (held, &port);
  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"10s\" }", port);
  g_timeout_add (100, cancel_cb, cancellable);
  run_probe (&run, probe, cancellable);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.result);
  g_assert_cmpint (run.elapsed_us, <, 2 * G_USEC_PER_SEC);
  g_socket_service_stop (service);
}

static void
test_unresolvable (void)
{
  g_auto(Run) run = { 0 };

  run_probe (&run, "{ \"id\": \"ping\", \"type\": \"redis\", "
                   "\"host\": \"no-such-host.invalid\", \"timeout\": \"20s\" }", NULL);

  g_assert_no_error (run.error);
  g_assert_false (run.result->connected);
  g_assert_true (g_str_has_prefix (run.result->error, "cannot resolve no-such-host.invalid: "));
  assert_loop_kept_ticking (&run);
}

static void
test_missing_secret (void)
{
  g_auto(Run) run = { 0 };

  run_probe (&run, "{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                   "\"secret\": \"sitrep-test-no-such-secret\" }", NULL);

  g_assert_error (run.error, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN);
  g_assert_nonnull (strstr (run.error->message, "sitrep-test-no-such-secret"));
  g_assert_null (run.result);
}

static void
store_secret (const char *name,
              const char *value)
{
  g_autoptr(GError) error = NULL;

  if (!sitrep_secrets_store_sync (name, value, NULL, &error))
    g_error ("cannot store secret %s in the keyring (%s): is gnome-keyring running? "
             "build-aux/sitrep-dev test starts it", name, error->message);
}

static void
test_password (void)
{
  g_auto(Run) good = { 0 };
  g_auto(Run) wrong = { 0 };
  g_auto(Run) none = { 0 };
  g_autofree char *probe = NULL;
  redisContext *admin;
  guint port = redis_port ();

  if (port == 0)
    return;

  store_secret ("sitrep-test-redis-password", "s3cret pass");
  store_secret ("sitrep-test-redis-wrong", "not-it");
  admin = redis_admin (port);
  REDIS_DO (admin, "CONFIG", "SET", "requirepass", "s3cret pass");

  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"secret\": \"sitrep-test-redis-password\" }", port);
  run_probe (&good, probe, NULL);
  g_free (probe);
  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"secret\": \"sitrep-test-redis-wrong\" }", port);
  run_probe (&wrong, probe, NULL);
  g_free (probe);
  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u }", port);
  run_probe (&none, probe, NULL);

  /* Put the server back before asserting, so a failure here does not spoil other tests. */
  REDIS_DO (admin, "AUTH", "s3cret pass");
  REDIS_DO (admin, "CONFIG", "SET", "requirepass", "");
  redisFree (admin);

  g_assert_no_error (good.error);
  g_assert_null (good.result->error);
  g_assert_true (good.result->connected);
  g_assert_cmpstr (good.result->result, ==, "PONG");

  g_assert_no_error (wrong.error);
  g_assert_false (wrong.result->connected);
  g_assert_true (g_str_has_prefix (wrong.result->error, "authentication failed: "));
  g_assert_null (strstr (wrong.result->error, "not-it"));
  g_assert_null (wrong.result->result);

  g_assert_no_error (none.error);
  g_assert_false (none.result->connected);
  g_assert_true (g_str_has_prefix (none.result->error, "authentication failed: NOAUTH"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/probe-redis/ping", test_ping);
  g_test_add_func ("/probe-redis/host-name", test_host_name);
  g_test_add_func ("/probe-redis/info", test_info);
  g_test_add_func ("/probe-redis/queue", test_queue);
  g_test_add_func ("/probe-redis/queue-paused", test_queue_paused);
  g_test_add_func ("/probe-redis/error-reply", test_error_reply);
  g_test_add_func ("/probe-redis/password", test_password);
  g_test_add_func ("/probe-redis/refused", test_refused);
  g_test_add_func ("/probe-redis/silent-server", test_silent_server);
  g_test_add_func ("/probe-redis/cancel", test_cancel);
  g_test_add_func ("/probe-redis/unresolvable", test_unresolvable);
  g_test_add_func ("/probe-redis/missing-secret", test_missing_secret);

  return g_test_run ();
}
