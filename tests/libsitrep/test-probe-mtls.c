/* test-probe-mtls.c: an https probe with the runbook's own CA and client certificate
 *
 * Format 2, against a real loopback TLS server that requires a client certificate. */
#include "config.h"

#include <string.h>

#include "probe-test-util.h"
#include "sitrep-probe.h"
#include "sitrep-runbook-loader.h"

/* The server runs in a thread of its own, with a main context of its own. */
typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  GTlsCertificate *certificate;
  GTlsDatabase *clients; /* the CA client certificates must be signed by */
  guint port;
  GMutex lock;
  GCond cond;
  gboolean ready;
  char *peer; /* the subject of the last client certificate seen; under the lock */
} Server;

static Server server;
static char *dir;      /* the certificates made for this run */
static char *problem;  /* why they could not be made */

static char *
path_of (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* A CA, a server certificate for 127.0.0.1 and a client certificate, made now, so that nothing
 * secret is kept in the tree. */
static gboolean
make_certificates (GError **error)
{
  dir = g_dir_make_tmp ("sitrep-mtls-XXXXXX", error);
  return dir != NULL
         && probe_test_make_ca (dir, "ca", error)
         && probe_test_make_signed (dir, "server", "ca", "/CN=127.0.0.1",
                                    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
                                    error)
         && probe_test_make_signed (dir, "client", "ca", "/CN=sitrep-probe",
                                    "extendedKeyUsage=clientAuth\n", error);
}

static void
health_cb (SoupServer        *soup_server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);
  g_autofree char *subject = NULL;

  if (peer != NULL)
    g_object_get (peer, "subject-name", &subject, NULL);
  g_mutex_lock (&server.lock);
  g_free (server.peer);
  server.peer = g_steal_pointer (&subject);
  g_mutex_unlock (&server.lock);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"ok\": true}", strlen ("{\"ok\": true}"));
}

/* libsoup's server asks its messages about a client certificate; the test's CA decides. */
static gboolean
accept_client_cb (SoupServerMessage   *msg,
                  GTlsCertificate     *certificate,
                  GTlsCertificateFlags errors,
                  gpointer             user_data)
{
  GTlsCertificateFlags flags = g_tls_database_verify_chain (server.clients, certificate,
                                                            G_TLS_DATABASE_PURPOSE_AUTHENTICATE_CLIENT,
                                                            NULL, NULL, G_TLS_DATABASE_VERIFY_NONE,
                                                            NULL, NULL);

  g_test_message ("client certificate: errors 0x%x, against the test CA 0x%x", errors, flags);
  return flags == 0;
}

static void
request_started_cb (SoupServer        *soup_server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_client_cb), NULL);
}

static gpointer
mtls_server_thread (gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server.context);
  server.server = soup_server_new ("tls-certificate", server.certificate, NULL);
  soup_server_set_tls_database (server.server, server.clients);
  soup_server_set_tls_auth_mode (server.server, G_TLS_AUTHENTICATION_REQUIRED);
  soup_server_add_handler (server.server, "/health", health_cb, NULL, NULL);
  g_signal_connect (server.server, "request-started", G_CALLBACK (request_started_cb), NULL);
  soup_server_listen_local (server.server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server.server);
  server.port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&server.lock);
  server.ready = TRUE;
  g_cond_signal (&server.cond);
  g_mutex_unlock (&server.lock);

  g_main_loop_run (server.loop);
  soup_server_disconnect (server.server);
  g_clear_object (&server.server);
  g_main_context_pop_thread_default (server.context);
  return NULL;
}

static gboolean
start_server (GError **error)
{
  g_autofree char *pem = path_of ("server.pem");
  g_autofree char *key = path_of ("server.key");
  g_autofree char *ca = path_of ("ca.pem");

  server.certificate = g_tls_certificate_new_from_files (pem, key, error);
  if (server.certificate == NULL)
    return FALSE;
  server.clients = g_tls_file_database_new (ca, error);
  if (server.clients == NULL)
    return FALSE;
  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);
  g_mutex_init (&server.lock);
  g_cond_init (&server.cond);
  server.thread = g_thread_new ("mtls-server", mtls_server_thread, NULL);
  g_mutex_lock (&server.lock);
  while (!server.ready)
    g_cond_wait (&server.cond, &server.lock);
  g_mutex_unlock (&server.lock);
  return TRUE;
}

static char *
take_peer (void)
{
  char *peer;

  g_mutex_lock (&server.lock);
  peer = g_steal_pointer (&server.peer);
  g_mutex_unlock (&server.lock);
  return peer;
}

