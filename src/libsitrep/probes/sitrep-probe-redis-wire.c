/* sitrep-probe-redis-wire.c: the redis probe's connection: GIO, TLS when asked, RESP by hiredis' reader
 *
 * Debian 12's hiredis has no TLS, and its async context wants an adapter of its own: the wire is
 * GIO's (GSocketClient, GTlsClientConnection), never blocking the main loop, and hiredis only
 * writes the commands and reads the replies. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-probe-redis-private.h"

typedef struct
{
  RedisReplyFunc func;
  gpointer data;
} Waiting;

static void read_next (RedisProbe *p);
static void flush (RedisProbe *p);
static SitrepReason *describe (RedisProbe *p, const GError *error);

/* Whether a GIO callback still has a probe to report to: holds the run it was given. */
static RedisProbe *
probe_of (SitrepProbeRun *run)
{
  return sitrep_probe_run_is_over (run) ? NULL : sitrep_probe_run_get_data (run);
}

/* AUTH's password was in there. */
static void
scrub_writing (RedisProbe *p)
{
  gsize size;
  guint8 *data;

  if (p->writing == NULL)
    return;
  data = g_bytes_unref_to_data (g_steal_pointer (&p->writing), &size);
  memset (data, 0, size);
  g_free (data);
}

static void
write_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(SitrepProbeRun) run = user_data;
  g_autoptr(GError) error = NULL;
  gboolean written = g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), res, NULL,
                                                       &error);
  RedisProbe *p = sitrep_probe_run_get_data (run);

  scrub_writing (p);
  if (sitrep_probe_run_is_over (run))
    return;
  if (!written)
    {
      redis_fail (p, describe (p, error));
      return;
    }
  flush (p);
}

void
redis_wire_free (RedisProbe *p)
{
  /* What a pending read or write still holds closes once it has seen the cancellation. */
  g_clear_object (&p->stream);
  scrub_writing (p);
  g_clear_pointer (&p->reader, redisReaderFree);
  if (p->waiting != NULL)
    g_queue_free_full (p->waiting, g_free);
  if (p->out != NULL)
    {
      if (p->out->len > 0)
        memset (p->out->data, 0, p->out->len);
      g_byte_array_unref (p->out);
    }
  g_clear_object (&p->ca_database);
  g_clear_object (&p->client_certificate);
}

/* What a failed read, write or handshake means to the person reading the tile. */
static SitrepReason *
describe (RedisProbe   *p,
          const GError *error)
{
  GTlsCertificateFlags flags = p->certificate_errors;

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) && flags != 0)
    {
      const char *name = p->run->spec->server_name != NULL ? p->run->spec->server_name : p->host;

      if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
        return sitrep_reason_new (N_("TLS failed: the server's certificate is not trusted: no CA "
                                     "this probe trusts signed it (set \"ca_file\" to the CA "
                                     "that signs it)"));
      if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
        return sitrep_reason_new (N_("TLS failed: the server's certificate is not for %s (set "
                                     "\"server_name\" to the name it was made for)"),
                                  sitrep_reason_new_text (name));
      if (flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED))
        return sitrep_reason_new (N_("TLS failed: the server's certificate has expired or is not "
                                     "valid yet"));
      return sitrep_reason_new (N_("TLS failed: the server's certificate is not trusted (%s)"),
                                sitrep_reason_new_text (error->message));
    }
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    return sitrep_reason_new (N_("TLS failed: the server requires a client certificate (%s): set "
                                 "\"client_certificate\" and \"client_key\""),
                              sitrep_reason_new_text (error->message));
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS)
      || (error->domain == G_TLS_ERROR && p->stage == STAGE_HANDSHAKE && !p->answered
          && g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_MISC)))
    return sitrep_reason_new (N_("TLS failed: the server does not speak TLS on port %s (%s): use "
                                 "its TLS port, or set \"tls\": false"),
                              sitrep_reason_new_printf ("%u", p->port),
                              sitrep_reason_new_text (error->message));
  /* In TLS 1.3 a server that wants a client certificate says so after the handshake, with an
   * alert the first read meets. */
  if (error->domain == G_TLS_ERROR && p->stage == STAGE_TALK && !p->answered
      && p->client_certificate == NULL)
    return sitrep_reason_new (N_("TLS failed: %s: if the server requires a client certificate, set "
                                 "\"client_certificate\" and \"client_key\""),
                              sitrep_reason_new_text (error->message));
  if (error->domain == G_TLS_ERROR)
    return sitrep_reason_new (N_("TLS failed: %s"), sitrep_reason_new_text (error->message));
  if (p->stage == STAGE_HANDSHAKE)
    return sitrep_reason_new (N_("Redis closed the connection during the TLS handshake: %s"),
                              sitrep_reason_new_text (error->message));
  /* A TLS server hangs up on a probe that talks to it in the clear. */
  if (!p->answered && !p->run->spec->tls)
    return sitrep_reason_new (N_("Redis closed the connection before it answered (%s): if port %s "
                                 "speaks TLS, set \"tls\": true"),
                              sitrep_reason_new_text (error->message),
                              sitrep_reason_new_printf ("%u", p->port));
  return sitrep_reason_new (N_("Redis closed the connection: %s"),
                            sitrep_reason_new_text (error->message));
}

