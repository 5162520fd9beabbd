/* sitrep-probe-postgres.c: the postgres probe (connect, SELECT 1, one read-only query) via libpq */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <libpq-fe.h>

#include "sitrep-probe.h"
#include "sitrep-secrets.h"

/* The most addresses tried for one host name, as libpq itself would try each of them. */
#define MAX_ADDRESSES_PER_HOST 8

typedef enum
{
  STAGE_SECRET,
  STAGE_RESOLVE,
  STAGE_CONNECT,
  STAGE_QUERY,
} Stage;

typedef enum
{
  STEP_PING,
  STEP_BEGIN,
  STEP_QUERY,
} Step;

typedef struct
{
  GTask *task;                /* held until the probe completes */
  GMainContext *context;
  GCancellable *cancellable;  /* ours: stops the keyring and resolver when the probe ends */
  SitrepProbeResult *result;
  GError *cannot_run;

  char *secret;
  char *query;
  gint64 timeout_ms;
  char *password;             /* only to scrub it from messages */

  PQconninfoOption *options;
  char **host_list;           /* the hosts to resolve, one by one */
  char **port_list;
  guint next_host;
  GPtrArray *hosts;           /* what libpq gets: host, hostaddr, port per address */
  GPtrArray *hostaddrs;
  GPtrArray *ports;
  char *resolve_error;

  PGconn *conn;
  GSource *fd_source;
  GSource *timeout_source;
  GSource *cancel_source;
  GSource *step_source;

  Stage stage;
  Step step;
  gboolean done;
  gint64 started;
  char *step_error;
  char *step_value;
} PgProbe;

static void resolve_next (PgProbe *p);

static void
scrub_free (char *text)
{
  if (text != NULL)
    memset (text, 0, strlen (text));
  g_free (text);
}

static void
pg_probe_free (PgProbe *p)
{
  g_assert (p->conn == NULL);
  g_clear_object (&p->cancellable);
  g_clear_pointer (&p->context, g_main_context_unref);
  g_clear_pointer (&p->result, sitrep_probe_result_unref);
  g_clear_error (&p->cannot_run);
  g_free (p->secret);
  g_free (p->query);
  scrub_free (p->password);
  g_clear_pointer (&p->options, PQconninfoFree);
  g_strfreev (p->host_list);
  g_strfreev (p->port_list);
  g_clear_pointer (&p->hosts, g_ptr_array_unref);
  g_clear_pointer (&p->hostaddrs, g_ptr_array_unref);
  g_clear_pointer (&p->ports, g_ptr_array_unref);
  g_free (p->resolve_error);
  g_free (p->step_error);
  g_free (p->step_value);
  g_free (p);
}

