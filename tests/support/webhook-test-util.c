/* webhook-test-util.c: a loopback chat webhook that misbehaves on demand, and the database checks
 *
 * The hook is a raw HTTP/1.1 server rather than a SoupServer so that it can do what a real
 * network does to a client: reset the connection, or accept it and never answer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sitrep-timeline-event-render.h"
#include "webhook-test-util.h"

#define MAX_REQUEST (1024 * 1024)

struct _TestHook
{
  GSocketService *service;
  guint port;
  char *url;
  TestHookMode mode;
  guint status;
  char *answer;
  guint n_requests;
  char *method;
  char *path;
  char *content_type;
  char *body;
  GPtrArray *held; /* GSocketConnection: silent ones, closed when the hook goes */
  GPtrArray *holding; /* GSocketConnection: held ones, answered by test_hook_release() */
};

typedef struct
{
  TestHook *hook;
  GSocketConnection *connection;
  GString *data;
  char buffer[4096];
} Conn;

static void conn_read (Conn *conn);

static void
conn_free (Conn *conn)
{
  g_clear_object (&conn->connection);
  g_string_free (conn->data, TRUE);
  g_free (conn);
}

static const char *
phrase (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

static char *
header_value (const char *headers,
              const char *name)
{
  g_auto(GStrv) lines = g_strsplit (headers, "\r\n", -1);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (colon != NULL && (gsize) (colon - lines[i]) == strlen (name)
          && g_ascii_strncasecmp (lines[i], name, strlen (name)) == 0)
        return g_strstrip (g_strdup (colon + 1));
    }
  return NULL;
}

static void
answer_on (GSocketConnection *connection,
           guint              status,
           const char        *answer)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autofree char *response = NULL;

  response = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: text/plain\r\nContent-Length: %zu"
                              "\r\nConnection: close\r\n\r\n%s",
                              status, phrase (status), strlen (answer), answer);
  g_output_stream_write_all (out, response, strlen (response), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

static void
respond (Conn *conn)
{
  TestHook *hook = conn->hook;
  g_autofree char *answer = NULL;
  guint status = hook->status;

  switch (hook->mode)
    {
    case TEST_HOOK_SILENT:
      g_ptr_array_add (hook->held, g_object_ref (conn->connection));
      return;
    case TEST_HOOK_HOLD:
      g_ptr_array_add (hook->holding, g_object_ref (conn->connection));
      return;
    case TEST_HOOK_RESET:
      {
        /* SO_LINGER with a zero timeout makes close() send RST instead of FIN. */
        struct linger linger = { 1, 0 };
        int fd = g_socket_get_fd (g_socket_connection_get_socket (conn->connection));

        g_assert_cmpint (setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger), ==, 0);
        g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
        return;
      }
    case TEST_HOOK_ECHO_PATH:
      status = 404;
      answer = g_strdup_printf ("no route for %s %s\n", hook->method, hook->path);
      break;
    case TEST_HOOK_ANSWER:
    default:
      answer = g_strdup (hook->answer);
      break;
    }
  answer_on (conn->connection, status, answer);
}

/* Once the headers and Content-Length bytes are in, the request is complete. */
static gboolean
request_complete (Conn *conn)
{
  TestHook *hook = conn->hook;
  const char *end = strstr (conn->data->str, "\r\n\r\n");
  g_autofree char *headers = NULL;
  g_autofree char *length = NULL;
  g_auto(GStrv) request_line = NULL;
  gsize body_start, body_length;

  if (end == NULL)
    return FALSE;
  headers = g_strndup (conn->data->str, end - conn->data->str);
  body_start = end - conn->data->str + 4;
  length = header_value (headers, "Content-Length");
  body_length = length != NULL ? g_ascii_strtoull (length, NULL, 10) : 0;
  if (conn->data->len < body_start + body_length)
    return FALSE;

  request_line = g_strsplit (headers, " ", 3);
  hook->n_requests++;
  g_free (hook->method);
  hook->method = g_strdup (request_line[0]);
  g_free (hook->path);
  hook->path = g_strdup (request_line[1]);
  g_free (hook->content_type);
  hook->content_type = header_value (headers, "Content-Type");
  g_free (hook->body);
  hook->body = g_strndup (conn->data->str + body_start, body_length);
  return TRUE;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Conn *conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || conn->data->len > MAX_REQUEST)
    {
      conn_free (conn);
      return;
    }
  g_string_append_len (conn->data, conn->buffer, n);
  if (request_complete (conn))
    {
      respond (conn);
      conn_free (conn);
      return;
    }
  conn_read (conn);
}

static void
conn_read (Conn *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  g_input_stream_read_async (in, conn->buffer, sizeof conn->buffer, G_PRIORITY_DEFAULT, NULL,
                             read_cb, conn);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             TestHook          *hook)
{
  Conn *conn = g_new0 (Conn, 1);

  conn->hook = hook;
  conn->connection = g_object_ref (connection);
  conn->data = g_string_new (NULL);
  conn_read (conn);
  return TRUE;
}

