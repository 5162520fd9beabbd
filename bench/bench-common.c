/* bench-common.c: what the benchmarks share: a health server, generated runbooks, statistics */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <math.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "bench-common.h"
#include "bench-stats.h"
#include "sitrep-incident.h"
#include "sitrep-runbook-loader.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-private.h"

#define T0 ((gint64) 1764300000 * G_USEC_PER_SEC)

/* Whether the server's services change state every second (bench_health_server_serve()). */
static gboolean flipping;

static void
health_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const char *slash = strrchr (path, '/');
  guint64 index = slash ? g_ascii_strtoull (slash + 1, NULL, 10) : 0;

  /* Half of the services fail in even seconds, the other half in odd ones: every service
   * changes state every second. */
  if (flipping && (g_get_real_time () / G_USEC_PER_SEC + index) % 2 == 1)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
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
bench_health_server_serve (gboolean flip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(SoupServer) server = NULL;
  guint port = 0;

  flipping = flip;
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

/* The text of a runbook of @n_services services, each with one http probe on @port and two
 * conditions. */
char *
bench_runbook_text (guint       n_services,
                    guint       port,
                    const char *interval)
{
  GString *json = g_string_new (NULL);

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
  return g_string_free (json, FALSE);
}

SitrepRunbook *
bench_runbook_new (guint       n_services,
                   guint       port,
                   const char *interval,
                   GError    **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  char *text = bench_runbook_text (n_services, port, interval);

  bytes = g_bytes_new_take (text, strlen (text));
  return sitrep_runbook_load_bytes (bytes, "bench.json", &problems, error);
}

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

/* Where the other programs of the benchmarks are: beside this one. */
char *
bench_sibling (const char *name)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (self ? self : ".");

  return g_build_filename (dir, name, NULL);
}

static gboolean
child_timeout_cb (gpointer user_data)
{
  g_subprocess_force_exit (user_data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  gboolean done;
  char *out;
  GError *error;
} Communicated;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communicated *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, NULL, &c->error);
  c->done = TRUE;
}

/**
 * bench_run_child:
 * @argv: the program and its arguments
 *
 * Runs one measured process to its end (at most @timeout_s seconds). It prints its figures on
 * standard output, one "name value" per line; they come back in a table of doubles, with
 * "spawned", the monotonic time in microseconds just before it started, so a child can report
 * moments (g_get_monotonic_time() is the same clock in every process).
 */
GHashTable *
bench_run_child (const char *const *argv,
                 guint              timeout_s,
                 GError           **error)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;
  Communicated c = { 0 };
  gint64 spawned = g_get_monotonic_time ();
  guint timeout_id;

  child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (child == NULL)
    return NULL;
  timeout_id = g_timeout_add_seconds (timeout_s, child_timeout_cb, child);
  g_subprocess_communicate_utf8_async (child, NULL, NULL, communicated_cb, &c);
  bench_spin (&c.done);
  g_source_remove (timeout_id);
  if (c.error != NULL)
    {
      g_propagate_error (error, c.error);
      return NULL;
    }
  g_subprocess_wait (child, NULL, NULL);
  lines = g_strsplit (c.out ? c.out : "", "\n", -1);
  g_free (c.out);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (lines[i], " ", 2);
      double *value;

      if (g_strv_length (words) != 2)
        continue;
      value = g_new (double, 1);
      *value = g_ascii_strtod (words[1], NULL);
      g_hash_table_replace (values, g_strdup (words[0]), value);
    }
  if (!g_subprocess_get_if_exited (child) || g_subprocess_get_exit_status (child) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s did not finish well (%s)", argv[0],
                   g_subprocess_get_if_exited (child) ? "it exited with an error"
                                                      : "it was killed or timed out");
      return NULL;
    }
  {
    double *at = g_new (double, 1);

    *at = (double) spawned;
    g_hash_table_replace (values, g_strdup ("spawned"), at);
  }
  return g_steal_pointer (&values);
}

/* A figure a child printed, or NAN. */
double
bench_value (GHashTable *values,
             const char *name)
{
  double *value = g_hash_table_lookup (values, name);

  return value ? *value : NAN;
}

/* Prints one figure's runs, baseline and Sitrep side by side, their medians and the ratio;
 * returns the ratio of the medians (Sitrep / baseline). */