static char *
format_timeout (gint64 ms)
{
  if (ms % 1000 == 0)
    return g_strdup_printf (_("%d s"), (int) (ms / 1000));
  return g_strdup_printf (_("%.1f s"), ms / 1000.0);
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* libpq's messages are multi-line and name the host and user, never the password; scrub it all
 * the same, in case a server or a parse error echoes part of the connection string. */
static char *
clean_message (PgProbe    *p,
               const char *message)
{
  GString *text = g_string_new (message != NULL ? message : "");
  char *clean;

  if (p->password != NULL && p->password[0] != '\0')
    g_string_replace (text, p->password, "***", 0);
  g_string_replace (text, "\n\t", " ", 0);
  g_string_replace (text, "\n", " ", 0);
  g_string_replace (text, ":  ", ": ", 0);
  clean = g_strstrip (g_string_free (text, FALSE));
  if (clean[0] == '\0')
    {
      g_free (clean);
      return g_strdup (_("unknown error"));
    }
  return clean;
}

/* A connection string that does not parse may be quoted back in full: keep quoted words that
 * look like option names, hide everything else. */
static char *
clean_parse_error (const char *message)
{
  g_auto(GStrv) parts = g_strsplit (message != NULL ? message : "", "\"", -1);

  for (guint i = 1; parts[i] != NULL && parts[i + 1] != NULL; i += 2)
    {
      gboolean is_name = strlen (parts[i]) <= 32;

      if (strlen (parts[i]) == 1 && g_ascii_ispunct (parts[i][0]))
        continue;

      for (const char *c = parts[i]; is_name && *c != '\0'; c++)
        is_name = g_ascii_islower (*c) || *c == '_';
      if (!is_name)
        {
          g_free (parts[i]);
          parts[i] = g_strdup ("…");
        }
    }
  return g_strstrip (g_strjoinv ("\"", parts));
}

static void
complete (PgProbe *p)
{
  GTask *task = g_steal_pointer (&p->task);

  destroy_source (&p->timeout_source);
  destroy_source (&p->cancel_source);
  destroy_source (&p->step_source);
  destroy_source (&p->fd_source);
  g_cancellable_cancel (p->cancellable);
  g_clear_pointer (&p->conn, PQfinish);

  if (p->cannot_run != NULL)
    g_task_return_error (task, g_steal_pointer (&p->cannot_run));
  else
    {
      /* The whole check: resolving, connecting, SELECT 1 and the runbook's query. */
      if (p->result->response_time_ms <= 0)
        p->result->response_time_ms = (g_get_monotonic_time () - p->started) / 1000.0;
      g_task_return_pointer (task, sitrep_probe_result_ref (p->result),
                             (GDestroyNotify) sitrep_probe_result_unref);
    }
  g_object_unref (task);
}

static gboolean
step_cb (gpointer user_data)
{
  PgProbe *p = user_data;

  g_clear_pointer (&p->step_source, g_source_unref);
  complete (p);
  return G_SOURCE_REMOVE;
}

/* Completes on the next turn of the main loop, so the caller's callback never runs inside ours. */
static void
finish (PgProbe *p)
{
  if (!p->done)
    p->result->response_time_ms = (g_get_monotonic_time () - p->started) / 1000.0;
  p->done = TRUE;
  if (p->step_source != NULL)
    return;
  p->step_source = g_idle_source_new ();
  g_source_set_priority (p->step_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (p->step_source, step_cb, p, NULL);
  g_source_attach (p->step_source, p->context);
}

static void
fail (PgProbe *p,
      char    *message)
{
  if (p->done)
    {
      g_free (message);
      return;
    }
  sitrep_probe_result_fail (p->result, message);
  g_free (message);
  finish (p);
}

static void
cannot_run (PgProbe    *p,
            const char *message)
{
  if (p->done)
    return;
  p->cannot_run = g_error_new_literal (SITREP_PROBE_ERROR, SITREP_PROBE_ERROR_CANNOT_RUN, message);
  finish (p);
}

static gboolean
timeout_cb (gpointer user_data)
{
  PgProbe *p = user_data;
  g_autofree char *within = format_timeout (p->timeout_ms);
  g_autofree char *message = NULL;

  g_clear_pointer (&p->timeout_source, g_source_unref);
  if (p->stage == STAGE_SECRET)
    {
      message = g_strdup_printf (_("the keyring did not give secret \"%s\" within %s"),
                                 p->secret, within);
      cannot_run (p, message);
    }
  else if (p->stage == STAGE_RESOLVE)
    fail (p, g_strdup_printf (_("cannot resolve %s: no answer within %s"),
                              p->host_list[p->next_host], within));
  else if (p->stage == STAGE_CONNECT)
    fail (p, g_strdup_printf (_("no answer within %s while connecting"), within));
  else if (p->step == STEP_QUERY)
    fail (p, g_strdup_printf (_("query failed: no answer within %s"), within));
  else
    fail (p, g_strdup_printf (_("no answer within %s"), within));
  complete (p);
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  PgProbe *p = user_data;

  g_clear_pointer (&p->cancel_source, g_source_unref);
  /* The task reports G_IO_ERROR_CANCELLED, whatever the result says. */
  fail (p, g_strdup (_("cancelled")));
  complete (p);
  return G_SOURCE_REMOVE;
}

static gboolean fd_cb (int fd, GIOCondition condition, gpointer user_data);

/* libpq may open a new socket between two polls (another host, another address, SSL refused),
 * so every wait looks the socket up again. */
static void
watch (PgProbe      *p,
       GIOCondition  condition)
{
  int fd = PQsocket (p->conn);

  destroy_source (&p->fd_source);
  if (fd < 0)
    {
      g_autofree char *why = clean_message (p, PQerrorMessage (p->conn));

      fail (p, g_strdup_printf (_("the connection was lost: %s"), why));
      return;
    }
  p->fd_source = g_unix_fd_source_new (fd, condition | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (p->fd_source, G_SOURCE_FUNC (fd_cb), p, NULL);
  g_source_attach (p->fd_source, p->context);
}

static void
send_step (PgProbe *p)
{
  int sent;

  g_clear_pointer (&p->step_error, g_free);
  g_clear_pointer (&p->step_value, g_free);

  switch (p->step)
    {
    case STEP_PING:
      sent = PQsendQuery (p->conn, "SELECT 1");
      break;
    case STEP_BEGIN:
      {
        /* The server stops the query itself if the probe gives up on it. */
        g_autofree char *begin = g_strdup_printf ("BEGIN READ ONLY; SET LOCAL statement_timeout = %"
                                                  G_GINT64_FORMAT, p->timeout_ms);

        sent = PQsendQuery (p->conn, begin);
      }
      break;
    case STEP_QUERY:
      /* The extended protocol takes one statement only: no "SELECT 1; DELETE …". */
      sent = PQsendQueryParams (p->conn, p->query, 0, NULL, NULL, NULL, NULL, 0);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!sent)
    {
      g_autofree char *why = clean_message (p, PQerrorMessage (p->conn));

      fail (p, g_strdup_printf (_("cannot send the query: %s"), why));
      return;
    }
  watch (p, G_IO_IN | G_IO_OUT);
}

static void
step_done (PgProbe *p)
{
  switch (p->step)
    {
    case STEP_PING:
      if (p->step_error != NULL)
        {
          fail (p, g_strdup_printf (_("SELECT 1 failed: %s"), p->step_error));
          return;
        }
      if (p->query == NULL)
        {
          p->result->result = g_strdup ("1");
          finish (p);
          return;
        }
      p->step = STEP_BEGIN;
      break;
    case STEP_BEGIN:
      if (p->step_error != NULL)
        {
          fail (p, g_strdup_printf (_("query failed: %s"), p->step_error));
          return;
        }
      p->step = STEP_QUERY;
      break;
    case STEP_QUERY:
      if (p->step_error != NULL)
        {
          fail (p, g_strdup_printf (_("query failed: %s"), p->step_error));
          return;
        }
      p->result->result = g_steal_pointer (&p->step_value);
      finish (p);
      return;
    default:
      g_assert_not_reached ();
    }
  send_step (p);
}

static void
take_result (PgProbe  *p,
             PGresult *res)
{
  switch (PQresultStatus (res))
    {
    case PGRES_TUPLES_OK:
      g_clear_pointer (&p->step_value, g_free);
      if (PQntuples (res) > 0 && PQnfields (res) > 0 && !PQgetisnull (res, 0, 0))
        p->step_value = g_strdup (PQgetvalue (res, 0, 0));
      break;
    case PGRES_COMMAND_OK:
    case PGRES_EMPTY_QUERY:
      break;
    default:
      /* The primary message alone: the full one repeats the query with a caret under it. */
      if (p->step_error == NULL)
        {
          const char *primary = PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY);

          p->step_error = clean_message (p, primary != NULL ? primary : PQresultErrorMessage (res));
        }
      break;
    }
}

static void
talk (PgProbe *p)
{
  int flushed = PQflush (p->conn);

  if (flushed < 0 || !PQconsumeInput (p->conn))
    {
      g_autofree char *why = clean_message (p, PQerrorMessage (p->conn));

      fail (p, g_strdup_printf (_("the connection was lost: %s"), why));
      return;
    }

  while (!PQisBusy (p->conn))
    {
      PGresult *res = PQgetResult (p->conn);

      if (res == NULL)
        {
          step_done (p);
          return;
        }
      take_result (p, res);
      PQclear (res);
    }
  watch (p, flushed == 1 ? G_IO_IN | G_IO_OUT : G_IO_IN);
}

/* A Unix-domain socket never leaves the machine: clear text there is no exposure. */
static gboolean
is_local_socket (const char *host)
{
  return host == NULL || host[0] == '\0' || host[0] == '/' || host[0] == '@';
}

static void
connect_poll (PgProbe *p)
{
  switch (PQconnectPoll (p->conn))
    {
    case PGRES_POLLING_READING:
      watch (p, G_IO_IN);
      break;
    case PGRES_POLLING_WRITING:
      watch (p, G_IO_OUT);
      break;
    case PGRES_POLLING_OK:
      p->result->connected = TRUE;
      p->result->unencrypted = !PQsslInUse (p->conn) && !is_local_socket (PQhost (p->conn));
      /* Without this, PQflush () and PQfinish () may wait for the socket. */
      if (PQsetnonblocking (p->conn, 1) != 0)
        {
          g_autofree char *why = clean_message (p, PQerrorMessage (p->conn));

          fail (p, g_strdup_printf (_("the connection was lost: %s"), why));
          return;
        }
      p->stage = STAGE_QUERY;
      p->step = STEP_PING;
      send_step (p);
      break;
    case PGRES_POLLING_FAILED:
    default:
      fail (p, clean_message (p, PQerrorMessage (p->conn)));
      break;
    }
}

static gboolean
fd_cb (int           fd,
       GIOCondition  condition,
       gpointer      user_data)
{
  PgProbe *p = user_data;

  g_clear_pointer (&p->fd_source, g_source_unref);
  if (p->done)
    return G_SOURCE_REMOVE;
  if (p->stage == STAGE_CONNECT)
    connect_poll (p);
  else
    talk (p);
  return G_SOURCE_REMOVE;
}

static char *
join (GPtrArray *values)
{
  g_ptr_array_add (values, NULL);
  return g_strjoinv (",", (char **) values->pdata);
}

static void
start_connect (PgProbe *p)
{
  g_autoptr(GPtrArray) keywords = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  gboolean resolved = p->hosts != NULL;

  p->stage = STAGE_CONNECT;

  for (PQconninfoOption *o = p->options; o->keyword != NULL; o++)
    {
      if (o->val == NULL)
        continue;
      if (resolved && (g_str_equal (o->keyword, "host") || g_str_equal (o->keyword, "hostaddr")
                       || g_str_equal (o->keyword, "port")))
        continue;
      g_ptr_array_add (keywords, o->keyword);
      g_ptr_array_add (values, g_strdup (o->val));
    }
  if (resolved)
    {
      g_ptr_array_add (keywords, "host");
      g_ptr_array_add (values, join (p->hosts));
      g_ptr_array_add (keywords, "hostaddr");
      g_ptr_array_add (values, join (p->hostaddrs));
      if (p->ports->len > 0)
        {
          g_ptr_array_add (keywords, "port");
          g_ptr_array_add (values, join (p->ports));
        }
    }
  g_ptr_array_add (keywords, NULL);
  g_ptr_array_add (values, NULL);

  p->conn = PQconnectStartParams ((const char *const *) keywords->pdata,
                                  (const char *const *) values->pdata, 0);
  if (p->conn == NULL)
    {
      fail (p, g_strdup (_("out of memory")));
      return;
    }
  if (PQstatus (p->conn) == CONNECTION_BAD)
    {
      fail (p, clean_message (p, PQerrorMessage (p->conn)));
      return;
    }
  watch (p, G_IO_OUT);
}

static void
add_target (PgProbe    *p,
            const char *host,
            const char *hostaddr,
            guint       index)
{
  guint n_ports = p->port_list != NULL ? g_strv_length (p->port_list) : 0;

  g_ptr_array_add (p->hosts, g_strdup (host));
  g_ptr_array_add (p->hostaddrs, g_strdup (hostaddr));
  /* One port for every host stays one port; a list gets one entry per address. */
  if (n_ports > 1)
    g_ptr_array_add (p->ports, g_strdup (p->port_list[MIN (index, n_ports - 1)]));
  else if (n_ports == 1 && p->ports->len == 0)
    g_ptr_array_add (p->ports, g_strdup (p->port_list[0]));
}

static void
resolve_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PgProbe *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), res, &error);
  const char *host;
  guint n = 0;

  if (p->done)
    {
      g_resolver_free_addresses (addresses);
      return;
    }
  host = p->host_list[p->next_host];
  if (addresses == NULL)
    {
      /* libpq goes on with the next host; so does the probe, and tells if none was left. */
      g_free (p->resolve_error);
      p->resolve_error = g_strdup_printf (_("cannot resolve %s: %s"), host, error->message);
    }
  for (GList *l = addresses; l != NULL && n < MAX_ADDRESSES_PER_HOST; l = l->next, n++)
    {
      g_autofree char *address = g_inet_address_to_string (l->data);

      add_target (p, host, address, p->next_host);
    }
  g_resolver_free_addresses (addresses);
  p->next_host++;
  resolve_next (p);
}

