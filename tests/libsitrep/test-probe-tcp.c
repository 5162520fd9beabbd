/* test-probe-tcp.c: the tcp probe against loopback servers that answer, differ, refuse or stall */
#include "config.h"

#include <string.h>

#include "probe-test-util.h"
#include "sitrep-probe.h"
#include "sitrep-runbook-loader.h"

typedef struct
{
  GSocketService *banner;  /* says "220 sitrep-test ready" and stays open */
  GSocketService *echo;    /* answers "you said: LINE" */
  GSocketService *silent;  /* accepts and never answers */
  GSocketService *late;    /* says "220 late" 1.5 s after the connection */
  guint16 banner_port;
  guint16 late_port;
  guint16 echo_port;
  guint16 silent_port;
  guint16 closed_port;     /* nothing listens here */
  GPtrArray *connections;  /* kept open until the end of the test */
} Servers;

static Servers servers;

static gboolean
banner_cb (GSocketService    *service,
           GSocketConnection *connection,
           GObject           *source,
           gpointer           user_data)
{
  const char banner[] = "220 sitrep-test ready\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_output_stream_write_all (out, banner, strlen (banner), NULL, NULL, NULL);
  g_ptr_array_add (servers.connections, g_object_ref (connection));
  return TRUE;
}

typedef struct
{
  GSocketConnection *connection;
  char buffer[256];
} Echo;

static void
echo_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Echo *echo = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n > 0)
    {
      g_autofree char *answer = g_strdup_printf ("you said: %.*s", (int) n, echo->buffer);
      GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (echo->connection));

      g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
    }
  g_object_unref (echo->connection);
  g_free (echo);
}

static gboolean
echo_cb (GSocketService    *service,
         GSocketConnection *connection,
         GObject           *source,
         gpointer           user_data)
{
  Echo *echo = g_new0 (Echo, 1);

  echo->connection = g_object_ref (connection);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)), echo->buffer,
                             sizeof echo->buffer, G_PRIORITY_DEFAULT, NULL, echo_read_cb, echo);
  return TRUE;
}

static gboolean
late_banner_cb (gpointer user_data)
{
  GSocketConnection *connection = user_data;
  const char banner[] = "220 late\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_output_stream_write_all (out, banner, strlen (banner), NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
late_cb (GSocketService    *service,
         GSocketConnection *connection,
         GObject           *source,
         gpointer           user_data)
{
  g_ptr_array_add (servers.connections, g_object_ref (connection));
  g_timeout_add_full (G_PRIORITY_DEFAULT, 1500, late_banner_cb, g_object_ref (connection),
                      g_object_unref);
  return TRUE;
}

static guint16
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = probe_test_listen_loopback (listener);

  g_socket_listener_close (listener);
  return port;
}

static void
servers_start (void)
{
  servers.connections = g_ptr_array_new_with_free_func (g_object_unref);
  servers.banner = g_socket_service_new ();
  servers.banner_port = probe_test_listen_loopback (G_SOCKET_LISTENER (servers.banner));
  g_signal_connect (servers.banner, "incoming", G_CALLBACK (banner_cb), NULL);
  servers.echo = g_socket_service_new ();
  servers.echo_port = probe_test_listen_loopback (G_SOCKET_LISTENER (servers.echo));
  g_signal_connect (servers.echo, "incoming", G_CALLBACK (echo_cb), NULL);
  servers.silent = g_socket_service_new ();
  servers.silent_port = probe_test_listen_loopback (G_SOCKET_LISTENER (servers.silent));
  g_signal_connect (servers.silent, "incoming", G_CALLBACK (probe_test_hold_cb),
                    servers.connections);
  servers.late = g_socket_service_new ();
  servers.late_port = probe_test_listen_loopback (G_SOCKET_LISTENER (servers.late));
  g_signal_connect (servers.late, "incoming", G_CALLBACK (late_cb), NULL);
  servers.closed_port = closed_port ();
}

static void
servers_stop (void)
{
  g_socket_service_stop (servers.banner);
  g_socket_service_stop (servers.echo);
  g_socket_service_stop (servers.silent);
  g_socket_service_stop (servers.late);
  g_clear_object (&servers.late);
  g_clear_object (&servers.banner);
  g_clear_object (&servers.echo);
  g_clear_object (&servers.silent);
  g_clear_pointer (&servers.connections, g_ptr_array_unref);
}

