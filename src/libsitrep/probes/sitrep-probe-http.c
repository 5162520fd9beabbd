/* sitrep-probe-http.c: the http probe: one request with libsoup, bounded in time and size */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-probe-run.h"
#include "sitrep-probe-tls.h"
#include "sitrep-secrets.h"

#define READ_CHUNK 16384
/* As many as libsoup itself would follow. */
#define MAX_REDIRECTS 20

typedef struct
{
  SitrepProbeRun *run;
  const SitrepProbeSpec *spec;
  SitrepProbeResult *result;
  SoupMessage *message;
  GPtrArray *header_values; /* with secrets expanded; wiped when done */
  guint next_header;
  GUri *origin;              /* the runbook's URL: its headers go to this origin only */
  guint redirects;
  GInputStream *stream;
  GByteArray *body;
  GTlsDatabase *ca_database;           /* the runbook's "ca_file", read for this check */
  GTlsCertificate *client_certificate; /* the runbook's "client_certificate" and key */
  gboolean verified_by_ca;             /* the runbook's CA vouched for the server */
} Request;

static void
request_free (Request *req)
{
  g_clear_object (&req->message);
  g_clear_object (&req->stream);
  g_clear_pointer (&req->origin, g_uri_unref);
  if (req->header_values != NULL)
    {
      for (guint i = 0; i < req->header_values->len; i++)
        {
          char *value = req->header_values->pdata[i];

          memset (value, 0, strlen (value));
        }
      g_ptr_array_unref (req->header_values);
    }
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_clear_object (&req->ca_database);
  g_clear_object (&req->client_certificate);
  g_free (req);
}

/* The whole check (connecting, every request and redirect, and the last byte of the body)
 * ends: complete without @why, failed for @why (transfer full) with it. */
static void
finish (Request      *req,
        SitrepReason *why)
{
  if (why != NULL)
    sitrep_probe_run_fail (req->run, why);
  else
    sitrep_probe_run_complete (req->run);
}

static SitrepReason *
describe_failure (Request *req,
                  GError  *error,
                  gboolean reading_body)
{
  if (req->run->timed_out)
    {
      SitrepReason *limit = sitrep_probe_seconds_reason (req->spec->timeout_ms);

      if (reading_body)
        return sitrep_reason_new (N_("the body did not finish within %s s"), limit);
      return sitrep_reason_new (N_("no answer within %s s"), limit);
    }
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND)
      || g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
    return sitrep_reason_new (N_("the host name does not resolve: %s"),
                              sitrep_reason_new_text (error->message));
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    return sitrep_reason_new (N_("TLS failed: the server requires a client certificate (%s): set "
                                 "\"client_certificate\" and \"client_key\""),
                              sitrep_reason_new_text (error->message));
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE)
      || error->domain == G_TLS_ERROR
      || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_HANDSHAKE))
    return sitrep_reason_new (N_("TLS failed: %s (set \"insecure_tls\": true only for a server "
                                 "you trust)"), sitrep_reason_new_text (error->message));
  if (reading_body)
    return sitrep_reason_new (N_("the body broke off: %s"),
                              sitrep_reason_new_text (error->message));
  return sitrep_reason_new_text (error->message);
}

static void read_body (Request *req);

static void
body_done (Request *req,
           gboolean truncated)
{
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&req->body));

  sitrep_probe_result_set_body (req->result, bytes, truncated);
  /* Stop reading a body that goes on past the limit, and do not keep its connection. */
  if (truncated)
    g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  finish (req, NULL);
}

static void
read_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Request *req = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), res, &error);
  gsize limit = (gsize) req->spec->max_body;

  if (chunk == NULL)
    {
      finish (req, describe_failure (req, error, TRUE));
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      body_done (req, FALSE);
      return;
    }

  g_byte_array_append (req->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (req->body->len > limit)
    {
      g_byte_array_set_size (req->body, limit);
      body_done (req, TRUE);
      return;
    }
  read_body (req);
}

static void
read_body (Request *req)
{

  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   req->run->cancellable, read_cb, req);
}

static void send_message (Request *req, GUri *uri, const char *method, gboolean with_body);

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  int port_a = g_uri_get_port (a), port_b = g_uri_get_port (b);

  if (port_a < 0)
    port_a = g_ascii_strcasecmp (g_uri_get_scheme (a), "https") == 0 ? 443 : 80;
  if (port_b < 0)
    port_b = g_ascii_strcasecmp (g_uri_get_scheme (b), "https") == 0 ? 443 : 80;
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 && port_a == port_b;
}

