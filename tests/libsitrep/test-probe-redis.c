/* test-probe-redis.c: the redis probe against the real redis-server started by the test command */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <hiredis/hiredis.h>

#include "probe-test-util.h"
#include "sitrep-probe.h"
#include "sitrep-secrets.h"

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

static void
run_probe (ProbeRun     *run,
           const char   *probe,
           GCancellable *cancellable)
{
  probe_test_run (run, "cache", probe, cancellable);
}

static void
test_ping (void)
{
  g_auto(ProbeRun) run = { 0 };
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
  g_auto(ProbeRun) run = { 0 };
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
  g_auto(ProbeRun) run = { 0 };
  g_auto(ProbeRun) missing = { 0 };
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
  g_auto(ProbeRun) run = { 0 };
  g_auto(ProbeRun) empty = { 0 };
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
  g_auto(ProbeRun) run = { 0 };
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
  g_auto(ProbeRun) run = { 0 };
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
  g_auto(ProbeRun) run = { 0 };
  g_autofree char *probe = NULL;

  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"10s\" }", probe_test_free_port ());
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_false (run.result->connected);
  g_assert_nonnull (run.result->error);
  g_assert_true (probe_test_contains_nocase (run.result->error, "connection refused"));
  g_assert_null (run.result->result);
  /* Said when refused, not at the 10 s timeout (generous: a sanitized, busy machine). */
  g_assert_cmpint (run.elapsed_us, <, 8 * G_USEC_PER_SEC);
}

static void
test_silent_server (void)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketService) service = NULL;
  g_auto(ProbeRun) run = { 0 };
  g_autofree char *probe = NULL;
  guint port;

  service = probe_test_silent_server (held, &port);
  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"300ms\" }", port);
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->error, ==, "no answer within 0.3 s");
  g_assert_false (run.result->connected);
  g_assert_cmpuint (held->len, ==, 1);
  g_assert_cmpint (run.elapsed_us, >=, 290 * 1000);
  /* Ended by its timeout: a silent server would hold it for ever. */
  g_assert_cmpint (run.elapsed_us, <, 20 * G_USEC_PER_SEC);
  probe_test_assert_loop_kept_ticking (&run);
  g_socket_service_stop (service);
}

static void
test_cancel (void)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(ProbeRun) run = { 0 };
  g_autofree char *probe = NULL;
  guint port;

  service = probe_test_silent_server (held, &port);
  probe = g_strdup_printf ("{ \"id\": \"ping\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"10s\" }", port);
  g_timeout_add (100, probe_test_cancel_cb, cancellable);
  run_probe (&run, probe, cancellable);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.result);
  /* Ended by the cancel, not by the 10 s timeout. */
  g_assert_cmpint (run.elapsed_us, <, 8 * G_USEC_PER_SEC);
  g_socket_service_stop (service);
}

static void
test_unresolvable (void)
{
  probe_test_assert_unresolvable ("cache", "{ \"id\": \"ping\", \"type\": \"redis\", "
                                           "\"host\": \"no-such-host.invalid\", "
                                           "\"timeout\": \"20s\" }");
}

static void
test_missing_secret (void)
{
  probe_test_assert_missing_secret ("cache", "{ \"id\": \"ping\", \"type\": \"redis\", "
                                             "\"host\": \"127.0.0.1\", "
                                             "\"secret\": \"sitrep-test-no-such-secret\" }",
                                    "sitrep-test-no-such-secret");
}

static void
test_password (void)
{
  g_auto(ProbeRun) good = { 0 };
  g_auto(ProbeRun) wrong = { 0 };
  g_auto(ProbeRun) none = { 0 };
  g_autofree char *probe = NULL;
  redisContext *admin;
  guint port = redis_port ();

  if (port == 0)
    return;

  probe_test_store_secret ("sitrep-test-redis-password", "s3cret pass");
  probe_test_store_secret ("sitrep-test-redis-wrong", "not-it");
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
