/* probe-test-util.c: one probe run in a turning main loop, and the servers the probe tests share
 *
 * Also free ports and keyring entries. */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "probe-test-util.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-secrets.h"

#define TICK_MS 20

void
probe_run_clear (ProbeRun *run)
{
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_pointer (&run->result, sitrep_probe_result_unref);
  g_clear_error (&run->error);
}

static SitrepRunbook *
load_runbook (const char *service_id,
              const char *probe,
              guint       format)
{
  g_autofree char *text = g_strdup_printf (
    "{\n"
    "  \"sitrep_runbook\": %u,\n"
    "  \"name\": \"Test\",\n"
    "  \"severities\": [{ \"id\": \"SEV-1\", \"label\": \"Critical\",\n"
    "                   \"response_target\": \"15m\" }],\n"
    "  \"environment\": { \"context\": \"test\", \"namespace\": \"test\" },\n"
    "  \"services\": [{ \"id\": \"%s\", \"name\": \"%s\", \"probes\": [%s] }]\n"
    "}\n", format, service_id, service_id, probe);
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
  ProbeRun *run = user_data;
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
  ProbeRun *run = user_data;

  run->result = sitrep_probe_run_finish (res, &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

/* Runs the probe described by @probe (JSON), of a service @service_id, inside a main loop, with a 20 ms timer beside it
 * that must keep firing: the probe may never stall the loop. */
void
probe_test_run (ProbeRun     *run,
                const char   *service_id,
                const char   *probe,
                GCancellable *cancellable)
{
  probe_test_run_format (run, service_id, probe, 1, cancellable);
}

/* The same, in a runbook of format @format, for the keys a later format brought. */
void
probe_test_run_format (ProbeRun     *run,
                       const char   *service_id,
                       const char   *probe,
                       guint         format,
                       GCancellable *cancellable)
{
  g_autoptr(SitrepRunbook) runbook = load_runbook (service_id, probe, format);
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

/* @probe (of @service_id) names a host that does not resolve: the check runs, is not connected
 * and says which name did not resolve, while the main loop kept turning. */
void
probe_test_assert_unresolvable (const char *service_id,
                                const char *probe)
{
  g_auto(ProbeRun) run = { 0 };

  probe_test_run (&run, service_id, probe, NULL);
  g_assert_no_error (run.error);
  g_assert_false (run.result->connected);
  g_assert_true (g_str_has_prefix (run.result->error, "cannot resolve no-such-host.invalid: "));
  probe_test_assert_loop_kept_ticking (&run);
}

/* @probe (of @service_id) takes its password from the keyring entry @secret, which does not
 * exist: it cannot run at all, and the error names the entry. */
void
probe_test_assert_missing_secret (const char *service_id,
                                  const char *probe,
                                  const char *secret)
{
  g_auto(ProbeRun) run = { 0 };

  probe_test_run (&run, service_id, probe, NULL);
  g_assert_error (run.error, SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN);
  g_assert_nonnull (strstr (run.error->message, secret));
  g_assert_null (run.result);
}

void
probe_test_assert_loop_kept_ticking (ProbeRun *run)
{
  g_test_message ("%u ticks in %" G_GINT64_FORMAT " ms, longest gap %" G_GINT64_FORMAT " ms",
                  run->ticks, run->elapsed_us / 1000, run->max_gap_us / 1000);
  /* Generous: a busy machine or the sanitizers stall the loop a few hundred ms; a probe that
   * waited on the network would stall it for a timeout. */
  g_assert_cmpint (run->max_gap_us, <, G_USEC_PER_SEC);
  g_assert_cmpuint (run->ticks, >=, run->elapsed_us / G_USEC_PER_SEC);
}

typedef struct
{
  GMainLoop *loop;
  SitrepProbeResult *result;
  GError *error;
  gboolean done;
  gboolean hung;
  gint64 last_tick;
  gint64 max_gap;
} SpecRun;

static gboolean
spec_tick_cb (gpointer user_data)
{
  SpecRun *run = user_data;
  gint64 now = g_get_monotonic_time ();

  run->max_gap = MAX (run->max_gap, now - run->last_tick);
  run->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
spec_hung_cb (gpointer user_data)
{
  SpecRun *run = user_data;

  run->hung = TRUE;
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

static void
spec_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SpecRun *run = user_data;

  run->result = sitrep_probe_run_finish (result, &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

/* Runs probe @probe_id of service @service_id of @context's runbook with a 10 ms timer beside
 * it: the run must end within @hung_after_s, and the timer must never wait @max_gap_us or more
 * (a probe that waited on the network would stall the loop for its timeout). Returns the
 * result, or NULL with @error set. */
SitrepProbeResult *
probe_test_run_spec (SitrepProbeContext *context,
                     const char         *service_id,
                     const char         *probe_id,
                     guint               hung_after_s,
                     gint64              max_gap_us,
                     gint64             *elapsed_ms,
                     GError            **error)
{
  SitrepRunbook *runbook = sitrep_probe_context_get_runbook (context);
  const SitrepService *service = sitrep_runbook_find_service (runbook, service_id);
  const SitrepProbeSpec *spec = NULL;
  SpecRun run = { 0 };
  guint tick, guard;
  gint64 started;

  g_assert_nonnull (service);
  for (guint i = 0; i < service->probes->len; i++)
    if (g_str_equal (((SitrepProbeSpec *) service->probes->pdata[i])->id, probe_id))
      spec = service->probes->pdata[i];
  g_assert_nonnull (spec);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.last_tick = started = g_get_monotonic_time ();
  tick = g_timeout_add (10, spec_tick_cb, &run);
  guard = g_timeout_add_seconds (hung_after_s, spec_hung_cb, &run);
  sitrep_probe_run_async (context, service, spec, NULL, spec_done_cb, &run);
  g_main_loop_run (run.loop);
  if (elapsed_ms != NULL)
    *elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  spec_tick_cb (&run);
  g_source_remove (tick);
  if (!run.hung)
    g_source_remove (guard);
  g_main_loop_unref (run.loop);

  g_assert_false (run.hung);
  g_assert_true (run.done);
  g_assert_cmpint (run.max_gap, <, max_gap_us);
  g_assert_true ((run.result == NULL) != (run.error == NULL));
  if (run.error != NULL)
    g_propagate_error (error, run.error);
  return run.result;
}

gboolean
probe_test_contains_nocase (const char *text,
                            const char *needle)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);

  return strstr (lower, needle) != NULL;
}

gboolean
probe_test_cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

guint
probe_test_free_port (void)
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

/* A server that accepts and never answers: the connection is kept in @held (a GPtrArray). */
gboolean
probe_test_hold_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source,
                    gpointer           held)
{
  g_ptr_array_add (held, g_object_ref (connection));
  return TRUE;
}

GSocketService *
probe_test_silent_server (GPtrArray *held,
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
  g_signal_connect (service, "incoming", G_CALLBACK (probe_test_hold_cb), held);
  g_socket_service_start (service);
  return service;
}

void
probe_test_store_secret (const char *name,
                         const char *value)
{
  g_autoptr(GError) error = NULL;

  if (!sitrep_secrets_store_sync (name, value, NULL, &error))
    g_error ("cannot store secret %s in the keyring (%s): is gnome-keyring running? "
             "build-aux/sitrep-dev test starts it", name, error->message);
}

static void
drip_finished_cb (SoupServerMessage *msg,
                  GSource           *source)
{
  g_source_destroy (source);
}

/* A handler of a server in its own thread's main context: 200 at once, @first (a string) as the
 * first byte of the body, then a byte a second, never the end. */
void
probe_test_drip_handler (SoupServer        *server,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         gpointer           first)
{
  g_autoptr(GSource) source = g_timeout_source_new (1000);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            first, 1);
  g_source_set_callback (source, probe_test_drip_cb, msg, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_signal_connect_data (msg, "finished", G_CALLBACK (drip_finished_cb), g_source_ref (source),
                         (GClosureNotify) (void (*) (void)) g_source_unref, 0);
}

gboolean
probe_test_drip_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            " ", 1);
  soup_server_message_unpause (msg);
  return G_SOURCE_CONTINUE;
}

guint
probe_test_first_port (SoupServer *server)
{
  GSList *uris = soup_server_get_uris (server);
  guint port = g_uri_get_port (uris->data);

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

/* SO_LINGER 0: close() sends a RST. */
gboolean
probe_test_reset_cb (GSocketService    *service,
                     GSocketConnection *connection,
                     GObject           *source,
                     gpointer           user_data)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  struct linger linger = { 1, 0 };

  g_assert_cmpint (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger,
                               sizeof linger), ==, 0);
  g_socket_close (socket, NULL);
  return TRUE;
}