/* Follows a redirect by hand rather than letting libsoup do it: libsoup keeps every header but
 * Authorization on a redirect to another origin, and the runbook's headers (API keys, tokens)
 * are meant for the runbook's URL only. Returns FALSE when the answer is no redirect. */
static gboolean
follow_redirect (Request *req)
{
  guint status = soup_message_get_status (req->message);
  const char *location;
  const char *method = soup_message_get_method (req->message);
  g_autoptr(GUri) next = NULL;
  g_autoptr(GError) error = NULL;
  gboolean keep_method;

  if (!SOUP_STATUS_IS_REDIRECTION (status) || status == SOUP_STATUS_NOT_MODIFIED
      || status == SOUP_STATUS_MULTIPLE_CHOICES || status == SOUP_STATUS_USE_PROXY)
    return FALSE;
  location = soup_message_headers_get_one (soup_message_get_response_headers (req->message),
                                           "Location");
  if (location == NULL)
    return FALSE;

  /* Its body is not wanted, nor its connection in a half-read state. */
  g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&req->stream);

  if (++req->redirects > MAX_REDIRECTS)
    {
      finish (req, sitrep_reason_new (N_("too many redirects (a redirect loop?)")));
      return TRUE;
    }
  next = g_uri_parse_relative (soup_message_get_uri (req->message), location, SOUP_HTTP_URI_FLAGS,
                               &error);
  if (next == NULL || (g_ascii_strcasecmp (g_uri_get_scheme (next), "http") != 0
                       && g_ascii_strcasecmp (g_uri_get_scheme (next), "https") != 0)
      || g_uri_get_host (next) == NULL)
    {
      finish (req, sitrep_reason_new (N_("the server redirected to \"%s\", which is not an "
                                         "http or https URL"),
                                      sitrep_reason_new_text (location)));
      return TRUE;
    }

  /* What browsers do: 307 and 308 repeat the request, 303 (and 301 or 302 after a POST)
   * fetch the new place with GET. */
  keep_method = status == SOUP_STATUS_TEMPORARY_REDIRECT || status == SOUP_STATUS_PERMANENT_REDIRECT
                || (status != SOUP_STATUS_SEE_OTHER && g_strcmp0 (method, "POST") != 0);
  send_message (req, next, keep_method ? method : "GET",
                keep_method && g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0);
  return TRUE;
}

static void
send_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Request *req = user_data;
  g_autoptr(GError) error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), res, &error);
  if (req->stream == NULL)
    {
      req->result->connected = FALSE;
      finish (req, describe_failure (req, error, FALSE));
      return;
    }

  req->result->connected = TRUE;
  req->result->status = soup_message_get_status (req->message);
  /* accept-certificate is not emitted again on a kept-alive connection: ask the message. */
  if (soup_message_get_tls_peer_certificate_errors (req->message) != 0 && !req->verified_by_ca)
    req->result->insecure_tls = TRUE;

  if (follow_redirect (req))
    return;

  req->body = g_byte_array_new ();
  read_body (req);
}

static gboolean
accept_certificate_cb (SoupMessage         *message,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       Request             *req)
{
  req->result->insecure_tls = TRUE;
  return TRUE;
}

/* A server certificate the system does not trust may still be signed by the runbook's CA. */
static gboolean
verify_with_ca_cb (SoupMessage         *message,
                   GTlsCertificate     *certificate,
                   GTlsCertificateFlags errors,
                   Request             *req)
{
  GUri *uri = soup_message_get_uri (message);
  g_autoptr(GSocketConnectable) identity = g_network_address_new (g_uri_get_host (uri),
                                                                  g_uri_get_port (uri));

  req->verified_by_ca = g_tls_database_verify_chain (req->ca_database, certificate,
                                                     G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                                     identity, NULL, G_TLS_DATABASE_VERIFY_NONE,
                                                     NULL, NULL) == 0;
  return req->verified_by_ca;
}