/* libpq looks host names up with a blocking getaddrinfo (); the probe looks them up with
 * GResolver first and hands libpq numeric "hostaddr" values, so the main loop never waits. */
static void
resolve_next (PgProbe *p)
{
  while (p->host_list[p->next_host] != NULL)
    {
      const char *host = p->host_list[p->next_host];
      g_autoptr(GResolver) resolver = NULL;

      if (host[0] == '\0' || host[0] == '/' || host[0] == '@' || g_hostname_is_ip_address (host))
        {
          /* A socket directory or an address: libpq needs no lookup. */
          add_target (p, host, g_hostname_is_ip_address (host) ? host : "", p->next_host);
          p->next_host++;
          continue;
        }
      p->stage = STAGE_RESOLVE;
      resolver = g_resolver_get_default ();
      g_resolver_lookup_by_name_async (resolver, host, p->cancellable, resolve_cb,
                                       g_object_ref (p->task));
      return;
    }

  if (p->hosts->len == 0)
    {
      fail (p, g_steal_pointer (&p->resolve_error));
      return;
    }
  start_connect (p);
}

static const char *
option (PgProbe    *p,
        const char *keyword,
        const char *variable)
{
  for (PQconninfoOption *o = p->options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, keyword) && o->val != NULL && o->val[0] != '\0')
      return o->val;
  /* libpq would read the environment itself; read it here so no name escapes the lookup. */
  return g_getenv (variable);
}

