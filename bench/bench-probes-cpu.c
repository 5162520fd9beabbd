/* bench-probes-cpu.c: the whole app's CPU with 500 services probed every second, against a bare
 * libsoup loop
 *
 * Sitrep (bench-sitrep, window and store included) probes 500 http services once a second each;
 * the baseline (bench-bare-soup) asks the same 500 URLs as often with libsoup and parses each
 * body, nothing else. The health server runs in a process of its own. Each run measures its CPU
 * time over 10 s after a 2 s warm-up. Goal: Sitrep under 5 % of one core.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bench-common.h"

#define N_SERVICES 500
#define N_PAIRS 5
#define GOAL_PERCENT 5.0

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *database = NULL;
  g_autofree char *runbook = NULL;
  g_autofree char *text = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *n_text = g_strdup_printf ("%d", N_SERVICES);
  g_autofree char *bare_path = bench_sibling ("bench-bare-soup");
  g_autofree char *sitrep_path = bench_sibling ("bench-sitrep");
  g_autoptr(GPtrArray) bare_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) sitrep_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GArray) bare = NULL;
  g_autoptr(GArray) sitrep = NULL;
  double percent;
  gboolean met;
  guint port;

  if (argc == 2 && strcmp (argv[1], "--serve") == 0)
    return bench_health_server_serve (FALSE);

  server = bench_health_server_spawn ("--serve", &port, &error);
  dir = server ? g_dir_make_tmp ("sitrep-bench-cpu-XXXXXX", &error) : NULL;
  if (dir == NULL)
    {
      g_printerr ("cannot start the health server: %s\n", error->message);
      return 1;
    }
  port_text = g_strdup_printf ("%u", port);
  database = g_build_filename (dir, "sitrep.db", NULL);
  /* An empty file: Sitrep starts a new database in it (the first, dropped, run). */
  if (!g_file_set_contents (database, "", 0, &error))
    {
      g_printerr ("cannot create the database file: %s\n", error->message);
      return 1;
    }
  runbook = g_build_filename (dir, "bench.json", NULL);
  text = bench_runbook_text (N_SERVICES, port, "1s");
  if (!g_file_set_contents (runbook, text, -1, &error))
    {
      g_printerr ("cannot write the runbook: %s\n", error->message);
      return 1;
    }

  {
    const char *const bare_argv[] = { bare_path, port_text, n_text, NULL };
    const char *const sitrep_argv[] = { sitrep_path, "cpu", "--runbook", runbook,
                                        "--database", database, NULL };

    g_print ("bench-probes-cpu: %d http services probed every second, CPU of the whole process "
             "over 10 s, against a bare libsoup loop over the same URLs; %d interleaved pairs "
             "after one dropped\n", N_SERVICES, N_PAIRS);
    bench_print_load ("before");
    if (!bench_pairs (bare_argv, sitrep_argv, N_PAIRS, 60, bare_runs, sitrep_runs, &error))
      {
        g_printerr ("a run failed: %s\n", error->message);
        return 1;
      }
  }

  bare = bench_figure (bare_runs, "cpu-percent", NULL);
  sitrep = bench_figure (sitrep_runs, "cpu-percent", NULL);
  bench_print_pairs ("CPU, % of one core", "%", bare, sitrep);
  percent = bench_median ((double *) sitrep->data, sitrep->len);
  met = bench_verdict ("the whole app under 5 % of one core", percent < GOAL_PERCENT);
  bench_print_load ("after");

  {
    g_autofree char *wal = g_strconcat (database, "-wal", NULL);
    g_autofree char *shm = g_strconcat (database, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (database);
    g_unlink (runbook);
    g_rmdir (dir);
  }
  return met ? 0 : 1;
}
