/* test-probe-postgres.c: the postgres probe against the PostgreSQL started by the test command */
#include "config.h"

#include <string.h>
#include <libpq-fe.h>

#include "probe-test-util.h"
#include "sitrep-probe.h"
#include "sitrep-secrets.h"

/* The test server's settings, from the connection string the test command exports. */
typedef struct
{
  char *host;
  char *port;
  char *user;
  char *password;
  char *dbname;
} Server;

static void
server_clear (Server *server)
{
  g_free (server->host);
  g_free (server->port);
  g_free (server->user);
  g_free (server->password);
  g_free (server->dbname);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Server, server_clear)

static gboolean
pg_server (Server *server)
{
  const char *conninfo = g_getenv ("SITREP_TEST_PG_CONNINFO");
  PQconninfoOption *options;
  char *error = NULL;

  if (conninfo == NULL || conninfo[0] == '\0')
    {
      g_test_fail_printf ("SITREP_TEST_PG_CONNINFO is not set: the PostgreSQL server is missing; "
                          "run the tests with build-aux/sitrep-dev test, which starts PostgreSQL");
      return FALSE;
    }
  options = PQconninfoParse (conninfo, &error);
  if (options == NULL)
    g_error ("SITREP_TEST_PG_CONNINFO does not parse: %s", error);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL)
        continue;
      if (g_str_equal (o->keyword, "host"))
        server->host = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "port"))
        server->port = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "user"))
        server->user = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "password"))
        server->password = g_strdup (o->val);
      else if (g_str_equal (o->keyword, "dbname"))
        server->dbname = g_strdup (o->val);
    }
  PQconninfoFree (options);
  g_assert_nonnull (server->host);
  g_assert_nonnull (server->port);
  g_assert_nonnull (server->user);
  g_assert_nonnull (server->password);
  g_assert_nonnull (server->dbname);
  return TRUE;
}

/* Stores a connection string for the test server in the keyring under @name, with @password
 * and @host instead of the real ones when given. */
static void
store_conninfo (const Server *server,
                const char   *name,
                const char   *host,
                const char   *password)
{
  g_autofree char *conninfo = g_strdup_printf ("host=%s port=%s user=%s password=%s dbname=%s",
                                               host != NULL ? host : server->host, server->port,
                                               server->user,
                                               password != NULL ? password : server->password,
                                               server->dbname);

  probe_test_store_secret (name, conninfo);
}


static void
run_probe (ProbeRun     *run,
           const char   *probe,
           GCancellable *cancellable)
{
  probe_test_run (run, "database", probe, cancellable);
}

static void
test_select_one (void)
{
  g_auto(Server) server = { 0 };
  g_auto(ProbeRun) run = { 0 };

  if (!pg_server (&server))
    return;
  store_conninfo (&server, "sitrep-test-pg", NULL, NULL);
  run_probe (&run, "{ \"id\": \"pg\", \"type\": \"postgres\", \"secret\": \"sitrep-test-pg\" }",
             NULL);

  g_assert_no_error (run.error);
  g_assert_true (run.result->ran);
  g_assert_null (run.result->error);
  g_assert_true (run.result->connected);
  g_assert_cmpstr (run.result->result, ==, "1");
  /* [RESPONSE_TIME] is there and measures this check: positive, and within the run. */
  g_assert_cmpfloat (run.result->response_time_ms, >, 0);
  g_assert_cmpfloat (run.result->response_time_ms, <=, run.elapsed_us / 1000.0);
  g_assert_false (run.result->failed);
  /* The test server has no TLS: the check crossed the network in clear text, and says so. */
  g_assert_true (run.result->unencrypted);
}

static void
test_host_name (void)
{
  g_auto(Server) server = { 0 };
  g_auto(ProbeRun) run = { 0 };

  if (!pg_server (&server))
    return;
  /* A name: looked up with GResolver, handed to libpq as hostaddr. */
  store_conninfo (&server, "sitrep-test-pg-localhost", "localhost", NULL);
  run_probe (&run, "{ \"id\": \"pg\", \"type\": \"postgres\", "
                   "\"secret\": \"sitrep-test-pg-localhost\" }", NULL);

  g_assert_no_error (run.error);
  g_assert_null (run.result->error);
  g_assert_true (run.result->connected);
  g_assert_cmpstr (run.result->result, ==, "1");
}

static void
test_uri (void)
{
  g_auto(Server) server = { 0 };
  g_auto(ProbeRun) run = { 0 };
  g_autofree char *uri = NULL;

  if (!pg_server (&server))
    return;
  uri = g_strdup_printf ("postgresql://%s:%s@%s:%s/%s?connect_timeout=5", server.user,
                         server.password, server.host, server.port, server.dbname);
  probe_test_store_secret ("sitrep-test-pg-uri", uri);
  run_probe (&run, "{ \"id\": \"pg\", \"type\": \"postgres\", \"secret\": \"sitrep-test-pg-uri\", "
                   "\"query\": \"SELECT current_user\" }", NULL);

  g_assert_no_error (run.error);
  g_assert_null (run.result->error);
  g_assert_true (run.result->connected);
  g_assert_cmpstr (run.result->result, ==, server.user);
}

