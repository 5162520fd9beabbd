/* test-probe-http.c: the http probe against loopback servers, well-behaved and hostile */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <glib/gstdio.h>

#include "probe-test-util.h"
#include "sitrep-probe.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-secrets.h"

#define SECRET_NAME "sitrep-test-probe-token"
#define SECRET_VALUE "s3cr3t-t0ken-4b1d9e"
#define MISSING_SECRET "sitrep-test-no-such-secret"
#define MIB (1024 * 1024)
#define HUGE_SIZE (100 * MIB)

/* The servers run in a thread of their own, so the test's main loop measures only the probe. */
typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *http;
  SoupServer *other;       /* another origin: another port */
  SoupServer *https;
  GSocketService *reset;
  GTlsCertificate *certificate;
  guint http_port;
  guint other_port;
  guint https_port;
  guint reset_port;
  guint closed_port;
  GMutex lock;
  GCond cond;
  gboolean ready;
  /* What the last /health request carried; what /health answers. Under the lock. */
  char *method;
  char *authorization;
  char *x_probe;
  char *content_type;
  char *body;
  guint status;
  char *answer;
  /* What the other origin's /landing last received. Under the lock. */
  guint landing_hits;
  char *landing_authorization;
  char *landing_x_probe;
  char *landing_x_api_key;
  gint64 endless_written; /* bytes of /endless sent so far */
  gint64 huge_written;    /* bytes of /huge sent so far */
} Servers;

static Servers servers;
static GBytes *huge_chunk;

static void
health_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  g_mutex_lock (&servers.lock);
  g_free (servers.method);
  servers.method = g_strdup (soup_server_message_get_method (msg));
  g_free (servers.authorization);
  servers.authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  g_free (servers.x_probe);
  servers.x_probe = g_strdup (soup_message_headers_get_one (headers, "X-Probe"));
  g_free (servers.content_type);
  servers.content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  g_free (servers.body);
  servers.body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  soup_server_message_set_status (msg, servers.status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, servers.answer,
                                    strlen (servers.answer));
  g_mutex_unlock (&servers.lock);
}

static void
fixed_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  const char *body = user_data;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

static void
deep_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  const gsize depth = 100000;
  char *body = g_malloc (2 * depth);

  memset (body, '[', depth);
  memset (body + depth, ']', depth);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, 2 * depth);
}

static void
landing_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_mutex_lock (&servers.lock);
  servers.landing_hits++;
  g_free (servers.landing_authorization);
  servers.landing_authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  g_free (servers.landing_x_probe);
  servers.landing_x_probe = g_strdup (soup_message_headers_get_one (headers, "X-Probe"));
  g_free (servers.landing_x_api_key);
  servers.landing_x_api_key = g_strdup (soup_message_headers_get_one (headers, "X-Api-Key"));
  g_mutex_unlock (&servers.lock);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{\"landed\": true}",
                                    strlen ("{\"landed\": true}"));
}

/* To the other origin (another port of the same host). */
static void
away_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  g_autofree char *location = g_strdup_printf ("http://127.0.0.1:%u/landing", servers.other_port);

  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location);
}

/* Within the same origin. */
static void
here_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/health");
}

/* The status line and headers at once, the body 4 s later: longer than the loop-gap limit in
 * run_probe_in, so a probe that waited for it on the main loop would be caught. */
static gboolean
late_body_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_message_body_append (body, SOUP_MEMORY_STATIC, "\"late\": true}", strlen ("\"late\": true}"));
  soup_message_body_complete (body);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
late_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  g_autoptr(GSource) source = g_timeout_source_new (4000);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/json", NULL);
  /* The first byte now: the client has its status line and headers at once. */
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            "{", 1);
  g_source_set_callback (source, late_body_cb, g_object_ref (msg), g_object_unref);
  g_source_attach (source, servers.context);
}

static void
loop_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/loop");
}

static void
huge_wrote_cb (SoupServerMessage *msg,
               guint              size,
               gpointer           user_data)
{
  g_mutex_lock (&servers.lock);
  servers.huge_written += size;
  g_mutex_unlock (&servers.lock);
}

