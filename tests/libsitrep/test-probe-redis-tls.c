/* test-probe-redis-tls.c: the redis probe with TLS, a client certificate and an ACL user (format 2)
 *
 * Against a real redis-server the test starts with a TLS port beside a plain one, certificates
 * made for this run, and a user of its own. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <hiredis/hiredis.h>

#include "probe-test-util.h"
#include "sitrep-probe.h"
#include "sitrep-runbook-loader.h"

#define USER "sitrep-probe"
#define PASSWORD "tls-Pass-7f3a9c"
#define WRONG_PASSWORD "not-the-Pass-41d2"
#define SERVER_NAME "redis.sitrep.test"

static char *dir;            /* the certificates and the server's folder */
static char *problem;        /* why the server could not be started */
static GSubprocess *server;
static guint plain_port, tls_port;

static char *
path_of (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static gboolean
make_certificates (GError **error)
{
  dir = g_dir_make_tmp ("sitrep-redis-tls-XXXXXX", error);
  return dir != NULL
         && probe_test_make_ca (dir, "ca", error)
         && probe_test_make_ca (dir, "other-ca", error)
         && probe_test_make_signed (dir, "server", "ca", "/CN=" SERVER_NAME,
                                    "subjectAltName=DNS:" SERVER_NAME "\n"
                                    "extendedKeyUsage=serverAuth\n", error)
         && probe_test_make_signed (dir, "client", "ca", "/CN=sitrep-probe",
                                    "extendedKeyUsage=clientAuth\n", error);
}

/* The server answers PING on its plain port once it is up. */
static gboolean
server_answers (void)
{
  struct timeval timeout = { 2, 0 };
  redisContext *c = redisConnectWithTimeout ("127.0.0.1", plain_port, timeout);
  redisReply *reply = NULL;
  gboolean up;

  if (c == NULL)
    return FALSE;
  if (c->err == 0)
    reply = redisCommand (c, "PING");
  up = reply != NULL && reply->type == REDIS_REPLY_STATUS;
  if (reply != NULL)
    freeReplyObject (reply);
  redisFree (c);
  return up;
}

static gboolean
start_server (GError **error)
{
  g_autofree char *port = NULL, *tls = NULL;
  g_autofree char *cert = path_of ("server.pem");
  g_autofree char *key = path_of ("server.key");
  g_autofree char *ca = path_of ("ca.pem");
  g_autofree char *log = path_of ("redis.log");
  gint64 until;

  plain_port = probe_test_free_port ();
  tls_port = probe_test_free_port ();
  port = g_strdup_printf ("%u", plain_port);
  tls = g_strdup_printf ("%u", tls_port);
  /* Clients must show a certificate the test CA signed; the ACL user may PING, INFO and read
   * the queues, as a monitoring user would. */
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             error, "redis-server", "--bind", "127.0.0.1", "--port", port,
                             "--tls-port", tls, "--tls-cert-file", cert, "--tls-key-file", key,
                             "--tls-ca-cert-file", ca, "--tls-auth-clients", "yes",
                             "--save", "", "--appendonly", "no", "--dir", dir,
                             "--logfile", log,
                             "--user", USER, "on", ">" PASSWORD, "~*", "+ping", "+info",
                             "+select", "+llen", "+zcard", "+lindex", NULL);
  if (server == NULL)
    return FALSE;
  until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!server_answers ())
    {
      if (g_get_monotonic_time () > until)
        {
          g_autofree char *log = path_of ("redis.log");
          g_autofree char *said = NULL;

          g_file_get_contents (log, &said, NULL, NULL);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "redis-server with --tls-port did not answer on port %u within 20 s; "
                       "it said: %s", plain_port, said != NULL ? said : "nothing");
          return FALSE;
        }
      g_usleep (50 * 1000);
    }
  return TRUE;
}

static gboolean
ready (void)
{
  if (problem != NULL)
    g_test_fail_printf ("%s", problem);
  return problem == NULL;
}

/* A redis probe of the test's server; @extra adds or overrides keys ("…, "). */
static char *
probe_json (guint       port,
            const char *extra)
{
  g_autofree char *ca = path_of ("ca.pem");
  g_autofree char *cert = path_of ("client.pem");
  g_autofree char *key = path_of ("client.key");

  return g_strdup_printf ("{ \"id\": \"cache\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                          "\"port\": %u, \"timeout\": \"20s\", %s"
                          "\"ca_file\": \"%s\", \"client_certificate\": \"%s\", "
                          "\"client_key\": \"%s\" }",
                          port, extra, ca, cert, key);
}

#define HEALTHY "\"tls\": true, \"server_name\": \"" SERVER_NAME "\", \"user\": \"" USER "\", " \
                "\"secret\": { \"env\": \"SITREP_TEST_REDIS_PASSWORD\" }, "