static void
test_query_number (void)
{
  g_auto(Server) server = { 0 };
  g_auto(ProbeRun) run = { 0 };
  guint64 count;

  if (!pg_server (&server))
    return;
  store_conninfo (&server, "sitrep-test-pg", NULL, NULL);
  run_probe (&run, "{ \"id\": \"connections\", \"type\": \"postgres\", "
                   "\"secret\": \"sitrep-test-pg\", "
                   "\"query\": \"SELECT count(*) FROM pg_stat_activity\" }", NULL);

  g_assert_no_error (run.error);
  g_assert_null (run.result->error);
  g_assert_true (run.result->connected);
  g_assert_true (g_ascii_string_to_unsigned (run.result->result, 10, 1, G_MAXUINT64, &count, NULL));
  g_assert_cmpfloat (run.result->response_time_ms, >, 0);
}

static void
test_query_fails (void)
{
  g_auto(Server) server = { 0 };
  g_auto(ProbeRun) missing = { 0 };
  g_auto(ProbeRun) writes = { 0 };
  g_auto(ProbeRun) two = { 0 };

  if (!pg_server (&server))
    return;
  store_conninfo (&server, "sitrep-test-pg", NULL, NULL);

  run_probe (&missing, "{ \"id\": \"q\", \"type\": \"postgres\", \"secret\": \"sitrep-test-pg\", "
                       "\"query\": \"SELECT count(*) FROM no_such_table\" }", NULL);
  g_assert_no_error (missing.error);
  g_assert_true (missing.result->connected);
  g_assert_true (g_str_has_prefix (missing.result->error, "query failed: "));
  g_assert_nonnull (strstr (missing.result->error, "no_such_table"));
  g_assert_null (missing.result->result);

  /* The query runs in a read-only transaction: a probe never changes the database. */
  run_probe (&writes, "{ \"id\": \"q\", \"type\": \"postgres\", \"secret\": \"sitrep-test-pg\", "
                      "\"query\": \"CREATE TABLE sitrep_probe_write (a int)\" }", NULL);
  g_assert_no_error (writes.error);
  g_assert_true (g_str_has_prefix (writes.result->error, "query failed: "));
  g_assert_nonnull (strstr (writes.result->error, "read-only"));

  /* One statement only. */
  run_probe (&two, "{ \"id\": \"q\", \"type\": \"postgres\", \"secret\": \"sitrep-test-pg\", "
                   "\"query\": \"SELECT 1; SELECT 2\" }", NULL);
  g_assert_no_error (two.error);
  g_assert_true (g_str_has_prefix (two.result->error, "query failed: "));
}

static void
test_wrong_password (void)
{
  g_auto(Server) server = { 0 };
  g_auto(ProbeRun) run = { 0 };

  if (!pg_server (&server))
    return;
  store_conninfo (&server, "sitrep-test-pg-wrong", NULL, "not-the-password");
  run_probe (&run, "{ \"id\": \"pg\", \"type\": \"postgres\", "
                   "\"secret\": \"sitrep-test-pg-wrong\" }", NULL);

  g_assert_no_error (run.error);
  g_assert_false (run.result->connected);
  g_assert_nonnull (strstr (run.result->error, "password authentication failed"));
  g_assert_null (strstr (run.result->error, "not-the-password"));
  g_assert_null (run.result->result);
}

static void
test_refused (void)
{
  g_auto(ProbeRun) run = { 0 };
  g_autofree char *probe = NULL;

  probe = g_strdup_printf ("{ \"id\": \"pg\", \"type\": \"postgres\", \"timeout\": \"25s\", "
                           "\"conninfo\": \"host=127.0.0.1 port=%u user=postgres "
                           "dbname=postgres\" }",
                           probe_test_free_port ());
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_false (run.result->connected);
  g_assert_true (probe_test_contains_nocase (run.result->error, "connection refused"));
  /* Said at once, not after the 25 s timeout. */
  g_assert_cmpint (run.elapsed_us, <, 15 * G_USEC_PER_SEC);
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
  probe = g_strdup_printf ("{ \"id\": \"pg\", \"type\": \"postgres\", \"timeout\": \"300ms\", "
                           "\"conninfo\": \"host=127.0.0.1 port=%u user=postgres "
                           "dbname=postgres\" }",
                           port);
  run_probe (&run, probe, NULL);

  g_assert_no_error (run.error);
  g_assert_false (run.result->connected);
  g_assert_cmpstr (run.result->error, ==, "no answer within 0.3 s while connecting");
  g_assert_cmpuint (held->len, ==, 1);
  /* The probe's own timer ended it (the server never speaks), not the 30 s watchdog. */
  g_assert_cmpint (run.elapsed_us, >=, 290 * 1000);
  probe_test_assert_loop_kept_ticking (&run);
  g_socket_service_stop (service);
}