static SitrepRunbook *
load_runbook (void)
{
  g_autofree char *ca = path_of ("ca.pem");
  g_autofree char *cert = path_of ("client.pem");
  g_autofree char *key = path_of ("client.key");
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/health", server.port);
  g_autofree char *json = g_strdup_printf (
    "{ \"sitrep_runbook\": 2, \"name\": \"mTLS tests\",\n"
    "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\", \"response_target\": \"15m\" }],\n"
    "  \"environment\": { \"context\": \"c\", \"namespace\": \"n\" },\n"
    "  \"services\": [{ \"id\": \"api\", \"name\": \"API\", \"probes\": [\n"
    "    { \"id\": \"mtls\", \"type\": \"http\", \"url\": \"%s\", \"timeout\": \"20s\",\n"
    "      \"ca_file\": \"%s\", \"client_certificate\": \"%s\", \"client_key\": \"%s\" },\n"
    "    { \"id\": \"no-client\", \"type\": \"http\", \"url\": \"%s\", \"timeout\": \"20s\",\n"
    "      \"ca_file\": \"%s\" },\n"
    "    { \"id\": \"no-ca\", \"type\": \"http\", \"url\": \"%s\", \"timeout\": \"20s\",\n"
    "      \"client_certificate\": \"%s\", \"client_key\": \"%s\" },\n"
    "    { \"id\": \"missing-ca\", \"type\": \"http\", \"url\": \"%s\", \"timeout\": \"20s\",\n"
    "      \"ca_file\": \"%s/no-such-ca.pem\" }\n"
    "  ] }]\n"
    "}\n",
    url, ca, cert, key, url, ca, url, cert, key, url, dir);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  SitrepRunbook *runbook = sitrep_runbook_load_bytes (bytes, "mtls.json", NULL, &error);

  g_assert_no_error (error);
  return runbook;
}

typedef struct
{
  GMainLoop *loop;
  SitrepProbeResult *result;
  GError *error;
} Run;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->result = sitrep_probe_run_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
hung_cb (gpointer user_data)
{
  g_error ("the probe did not finish within 60 s");
  return G_SOURCE_REMOVE;
}

static SitrepProbeResult *
run_probe (const char *probe_id)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook ();
  g_autoptr(SitrepProbeContext) context = sitrep_probe_context_new (runbook);
  const SitrepService *service = sitrep_runbook_find_service (runbook, "api");
  const SitrepProbeSpec *spec = NULL;
  Run run = { 0 };
  guint guard;

  for (guint i = 0; i < service->probes->len; i++)
    if (g_str_equal (((SitrepProbeSpec *) service->probes->pdata[i])->id, probe_id))
      spec = service->probes->pdata[i];
  g_assert_nonnull (spec);
  run.loop = g_main_loop_new (NULL, FALSE);
  guard = g_timeout_add_seconds (60, hung_cb, NULL);
  sitrep_probe_run_async (context, service, spec, NULL, done_cb, &run);
  g_main_loop_run (run.loop);
  g_source_remove (guard);
  g_main_loop_unref (run.loop);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.result);
  return run.result;
}

static gboolean
ready (void)
{
  if (problem != NULL)
    g_test_fail_printf ("%s", problem);
  return problem == NULL;
}

/* With the runbook's CA and its client certificate, the server lets the probe in, and the
 * certificate it saw is the runbook's. */
static void
test_mtls (void)
{
  g_autoptr(SitrepProbeResult) result = NULL;
  g_autofree char *peer = NULL;

  if (!ready ())
    return;
  result = run_probe ("mtls");
  g_test_message ("error: %s", result->error ? result->error : "(none)");
  g_assert_null (result->error);
  g_assert_cmpint (result->status, ==, 200);
  g_assert_false (result->insecure_tls);
  peer = take_peer ();
  g_assert_nonnull (peer);
  g_assert_nonnull (strstr (peer, "CN=sitrep-probe"));
}

/* Without a client certificate the server refuses the handshake; without the CA the server's
 * certificate is not trusted; a CA file that is not there is said by name. */
static void
test_refused (void)
{
  g_autoptr(SitrepProbeResult) no_client = NULL;
  g_autoptr(SitrepProbeResult) no_ca = NULL;
  g_autoptr(SitrepProbeResult) missing_ca = NULL;
  g_autofree char *peer = NULL;
  g_autofree char *expected = NULL;

  if (!ready ())
    return;
  no_client = run_probe ("no-client");
  g_test_message ("no-client: %s", no_client->error ? no_client->error : "(none)");
  g_assert_nonnull (no_client->error);
  g_assert_true (g_str_has_prefix (no_client->error,
                                   "TLS failed: the server requires a client certificate"));
  g_assert_cmpint (no_client->status, !=, 200);

  no_ca = run_probe ("no-ca");
  g_test_message ("no-ca: %s", no_ca->error ? no_ca->error : "(none)");
  g_assert_nonnull (no_ca->error);
  g_assert_true (g_str_has_prefix (no_ca->error, "TLS failed: "));
  g_assert_cmpint (no_ca->status, !=, 200);

  missing_ca = run_probe ("missing-ca");
  expected = g_strdup_printf ("the CA file %s/no-such-ca.pem cannot be used", dir);
  g_assert_nonnull (missing_ca->error);
  g_assert_true (g_str_has_prefix (missing_ca->error, expected));
  peer = take_peer ();
  g_assert_null (peer);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!make_certificates (&error) || !start_server (&error))
    problem = g_strdup_printf ("the test certificates or server could not be set up: %s "
                               "(openssl is in the test packages)",
                               error->message);

  g_test_add_func ("/probe-mtls/with-ca-and-client-certificate", test_mtls);
  g_test_add_func ("/probe-mtls/refused", test_refused);
  status = g_test_run ();

  if (server.thread != NULL)
    {
      g_main_loop_quit (server.loop);
      g_thread_join (server.thread);
      g_main_loop_unref (server.loop);
      g_main_context_unref (server.context);
    }
  g_clear_object (&server.certificate);
  g_clear_object (&server.clients);
  g_free (server.peer);
  g_free (problem);
  if (dir != NULL)
    probe_test_remove_folder (dir);
  g_free (dir);
  return status;
}