/* 100 MB announced and sent, made of one shared 1 MiB chunk so the server stays small. */
static void
huge_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/json", NULL);
  for (guint i = 0; i < HUGE_SIZE / MIB; i++)
    soup_message_body_append_bytes (body, huge_chunk);
  soup_message_body_complete (body);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (huge_wrote_cb), NULL);
}

/* A chunked body that never ends: a new 64 KiB chunk each time one is written. */
static void
endless_wrote_data_cb (SoupServerMessage *msg,
                       guint              size,
                       gpointer           user_data)
{
  g_mutex_lock (&servers.lock);
  servers.endless_written += size;
  g_mutex_unlock (&servers.lock);
}

static void
endless_wrote_chunk_cb (SoupServerMessage *msg,
                        gpointer           user_data)
{
  static char chunk[64 * 1024];

  memset (chunk, ' ', sizeof chunk);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            chunk, sizeof chunk);
  soup_server_message_unpause (msg);
}

static void
endless_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            "[", 1);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (endless_wrote_chunk_cb), NULL);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (endless_wrote_data_cb), NULL);
}

static void
add_handlers (SoupServer *server)
{
  soup_server_add_handler (server, "/health", health_cb, NULL, NULL);
  soup_server_add_handler (server, "/invalid-json", fixed_cb, "{\"status\": \"ok\",", NULL);
  soup_server_add_handler (server, "/invalid-utf8", fixed_cb, "{\"status\": \"\xff\xfe\"}", NULL);
  soup_server_add_handler (server, "/deep", deep_cb, NULL, NULL);
  soup_server_add_handler (server, "/loop", loop_cb, NULL, NULL);
  soup_server_add_handler (server, "/huge", huge_cb, NULL, NULL);
  soup_server_add_handler (server, "/endless", endless_cb, NULL, NULL);
  soup_server_add_handler (server, "/drip", probe_test_drip_handler, "[", NULL);
  soup_server_add_handler (server, "/away", away_cb, NULL, NULL);
  soup_server_add_handler (server, "/here", here_cb, NULL, NULL);
  soup_server_add_handler (server, "/late", late_cb, NULL, NULL);
}