static SitrepRunbook *
load_runbook (void)
{
  g_autofree char *json = g_strdup_printf (
    "{ \"sitrep_runbook\": 1, \"name\": \"TCP tests\",\n"
    "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n"
    "  \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
    "  \"services\": [{ \"id\": \"svc\", \"name\": \"Service\", \"probes\": [\n"
    "    { \"id\": \"connect\", \"type\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": %u },\n"
    "    { \"id\": \"expect\", \"type\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": %u,\n"
    "      \"send\": \"HELLO\\r\\n\", \"expect\": \"you said: HELLO\" },\n"
    "    { \"id\": \"banner\", \"type\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": %u, \"expect\": \"220\" },\n"
    "    { \"id\": \"mismatch\", \"type\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": %u,\n"
    "      \"expect\": \"SSH-2.0\", \"timeout\": \"2s\" },\n"
    "    { \"id\": \"refused\", \"type\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": %u },\n"
    "    { \"id\": \"silent\", \"type\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": %u,\n"
    "      \"send\": \"PING\\r\\n\", \"expect\": \"PONG\", \"timeout\": \"2s\" },\n"
    "    { \"id\": \"late\", \"type\": \"tcp\", \"host\": \"127.0.0.1\", \"port\": %u,\n"
    "      \"expect\": \"220\", \"timeout\": \"10s\" }\n"
    "  ] }]\n"
    "}\n",
    servers.banner_port, servers.echo_port, servers.banner_port, servers.banner_port,
    servers.closed_port, servers.silent_port, servers.late_port);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_bytes (bytes, "probe-tcp.json", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  return runbook;
}

/* Runs one probe inside a main loop whose 10 ms timer must keep firing. */
static SitrepProbeResult *
run_probe (const char *probe_id,
           gint64     *elapsed_ms)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook ();
  g_autoptr(SitrepProbeContext) context = sitrep_probe_context_new (runbook);
  g_autoptr(GError) error = NULL;
  SitrepProbeResult *result;

  /* Generous: a busy machine stalls the loop a few hundred ms under the sanitizers; a probe
   * that waited on the network would stall it for a timeout. */
  result = probe_test_run_spec (context, "svc", probe_id, 20, G_USEC_PER_SEC, elapsed_ms, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
test_connect (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("connect", NULL);

  g_assert_true (result->ran);
  g_assert_true (result->connected);
  g_assert_null (result->error);
  g_assert_cmpfloat (result->response_time_ms, >, 0);
}

static void
test_send_expect (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("expect", NULL);

  g_assert_true (result->connected);
  g_assert_null (result->error);
  g_assert_nonnull (strstr (result->result, "you said: HELLO"));
}

static void
test_banner (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("banner", NULL);

  g_assert_true (result->connected);
  g_assert_null (result->error);
  g_assert_true (g_str_has_prefix (result->result, "220 sitrep-test ready"));
}

static void
test_mismatch (void)
{
  gint64 elapsed;
  g_autoptr(SitrepProbeResult) result = run_probe ("mismatch", &elapsed);

  g_assert_true (result->connected);
  g_assert_nonnull (result->error);
  /* Connected is not enough: the check did not get its answer. */
  g_assert_true (result->failed);
  /* What was expected, and what the server said instead. */
  g_assert_nonnull (strstr (result->error, "does not contain \"SSH-2.0\""));
  g_assert_nonnull (strstr (result->error, "220 sitrep-test ready"));
  /* The banner stays open, so only the 2 s timer ends the wait for SSH-2.0: its message must
   * still quote the banner that came. */
  g_assert_cmpint (elapsed, >=, 1990);
}

/* [RESPONSE_TIME] is the whole check: the connection and the expected answer, not the
 * connection alone. */
static void
test_late_answer (void)
{
  gint64 elapsed;
  g_autoptr(SitrepProbeResult) result = run_probe ("late", &elapsed);

  g_assert_true (result->connected);
  g_assert_null (result->error);
  g_assert_false (result->failed);
  g_assert_true (g_str_has_prefix (result->result, "220 late"));
  g_assert_cmpfloat (result->response_time_ms, >=, 1400);
  g_assert_cmpfloat (result->response_time_ms, <=, elapsed + 1);
}

static void
test_refused (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("refused", NULL);

  g_assert_false (result->connected);
  g_assert_nonnull (result->error);
  g_assert_true (result->failed);
  g_assert_nonnull (strstr (result->error, "refused"));
}

static void
test_silent (void)
{
  gint64 elapsed;
  g_autoptr(SitrepProbeResult) result = run_probe ("silent", &elapsed);

  g_assert_true (result->connected);
  g_assert_nonnull (result->error);
  g_assert_true (result->failed);
  g_assert_nonnull (strstr (result->error, "no answer within 2.0 s"));
  /* The probe's own timer ended it (the server never answers), not the 20 s guard. */
  g_assert_cmpint (elapsed, >=, 1990);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  servers_start ();

  g_test_add_func ("/probe-tcp/connect", test_connect);
  g_test_add_func ("/probe-tcp/send-expect", test_send_expect);
  g_test_add_func ("/probe-tcp/banner", test_banner);
  g_test_add_func ("/probe-tcp/expect-not-matched", test_mismatch);
  g_test_add_func ("/probe-tcp/late-answer", test_late_answer);
  g_test_add_func ("/probe-tcp/refused", test_refused);
  g_test_add_func ("/probe-tcp/timeout", test_silent);

  status = g_test_run ();
  servers_stop ();
  return status;
}