static void
dispatch (RedisProbe *p)
{
  SitrepProbeRun *run = p->run;

  while (!sitrep_probe_run_is_over (run))
    {
      redisReply *reply = NULL;
      g_autofree Waiting *waiting = NULL;

      if (redisReaderGetReply (p->reader, (void **) &reply) != REDIS_OK)
        {
          redis_fail (p, sitrep_reason_new (N_("the server on port %s does not speak the Redis "
                                               "protocol (%s)"),
                                            sitrep_reason_new_printf ("%u", p->port),
                                            sitrep_reason_new_text (p->reader->errstr)));
          return;
        }
      if (reply == NULL)
        {
          read_next (p);
          return;
        }
      p->answered = TRUE;
      waiting = g_queue_pop_head (p->waiting);
      if (waiting == NULL)
        {
          freeReplyObject (reply);
          redis_fail (p, sitrep_reason_new (N_("Redis answered a command that was not sent")));
          return;
        }
      waiting->func (p, reply, waiting->data);
      freeReplyObject (reply);
    }
}

static void
read_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(SitrepProbeRun) run = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, &error);
  RedisProbe *p = probe_of (run);

  if (p == NULL)
    return;
  if (n < 0)
    {
      redis_fail (p, describe (p, error));
      return;
    }
  if (n == 0)
    {
      /* A TLS server hangs up on a probe that talks to it in the clear, without a word. */
      if (!p->answered && !run->spec->tls)
        redis_fail (p, sitrep_reason_new (N_("Redis closed the connection before it answered: if "
                                             "port %s speaks TLS, set \"tls\": true"),
                                          sitrep_reason_new_printf ("%u", p->port)));
      else
        redis_fail (p, sitrep_reason_new (N_("Redis closed the connection")));
      return;
    }
  if (redisReaderFeed (p->reader, (const char *) p->buffer, n) != REDIS_OK)
    {
      redis_fail (p, sitrep_reason_new (N_("cannot read Redis' reply: %s"),
                                        sitrep_reason_new_text (p->reader->errstr)));
      return;
    }
  dispatch (p);
}

static void
read_next (RedisProbe *p)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (p->stream), p->buffer,
                             sizeof p->buffer, G_PRIORITY_DEFAULT, p->run->cancellable, read_cb,
                             sitrep_probe_run_ref (p->run));
}

static void
flush (RedisProbe *p)
{
  gsize size;
  const void *data;

  if (p->writing != NULL || p->out->len == 0)
    return;
  p->writing = g_byte_array_free_to_bytes (g_steal_pointer (&p->out));
  p->out = g_byte_array_new ();
  data = g_bytes_get_data (p->writing, &size);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (p->stream), data, size,
                                   G_PRIORITY_DEFAULT, p->run->cancellable, write_cb,
                                   sitrep_probe_run_ref (p->run));
}

/* Sends one command; @func gets its reply. */
void
redis_wire_send (RedisProbe    *p,
                 RedisReplyFunc func,
                 gpointer       data,
                 int            argc,
                 const char   **argv)
{
  Waiting *waiting = g_new0 (Waiting, 1);
  char *command = NULL;
  int length = redisFormatCommandArgv (&command, argc, argv, NULL);

  g_return_if_fail (length > 0);
  g_byte_array_append (p->out, (const guint8 *) command, length);
  memset (command, 0, length);
  redisFreeCommand (command);
  waiting->func = func;
  waiting->data = data;
  g_queue_push_tail (p->waiting, waiting);
  flush (p);
}

static void
start_talking (RedisProbe *p,
               GIOStream  *stream)
{
  if (p->stream == NULL)
    p->stream = g_object_ref (stream);
  p->reader = redisReaderCreate ();
  p->waiting = g_queue_new ();
  p->out = g_byte_array_new ();
  p->stage = STAGE_TALK;
  read_next (p);
  redis_talk (p);
}