static void
listen_on (TestHook *hook,
           guint     port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocketAddress) effective = NULL;

  hook->service = g_socket_service_new ();
  g_signal_connect (hook->service, "incoming", G_CALLBACK (incoming_cb), hook);
  g_socket_listener_add_address (G_SOCKET_LISTENER (hook->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  hook->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_socket_service_start (hook->service);
}

void
test_hook_take_keyring_turn (void)
{
  const char *folder = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *path = g_build_filename (folder != NULL ? folder : g_get_tmp_dir (),
                                            "webhook-url-keyring.lock", NULL);
  /* Left open: the lock goes with the process. */
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    g_error ("Cannot open %s: %s", path, g_strerror (errno));
  while (flock (fd, LOCK_EX) != 0)
    if (errno != EINTR)
      g_error ("Cannot lock %s: %s", path, g_strerror (errno));
}

TestHook *
test_hook_new (void)
{
  TestHook *hook = g_new0 (TestHook, 1);

  hook->held = g_ptr_array_new_with_free_func (g_object_unref);
  hook->holding = g_ptr_array_new_with_free_func (g_object_unref);
  test_hook_answer (hook, 200, "ok");
  listen_on (hook, 0);
  hook->url = g_strdup_printf ("http://127.0.0.1:%u/hooks/" TEST_HOOK_TOKEN, hook->port);
  return hook;
}

void
test_hook_stop (TestHook *hook)
{
  if (hook->service == NULL)
    return;
  g_socket_service_stop (hook->service);
  g_socket_listener_close (G_SOCKET_LISTENER (hook->service));
  g_signal_handlers_disconnect_by_data (hook->service, hook);
  g_clear_object (&hook->service);
}

void
test_hook_restart (TestHook *hook)
{
  test_hook_stop (hook);
  listen_on (hook, hook->port);
}

void
test_hook_free (TestHook *hook)
{
  for (guint i = 0; i < hook->held->len; i++)
    g_io_stream_close (hook->held->pdata[i], NULL, NULL);
  g_ptr_array_unref (hook->held);
  for (guint i = 0; i < hook->holding->len; i++)
    g_io_stream_close (hook->holding->pdata[i], NULL, NULL);
  g_ptr_array_unref (hook->holding);
  test_hook_stop (hook);
  /* Reads still pending end with the connections, on the next iterations. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (hook->url);
  g_free (hook->answer);
  g_free (hook->method);
  g_free (hook->path);
  g_free (hook->content_type);
  g_free (hook->body);
  g_free (hook);
}

const char *
test_hook_get_url (TestHook *hook)
{
  return hook->url;
}

guint
test_hook_get_port (TestHook *hook)
{
  return hook->port;
}

void
test_hook_set_mode (TestHook    *hook,
                    TestHookMode mode)
{
  hook->mode = mode;
}

guint
test_hook_get_n_held (TestHook *hook)
{
  return hook->holding->len;
}

void
test_hook_release (TestHook *hook)
{
  g_autoptr(GPtrArray) holding = g_steal_pointer (&hook->holding);

  hook->holding = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < holding->len; i++)
    answer_on (holding->pdata[i], hook->status, hook->answer);
}

void
test_hook_answer (TestHook   *hook,
                  guint       status,
                  const char *body)
{
  hook->mode = TEST_HOOK_ANSWER;
  hook->status = status;
  g_free (hook->answer);
  hook->answer = g_strdup (body);
}

guint
test_hook_get_n_requests (TestHook *hook)
{
  return hook->n_requests;
}

const char *
test_hook_get_method (TestHook *hook)
{
  return hook->method;
}

const char *
test_hook_get_path (TestHook *hook)
{
  return hook->path;
}

const char *
test_hook_get_content_type (TestHook *hook)
{
  return hook->content_type;
}

const char *
test_hook_get_body (TestHook *hook)
{
  return hook->body;
}

static sqlite3 *
open_read_only (const char *path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("cannot open %s: %s", path, sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 10000);
  return db;
}

GStrv
test_db_strings (const char *path,
                 const char *sql,
                 gint64      arg)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3 *db = open_read_only (path);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, sqlite3_column_type (stmt, 0) == SQLITE_NULL
                                   ? "(null)"
                                   : (const char *) sqlite3_column_text (stmt, 0));
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_strv_builder_end (builder);
}

GStrv
test_db_events (const char *path,
                gint64      incident_id,
                const char *kind)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3 *db = open_read_only (path);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT fields, text FROM timeline_events"
                                           " WHERE incident_id = ?1 AND kind = ?2 ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, incident_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *sentence = sitrep_timeline_render_json (
        kind, (const char *) sqlite3_column_text (stmt, 0),
        (const char *) sqlite3_column_text (stmt, 1), SITREP_TIMELINE_RENDER_DEFAULT);

      g_strv_builder_add (builder, sentence);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_strv_builder_end (builder);
}

void
test_db_assert_absent (const char *path,
                       const char *needle)
{
  const char *suffixes[] = { "", "-wal", "-journal" };
  sqlite3 *db = open_read_only (path);
  sqlite3_stmt *tables = NULL;
  guint n_tables = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table'",
                                       -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"",
                                              (const char *) sqlite3_column_text (tables, 0));
      sqlite3_stmt *rows = NULL;

      n_tables++;
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL), ==, SQLITE_OK);
      while (sqlite3_step (rows) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (rows); c++)
          {
            const char *value = (const char *) sqlite3_column_blob (rows, c);
            int size = sqlite3_column_bytes (rows, c);

            if (value != NULL && g_strstr_len (value, size, needle) != NULL)
              g_error ("“%s” is in table %s, column %s: %.*s", needle,
                       sqlite3_column_text (tables, 0), sqlite3_column_name (rows, c), size, value);
          }
      sqlite3_finalize (rows);
    }
  sqlite3_finalize (tables);
  sqlite3_close (db);
  /* The store's tables at least: a check of an empty file would prove nothing. */
  g_assert_cmpuint (n_tables, >=, 5);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *bytes = NULL;
      gsize size;

      if (g_file_get_contents (file, &bytes, &size, NULL))
        g_assert_null (g_strstr_len (bytes, size, needle));
    }
}
