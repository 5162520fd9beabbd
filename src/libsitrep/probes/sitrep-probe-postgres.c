/* sitrep-probe-postgres.c: the postgres probe (connect, SELECT 1, one read-only query) via libpq */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <libpq-fe.h>

#include "sitrep-lazy-libraries.h"
#include "sitrep-probe-run.h"

/* The most addresses tried for one host name, as libpq itself would try each of them. */
#define MAX_ADDRESSES_PER_HOST 8

/* Before it connects, the run itself waits on the keyring and the resolver. */
typedef enum
{
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
  SitrepProbeRun *run;
  char *password;             /* only to scrub it from messages */

  PQconninfoOption *options;
  char **host_list;           /* the hosts to resolve, one by one */
  char **port_list;
  guint next_host;
  GPtrArray *hosts;           /* what libpq gets: host, hostaddr, port per address */
  GPtrArray *hostaddrs;
  GPtrArray *ports;
  SitrepReason *resolve_error;

  PGconn *conn;
  GSource *fd_source;

  Stage stage;
  Step step;
  SitrepReason *step_error;
  char *step_value;
} PgProbe;

static void resolve_next (PgProbe *p);

static void
pg_probe_free (PgProbe *p)
{
  g_assert (p->conn == NULL);
  g_assert (p->fd_source == NULL);
  sitrep_probe_scrub_free (p->password);
  g_clear_pointer (&p->options, PQconninfoFree);
  g_strfreev (p->host_list);
  g_strfreev (p->port_list);
  g_clear_pointer (&p->hosts, g_ptr_array_unref);
  g_clear_pointer (&p->hostaddrs, g_ptr_array_unref);
  g_clear_pointer (&p->ports, g_ptr_array_unref);
  g_clear_pointer (&p->resolve_error, sitrep_reason_unref);
  g_clear_pointer (&p->step_error, sitrep_reason_unref);
  g_free (p->step_value);
  g_free (p);
}

/* libpq's messages are multi-line and name the host and user, never the password; scrub it all
 * the same, in case a server or a parse error echoes part of the connection string. */