static void
handshake_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(SitrepProbeRun) run = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), res, &error);
  RedisProbe *p = probe_of (run);


  if (p == NULL)
    return;
  if (!done)
    {
      redis_fail (p, describe (p, error));
      return;
    }
  start_talking (p, G_IO_STREAM (source));
}

/* Called only when the certificate fails the checks: remember why, and refuse it. */
static gboolean
accept_certificate_cb (GTlsConnection      *connection,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  SitrepProbeRun *run = user_data;
  RedisProbe *p = probe_of (run);

  if (p != NULL)
    p->certificate_errors = errors;
  return FALSE;
}

typedef struct
{
  GSocketConnection *connection;
  GSocketConnectable *identity;
  GTlsDatabase *ca_database;
  GTlsCertificate *client_certificate;
} NewTls;

static void
new_tls_free (NewTls *data)
{
  g_object_unref (data->connection);
  g_object_unref (data->identity);
  g_clear_object (&data->ca_database);
  g_clear_object (&data->client_certificate);
  g_free (data);
}

/* Making a TLS connection sets up GnuTLS' session and credentials, which takes long enough
 * (a second under the sanitizers) to stall the main loop: it is made here, in a thread. */
static void
new_tls_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  NewTls *data = task_data;
  g_autoptr(GError) error = NULL;
  GIOStream *tls = g_tls_client_connection_new (G_IO_STREAM (data->connection), data->identity,
                                                &error);

  if (tls == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->ca_database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), data->ca_database);
  if (data->client_certificate != NULL)
    g_tls_connection_set_certificate (G_TLS_CONNECTION (tls), data->client_certificate);
  g_task_return_pointer (task, tls, g_object_unref);
}

static void
new_tls_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SitrepProbeRun) run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = g_task_propagate_pointer (G_TASK (result), &error);
  RedisProbe *p = probe_of (run);

  if (p == NULL)
    return;
  if (tls == NULL)
    {
      redis_fail (p, sitrep_reason_new (N_("TLS is not available: %s"),
                                        sitrep_reason_new_text (error->message)));
      return;
    }
  /* The run outlives the connection: the connection goes with the probe's data, or with the
   * handshake that still holds it, and the handler only reads the run. */
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), run);
  p->stream = g_object_ref (tls);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    run->cancellable, handshake_cb, sitrep_probe_run_ref (run));
}

static void
start_tls (RedisProbe        *p,
           GSocketConnection *connection)
{
  const SitrepProbeSpec *spec = p->run->spec;
  NewTls *data = g_new0 (NewTls, 1);
  g_autoptr(GTask) task = g_task_new (NULL, p->run->cancellable, new_tls_cb,
                                      sitrep_probe_run_ref (p->run));

  data->connection = g_object_ref (connection);
  data->identity = g_network_address_new (spec->server_name != NULL ? spec->server_name : p->host,
                                          p->port);
  data->ca_database = p->ca_database != NULL ? g_object_ref (p->ca_database) : NULL;
  data->client_certificate = p->client_certificate != NULL
                               ? g_object_ref (p->client_certificate) : NULL;
  p->stage = STAGE_HANDSHAKE;
  g_task_set_task_data (task, data, (GDestroyNotify) new_tls_free);
  g_task_run_in_thread (task, new_tls_thread);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(SitrepProbeRun) run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  RedisProbe *p;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), res, &error);
  p = probe_of (run);
  if (p == NULL)
    return;
  if (connection == NULL)
    {
      if (p->addresses != NULL)
        {
          redis_wire_connect (p);
          return;
        }
      redis_fail (p, sitrep_reason_new (N_("cannot connect to %s port %s: %s"),
                                        sitrep_reason_new_text (p->host),
                                        sitrep_reason_new_printf ("%u", p->port),
                                        g_error_matches (error, G_IO_ERROR,
                                                         G_IO_ERROR_CONNECTION_REFUSED)
                                          ? sitrep_reason_new (N_("connection refused"))
                                          : sitrep_reason_new_text (error->message)));
      return;
    }
  if (run->spec->tls)
    start_tls (p, connection);
  else
    start_talking (p, G_IO_STREAM (connection));
}

/* Connects to the next address the host resolved to. */
void
redis_wire_connect (RedisProbe *p)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetAddress) address = p->addresses->data;
  g_autoptr(GSocketAddress) target = g_inet_socket_address_new (address, p->port);

  p->addresses = g_list_delete_link (p->addresses, p->addresses);
  p->stage = STAGE_CONNECT;
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (target), p->run->cancellable,
                                 connected_cb, sitrep_probe_run_ref (p->run));
}
