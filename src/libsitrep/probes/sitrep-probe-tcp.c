/* sitrep-probe-tcp.c: the tcp probe: connect, optionally send a line and expect an answer */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-probe-run.h"

#define MAX_ANSWER 4096

typedef struct
{
  SitrepProbeRun *run;
  const SitrepProbeSpec *spec;
  GSocketConnection *connection;
  GString *answer;
  char buffer[1024];
} Connect;

static void
connect_free (Connect *c)
{
  if (c->connection != NULL)
    g_io_stream_close (G_IO_STREAM (c->connection), NULL, NULL);
  g_clear_object (&c->connection);
  if (c->answer != NULL)
    g_string_free (c->answer, TRUE);
  g_free (c);
}

/* The whole check: connecting, sending, and the expected answer when there is one. */
static void
finish (Connect      *c,
        SitrepReason *why)
{
  if (c->answer != NULL)
    c->run->result->result = g_strdup (c->answer->str);
  if (why != NULL)
    sitrep_probe_run_fail (c->run, why);
  else
    sitrep_probe_run_complete (c->run);
}

static SitrepReason *
describe (Connect *c,
          GError  *error)
{
  if (c->run->timed_out)
    return sitrep_reason_new (N_("no answer within %s s"),
                              sitrep_probe_seconds_reason (c->spec->timeout_ms));
  return sitrep_reason_new_text (error->message);
}

static void read_cb (GObject      *source,
                     GAsyncResult *res,
                     gpointer      user_data);

/* Reads what the server says next into c->buffer. */
static void
read_more (Connect *c)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (c->connection)),
                             c->buffer, sizeof c->buffer, G_PRIORITY_DEFAULT, c->run->cancellable,
                             read_cb, c);
}

static void
read_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  Connect *c = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, &error);

  if (n < 0 && c->answer->len == 0)
    {
      finish (c, describe (c, error));
      return;
    }
  if (n > 0)
    g_string_append_len (c->answer, c->buffer, n);

  if (n > 0 && strstr (c->answer->str, c->spec->expect) != NULL)
    {
      finish (c, NULL);
      return;
    }
  /* A server that answered something else and then went quiet or hung up: say what it said. */
  if (n <= 0 || c->answer->len >= MAX_ANSWER)
    {
      g_autofree char *valid = g_utf8_make_valid (c->answer->str, MIN (c->answer->len, 200));
      g_autofree char *said = g_strescape (valid, NULL);
      finish (c, sitrep_reason_new (N_("the answer does not contain \"%s\" (it was \"%s\")"),
                                    sitrep_reason_new_text (c->spec->expect),
                                    sitrep_reason_new_text (said)));
      return;
    }
  read_more (c);
}

static void
expect_answer (Connect *c)
{
  if (c->spec->expect == NULL)
    {
      finish (c, NULL);
      return;
    }
  c->answer = g_string_new (NULL);
  read_more (c);
}

static void
write_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  Connect *c = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), res, NULL, &error))
    {
      finish (c, describe (c, error));
      return;
    }
  expect_answer (c);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  Connect *c = user_data;
  g_autoptr(GError) error = NULL;

  c->connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), res, &error);
  if (c->connection == NULL)
    {
      finish (c, describe (c, error));
      return;
    }

  c->run->result->connected = TRUE;

  if (c->spec->send != NULL)
    g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (c->connection)),
                                     c->spec->send, strlen (c->spec->send), G_PRIORITY_DEFAULT,
                                     c->run->cancellable, write_cb, c);
  else
    expect_answer (c);
}

static void
tcp_start (SitrepProbeRun *run)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  Connect *c = g_new0 (Connect, 1);

  c->run = run;
  c->spec = run->spec;
  sitrep_probe_run_set_data (run, c, (GDestroyNotify) connect_free);
  g_socket_client_connect_to_host_async (client, c->spec->host, c->spec->port, run->cancellable,
                                         connect_cb, c);
}

static void
tcp_load (SitrepLoader        *l,
          JsonNode            *node,
          const SitrepService *service,
          SitrepProbeSpec     *spec)
{
  JsonObject *object = json_node_get_object (node);

  spec->host = sitrep_schema_text (l, object, "host");
  if (spec->host == NULL && sitrep_schema_member (object, "host") == NULL)
    sitrep_schema_problem (l, AT_VALUE (node), _("a %s probe needs a \"host\""), "tcp");
  spec->port = sitrep_schema_int (l, object, "port", 1, 65535, 0);
  if (sitrep_schema_member (object, "port") == NULL)
    sitrep_schema_problem (l, AT_VALUE (node), _("a tcp probe needs a \"port\""));
  spec->send = sitrep_schema_string (l, object, "send");
  spec->expect = sitrep_schema_string (l, object, "expect");
}

static char *
tcp_describe (const SitrepProbeSpec *spec)
{
  return g_strdup_printf ("%s:%u", spec->host, spec->port);
}

static const SitrepProbeKind tcp_kind = {
  .load = tcp_load,
  .describe = tcp_describe,
  .start = tcp_start,
};

static const char *const tcp_keys[] = { "host", "port", "send", "expect", NULL };

SITREP_DEFINE_PROBE_KIND (tcp, "tcp", tcp_keys, tcp_kind)