static gpointer
server_thread (gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (servers.context);

  servers.http = soup_server_new (NULL, NULL);
  add_handlers (servers.http);
  soup_server_listen_local (servers.http, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  servers.http_port = probe_test_first_port (servers.http);

  servers.other = soup_server_new (NULL, NULL);
  soup_server_add_handler (servers.other, "/landing", landing_cb, NULL, NULL);
  soup_server_listen_local (servers.other, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  servers.other_port = probe_test_first_port (servers.other);

  if (servers.certificate != NULL)
    {
      servers.https = soup_server_new ("tls-certificate", servers.certificate, NULL);
      add_handlers (servers.https);
      soup_server_listen_local (servers.https, 0,
                                SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
      g_assert_no_error (error);
      servers.https_port = probe_test_first_port (servers.https);
    }

  servers.reset = g_socket_service_new ();
  servers.reset_port = probe_test_listen_loopback (G_SOCKET_LISTENER (servers.reset));
  g_signal_connect (servers.reset, "incoming", G_CALLBACK (probe_test_reset_cb), NULL);

  g_mutex_lock (&servers.lock);
  servers.ready = TRUE;
  g_cond_signal (&servers.cond);
  g_mutex_unlock (&servers.lock);

  g_main_loop_run (servers.loop);

  g_socket_service_stop (servers.reset);
  g_clear_object (&servers.reset);
  soup_server_disconnect (servers.http);
  g_clear_object (&servers.http);
  soup_server_disconnect (servers.other);
  g_clear_object (&servers.other);
  if (servers.https != NULL)
    soup_server_disconnect (servers.https);
  g_clear_object (&servers.https);
  g_main_context_pop_thread_default (servers.context);
  return NULL;
}

/* A self-signed certificate made now, so nothing secret is kept in the tree. */
static GTlsCertificate *
make_certificate (char **why)
{
  g_autofree char *dir = g_dir_make_tmp ("sitrep-tls-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autoptr(GSubprocess) openssl = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = NULL;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      *why = g_strdup ("GIO has no TLS backend: install glib-networking");
      return NULL;
    }
  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                              "-subj", "/CN=localhost", "-days", "1", "-keyout", key, "-out", cert,
                              NULL);
  if (openssl == NULL || !g_subprocess_wait_check (openssl, NULL, &error))
    *why = g_strdup_printf ("openssl could not make a test certificate: %s (it is in the base "
                            "image; install openssl)", error->message);
  else if ((certificate = g_tls_certificate_new_from_files (cert, key, &error)) == NULL)
    *why = g_strdup_printf ("the test certificate does not load: %s", error->message);
  g_unlink (key);
  g_unlink (cert);
  g_rmdir (dir);
  return certificate;
}

static void
servers_start (char **tls_problem)
{
  g_autoptr(GSocketListener) closed = g_socket_listener_new ();
  char data[MIB];

  memset (data, ' ', sizeof data);
  data[0] = '[';
  huge_chunk = g_bytes_new (data, sizeof data);

  servers.closed_port = probe_test_listen_loopback (closed);
  g_socket_listener_close (closed);

  servers.status = SOUP_STATUS_OK;
  servers.answer = g_strdup ("{\"status\": \"ok\"}");
  servers.certificate = make_certificate (tls_problem);
  servers.context = g_main_context_new ();
  servers.loop = g_main_loop_new (servers.context, FALSE);
  servers.thread = g_thread_new ("test-servers", server_thread, NULL);
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
  g_clear_pointer (&huge_chunk, g_bytes_unref);
  g_clear_pointer (&servers.landing_authorization, g_free);
  g_clear_pointer (&servers.landing_x_probe, g_free);
  g_clear_pointer (&servers.landing_x_api_key, g_free);
}

static void
script_health (guint       status,
               const char *answer)
{
  g_mutex_lock (&servers.lock);
  servers.status = status;
  g_free (servers.answer);
  servers.answer = g_strdup (answer);
  g_mutex_unlock (&servers.lock);
}

static SitrepRunbook *
load_runbook (void)
{
  g_autofree char *local = g_strdup_printf ("http://127.0.0.1:%u", servers.http_port);
  g_autofree char *json = g_strdup_printf (
    "{ \"sitrep_runbook\": 1, \"name\": \"HTTP tests\",\n"
    "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n"
    "  \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
    "  \"services\": [{ \"id\": \"api\", \"name\": \"API\", \"probes\": [\n"
    "    { \"id\": \"health\", \"type\": \"http\", \"url\": \"%s/health\", \"timeout\": \"20s\",\n"
    "      \"headers\": { \"Authorization\": \"Bearer ${secret:" SECRET_NAME "}\",\n"
    "                   \"X-Probe\": \"sitrep\" } },\n"
    "    { \"id\": \"post\", \"type\": \"http\", \"url\": \"%s/health\", \"method\": \"POST\",\n"
    "      \"headers\": { \"Content-Type\": \"application/json\" },\n"
    "      \"body\": \"{\\\"query\\\": \\\"healthcheck\\\"}\", \"timeout\": \"20s\" },\n"
    "    { \"id\": \"no-secret\", \"type\": \"http\", \"url\": \"%s/health\",\n"
    "      \"headers\": { \"X-Token\": \"${secret:" MISSING_SECRET "}\" } },\n"
    "    { \"id\": \"endless\", \"type\": \"http\", \"url\": \"%s/endless\", \"timeout\": \"30s\" },\n"
    "    { \"id\": \"drip\", \"type\": \"http\", \"url\": \"%s/drip\", \"timeout\": \"4s\" },\n"
    "    { \"id\": \"huge\", \"type\": \"http\", \"url\": \"%s/huge\", \"timeout\": \"30s\" },\n"
    "    { \"id\": \"invalid-json\", \"type\": \"http\", \"url\": \"%s/invalid-json\", \"timeout\": \"20s\" },\n"
    "    { \"id\": \"invalid-utf8\", \"type\": \"http\", \"url\": \"%s/invalid-utf8\", \"timeout\": \"20s\" },\n"
    "    { \"id\": \"deep\", \"type\": \"http\", \"url\": \"%s/deep\", \"timeout\": \"20s\" },\n"
    "    { \"id\": \"loop\", \"type\": \"http\", \"url\": \"%s/loop\", \"timeout\": \"20s\" },\n"
    "    { \"id\": \"reset\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/health\", \"timeout\": \"20s\" },\n"
    "    { \"id\": \"tls\", \"type\": \"http\", \"url\": \"https://127.0.0.1:%u/health\", \"timeout\": \"20s\" },\n"
    "    { \"id\": \"tls-insecure\", \"type\": \"http\", \"url\": \"https://127.0.0.1:%u/health\",\n"
    "      \"insecure_tls\": true, \"timeout\": \"20s\" },\n"
    "    { \"id\": \"no-host\", \"type\": \"http\", \"url\": \"http://no-such-host.invalid/health\", \"timeout\": \"20s\" },\n"
    "    { \"id\": \"refused\", \"type\": \"http\", \"url\": \"http://127.0.0.1:%u/health\", \"timeout\": \"20s\" },\n"
    "    { \"id\": \"away\", \"type\": \"http\", \"url\": \"%s/away\", \"timeout\": \"20s\",\n"
    "      \"headers\": { \"Authorization\": \"Bearer ${secret:" SECRET_NAME "}\",\n"
    "                   \"X-Probe\": \"sitrep\", \"X-Api-Key\": \"${secret:" SECRET_NAME "}\" } },\n"
    "    { \"id\": \"here\", \"type\": \"http\", \"url\": \"%s/here\", \"timeout\": \"20s\",\n"
    "      \"headers\": { \"Authorization\": \"Bearer ${secret:" SECRET_NAME "}\", \"X-Probe\": \"sitrep\" } },\n"
    "    { \"id\": \"late\", \"type\": \"http\", \"url\": \"%s/late\", \"timeout\": \"30s\" }\n"
    "  ] }]\n"
    "}\n",
    local, local, local, local, local, local, local, local, local, local, servers.reset_port,
    servers.https_port, servers.https_port, servers.closed_port, local, local, local);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_bytes (bytes, "probe-http.json", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (runbook);
  return runbook;
}

/* Runs one probe inside a main loop whose 10 ms timer must keep firing, with no gap of 3 s. */
static SitrepProbeResult *
run_probe_in (SitrepProbeContext *shared,
              const char         *probe_id,
              gint64             *elapsed_ms,
              GError            **error)
{
  g_autoptr(SitrepRunbook) own_runbook = shared ? NULL : load_runbook ();
  g_autoptr(SitrepProbeContext) context = shared ? sitrep_probe_context_ref (shared)
                                                 : sitrep_probe_context_new (own_runbook);

  /* Generous: loading TLS certificates on a busy machine under the sanitizers stalls the loop
   * over a second; a probe that waited on the network would stall it for the 4 s of the late
   * body or the dripping body's timeout. */
  return probe_test_run_spec (context, "api", probe_id, 60, 3 * G_USEC_PER_SEC, elapsed_ms,
                              error);
}

static SitrepProbeResult *
run_probe_full (const char *probe_id,
                gint64     *elapsed_ms,
                GError    **error)
{
  return run_probe_in (NULL, probe_id, elapsed_ms, error);
}

static SitrepProbeResult *
run_probe (const char *probe_id,
           gint64     *elapsed_ms)
{
  g_autoptr(GError) error = NULL;
  SitrepProbeResult *result = run_probe_full (probe_id, elapsed_ms, &error);

  g_assert_no_error (error);
  g_assert_true (result->ran);
  return result;
}

static gboolean
have_keyring (void)
{
  if (g_getenv ("SITREP_TEST_KEYRING") != NULL)
    return TRUE;
  g_test_fail_printf ("no keyring: run the tests through build-aux/test-session, which starts "
                      "gnome-keyring-daemon");
  return FALSE;
}

static void
assert_no_secret (const SitrepProbeResult *result)
{
  const char *fields[] = { result->error, result->json_error, result->result };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_true (fields[i] == NULL || strstr (fields[i], SECRET_VALUE) == NULL);
  if (result->body != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (result->body, &size);

      g_assert_null (data == NULL ? NULL : g_strstr_len (data, size, SECRET_VALUE));
    }
}

static void
test_health (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = NULL;
  JsonObject *object;
  gint64 elapsed;

  if (!have_keyring ())
    return;
  sitrep_secrets_store_sync (SECRET_NAME, SECRET_VALUE, NULL, &error);
  g_assert_no_error (error);
  script_health (SOUP_STATUS_OK, "{\"status\": \"ok\", \"checks\": {\"database\": \"up\"}}");

  result = run_probe ("health", &elapsed);
  g_assert_true (result->connected);
  g_assert_null (result->error);
  g_assert_cmpint (result->status, ==, 200);
  g_assert_cmpfloat (result->response_time_ms, >, 0);
  /* The exchange the probe timed happened within the run, not some other span. */
  g_assert_cmpfloat (result->response_time_ms, <=, elapsed + 1);
  g_assert_false (result->insecure_tls);
  g_assert_false (result->body_truncated);
  g_assert_null (result->json_error);
  g_assert_nonnull (result->json);
  object = json_node_get_object (result->json);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "checks"),
                                                  "database"), ==, "up");
  assert_no_secret (result);

  g_mutex_lock (&servers.lock);
  g_assert_cmpstr (servers.method, ==, "GET");
  g_assert_cmpstr (servers.authorization, ==, "Bearer " SECRET_VALUE);
  g_assert_cmpstr (servers.x_probe, ==, "sitrep");
  g_mutex_unlock (&servers.lock);

  /* The server's verdict is the result's, body and all. */
  script_health (SOUP_STATUS_SERVICE_UNAVAILABLE, "{\"status\": \"down\"}");
  g_clear_pointer (&result, sitrep_probe_result_unref);
  result = run_probe ("health", NULL);
  g_assert_cmpint (result->status, ==, 503);
  g_assert_nonnull (result->json);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result->json), "status"),
                   ==, "down");
  script_health (SOUP_STATUS_OK, "{\"status\": \"ok\"}");
}