static void
test_slow_query (void)
{
  g_auto(Server) server = { 0 };
  g_auto(ProbeRun) run = { 0 };

  if (!pg_server (&server))
    return;
  store_conninfo (&server, "sitrep-test-pg", NULL, NULL);
  run_probe (&run, "{ \"id\": \"slow\", \"type\": \"postgres\", \"secret\": \"sitrep-test-pg\", "
                   "\"timeout\": \"25s\", \"query\": \"SELECT 1 FROM pg_sleep(1.5)\" }", NULL);

  g_assert_no_error (run.error);
  g_assert_null (run.result->error);
  g_assert_false (run.result->failed);
  g_assert_cmpstr (run.result->result, ==, "1");
  g_assert_cmpint (run.elapsed_us, >=, 1500 * 1000);
  /* [RESPONSE_TIME] is the whole check, the runbook's query included, not SELECT 1's. */
  g_assert_cmpfloat (run.result->response_time_ms, >=, 1500);
  g_assert_cmpfloat (run.result->response_time_ms, <=, run.elapsed_us / 1000.0);
  probe_test_assert_loop_kept_ticking (&run);
}

static void
test_query_timeout (void)
{
  g_auto(Server) server = { 0 };
  g_auto(ProbeRun) run = { 0 };

  if (!pg_server (&server))
    return;
  store_conninfo (&server, "sitrep-test-pg", NULL, NULL);
  run_probe (&run, "{ \"id\": \"slow\", \"type\": \"postgres\", \"secret\": \"sitrep-test-pg\", "
                   "\"timeout\": \"3s\", \"query\": \"SELECT 1 FROM pg_sleep(30)\" }", NULL);

  g_assert_no_error (run.error);
  g_assert_true (run.result->connected);
  /* Connected, but the query did not answer: the check did not complete. */
  g_assert_true (run.result->failed);
  /* The probe's timer or the server's statement_timeout, whichever comes first. */
  g_assert_true (g_str_has_prefix (run.result->error, "query failed: "));
  g_assert_null (run.result->result);
  /* The 3 s limit ended it, not the 30 s query. */
  g_assert_cmpint (run.elapsed_us, <, 20 * G_USEC_PER_SEC);
  probe_test_assert_loop_kept_ticking (&run);
}

static void
test_cancel (void)
{
  g_auto(Server) server = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(ProbeRun) run = { 0 };

  if (!pg_server (&server))
    return;
  store_conninfo (&server, "sitrep-test-pg", NULL, NULL);
  g_timeout_add (200, probe_test_cancel_cb, cancellable);
  run_probe (&run, "{ \"id\": \"slow\", \"type\": \"postgres\", \"secret\": \"sitrep-test-pg\", "
                   "\"timeout\": \"25s\", \"query\": \"SELECT 1 FROM pg_sleep(30)\" }", cancellable);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.result);
  /* The cancel ended it, not the 25 s timeout nor the 30 s query. */
  g_assert_cmpint (run.elapsed_us, <, 15 * G_USEC_PER_SEC);
}

static void
test_unresolvable (void)
{
  probe_test_assert_unresolvable (
    "database", "{ \"id\": \"pg\", \"type\": \"postgres\", \"timeout\": \"20s\", "
                "\"conninfo\": \"host=no-such-host.invalid user=postgres dbname=postgres\" }");
}

static void
test_missing_secret (void)
{
  probe_test_assert_missing_secret ("database", "{ \"id\": \"pg\", \"type\": \"postgres\", "
                                                "\"secret\": \"sitrep-test-no-such-secret\" }",
                                    "sitrep-test-no-such-secret");
}

static void
test_bad_conninfo (void)
{
  g_auto(ProbeRun) run = { 0 };

  /* A connection string that does not parse: the error must not quote the password. */
  probe_test_store_secret ("sitrep-test-pg-bad", "host=127.0.0.1 passw0rd hunter2 user=postgres");
  run_probe (&run, "{ \"id\": \"pg\", \"type\": \"postgres\", \"secret\": \"sitrep-test-pg-bad\" }",
             NULL);

  g_assert_error (run.error, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN);
  g_test_message ("%s", run.error->message);
  g_assert_null (strstr (run.error->message, "hunter2"));
  g_assert_true (g_str_has_prefix (run.error->message, "the connection string is not valid: "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/probe-postgres/select-one", test_select_one);
  g_test_add_func ("/probe-postgres/host-name", test_host_name);
  g_test_add_func ("/probe-postgres/uri", test_uri);
  g_test_add_func ("/probe-postgres/query-number", test_query_number);
  g_test_add_func ("/probe-postgres/query-fails", test_query_fails);
  g_test_add_func ("/probe-postgres/wrong-password", test_wrong_password);
  g_test_add_func ("/probe-postgres/refused", test_refused);
  g_test_add_func ("/probe-postgres/silent-server", test_silent_server);
  g_test_add_func ("/probe-postgres/slow-query", test_slow_query);
  g_test_add_func ("/probe-postgres/query-timeout", test_query_timeout);
  g_test_add_func ("/probe-postgres/cancel", test_cancel);
  g_test_add_func ("/probe-postgres/unresolvable", test_unresolvable);
  g_test_add_func ("/probe-postgres/missing-secret", test_missing_secret);
  g_test_add_func ("/probe-postgres/bad-conninfo", test_bad_conninfo);

  return g_test_run ();
}