static void
parse (PgProbe    *p,
       const char *conninfo)
{
  char *parse_error = NULL;
  const char *host, *hostaddr, *port;

  /* The clock starts here: looking the host up is part of the check, the keyring is not. */
  p->started = g_get_monotonic_time ();
  p->options = PQconninfoParse (conninfo, &parse_error);
  if (p->options == NULL)
    {
      g_autofree char *why = clean_parse_error (parse_error);
      g_autofree char *message = g_strdup_printf (_("the connection string is not valid: %s"), why);

      if (parse_error != NULL)
        PQfreemem (parse_error);
      cannot_run (p, message);
      return;
    }
  p->password = g_strdup (option (p, "password", "PGPASSWORD"));

  host = option (p, "host", "PGHOST");
  hostaddr = option (p, "hostaddr", "PGHOSTADDR");
  port = option (p, "port", "PGPORT");
  if (host == NULL || hostaddr != NULL)
    {
      start_connect (p);
      return;
    }

  p->host_list = g_strsplit (host, ",", -1);
  p->port_list = port != NULL ? g_strsplit (port, ",", -1) : NULL;
  p->hosts = g_ptr_array_new_with_free_func (g_free);
  p->hostaddrs = g_ptr_array_new_with_free_func (g_free);
  p->ports = g_ptr_array_new_with_free_func (g_free);
  resolve_next (p);
}