static void
test_missing_secret (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = NULL;

  if (!have_keyring ())
    return;
  sitrep_secrets_clear_sync (MISSING_SECRET, NULL, &error);
  g_assert_no_error (error);

  result = run_probe_full ("no-secret", NULL, &error);
  g_assert_null (result);
  g_assert_error (error, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN);
  g_assert_nonnull (strstr (error->message, MISSING_SECRET));
}

static void
test_post (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("post", NULL);

  g_assert_null (result->error);
  g_assert_cmpint (result->status, ==, 200);
  g_mutex_lock (&servers.lock);
  g_assert_cmpstr (servers.method, ==, "POST");
  g_assert_cmpstr (servers.body, ==, "{\"query\": \"healthcheck\"}");
  g_assert_cmpstr (servers.content_type, ==, "application/json");
  g_mutex_unlock (&servers.lock);
}

/* How much more the server sent in the 600 ms after the probe finished. */
static gint64
sent_afterwards (gint64 *counter)
{
  gint64 then, later;

  g_mutex_lock (&servers.lock);
  then = *counter;
  g_mutex_unlock (&servers.lock);
  for (guint i = 0; i < 6; i++)
    {
      g_usleep (100 * 1000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_mutex_lock (&servers.lock);
  later = *counter;
  g_mutex_unlock (&servers.lock);
  g_test_message ("sent %" G_GINT64_FORMAT " bytes by the end of the probe, %" G_GINT64_FORMAT
                  " after it", then, later - then);
  return later - then;
}

static void
test_endless (void)
{
  gint64 elapsed;
  g_autoptr(SitrepProbeResult) result = run_probe ("endless", &elapsed);

  g_assert_cmpint (result->status, ==, 200);
  g_assert_true (result->body_truncated);
  g_assert_cmpuint (g_bytes_get_size (result->body), ==, MIB);
  g_assert_null (result->json);
  g_assert_nonnull (strstr (result->json_error, "size limit"));
  /* The size limit ended it, not the 30 s timeout: no timeout error, well before it. */
  g_assert_null (result->error);
  g_assert_false (result->failed);
  g_assert_cmpint (elapsed, <, 25000);
  /* The probe let go of the connection: nothing reads the rest in the background. */
  g_assert_cmpint (sent_afterwards (&servers.endless_written), <, 8 * MIB);
}

static void
test_drip (void)
{
  gint64 elapsed;
  g_autoptr(SitrepProbeResult) result = run_probe ("drip", &elapsed);

  g_assert_nonnull (result->error);
  /* The status line came, the body did not: the check did not complete. */
  g_assert_cmpint (result->status, ==, 200);
  g_assert_true (result->failed);
  g_assert_nonnull (strstr (result->error, "the body did not finish within 4.0 s"));
  /* The 4 s timer ended it (the drip never ends), not the 60 s guard. */
  g_assert_cmpint (elapsed, >=, 3990);
  g_assert_cmpint (elapsed, <, 30000);
}

static void
test_huge (void)
{
  gint64 elapsed;
  g_autoptr(SitrepProbeResult) result = run_probe ("huge", &elapsed);

  g_assert_cmpint (result->status, ==, 200);
  g_assert_true (result->body_truncated);
  g_assert_cmpuint (g_bytes_get_size (result->body), ==, MIB);
  g_assert_nonnull (strstr (result->json_error, "size limit"));
  /* The size limit ended it, not the 30 s timeout. */
  g_assert_null (result->error);
  g_assert_false (result->failed);
  g_assert_cmpint (elapsed, <, 25000);
  g_assert_cmpint (sent_afterwards (&servers.huge_written), <, 8 * MIB);
  g_assert_cmpint (servers.huge_written, <, 16 * MIB);
}

static void
test_invalid_json (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("invalid-json", NULL);

  g_assert_cmpint (result->status, ==, 200);
  g_assert_null (result->error);
  g_assert_null (result->json);
  g_assert_nonnull (result->json_error);
  g_assert_nonnull (strstr (result->json_error, "not JSON"));
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("invalid-utf8", NULL);

  g_assert_cmpint (result->status, ==, 200);
  g_assert_null (result->json);
  g_assert_nonnull (strstr (result->json_error, "UTF-8"));
}

static void
test_deep (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("deep", NULL);

  g_assert_cmpint (result->status, ==, 200);
  g_assert_false (result->body_truncated);
  g_assert_cmpuint (g_bytes_get_size (result->body), ==, 200000);
  g_assert_null (result->json);
  g_assert_nonnull (strstr (result->json_error, "nesting"));
}

static void
test_redirect_loop (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("loop", NULL);

  g_assert_nonnull (result->error);
  g_assert_true (result->failed);
  g_assert_nonnull (strstr (result->error, "too many redirects"));
}

/* A redirect to another origin gets none of the runbook's headers: its tokens and keys are
 * for the runbook's URL, not for wherever that URL sends the probe. */
static void
test_redirect_other_origin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = NULL;

  if (!have_keyring ())
    return;
  sitrep_secrets_store_sync (SECRET_NAME, SECRET_VALUE, NULL, &error);
  g_assert_no_error (error);
  g_mutex_lock (&servers.lock);
  servers.landing_hits = 0;
  g_mutex_unlock (&servers.lock);

  result = run_probe ("away", NULL);
  g_assert_null (result->error);
  g_assert_false (result->failed);
  g_assert_cmpint (result->status, ==, 200);
  g_assert_nonnull (result->json);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (result->json), "landed"));

  g_mutex_lock (&servers.lock);
  g_assert_cmpuint (servers.landing_hits, ==, 1);
  g_assert_null (servers.landing_authorization);
  g_assert_null (servers.landing_x_probe);
  g_assert_null (servers.landing_x_api_key);
  g_mutex_unlock (&servers.lock);
}