static void
run_format2 (ProbeRun   *run,
             const char *probe)
{
  probe_test_run_format (run, "cache", probe, 2, NULL);
  g_assert_no_error (run->error);
  g_assert_nonnull (run->result);
}

/* Nothing the probe reports holds the password. */
static void
assert_no_password (ProbeRun *run)
{
  SitrepProbeResult *result = run->result;
  gsize body_size = 0;
  const char *body = result->body != NULL ? g_bytes_get_data (result->body, &body_size) : NULL;
  const char *said[] = { result->error, result->result, body };
  gssize sizes[] = { -1, -1, body_size };

  for (guint i = 0; i < G_N_ELEMENTS (said); i++)
    {
      if (said[i] == NULL)
        continue;
      g_assert_null (g_strstr_len (said[i], sizes[i], PASSWORD));
      g_assert_null (g_strstr_len (said[i], sizes[i], WRONG_PASSWORD));
    }
}

/* Through TLS, with the runbook's CA, the client certificate and the ACL user's password from
 * the environment, the server answers PING and INFO. */
static void
test_healthy (void)
{
  g_auto(ProbeRun) ping = { 0 };
  g_auto(ProbeRun) info = { 0 };
  g_autofree char *probe = NULL;

  if (!ready ())
    return;
  probe = probe_json (tls_port, HEALTHY);
  run_format2 (&ping, probe);
  g_free (probe);
  probe = probe_json (tls_port, HEALTHY "\"check\": \"info\", \"field\": \"tcp_port\", ");
  run_format2 (&info, probe);

  g_assert_null (ping.result->error);
  g_assert_true (ping.result->connected);
  g_assert_cmpstr (ping.result->result, ==, "PONG");
  probe_test_assert_loop_kept_ticking (&ping);

  g_assert_null (info.result->error);
  g_assert_cmpuint (g_ascii_strtoull (info.result->result, NULL, 10), ==, plain_port);
  assert_no_password (&ping);
  assert_no_password (&info);
}

/* The user's wrong password: the tile says authentication failed, and no output holds either
 * password. */
static void
test_wrong_password (void)
{
  g_auto(ProbeRun) run = { 0 };
  g_autofree char *probe = NULL;

  if (!ready ())
    return;
  probe = probe_json (tls_port, "\"tls\": true, \"server_name\": \"" SERVER_NAME "\", "
                                "\"user\": \"" USER "\", "
                                "\"secret\": { \"env\": \"SITREP_TEST_REDIS_WRONG\" }, ");
  run_format2 (&run, probe);

  g_assert_nonnull (run.result->error);
  g_assert_true (g_str_has_prefix (run.result->error, "authentication failed: WRONGPASS"));
  g_assert_false (run.result->connected);
  g_assert_null (run.result->result);
  assert_no_password (&run);
}

/* A CA that did not sign the server's certificate, and a name the certificate is not for. */
static void
test_untrusted (void)
{
  g_auto(ProbeRun) other_ca = { 0 };
  g_auto(ProbeRun) no_name = { 0 };
  g_autofree char *probe = NULL;
  g_autofree char *ca = NULL, *cert = NULL, *key = NULL;

  if (!ready ())
    return;
  ca = path_of ("other-ca.pem");
  cert = path_of ("client.pem");
  key = path_of ("client.key");
  probe = g_strdup_printf ("{ \"id\": \"cache\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"20s\", " HEALTHY
                           "\"ca_file\": \"%s\", \"client_certificate\": \"%s\", "
                           "\"client_key\": \"%s\" }",
                           tls_port, ca, cert, key);
  run_format2 (&other_ca, probe);
  g_free (probe);
  probe = probe_json (tls_port, "\"tls\": true, \"user\": \"" USER "\", "
                                "\"secret\": { \"env\": \"SITREP_TEST_REDIS_PASSWORD\" }, ");
  run_format2 (&no_name, probe);

  g_assert_nonnull (other_ca.result->error);
  g_assert_true (g_str_has_prefix (other_ca.result->error,
                                   "TLS failed: the server's certificate is not trusted"));
  g_assert_nonnull (strstr (other_ca.result->error, "\"ca_file\""));
  g_assert_false (other_ca.result->connected);

  g_assert_nonnull (no_name.result->error);
  g_assert_cmpstr (no_name.result->error, ==,
                   "TLS failed: the server's certificate is not for 127.0.0.1 (set "
                   "\"server_name\" to the name it was made for)");
  assert_no_password (&other_ca);
  assert_no_password (&no_name);
}