static void
secret_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PgProbe *p = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *conninfo = sitrep_secrets_lookup_finish (res, &error);

  if (p->done)
    {
      scrub_free (conninfo);
      return;
    }
  if (conninfo == NULL)
    {
      cannot_run (p, error->message);
      return;
    }
  parse (p, conninfo);
  scrub_free (conninfo);
}

void
sitrep_probe_postgres_run_async (SitrepProbeContext    *context,
                                 const SitrepService   *service,
                                 const SitrepProbeSpec *spec,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PgProbe *p = g_new0 (PgProbe, 1);

  g_task_set_source_tag (task, sitrep_probe_postgres_run_async);
  g_task_set_task_data (task, p, (GDestroyNotify) pg_probe_free);

  p->task = task;
  p->context = g_main_context_ref_thread_default ();
  p->cancellable = g_cancellable_new ();
  p->result = sitrep_probe_result_new ();
  p->secret = g_strdup (spec->secret);
  p->query = g_strdup (spec->query);
  p->timeout_ms = spec->timeout_ms > 0 ? spec->timeout_ms : 5000;
  p->started = g_get_monotonic_time ();

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (g_steal_pointer (&p->task));
      return;
    }

  p->timeout_source = g_timeout_source_new (p->timeout_ms);
  g_source_set_callback (p->timeout_source, timeout_cb, p, NULL);
  g_source_attach (p->timeout_source, p->context);
  if (cancellable != NULL)
    {
      p->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (p->cancel_source, G_SOURCE_FUNC (cancelled_cb), p, NULL);
      g_source_attach (p->cancel_source, p->context);
    }

  if (p->secret != NULL)
    {
      p->stage = STAGE_SECRET;
      sitrep_secrets_lookup_async (p->secret, p->cancellable, secret_cb, g_object_ref (task));
    }
  else
    parse (p, spec->conninfo != NULL ? spec->conninfo : "");
}

SitrepProbeResult *
sitrep_probe_postgres_run_finish (GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sitrep_probe_postgres_run_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
