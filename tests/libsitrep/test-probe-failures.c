/* test-probe-failures.c: a check that does not complete is down, never up
 *
 * In the monitor and in `sitrep probe`, for every way a real server can fail part-way. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gstdio.h>
#include <hiredis/hiredis.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>

#include "probe-test-util.h"
#include "sitrep-monitor.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-secrets.h"

#define PG_SECRET "harbor-ledger-url"
#define REDIS_DB "5"

/* The hostile servers run in a thread of their own, so that `sitrep probe` in a subprocess
 * meets them while this thread waits for it. */
typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  GMutex lock;
  GCond cond;
  gboolean ready;
  SoupServer *http;          /* /drip: 200 at once, then a byte a second */
  SoupServer *https;         /* a self-signed certificate */
  GSocketService *silent;    /* accepts and says nothing */
  GSocketService *reset;     /* accepts and resets */
  GSocketService *headers;   /* a status line, then header lines without end */
  GSocketService *banner;    /* an SMTP relay that refuses: "554" where "220" is expected */
  GPtrArray *held;           /* connections kept open until the end */
  guint http_port, https_port, silent_port, reset_port, headers_port, banner_port;
  GTlsCertificate *certificate;
  char *problem;             /* why a server could not start */
} Servers;

static Servers servers;

static void
ok_handler (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

/* 200 OK, then 1 MiB of header lines that never reach the blank line ending them. */
static gboolean
headers_cb (GSocketService    *service,
            GSocketConnection *connection,
            GObject           *source,
            gpointer           user_data)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) text = g_string_new ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n");

  for (guint i = 0; i < 1024; i++)
    {
      g_string_append_printf (text, "X-Filler-%u: ", i);
      for (guint j = 0; j < 1000; j++)
        g_string_append_c (text, 'x');
      g_string_append (text, "\r\n");
    }
  g_ptr_array_add (servers.held, g_object_ref (connection));
  /* Written in the background: a client that gives up stops reading, and that is fine. */
  g_output_stream_write_all_async (out, text->str, text->len, G_PRIORITY_DEFAULT, NULL, NULL,
                                   NULL);
  g_object_set_data_full (G_OBJECT (connection), "text", g_string_free (g_steal_pointer (&text),
                                                                        FALSE), g_free);
  return TRUE;
}

static gboolean
banner_cb (GSocketService    *service,
           GSocketConnection *connection,
           GObject           *source,
           gpointer           user_data)
{
  const char banner[] = "554 harbor relay: no service\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_output_stream_write_all (out, banner, strlen (banner), NULL, NULL, NULL);
  g_ptr_array_add (servers.held, g_object_ref (connection));
  return TRUE;
}

static GSocketService *
socket_server (GCallback  incoming,
               gpointer   data,
               guint     *port)
{
  GSocketService *service = g_socket_service_new ();

  *port = probe_test_listen_loopback (G_SOCKET_LISTENER (service));
  g_signal_connect (service, "incoming", incoming, data);
  return service;
}

/* A self-signed certificate made now, so nothing secret is kept in the tree. */
static GTlsCertificate *
make_certificate (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sitrep-tls-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autoptr(GSubprocess) openssl = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = NULL;

  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                              "-subj", "/CN=localhost", "-days", "1", "-keyout", key, "-out", cert,
                              NULL);
  if (openssl == NULL || !g_subprocess_wait_check (openssl, NULL, &error))
    servers.problem = g_strdup_printf ("openssl could not make a test certificate: %s",
                                       error->message);
  else if ((certificate = g_tls_certificate_new_from_files (cert, key, &error)) == NULL)
    servers.problem = g_strdup_printf ("the test certificate does not load: %s", error->message);
  g_unlink (key);
  g_unlink (cert);
  g_rmdir (dir);
  return certificate;
}

