/* bench-common.c: what the benchmarks share: a health server, generated runbooks, statistics */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <glib-unix.h>

#include "bench-common.h"

static void
health_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    BENCH_HEALTH_BODY, strlen (BENCH_HEALTH_BODY));
}

/* A server on 127.0.0.1 that answers every path with the same small health document. */
SoupServer *
bench_health_server_new (guint   *port,
                         GError **error)
{
  g_autoptr(SoupServer) server = soup_server_new ("server-header", "bench", NULL);
  g_autoslist(GUri) uris = NULL;

  soup_server_add_handler (server, NULL, health_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;
  uris = soup_server_get_uris (server);
  *port = g_uri_get_port (uris->data);
  return g_steal_pointer (&server);
}

static gboolean
stdin_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  char buf[64];

  /* The parent holds our stdin: when it goes away, so do we. */
  if ((condition & (G_IO_HUP | G_IO_ERR)) != 0 || read (fd, buf, sizeof buf) <= 0)
    {
      g_main_loop_quit (user_data);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* The child side of bench_health_server_spawn(): prints the port, serves until stdin closes. */
int
bench_health_server_serve (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(SoupServer) server = NULL;
  guint port = 0;

  server = bench_health_server_new (&port, &error);
  if (server == NULL)
    {
      g_printerr ("cannot start the health server: %s\n", error->message);
      return 1;
    }
  g_print ("%u\n", port);
  fflush (stdout);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, loop);
  g_main_loop_run (loop);
  return 0;
}

/* Starts this same program with @flag, which must call bench_health_server_serve(), so the
 * server's CPU is not counted in ours. */
GSubprocess *
bench_health_server_spawn (const char *flag,
                           guint      *port,
                           GError    **error)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  guint64 value;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            error, "/proc/self/exe", flag, NULL);
  if (child == NULL)
    return NULL;
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line (out, NULL, NULL, error);
  if (line == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the server process said nothing");
      return NULL;
    }
  if (!g_ascii_string_to_unsigned (line, 10, 1, 65535, &value, error))
    return NULL;
  *port = (guint) value;
  return g_steal_pointer (&child);
}

/* @n_services services, each with one http probe on @port and two conditions. */
SitrepRunbook *
bench_runbook_new (guint       n_services,
                   guint       port,
                   const char *interval,
                   GError    **error)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_string_append (json,
                   "{\"sitrep_runbook\": 1, \"name\": \"Bench\",\n"
                   " \"severities\": [{\"id\": \"SEV-1\", \"label\": \"Critical\","
                   " \"response_target\": \"15m\"}],\n"
                   " \"environment\": {\"context\": \"bench\", \"namespace\": \"bench\"},\n"
                   " \"services\": [\n");
  for (guint i = 0; i < n_services; i++)
    g_string_append_printf (json,
                            "  {\"id\": \"svc-%u\", \"name\": \"Service %u\", \"probes\": [\n"
                            "    {\"id\": \"health\", \"type\": \"http\","
                            " \"url\": \"http://127.0.0.1:%u/health/%u\", \"interval\": \"%s\",\n"
                            "     \"conditions\": [{\"check\": \"[STATUS] == 200\"},\n"
                            "                    {\"check\": \"[BODY].checks.database == \\\"up\\\"\","
                            " \"severity\": \"warning\"}]}]}%s\n",
                            i, i, port, i, interval, i + 1 < n_services ? "," : "");
  g_string_append (json, " ]\n}\n");

  bytes = g_string_free_to_bytes (g_steal_pointer (&json));
  return sitrep_runbook_load_bytes (bytes, "bench.json", &problems, error);
}

/* A session with the same settings as @model, the probe context's session, so a bare libsoup
 * loop competes on equal terms (connection limits, keep-alive, timeouts). */
SoupSession *
bench_session_like (SoupSession *model)
{
  return soup_session_new_with_options ("user-agent", soup_session_get_user_agent (model),
                                        "max-conns", soup_session_get_max_conns (model),
                                        "max-conns-per-host",
                                        soup_session_get_max_conns_per_host (model),
                                        "timeout", soup_session_get_timeout (model),
                                        "idle-timeout", soup_session_get_idle_timeout (model),
                                        NULL);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

double
bench_median (double *values,
              guint   n)
{
  g_autofree double *sorted = g_memdup2 (values, n * sizeof (double));

  qsort (sorted, n, sizeof (double), compare_doubles);
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/* Nearest-rank percentile of an array of doubles; sorts it. */
double
bench_percentile (GArray *values,
                  double  percent)
{
  guint rank;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  rank = (guint) (percent / 100.0 * values->len + 0.999999);
  rank = CLAMP (rank, 1, values->len);
  return g_array_index (values, double, rank - 1);
}

/* User plus system CPU time of this process, in seconds. */
double
bench_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* User plus system CPU time of a running child, from /proc; -1 when unknown. */
double
bench_child_cpu_seconds (GSubprocess *child)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (child));
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  /* The command name may hold spaces: count fields from after its closing parenthesis. */
  after_name = strrchr (text, ')');
  if (after_name == NULL)
    return -1;
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;
  /* utime and stime are fields 14 and 15 of the line, 12 and 13 after the name. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / sysconf (_SC_CLK_TCK);
}

/* Turns the main loop until *@done. */
void
bench_spin (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}