/* The server wants a client certificate: without one the probe says so. */
static void
test_no_client_certificate (void)
{
  g_auto(ProbeRun) run = { 0 };
  g_autofree char *probe = NULL;
  g_autofree char *ca = NULL;

  if (!ready ())
    return;
  ca = path_of ("ca.pem");
  probe = g_strdup_printf ("{ \"id\": \"cache\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"20s\", " HEALTHY "\"ca_file\": \"%s\" }",
                           tls_port, ca);
  run_format2 (&run, probe);

  g_assert_nonnull (run.result->error);
  g_assert_false (run.result->connected);
  g_assert_nonnull (strstr (run.result->error, "client certificate"));
}

/* TLS to the plain port (Redis waits for the end of a line that never comes), and a plain probe
 * to the TLS port (the server hangs up): each says what to change. */
static void
test_mismatched (void)
{
  g_auto(ProbeRun) tls_to_plain = { 0 };
  g_auto(ProbeRun) plain_to_tls = { 0 };
  g_autofree char *probe = NULL;
  g_autofree char *expected = NULL;

  if (!ready ())
    return;
  probe = g_strdup_printf ("{ \"id\": \"cache\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"2s\", \"tls\": true }", plain_port);
  run_format2 (&tls_to_plain, probe);
  g_free (probe);
  probe = g_strdup_printf ("{ \"id\": \"cache\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"20s\" }", tls_port);
  run_format2 (&plain_to_tls, probe);

  g_assert_nonnull (tls_to_plain.result->error);
  expected = g_strdup_printf ("no TLS handshake within 2 s: if port %u does not speak TLS, set "
                              "\"tls\": false", plain_port);
  g_assert_cmpstr (tls_to_plain.result->error, ==, expected);
  g_assert_false (tls_to_plain.result->connected);
  g_clear_pointer (&expected, g_free);

  g_assert_nonnull (plain_to_tls.result->error);
  expected = g_strdup_printf ("if port %u speaks TLS, set \"tls\": true", tls_port);
  g_assert_true (g_str_has_prefix (plain_to_tls.result->error,
                                   "Redis closed the connection before it answered"));
  g_assert_true (g_str_has_suffix (plain_to_tls.result->error, expected));
  g_assert_false (plain_to_tls.result->connected);
}

/* A server that accepts and never says a word: the handshake is what timed out. */
static void
test_silent (void)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketService) service = NULL;
  g_auto(ProbeRun) run = { 0 };
  g_autofree char *probe = NULL;
  guint port;

  service = probe_test_silent_server (held, &port);
  probe = g_strdup_printf ("{ \"id\": \"cache\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"1s\", \"tls\": true }", port);
  run_format2 (&run, probe);

  g_assert_true (g_str_has_prefix (run.result->error, "no TLS handshake within 1 s"));
  g_assert_false (run.result->connected);
  g_assert_cmpint (run.elapsed_us, >=, 990 * 1000);
  g_assert_cmpint (run.elapsed_us, <, 10 * G_USEC_PER_SEC);
  probe_test_assert_loop_kept_ticking (&run);
  g_socket_service_stop (service);
}

/* A server that resets the connection as it accepts it, with TLS and without. */
static void
test_resetting (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_auto(ProbeRun) tls = { 0 };
  g_auto(ProbeRun) plain = { 0 };
  g_autofree char *probe = NULL;
  guint port;

  port = probe_test_listen_loopback (G_SOCKET_LISTENER (service));
  g_signal_connect (service, "incoming", G_CALLBACK (probe_test_reset_cb), NULL);
  g_socket_service_start (service);
  probe = g_strdup_printf ("{ \"id\": \"cache\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"20s\", \"tls\": true }", port);
  run_format2 (&tls, probe);
  g_free (probe);
  probe = g_strdup_printf ("{ \"id\": \"cache\", \"type\": \"redis\", \"host\": \"127.0.0.1\", "
                           "\"port\": %u, \"timeout\": \"20s\" }", port);
  run_format2 (&plain, probe);

  g_assert_nonnull (tls.result->error);
  g_assert_false (tls.result->connected);
  g_assert_true (probe_test_contains_nocase (tls.result->error, "reset"));
  g_assert_cmpint (tls.elapsed_us, <, 10 * G_USEC_PER_SEC);
  g_assert_nonnull (plain.result->error);
  g_assert_false (plain.result->connected);
  g_assert_true (probe_test_contains_nocase (plain.result->error, "reset"));
  g_socket_service_stop (service);
}

/* The problems sitrep check reports for the probe @probe in a runbook of format @format, one
 * "FILE:LINE:COLUMN: what" a line. */