static gpointer
server_thread (gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (servers.context);

  servers.http = soup_server_new (NULL, NULL);
  soup_server_add_handler (servers.http, "/drip", probe_test_drip_handler, "{", NULL);
  soup_server_listen_local (servers.http, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  servers.http_port = probe_test_first_port (servers.http);

  if (servers.certificate != NULL)
    {
      servers.https = soup_server_new ("tls-certificate", servers.certificate, NULL);
      soup_server_add_handler (servers.https, NULL, ok_handler, NULL, NULL);
      soup_server_listen_local (servers.https, 0,
                                SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
      g_assert_no_error (error);
      servers.https_port = probe_test_first_port (servers.https);
    }

  servers.silent = socket_server (G_CALLBACK (probe_test_hold_cb), servers.held,
                                  &servers.silent_port);
  servers.reset = socket_server (G_CALLBACK (probe_test_reset_cb), NULL, &servers.reset_port);
  servers.headers = socket_server (G_CALLBACK (headers_cb), NULL, &servers.headers_port);
  servers.banner = socket_server (G_CALLBACK (banner_cb), NULL, &servers.banner_port);

  g_mutex_lock (&servers.lock);
  servers.ready = TRUE;
  g_cond_signal (&servers.cond);
  g_mutex_unlock (&servers.lock);

  g_main_loop_run (servers.loop);

  g_socket_service_stop (servers.silent);
  g_socket_service_stop (servers.reset);
  g_socket_service_stop (servers.headers);
  g_socket_service_stop (servers.banner);
  g_clear_object (&servers.silent);
  g_clear_object (&servers.reset);
  g_clear_object (&servers.headers);
  g_clear_object (&servers.banner);
  g_clear_pointer (&servers.held, g_ptr_array_unref);
  soup_server_disconnect (servers.http);
  g_clear_object (&servers.http);
  if (servers.https != NULL)
    soup_server_disconnect (servers.https);
  g_clear_object (&servers.https);
  g_main_context_pop_thread_default (servers.context);
  return NULL;
}

static void
servers_start (void)
{
  servers.held = g_ptr_array_new_with_free_func (g_object_unref);
  servers.certificate = make_certificate ();
  servers.context = g_main_context_new ();
  servers.loop = g_main_loop_new (servers.context, FALSE);
  servers.thread = g_thread_new ("hostile-servers", server_thread, NULL);
  g_mutex_lock (&servers.lock);
  while (!servers.ready)
    g_cond_wait (&servers.cond, &servers.lock);
  g_mutex_unlock (&servers.lock);
}

static void
servers_stop (void)
{
  g_main_loop_quit (servers.loop);
  g_thread_join (servers.thread);
  g_main_loop_unref (servers.loop);
  g_main_context_unref (servers.context);
  g_clear_object (&servers.certificate);
  g_clear_pointer (&servers.problem, g_free);
}

/* The real Redis and PostgreSQL the test command starts. */

static gboolean
have_backends (guint *redis_port)
{
  const char *port = g_getenv ("SITREP_TEST_REDIS_PORT");
  const char *conninfo = g_getenv ("SITREP_TEST_PG_CONNINFO");

  if (port == NULL || atoi (port) <= 0 || conninfo == NULL || g_getenv ("SITREP_TEST_KEYRING") == NULL)
    {
      g_test_fail_printf ("Redis, PostgreSQL or the keyring is missing: run the tests with "
                          "build-aux/sitrep-dev test, which starts them");
      return FALSE;
    }
  if (servers.problem != NULL)
    {
      g_test_fail_printf ("%s", servers.problem);
      return FALSE;
    }
  *redis_port = atoi (port);
  return TRUE;
}

/* A queue whose wait "list" is a string: Redis answers LLEN with a WRONGTYPE error. */
static void
break_redis_queue (guint port)
{
  struct timeval timeout = { 5, 0 };
  redisContext *c = redisConnectWithTimeout ("127.0.0.1", port, timeout);
  const char *commands[][3] = {
    { "SELECT", REDIS_DB, NULL },
    { "DEL", "harbor:berths:wait", NULL },
    { "SET", "harbor:berths:wait", "corrupted" },
  };

  g_assert_true (c != NULL && c->err == 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      redisReply *reply = redisCommandArgv (c, commands[i][2] ? 3 : 2, commands[i], NULL);

      g_assert_nonnull (reply);
      g_assert_cmpint (reply->type, !=, REDIS_REPLY_ERROR);
      freeReplyObject (reply);
    }
  redisFree (c);
}

/* The Harbor runbook: one service per way a check can fail part-way. Each probe's conditions
 * hold for what the probe gets before it fails (a status, a connection, a fast failure), so
 * only the failure itself can make it down. Where a timeout is the failure (silent, drip,
 * ledger) it is small and the hostile side lasts far longer; elsewhere it is a 20 s safety net,
 * so a slow machine (the sanitizers, a loaded CI) fails for the reason under test, never time. */
static char *
harbor_runbook (guint redis_port)
{
  return g_strdup_printf (
    "{\n"
    "  \"sitrep_runbook\": 1,\n"
    "  \"name\": \"Harbor Pilots\",\n"
    "  \"severities\": [ { \"id\": \"red\", \"label\": \"Red\", \"response_target\": \"5m\" } ],\n"
    "  \"environment\": { \"context\": \"harbor\", \"namespace\": \"pilots\" },\n"
    "  \"services\": [\n"
    "    { \"id\": \"silent\", \"name\": \"Tide gauge\", \"probes\": [\n"
    "      { \"id\": \"http\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/\", \"timeout\": \"2s\",\n"
    "        \"conditions\": [ { \"check\": \"[RESPONSE_TIME] < 60000\" } ] } ] },\n"
    "    { \"id\": \"drip\", \"name\": \"Berth board\", \"probes\": [\n"
    "      { \"id\": \"http\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/drip\", \"timeout\": \"3s\",\n"
    "        \"conditions\": [ { \"check\": \"[STATUS] == 200\" } ] } ] },\n"
    "    { \"id\": \"reset\", \"name\": \"Pilot roster\", \"probes\": [\n"
    "      { \"id\": \"http\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/\", \"timeout\": \"20s\",\n"
    "        \"conditions\": [ { \"check\": \"[RESPONSE_TIME] < 60000\" } ] } ] },\n"
    "    { \"id\": \"headers\", \"name\": \"Weather feed\", \"probes\": [\n"
    "      { \"id\": \"http\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/\", \"timeout\": \"20s\",\n"
    "        \"conditions\": [ { \"check\": \"[RESPONSE_TIME] < 60000\" } ] } ] },\n"
    "    { \"id\": \"tls\", \"name\": \"Customs portal\", \"probes\": [\n"
    "      { \"id\": \"https\", \"type\": \"http\", \"url\": \"https://127.0.0.1:%u/\", \"timeout\": \"20s\",\n"
    "        \"conditions\": [ { \"check\": \"[RESPONSE_TIME] < 60000\" } ] } ] },\n"
    "    { \"id\": \"relay\", \"name\": \"Mail relay\", \"probes\": [\n"
    "      { \"id\": \"smtp\", \"type\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": %u, \"expect\": \"220\",\n"
    "        \"timeout\": \"20s\", \"conditions\": [ { \"check\": \"[CONNECTED] == true\" } ] } ] },\n"
    "    { \"id\": \"ledger\", \"name\": \"Ledger\", \"probes\": [\n"
    "      { \"id\": \"db\", \"type\": \"postgres\", \"secret\": \"" PG_SECRET "\",\n"
    "        \"query\": \"SELECT 1 FROM pg_sleep(30)\", \"timeout\": \"3s\",\n"
    "        \"conditions\": [ { \"check\": \"[CONNECTED] == true\" } ] } ] },\n"
    "    { \"id\": \"berths\", \"name\": \"Berth queue\", \"probes\": [\n"
    "      { \"id\": \"depth\", \"type\": \"redis\", \"host\": \"127.0.0.1\", \"port\": %u, \"db\": " REDIS_DB ",\n"
    "        \"check\": \"queue\", \"queue\": \"harbor:berths\", \"timeout\": \"20s\",\n"
    "        \"conditions\": [ { \"check\": \"[CONNECTED] == true\" } ] } ] }\n"
    "  ]\n"
    "}\n",
    servers.silent_port, servers.http_port, servers.reset_port, servers.headers_port,
    servers.https_port, servers.banner_port, redis_port);
}

/* What each service must say: down, with the probe's error (which contains @reason) as why. */
static const struct
{
  const char *service;
  const char *reason; /* a part of the reason; NULL: whatever the error says */
} expected[] = {
  { "silent", "no answer within 2.0 s" },
  { "drip", "the body did not finish within 3.0 s" },
  { "reset", NULL },
  { "headers", NULL },
  { "tls", "TLS failed" },
  { "relay", "does not contain \"220\"" },
  { "ledger", "query failed: " },
  { "berths", "WRONGTYPE" },
};

static void
prepare (guint       redis_port,
         char      **path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = harbor_runbook (redis_port);
  g_autofree char *dir = g_dir_make_tmp ("sitrep-harbor-XXXXXX", &error);

  g_assert_no_error (error);
  sitrep_secrets_store_sync (PG_SECRET, g_getenv ("SITREP_TEST_PG_CONNINFO"), NULL, &error);
  g_assert_no_error (error);
  break_redis_queue (redis_port);
  *path = g_build_filename (dir, "harbor.json", NULL);
  g_file_set_contents (*path, text, -1, &error);
  g_assert_no_error (error);
}

static void
run_once_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sitrep_monitor_run_once_finish (SITREP_MONITOR (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Through the monitor: what the tiles and the service pages show. */
static void
test_failures_monitor (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  guint redis_port;

  if (!have_backends (&redis_port))
    return;
  prepare (redis_port, &path);
  file = g_file_new_for_path (path);
  runbook = sitrep_runbook_load_file (file, NULL, NULL, &error);
  g_assert_no_error (error);

  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  sitrep_monitor_run_once_async (monitor, NULL, NULL, run_once_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      SitrepServiceState *state = sitrep_monitor_find_service (monitor, expected[i].service);
      const SitrepProbeStatus *status = sitrep_service_state_get_probe (state, 0);
      const char *reason = sitrep_service_state_get_reason (state);

      g_test_message ("%s: %s, %s", expected[i].service,
                      sitrep_health_to_string (sitrep_service_state_get_health (state)), reason);
      g_assert_nonnull (status->last);
      g_assert_true (status->last->failed);
      /* Every condition held for what the probe got: the failure alone makes it down. */
      for (guint c = 0; c < status->verdicts->len; c++)
        g_assert_true (((SitrepConditionVerdict *) status->verdicts->pdata[c])->passed);
      g_assert_cmpint (sitrep_service_state_get_health (state), ==, SITREP_HEALTH_DOWN);
      g_assert_cmpstr (reason, ==, status->last->error);
      if (expected[i].reason != NULL)
        g_assert_nonnull (strstr (reason, expected[i].reason));
    }
}

typedef struct
{
  gboolean done;
  char *out;
  char *err;
  int status;
} Run;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  run->done = TRUE;
}

/* Through `sitrep probe --json`, one service at a time: state, reason and exit code. */
static void
test_failures_cli (void)
{
  const char *bin = g_getenv ("SITREP_BIN");
  g_autofree char *path = NULL;
  guint redis_port;

  if (bin == NULL)
    g_error ("SITREP_BIN is not set: run the tests with meson test");
  if (!have_backends (&redis_port))
    return;
  prepare (redis_port, &path);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *service, *probe;
      Run run = { 0 };

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                  &error, bin, "probe", "--runbook", path, "--service",
                                  expected[i].service, "--json", NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &run);
      while (!run.done)
        g_main_context_iteration (NULL, TRUE);

      g_test_message ("%s: exit %d: %s%s", expected[i].service, run.status, run.out, run.err);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
      g_assert_no_error (error);
      service = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
      g_assert_cmpstr (json_object_get_string_member (service, "service"), ==, expected[i].service);
      g_assert_cmpstr (json_object_get_string_member (service, "state"), ==, "down");
      probe = json_array_get_object_element (json_object_get_array_member (service, "probes"), 0);
      g_assert_cmpstr (json_object_get_string_member (probe, "state"), ==, "down");
      g_assert_true (json_object_get_boolean_member (probe, "failed"));
      g_assert_cmpstr (json_object_get_string_member (service, "reason"), ==,
                       json_object_get_string_member (probe, "error"));
      if (expected[i].reason != NULL)
        g_assert_nonnull (strstr (json_object_get_string_member (service, "reason"),
                                  expected[i].reason));
      g_free (run.out);
      g_free (run.err);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  servers_start ();

  g_test_add_func ("/probe-failures/monitor", test_failures_monitor);
  g_test_add_func ("/probe-failures/cli", test_failures_cli);

  status = g_test_run ();
  servers_stop ();
  return status;
}