double
bench_print_pairs (const char *label,
                   const char *unit,
                   GArray     *bare,
                   GArray     *sitrep)
{
  double bare_median = bench_median ((double *) bare->data, bare->len);
  double sitrep_median = bench_median ((double *) sitrep->data, sitrep->len);
  double ratio = bare_median > 0 ? sitrep_median / bare_median : NAN;

  g_print ("%s\n", label);
  g_print ("  baseline: median %9.2f %s  (runs:", bare_median, unit);
  for (guint i = 0; i < bare->len; i++)
    g_print (" %.2f", g_array_index (bare, double, i));
  g_print (")\n  Sitrep:   median %9.2f %s  (runs:", sitrep_median, unit);
  for (guint i = 0; i < sitrep->len; i++)
    g_print (" %.2f", g_array_index (sitrep, double, i));
  g_print (")\n  ratio Sitrep / baseline: %.2f\n", ratio);
  return ratio;
}

/* Prints a goal's verdict; returns whether it was met. */
gboolean
bench_verdict (const char *goal,
               gboolean    met)
{
  g_print ("goal: %s: %s\n", goal, met ? "MET" : "MISSED");
  return met;
}

/* How busy the machine is: the benchmarks share it. */
void
bench_print_load (const char *when)
{
  g_autofree char *load = NULL;

  if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
    g_print ("load average %s: %s", when, load);
  g_print ("processors online: %ld\n", sysconf (_SC_NPROCESSORS_ONLN));
}

/* The renderer GTK was told to use, for the header line: figures differ a lot between them. */
const char *
bench_renderer (void)
{
  return g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default";
}

/**
 * bench_scratch_init:
 * @name: the folder's name, before the random part
 * @runbook_text: (nullable): written as the folder's bench.json
 *
 * Makes a scratch folder with an empty database file in it (Sitrep starts a new database in
 * it, in the first, dropped, run) and the runbook when one is given. Says on stderr what
 * could not be made.
 */
gboolean
bench_scratch_init (BenchScratch *scratch,
                    const char   *name,
                    const char   *runbook_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", name);

  scratch->dir = g_dir_make_tmp (template, &error);
  if (scratch->dir == NULL)
    {
      g_printerr ("cannot make a temporary folder: %s\n", error->message);
      return FALSE;
    }
  scratch->database = g_build_filename (scratch->dir, "sitrep.db", NULL);
  if (!g_file_set_contents (scratch->database, "", 0, &error))
    {
      g_printerr ("cannot create the database file: %s\n", error->message);
      return FALSE;
    }
  if (runbook_text == NULL)
    return TRUE;
  scratch->runbook = g_build_filename (scratch->dir, "bench.json", NULL);
  if (!g_file_set_contents (scratch->runbook, runbook_text, -1, &error))
    {
      g_printerr ("cannot write the runbook: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Removes the scratch folder and what the benchmark left in it (the database's journal too). */
void
bench_scratch_clear (BenchScratch *scratch)
{
  if (scratch->database != NULL)
    {
      g_autofree char *wal = g_strconcat (scratch->database, "-wal", NULL);
      g_autofree char *shm = g_strconcat (scratch->database, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);
      g_unlink (scratch->database);
    }
  if (scratch->runbook != NULL)
    g_unlink (scratch->runbook);
  if (scratch->dir != NULL)
    g_rmdir (scratch->dir);
  g_clear_pointer (&scratch->dir, g_free);
  g_clear_pointer (&scratch->database, g_free);
  g_clear_pointer (&scratch->runbook, g_free);
}

/* System events as the console records them (a kind and its fields, put into words by the
 * export), and the commander's notes. */
static const char *const kinds[] = { "health", "checklist", "status", "update", "note" };
static const char *const fields_of[] = {
  "{\"service\":\"api\",\"service_name\":\"API\",\"old\":\"up\",\"new\":\"degraded\","
  "\"reason\":\"[RESPONSE_TIME] < 300 failed: 812 ms\"}",
  "{\"item\":\"check-monitoring\",\"text\":\"Check monitoring dashboards\",\"done\":true}",
  "{\"old\":\"investigating\",\"new\":\"identified\"}",
  "{}",
  NULL,
};
static const char *const note = "# customers report | errors at `checkout`\n> retrying";

/* An incident with @n_events events, one a second (28 hours for 100,000), a tenth of them notes, one in fifty starred. */
gint64
bench_fill_incident (SitrepStore   *store,
                     SitrepRunbook *runbook,
                     guint          n_events,
                     GError       **error)
{
  g_autoptr(SitrepPostmortemFields) fields = sitrep_postmortem_fields_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);
  g_autoptr(SitrepDeclaration) declaration = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  declaration = sitrep_declaration_new (runbook, "SEV-1", "Checkout returns 502s", "Nobody can pay",
                                        "alice", NULL, NULL, T0, error);
  if (declaration == NULL)
    return -1;
  id = sitrep_store_declare_incident (store, declaration, error);
  if (id < 0)
    return -1;
  if (!sitrep_store_exec (store, "BEGIN", "filling", error))
    return -1;
  stmt = sitrep_store_prepare (store,
                               "INSERT INTO timeline_events (incident_id, at, recorded_at, kind,"
                               " fields, text, author, is_system, starred)"
                               " VALUES (?1, ?2, ?2, ?3, ?4, ?5, 'alice', ?6, ?7)",
                               error);
  if (stmt == NULL)
    return -1;
  for (guint i = 1; i < n_events; i++)
    {
      guint k = i % 10 == 0 ? 4 : i % 4;

      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, T0 + (gint64) i * G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 3, kinds[k], -1, SQLITE_STATIC);
      if (fields_of[k] != NULL)
        sqlite3_bind_text (stmt, 4, fields_of[k], -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 4);
      sqlite3_bind_text (stmt, 5, k == 4 ? note : "", -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 6, k != 4);
      sqlite3_bind_int (stmt, 7, i % 50 == 0);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sitrep_store_fail (store, sqlite3_reset (stmt), "filling", error);
          sqlite3_finalize (stmt);
          return -1;
        }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  if (!sitrep_store_exec (store, "COMMIT", "filling", error))
    return -1;

  g_free (fields->summary);
  fields->summary = g_strdup ("A day of failed payments.");
  g_ptr_array_add (items, sitrep_action_item_new ("Alert on certificate expiry", "bob",
                                                  "2025-12-05", FALSE));
  if (!sitrep_store_save_postmortem (store, id, NULL, fields, NULL, items, NULL, error))
    return -1;
  return id;
}

/**
 * bench_pairs:
 * @bare: the baseline's command line
 * @sitrep: Sitrep's
 *
 * Runs the baseline and Sitrep one after the other, @n_pairs times (A, B, A, B…), after one
 * pair whose figures are dropped (it fills the caches and creates the database). Each run is a
 * process of its own. The figures of each run go into @runs. The machine's load before is
 * printed first: the benchmarks share it. A run that fails is said on stderr.
 */
gboolean
bench_pairs (BenchRuns         *runs,
             const char *const *bare,
             const char *const *sitrep,
             guint              n_pairs,
             guint              timeout_s)
{
  runs->bare = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  runs->sitrep = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  bench_print_load ("before");
  for (guint i = 0; i <= n_pairs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) a = bench_run_child (bare, timeout_s, &error);
      g_autoptr(GHashTable) b = a ? bench_run_child (sitrep, timeout_s, &error) : NULL;

      if (b == NULL)
        {
          g_printerr ("a run failed: %s\n", error->message);
          return FALSE;
        }
      if (i == 0)
        continue;
      g_ptr_array_add (runs->bare, g_steal_pointer (&a));
      g_ptr_array_add (runs->sitrep, g_steal_pointer (&b));
    }
  return TRUE;
}

