/* sitrep-probe-tcp.c: the tcp probe: connect, optionally send a line and expect an answer */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-probe.h"

#define MAX_ANSWER 4096

typedef struct
{
  const SitrepProbeSpec *spec;
  SitrepProbeResult *result;
  SitrepProbeDeadline deadline;
  gint64 started;
  GSocketConnection *connection;
  GString *answer;
  char buffer[1024];
} Connect;

static void
connect_free (Connect *c)
{
  sitrep_probe_deadline_clear (&c->deadline);
  if (c->connection != NULL)
    g_io_stream_close (G_IO_STREAM (c->connection), NULL, NULL);
  g_clear_object (&c->connection);
  if (c->answer != NULL)
    g_string_free (c->answer, TRUE);
  g_clear_pointer (&c->result, sitrep_probe_result_unref);
  g_free (c);
}

static void
finish (GTask      *task,
        const char *error)
{
  Connect *c = g_task_get_task_data (task);

  /* The whole check: connecting, sending, and the expected answer when there is one. */
  sitrep_probe_deadline_stop (&c->deadline);
  c->result->response_time_ms = (g_get_monotonic_time () - c->started) / 1000.0;
  if (error != NULL)
    sitrep_probe_result_fail (c->result, error);
  if (c->answer != NULL)
    c->result->result = g_strdup (c->answer->str);
  g_task_return_pointer (task, sitrep_probe_result_ref (c->result),
                         (GDestroyNotify) sitrep_probe_result_unref);
  g_object_unref (task);
}

static char *
describe (Connect *c,
          GError  *error)
{
  if (c->deadline.timed_out)
    return g_strdup_printf (_("no answer within %.1f s"), c->spec->timeout_ms / 1000.0);
  return g_strdup (error->message);
}

static void
read_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  GTask *task = user_data;
  Connect *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, &error);

  if (n < 0 && c->answer->len == 0)
    {
      g_autofree char *why = describe (c, error);

      finish (task, why);
      return;
    }
  if (n > 0)
    g_string_append_len (c->answer, c->buffer, n);

  if (n > 0 && strstr (c->answer->str, c->spec->expect) != NULL)
    {
      finish (task, NULL);
      return;
    }
  /* A server that answered something else and then went quiet or hung up: say what it said. */
  if (n <= 0 || c->answer->len >= MAX_ANSWER)
    {
      g_autofree char *valid = g_utf8_make_valid (c->answer->str, MIN (c->answer->len, 200));
      g_autofree char *said = g_strescape (valid, NULL);
      g_autofree char *why = g_strdup_printf (_("the answer does not contain \"%s\" (it was "
                                                "\"%s\")"),
                                              c->spec->expect, said);

      finish (task, why);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (c->connection)),
                             c->buffer, sizeof c->buffer, G_PRIORITY_DEFAULT, c->deadline.cancellable,
                             read_cb, task);
}

static void
expect_answer (GTask *task)
{
  Connect *c = g_task_get_task_data (task);

  if (c->spec->expect == NULL)
    {
      finish (task, NULL);
      return;
    }
  c->answer = g_string_new (NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (c->connection)),
                             c->buffer, sizeof c->buffer, G_PRIORITY_DEFAULT, c->deadline.cancellable,
                             read_cb, task);
}

static void
write_cb (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  GTask *task = user_data;
  Connect *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), res, NULL, &error))
    {
      g_autofree char *why = describe (c, error);

      finish (task, why);
      return;
    }
  expect_answer (task);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  GTask *task = user_data;
  Connect *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  c->connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), res, &error);
  if (c->connection == NULL)
    {
      g_autofree char *why = describe (c, error);

      finish (task, why);
      return;
    }

  c->result->connected = TRUE;

  if (c->spec->send != NULL)
    g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (c->connection)),
                                     c->spec->send, strlen (c->spec->send), G_PRIORITY_DEFAULT,
                                     c->deadline.cancellable, write_cb, task);
  else
    expect_answer (task);
}

void
sitrep_probe_tcp_run_async (SitrepProbeContext    *context,
                            const SitrepService   *service,
                            const SitrepProbeSpec *spec,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  Connect *c = g_new0 (Connect, 1);

  g_task_set_source_tag (task, sitrep_probe_tcp_run_async);
  g_task_set_task_data (task, c, (GDestroyNotify) connect_free);

  c->spec = spec;
  c->result = sitrep_probe_result_new ();
  c->started = g_get_monotonic_time ();
  sitrep_probe_deadline_start (&c->deadline, cancellable, spec->timeout_ms, NULL, NULL);

  g_socket_client_connect_to_host_async (client, spec->host, spec->port, c->deadline.cancellable,
                                         connect_cb, task);
}

SitrepProbeResult *
sitrep_probe_tcp_run_finish (GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