/* One request of the exchange: the runbook's, or one a redirect asked for. */
static void
send_message (Request    *req,
              GUri       *uri,
              const char *method,
              gboolean    with_body)
{
  const SitrepProbeSpec *spec = req->spec;
  gboolean own_origin = same_origin (uri, req->origin);
  SoupMessageHeaders *headers;

  g_clear_object (&req->message);
  req->message = soup_message_new_from_uri (method, uri);
  soup_message_add_flags (req->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (req->message);
  for (guint i = 0; own_origin && i < spec->header_names->len; i++)
    soup_message_headers_replace (headers, spec->header_names->pdata[i],
                                  req->header_values->pdata[i]);
  if (spec->body != NULL && with_body)
    {
      g_autoptr(GBytes) body = g_bytes_new (spec->body, strlen (spec->body));
      const char *type = soup_message_headers_get_content_type (headers, NULL);

      soup_message_set_request_body_from_bytes (req->message, type ? type : "application/json",
                                                body);
    }
  if (spec->insecure_tls)
    g_signal_connect (req->message, "accept-certificate", G_CALLBACK (accept_certificate_cb), req);
  else if (req->ca_database != NULL)
    g_signal_connect (req->message, "accept-certificate", G_CALLBACK (verify_with_ca_cb), req);
  if (req->client_certificate != NULL)
    soup_message_set_tls_client_certificate (req->message, req->client_certificate);

  soup_session_send_async (sitrep_probe_context_get_session (req->run->context), req->message,
                           G_PRIORITY_DEFAULT, req->run->cancellable, send_cb, req);
}

static void
send_request (Request *req)
{
  const SitrepProbeSpec *spec = req->spec;

  req->origin = g_uri_parse (spec->url, SOUP_HTTP_URI_FLAGS, NULL);
  if (req->origin == NULL || g_uri_get_host (req->origin) == NULL
      || (g_ascii_strcasecmp (g_uri_get_scheme (req->origin), "http") != 0
          && g_ascii_strcasecmp (g_uri_get_scheme (req->origin), "https") != 0))
    {
      finish (req, sitrep_reason_new (N_("\"%s\" is not a URL libsoup can request"),
                                      sitrep_reason_new_text (spec->url)));
      return;
    }

  sitrep_probe_run_start_clock (req->run);
  send_message (req, req->origin, spec->method, TRUE);
}

static void expand_next_header (Request *req);

static void
header_expanded_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  Request *req = user_data;
  g_autoptr(GError) error = NULL;
  char *value = sitrep_secrets_expand_finish (res, &error);

  if (value == NULL)
    {
      const char *name = req->spec->header_names->pdata[req->next_header];

      /* Without its secret the probe cannot run: the service's state is unknown, not down. */
      sitrep_probe_run_cannot_run (req->run,
                                   sitrep_reason_new (N_("header %s: %s"),
                                                      sitrep_reason_new_text (name),
                                                      sitrep_reason_from_error (error)));
      return;
    }
  g_ptr_array_add (req->header_values, value);
  req->next_header++;
  expand_next_header (req);
}

static void
expand_next_header (Request *req)
{
  const char *value;

  while (req->next_header < req->spec->header_names->len)
    {
      value = req->spec->header_values->pdata[req->next_header];
      if (strstr (value, "${secret:") != NULL)
        {
          sitrep_secrets_expand_async (value, req->run->cancellable, header_expanded_cb, req);
          return;
        }
      g_ptr_array_add (req->header_values, g_strdup (value));
      req->next_header++;
    }
  send_request (req);
}

static void
tls_files_cb (SitrepProbeRun      *run,
              SitrepProbeTlsFiles *files,
              const GError        *error)
{
  Request *req = sitrep_probe_run_get_data (run);

  if (files == NULL)
    {
      finish (req, sitrep_reason_from_error (error));
      return;
    }
  req->ca_database = g_steal_pointer (&files->ca_database);
  req->client_certificate = g_steal_pointer (&files->client_certificate);
  sitrep_probe_tls_files_free (files);
  expand_next_header (req);
}

static void
http_start (SitrepProbeRun *run)
{
  Request *req = g_new0 (Request, 1);

  req->run = run;
  req->spec = run->spec;
  req->result = run->result;
  req->header_values = g_ptr_array_new_with_free_func (g_free);
  sitrep_probe_run_set_data (run, req, (GDestroyNotify) request_free);

  if (sitrep_probe_tls_files_needed (req->spec, g_str_has_prefix (req->spec->url, "https:")))
    sitrep_probe_tls_files_load (run, tls_files_cb);
  else
    expand_next_header (req);
}

/* "ca_file", "client_certificate", "client_key" (format 2): absolute paths of PEM files, for an
 * https URL only. */