static char *
problems_of (const char *probe,
             guint       format)
{
  g_autofree char *text = g_strdup_printf (
    "{ \"sitrep_runbook\": %u, \"name\": \"Test\",\n"
    "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n"
    "  \"environment\": { \"context\": \"test\", \"namespace\": \"test\" },\n"
    "  \"services\": [{ \"id\": \"cache\", \"name\": \"Cache\", \"probes\": [\n"
    "%s\n"
    "  ] }] }\n", format, probe);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = sitrep_runbook_load_bytes (bytes, "cache.json", &problems,
                                                                &error);
  g_autoptr(GString) said = g_string_new (NULL);

  g_assert_null (runbook);
  g_assert_nonnull (problems);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *problem = sitrep_runbook_problem_to_string (problems->pdata[i]);

      g_string_append_printf (said, "%s\n", problem);
    }
  g_test_message ("%s", said->str);
  return g_string_free (g_steal_pointer (&said), FALSE);
}

/* sitrep check stays strict about the new keys: each mistake is said with its place. */
static void
test_loader (void)
{
  g_autofree char *v1 = problems_of ("{ \"id\": \"p\", \"type\": \"redis\", \"host\": \"h\",\n"
                                     "  \"tls\": true }", 1);
  g_autofree char *missing = problems_of ("{ \"id\": \"p\", \"type\": \"redis\", \"host\": \"h\", "
                                          "\"tls\": true,\n"
                                          "  \"ca_file\": \"/no/such/ca.pem\" }", 2);
  g_autofree char *relative = problems_of ("{ \"id\": \"p\", \"type\": \"redis\", \"host\": \"h\", "
                                           "\"tls\": true,\n"
                                           "  \"client_certificate\": \"client.pem\" }", 2);
  g_autofree char *without_tls = problems_of ("{ \"id\": \"p\", \"type\": \"redis\", "
                                              "\"host\": \"h\",\n"
                                              "  \"server_name\": \"x\", \"ca_file\": \"/etc/hostname\" }", 2);
  g_autofree char *no_secret = problems_of ("{ \"id\": \"p\", \"type\": \"redis\", \"host\": \"h\",\n"
                                            "  \"user\": \"monitor\" }", 2);
  g_autofree char *unknown = problems_of ("{ \"id\": \"p\", \"type\": \"redis\", \"host\": \"h\",\n"
                                          "  \"tls\": true, \"tls_ca\": \"/etc/hostname\" }", 2);
  g_autofree char *not_bool = problems_of ("{ \"id\": \"p\", \"type\": \"redis\", \"host\": \"h\",\n"
                                           "  \"tls\": \"yes\" }", 2);

  g_assert_nonnull (strstr (v1, "cache.json:6:3: \"tls\" is new in format 2, and this runbook is "
                                "in format 1"));
  g_assert_nonnull (strstr (missing, "cache.json:6:14: \"ca_file\": there is no file "
                                     "/no/such/ca.pem"));
  g_assert_nonnull (strstr (relative, "cache.json:6:25: \"client_certificate\" must be an "
                                      "absolute path"));
  g_assert_nonnull (strstr (without_tls, "cache.json:6:3: \"server_name\" is the name in the "
                                         "server's TLS certificate: it needs \"tls\": true"));
  g_assert_nonnull (strstr (without_tls, "\"ca_file\" is for a redis probe with \"tls\": true"));
  g_assert_nonnull (strstr (no_secret, "cache.json:6:3: the ACL user \"monitor\" needs its "
                                       "password"));
  g_assert_nonnull (strstr (unknown, "cache.json:6:16: unknown key \"tls_ca\""));
  g_assert_nonnull (strstr (not_bool, "cache.json:6:10:"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("SITREP_TEST_REDIS_PASSWORD", PASSWORD, TRUE);
  g_setenv ("SITREP_TEST_REDIS_WRONG", WRONG_PASSWORD, TRUE);
  if (!make_certificates (&error) || !start_server (&error))
    problem = g_strdup_printf ("the test certificates or redis-server could not be set up: %s "
                               "(openssl and redis-server are in the test packages)",
                               error->message);

  g_test_add_func ("/probe-redis-tls/loader", test_loader);
  g_test_add_func ("/probe-redis-tls/healthy", test_healthy);
  g_test_add_func ("/probe-redis-tls/wrong-password", test_wrong_password);
  g_test_add_func ("/probe-redis-tls/untrusted", test_untrusted);
  g_test_add_func ("/probe-redis-tls/no-client-certificate", test_no_client_certificate);
  g_test_add_func ("/probe-redis-tls/mismatched", test_mismatched);
  g_test_add_func ("/probe-redis-tls/silent", test_silent);
  g_test_add_func ("/probe-redis-tls/resetting", test_resetting);
  status = g_test_run ();

  if (server != NULL)
    {
      g_subprocess_send_signal (server, SIGTERM);
      g_subprocess_wait (server, NULL, NULL);
      g_clear_object (&server);
    }
  if (dir != NULL)
    probe_test_remove_folder (dir);
  g_free (dir);
  g_free (problem);
  return status;
}