static SitrepReason *
clean_message (PgProbe    *p,
               const char *message)
{
  GString *text = g_string_new (message != NULL ? message : "");
  g_autofree char *clean = NULL;

  if (p->password != NULL && p->password[0] != '\0')
    g_string_replace (text, p->password, "***", 0);
  g_string_replace (text, "\n\t", " ", 0);
  g_string_replace (text, "\n", " ", 0);
  g_string_replace (text, ":  ", ": ", 0);
  clean = g_strstrip (g_string_free (text, FALSE));
  if (clean[0] == '\0')
    return sitrep_reason_new (N_("unknown error"));
  return sitrep_reason_new_text (clean);
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

/* The run returns the result on the next turn of the main loop, so the caller's callback never
 * runs inside ours. */
static void
finish (PgProbe *p)
{
  sitrep_probe_run_complete (p->run);
}

/* Ends the run as a check that did not complete, for the reason @why (transfer full). */
static void
fail (PgProbe      *p,
      SitrepReason *why)
{
  sitrep_probe_run_fail (p->run, why);
}

static void
pg_timed_out (SitrepProbeRun *run)
{
  PgProbe *p = sitrep_probe_run_get_data (run);
  SitrepReason *within = sitrep_probe_timeout_reason (run->timeout_ms);

  if (p->stage == STAGE_CONNECT)
    fail (p, sitrep_reason_new (N_("no answer within %s while connecting"), within));
  else if (p->step == STEP_QUERY)
    fail (p, sitrep_reason_new (N_("query failed: no answer within %s"), within));
  else
    fail (p, sitrep_reason_new (N_("no answer within %s"), within));
}

static void
pg_cancelled (SitrepProbeRun *run)
{
  /* The task reports G_IO_ERROR_CANCELLED, whatever the result says. */
  sitrep_probe_run_fail (run, sitrep_reason_new (N_("cancelled")));
}

/* Closes the connection, on a turn of the main loop of the run's own. */
static void
pg_stop (SitrepProbeRun *run)
{
  PgProbe *p = sitrep_probe_run_get_data (run);

  sitrep_probe_destroy_source (&p->fd_source);
  g_clear_pointer (&p->conn, PQfinish);
}

static gboolean fd_cb (int fd, GIOCondition condition, gpointer user_data);

/* libpq may open a new socket between two polls (another host, another address, SSL refused),
 * so every wait looks the socket up again. */
static void
watch (PgProbe     *p,
       GIOCondition condition)
{
  int fd = PQsocket (p->conn);

  sitrep_probe_destroy_source (&p->fd_source);
  if (fd < 0)
    {
      SitrepReason *why = clean_message (p, PQerrorMessage (p->conn));

      fail (p, sitrep_reason_new (N_("the connection was lost: %s"), why));
      return;
    }
  p->fd_source = g_unix_fd_source_new (fd, condition | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (p->fd_source, G_SOURCE_FUNC (fd_cb), p, NULL);
  g_source_attach (p->fd_source, p->run->main_context);
}

static void
send_step (PgProbe *p)
{
  int sent;

  g_clear_pointer (&p->step_error, sitrep_reason_unref);
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
                                                  G_GINT64_FORMAT, p->run->timeout_ms);

        sent = PQsendQuery (p->conn, begin);
      }
      break;
    case STEP_QUERY:
      /* The extended protocol takes one statement only: no "SELECT 1; DELETE …". */
      sent = PQsendQueryParams (p->conn, p->run->spec->query, 0, NULL, NULL, NULL, NULL, 0);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!sent)
    {
      SitrepReason *why = clean_message (p, PQerrorMessage (p->conn));

      fail (p, sitrep_reason_new (N_("cannot send the query: %s"), why));
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
          fail (p, sitrep_reason_new (N_("SELECT 1 failed: %s"),
                                      sitrep_reason_ref (p->step_error)));
          return;
        }
      if (p->run->spec->query == NULL)
        {
          p->run->result->result = g_strdup ("1");
          finish (p);
          return;
        }
      p->step = STEP_BEGIN;
      break;
    case STEP_BEGIN:
      if (p->step_error != NULL)
        {
          fail (p, sitrep_reason_new (N_("query failed: %s"),
                                      sitrep_reason_ref (p->step_error)));
          return;
        }
      p->step = STEP_QUERY;
      break;
    case STEP_QUERY:
      if (p->step_error != NULL)
        {
          fail (p, sitrep_reason_new (N_("query failed: %s"),
                                      sitrep_reason_ref (p->step_error)));
          return;
        }
      p->run->result->result = g_steal_pointer (&p->step_value);
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
      SitrepReason *why = clean_message (p, PQerrorMessage (p->conn));

      fail (p, sitrep_reason_new (N_("the connection was lost: %s"), why));
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
      p->run->result->connected = TRUE;
      p->run->result->unencrypted = !PQsslInUse (p->conn) && !is_local_socket (PQhost (p->conn));
      /* Without this, PQflush () and PQfinish () may wait for the socket. */
      if (PQsetnonblocking (p->conn, 1) != 0)
        {
          SitrepReason *why = clean_message (p, PQerrorMessage (p->conn));

          fail (p, sitrep_reason_new (N_("the connection was lost: %s"), why));
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
fd_cb (int          fd,
       GIOCondition condition,
       gpointer     user_data)
{
  PgProbe *p = user_data;

  g_clear_pointer (&p->fd_source, g_source_unref);
  if (sitrep_probe_run_is_over (p->run))
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
      fail (p, sitrep_reason_new (N_("out of memory")));
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
resolved_cb (SitrepProbeRun *run,
             GList          *addresses,
             const GError   *error)
{
  PgProbe *p = sitrep_probe_run_get_data (run);
  const char *host = p->host_list[p->next_host];
  guint n = 0;

  if (addresses == NULL)
    {
      /* libpq goes on with the next host; so does the probe, and tells if none was left. */
      g_clear_pointer (&p->resolve_error, sitrep_reason_unref);
      p->resolve_error = sitrep_reason_new (N_("cannot resolve %s: %s"),
                                            sitrep_reason_new_text (host),
                                            sitrep_reason_new_text (error->message));
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

      if (host[0] == '\0' || host[0] == '/' || host[0] == '@' || g_hostname_is_ip_address (host))
        {
          /* A socket directory or an address: libpq needs no lookup. */
          add_target (p, host, g_hostname_is_ip_address (host) ? host : "", p->next_host);
          p->next_host++;
          continue;
        }
      sitrep_probe_run_resolve (p->run, host, resolved_cb);
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
  sitrep_probe_run_start_clock (p->run);
  p->options = PQconninfoParse (conninfo, &parse_error);
  if (p->options == NULL)
    {
      g_autofree char *why = clean_parse_error (parse_error);

      if (parse_error != NULL)
        PQfreemem (parse_error);
      sitrep_probe_run_cannot_run (p->run,
                                   sitrep_reason_new (N_("the connection string is not valid: %s"),
                                                      sitrep_reason_new_text (why)));
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
secret_cb (SitrepProbeRun *run,
           char           *conninfo)
{
  parse (sitrep_probe_run_get_data (run), conninfo);
  sitrep_probe_scrub_free (conninfo);
}

static void
pg_start (SitrepProbeRun *run)
{
  PgProbe *p = g_new0 (PgProbe, 1);

  p->run = run;
  sitrep_probe_run_set_data (run, p, (GDestroyNotify) pg_probe_free);
  if (run->spec->secret != NULL)
    sitrep_probe_run_lookup_secret (run, run->spec->secret, secret_cb);
  else
    parse (p, run->spec->conninfo != NULL ? run->spec->conninfo : "");
}

static void
pg_load (SitrepLoader        *l,
         JsonNode            *node,
         const SitrepService *service,
         SitrepProbeSpec     *spec)
{
  JsonObject *object = json_node_get_object (node);

  spec->conninfo = sitrep_schema_text (l, object, "conninfo");
  spec->secret = sitrep_schema_secret (l, object, "secret");
  spec->query = sitrep_schema_text (l, object, "query");
  if (spec->conninfo == NULL && spec->secret == NULL
      && sitrep_schema_member (object, "conninfo") == NULL
      && sitrep_schema_member (object, "secret") == NULL)
    sitrep_schema_problem (l, AT_VALUE (node),
                           _("a postgres probe needs \"conninfo\" or \"secret\" (the name of the "
                             "keyring entry that holds the connection URI)"));
  if (spec->conninfo != NULL && strstr (spec->conninfo, "password") != NULL)
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "conninfo")),
                           _("\"conninfo\" holds a password: keep it in the keyring and name it "
                             "with \"secret\""));
}

static char *
pg_describe (const SitrepProbeSpec *spec)
{
  return g_strdup (spec->query != NULL ? spec->query : "SELECT 1");
}

static const SitrepProbeKind pg_kind = {
  .load = pg_load,
  .describe = pg_describe,
  .start = pg_start,
  /* libpq makes the connection and speaks PostgreSQL's protocol. */
  .library_settled = sitrep_lazy_libpq_settled,
  .library_load = sitrep_lazy_libpq_load,
  .timed_out = pg_timed_out,
  .cancelled = pg_cancelled,
  .stop = pg_stop,
};

static const char *const pg_keys[] = { "conninfo", "secret", "query", NULL };

SITREP_DEFINE_PROBE_KIND (postgres, "postgres", pg_keys, pg_kind)