void
bench_runs_clear (BenchRuns *runs)
{
  g_clear_pointer (&runs->bare, g_ptr_array_unref);
  g_clear_pointer (&runs->sitrep, g_ptr_array_unref);
}

/* One figure of every run: @name's value, or the time from @since to @name in ms when @since is
 * given (both moments in monotonic µs). A run that did not report it fails the benchmark. */
GArray *
bench_figure (GPtrArray  *runs,
              const char *name,
              const char *since)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < runs->len; i++)
    {
      double value = bench_value (runs->pdata[i], name);

      if (since != NULL)
        value = (value - bench_value (runs->pdata[i], since)) / 1000.0;
      if (isnan (value))
        {
          g_printerr ("a run did not report %s\n", name);
          exit (1);
        }
      g_array_append_val (values, value);
    }
  return values;
}

/**
 * bench_compare:
 * @name: the figure, as for bench_figure()
 * @since: (nullable): its start, as for bench_figure()
 * @label: what the figure is, for the printed pairs
 * @median: (out) (optional): Sitrep's median
 *
 * Prints one figure of every pair of runs, and the medians.
 *
 * Returns: the ratio of Sitrep's median to the baseline's
 */
double
bench_compare (BenchRuns  *runs,
               const char *name,
               const char *since,
               const char *label,
               const char *unit,
               double     *median)
{
  g_autoptr(GArray) bare = bench_figure (runs->bare, name, since);
  g_autoptr(GArray) sitrep = bench_figure (runs->sitrep, name, since);

  if (median != NULL)
    *median = bench_median ((double *) sitrep->data, sitrep->len);
  return bench_print_pairs (label, unit, bare, sitrep);
}
