/* test-environment.c: the test command provides a display, a keyring, Redis and PostgreSQL
 *
 * Later tests rely on these; when one is missing this test says which, instead of a probe test
 * hanging or failing for a reason nobody can see.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>
#include <libpq-fe.h>
#include <libsecret/secret.h>

static const SecretSchema test_schema = {
  "org.carecircle.Sitrep.Test", SECRET_SCHEMA_NONE,
  { { "name", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static void
test_display (void)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    g_test_fail_printf ("no display: run the tests with the README's test command "
                        "(build-aux/sitrep-dev test), which starts Xvfb");
}

static void
test_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gboolean stored;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_fail_printf ("no session bus: run the tests inside dbus-run-session "
                          "(build-aux/sitrep-dev test does)");
      return;
    }

  stored = secret_password_store_sync (&test_schema, SECRET_COLLECTION_SESSION, "sitrep test",
                                       "s3cret", NULL, &error, "name", "environment", NULL);
  if (!stored)
    {
      g_test_fail_printf ("cannot store a secret in the keyring (%s): is gnome-keyring-daemon "
                          "running with --components=secrets?",
                          error ? error->message : "no reason given");
      return;
    }
  value = secret_password_lookup_sync (&test_schema, NULL, &error, "name", "environment", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "s3cret");
}

static void
test_redis (void)
{
  const char *port = g_getenv ("SITREP_TEST_REDIS_PORT");
  struct timeval timeout = { 5, 0 };
  redisContext *ctx;
  redisReply *reply;

  if (port == NULL)
    {
      g_test_fail_printf ("SITREP_TEST_REDIS_PORT is not set: redis-server is missing or did "
                          "not start (build-aux/test-session starts it)");
      return;
    }

  ctx = redisConnectWithTimeout ("127.0.0.1", atoi (port), timeout);
  g_assert_nonnull (ctx);
  if (ctx->err)
    {
      g_test_fail_printf ("cannot connect to redis-server on port %s: %s", port, ctx->errstr);
      redisFree (ctx);
      return;
    }
  reply = redisCommand (ctx, "PING");
  g_assert_nonnull (reply);
  g_assert_cmpint (reply->type, ==, REDIS_REPLY_STATUS);
  g_assert_cmpstr (reply->str, ==, "PONG");
  freeReplyObject (reply);
  redisFree (ctx);
}

static void
test_postgres (void)
{
  const char *conninfo = g_getenv ("SITREP_TEST_PG_CONNINFO");
  g_autofree char *wrong = NULL;
  PGconn *conn;
  PGresult *result;

  if (conninfo == NULL)
    {
      g_test_fail_printf ("SITREP_TEST_PG_CONNINFO is not set: PostgreSQL is missing or did not "
                          "start (build-aux/test-session starts it)");
      return;
    }

  conn = PQconnectdb (conninfo);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_test_fail_printf ("cannot connect to PostgreSQL: %s", PQerrorMessage (conn));
      PQfinish (conn);
      return;
    }
  result = PQexec (conn, "SELECT 1 + 1");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "2");
  PQclear (result);
  PQfinish (conn);

  /* The server really checks passwords, so a probe test can see a refusal. */
  wrong = g_strdup_printf ("%s password=wrong", conninfo);
  conn = PQconnectdb (wrong);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_BAD);
  g_assert_nonnull (strstr (PQerrorMessage (conn), "password authentication failed"));
  PQfinish (conn);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/environment/display", test_display);
  g_test_add_func ("/environment/keyring", test_keyring);
  g_test_add_func ("/environment/redis", test_redis);
  g_test_add_func ("/environment/postgres", test_postgres);

  return g_test_run ();
}