/* Within the runbook's own origin, a redirect keeps the headers. */
static void
test_redirect_same_origin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) result = NULL;

  if (!have_keyring ())
    return;
  sitrep_secrets_store_sync (SECRET_NAME, SECRET_VALUE, NULL, &error);
  g_assert_no_error (error);
  script_health (SOUP_STATUS_OK, "{\"status\": \"ok\"}");

  result = run_probe ("here", NULL);
  g_assert_null (result->error);
  g_assert_cmpint (result->status, ==, 200);
  g_mutex_lock (&servers.lock);
  g_assert_cmpstr (servers.authorization, ==, "Bearer " SECRET_VALUE);
  g_assert_cmpstr (servers.x_probe, ==, "sitrep");
  g_mutex_unlock (&servers.lock);
}

/* [RESPONSE_TIME] is the whole exchange up to the last byte of the body, not the first byte. */
static void
test_late_body (void)
{
  gint64 elapsed;
  g_autoptr(SitrepProbeResult) result = run_probe ("late", &elapsed);

  g_assert_null (result->error);
  g_assert_cmpint (result->status, ==, 200);
  g_assert_nonnull (result->json);
  g_assert_cmpint (elapsed, >=, 4000);
  g_assert_cmpfloat (result->response_time_ms, >=, 3900);
  g_assert_cmpfloat (result->response_time_ms, <=, elapsed + 1);
}