static char *
tls_path (SitrepLoader          *l,
          JsonObject            *object,
          const char            *key,
          const SitrepProbeSpec *spec)
{
  char *path;

  if (!sitrep_schema_since (l, object, key, 2))
    return NULL;
  path = sitrep_schema_text (l, object, key);
  if (path == NULL)
    return NULL;
  if (!g_path_is_absolute (path))
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, key)),
                           _("\"%s\" must be an absolute path: \"%s\" depends on the folder "
                             "Sitrep starts in"),
                           key, path);
  else if (spec->url != NULL && !g_str_has_prefix (spec->url, "https://"))
    sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (object, key)),
                           _("\"%s\" is for an https:// URL: this probe's URL is not one"), key);
  return path;
}

static void
http_load (SitrepLoader        *l,
           JsonNode            *node,
           const SitrepService *service,
           SitrepProbeSpec     *spec)
{
  static const char *const methods[] = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", NULL
  };
  JsonObject *object = json_node_get_object (node);
  JsonNode *headers = sitrep_schema_member (object, "headers");

  spec->header_names = g_ptr_array_new_with_free_func (g_free);
  spec->header_values = g_ptr_array_new_with_free_func (g_free);
  spec->url = sitrep_schema_text (l, object, "url");
  if (spec->url == NULL && sitrep_schema_member (object, "url") == NULL)
    sitrep_schema_problem (l, AT_VALUE (node), _("an http probe needs a \"url\""));
  if (spec->url != NULL && !g_str_has_prefix (spec->url, "http://")
      && !g_str_has_prefix (spec->url, "https://"))
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "url")),
                           _("\"%s\" is not an http:// or https:// URL"), spec->url);
  else if (spec->url != NULL && !g_uri_is_valid (spec->url, G_URI_FLAGS_NONE, NULL))
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "url")),
                           _("\"%s\" is not a valid URL"), spec->url);

  spec->method = sitrep_schema_string (l, object, "method");
  if (spec->method == NULL)
    spec->method = g_strdup ("GET");
  else if (!g_strv_contains (methods, spec->method))
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "method")),
                           _("unknown HTTP method \"%s\" (known: GET, HEAD, POST, PUT, PATCH, "
                             "DELETE, OPTIONS)"),
                           spec->method);

  if (headers != NULL && !JSON_NODE_HOLDS_OBJECT (headers))
    sitrep_schema_problem (l, AT_VALUE (headers), _("\"headers\" must be an object {…}, not %s"),
                           sitrep_schema_describe_type (headers));
  else if (headers != NULL)
    {
      JsonObject *h = json_node_get_object (headers);
      g_autoptr(GList) names = json_object_get_members (h);

      for (GList *n = names; n != NULL; n = n->next)
        {
          char *value = sitrep_schema_string (l, h, n->data);

          if (value == NULL)
            continue;
          g_ptr_array_add (spec->header_names, g_strdup (n->data));
          g_ptr_array_add (spec->header_values, value);
        }
    }
  spec->body = sitrep_schema_string (l, object, "body");
  spec->insecure_tls = sitrep_schema_bool (l, object, "insecure_tls", FALSE);
  spec->max_body = sitrep_schema_int (l, object, "max_body", 1, G_MAXINT32, 1024 * 1024);
  spec->ca_file = tls_path (l, object, "ca_file", spec);
  spec->client_certificate = tls_path (l, object, "client_certificate", spec);
  spec->client_key = tls_path (l, object, "client_key", spec);
  if (spec->client_key != NULL && spec->client_certificate == NULL)
    sitrep_schema_problem (l, AT_KEY (sitrep_schema_member (object, "client_key")),
                           _("\"client_key\" is the key of \"client_certificate\": give the "
                             "certificate too"));
}

static gboolean
http_default_ok (const SitrepProbeSpec   *spec,
                 const SitrepProbeResult *result)
{
  return result->status >= 200 && result->status < 400;
}

static char *
http_describe (const SitrepProbeSpec *spec)
{
  return g_strdup_printf ("%s %s", spec->method, spec->url);
}

static const SitrepProbeKind http_kind = {
  .load = http_load,
  .default_ok = http_default_ok,
  .describe = http_describe,
  .start = http_start,
};

static const char *const http_keys[] = {
  "url", "method", "headers", "body", "insecure_tls", "max_body", "ca_file",
  "client_certificate", "client_key", NULL
};

SITREP_DEFINE_PROBE_KIND (http, "http", http_keys, http_kind)