guint16
probe_test_listen_loopback (GSocketListener *listener)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
}

static gboolean
openssl (GError **error,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) "openssl");
  va_start (args, error);
  for (const char *a = va_arg (args, const char *); a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_MERGE
                               | G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  return process != NULL && g_subprocess_wait_check (process, NULL, error);
}

/* A certificate authority @dir/@name.pem with its key @dir/@name.key, made now, so that nothing
 * secret is kept in the tree. */
gboolean
probe_test_make_ca (const char *dir,
                    const char *name,
                    GError    **error)
{
  g_autofree char *pem = g_strdup_printf ("%s/%s.pem", dir, name);
  g_autofree char *key = g_strdup_printf ("%s/%s.key", dir, name);
  g_autofree char *subject = g_strdup_printf ("/CN=Sitrep Test %s", name);

  return openssl (error, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                  "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", pem,
                  "-days", "2", "-subj", subject,
                  "-addext", "basicConstraints=critical,CA:TRUE",
                  "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL);
}

/* A certificate @dir/@name.pem (key @dir/@name.key) for @subject, signed by the authority
 * @dir/@ca.pem, with the X.509 extensions in @extensions ("subjectAltName=…\n…"). */
gboolean
probe_test_make_signed (const char *dir,
                        const char *name,
                        const char *ca,
                        const char *subject,
                        const char *extensions,
                        GError    **error)
{
  g_autofree char *key = g_strdup_printf ("%s/%s.key", dir, name);
  g_autofree char *csr = g_strdup_printf ("%s/%s.csr", dir, name);
  g_autofree char *pem = g_strdup_printf ("%s/%s.pem", dir, name);
  g_autofree char *ext = g_strdup_printf ("%s/%s.ext", dir, name);
  g_autofree char *ca_pem = g_strdup_printf ("%s/%s.pem", dir, ca);
  g_autofree char *ca_key = g_strdup_printf ("%s/%s.key", dir, ca);

  return g_file_set_contents (ext, extensions, -1, error)
         && openssl (error, "req", "-new", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
                     "-subj", subject, NULL)
         && openssl (error, "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key,
                     "-CAcreateserial", "-out", pem, "-days", "2", "-extfile", ext, NULL);
}

/* Removes @dir and the files in it (no subfolders). */
void
probe_test_remove_folder (const char *dir)
{
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFileEnumerator) files = g_file_enumerate_children (folder, "standard::name",
                                                                G_FILE_QUERY_INFO_NONE,
                                                                NULL, NULL);

  for (GFileInfo *info; files != NULL
                        && (info = g_file_enumerator_next_file (files, NULL, NULL)) != NULL;)
    {
      g_autoptr(GFileInfo) owned = info;
      g_autoptr(GFile) child = g_file_get_child (folder, g_file_info_get_name (owned));

      g_file_delete (child, NULL, NULL);
    }
  g_file_delete (folder, NULL, NULL);
}