static void
test_reset (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("reset", NULL);

  g_assert_false (result->connected);
  g_assert_cmpint (result->status, ==, -1);
  g_assert_nonnull (result->error);
  g_assert_true (result->failed);
  g_test_message ("a reset connection reads: %s", result->error);
}

static const char *tls_problem;

static void
test_tls (void)
{
  g_autoptr(SitrepProbeResult) result = NULL;
  g_autoptr(SitrepProbeResult) insecure = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepProbeContext) context = NULL;

  if (tls_problem != NULL)
    {
      g_test_fail_printf ("%s", tls_problem);
      return;
    }

  result = run_probe ("tls", NULL);
  g_assert_false (result->connected);
  g_assert_nonnull (result->error);
  g_assert_nonnull (strstr (result->error, "TLS"));
  g_assert_nonnull (strstr (result->error, "insecure_tls"));
  g_assert_true (result->failed);
  g_assert_false (result->insecure_tls);

  /* Twice on one session: the second request may ride the kept-alive connection, and must
   * still say that the certificate was not verified. */
  runbook = load_runbook ();
  context = sitrep_probe_context_new (runbook);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      g_clear_pointer (&insecure, sitrep_probe_result_unref);
      insecure = run_probe_in (context, "tls-insecure", NULL, &error);
      g_assert_no_error (error);
      g_assert_null (insecure->error);
      g_assert_cmpint (insecure->status, ==, 200);
      g_assert_true (insecure->insecure_tls);
      g_assert_nonnull (insecure->json);
    }
}

static void
test_no_host (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("no-host", NULL);

  g_assert_false (result->connected);
  g_assert_nonnull (result->error);
  g_assert_nonnull (strstr (result->error, "does not resolve"));
}

static void
test_refused (void)
{
  g_autoptr(SitrepProbeResult) result = run_probe ("refused", NULL);

  g_assert_false (result->connected);
  g_assert_nonnull (result->error);
  g_assert_nonnull (strstr (result->error, "refused"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *problem = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  servers_start (&problem);
  tls_problem = problem;

  g_test_add_func ("/probe-http/health", test_health);
  g_test_add_func ("/probe-http/missing-secret", test_missing_secret);
  g_test_add_func ("/probe-http/post", test_post);
  g_test_add_func ("/probe-http/hostile/endless-body", test_endless);
  g_test_add_func ("/probe-http/hostile/dripping-body", test_drip);
  g_test_add_func ("/probe-http/hostile/huge-body", test_huge);
  g_test_add_func ("/probe-http/hostile/invalid-json", test_invalid_json);
  g_test_add_func ("/probe-http/hostile/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/probe-http/hostile/deep-json", test_deep);
  g_test_add_func ("/probe-http/hostile/redirect-loop", test_redirect_loop);
  g_test_add_func ("/probe-http/hostile/redirect-other-origin", test_redirect_other_origin);
  g_test_add_func ("/probe-http/redirect-same-origin", test_redirect_same_origin);
  g_test_add_func ("/probe-http/late-body", test_late_body);
  g_test_add_func ("/probe-http/hostile/reset", test_reset);
  g_test_add_func ("/probe-http/hostile/self-signed", test_tls);
  g_test_add_func ("/probe-http/hostile/no-such-host", test_no_host);
  g_test_add_func ("/probe-http/hostile/refused", test_refused);

  status = g_test_run ();
  servers_stop ();
  return status;
}
