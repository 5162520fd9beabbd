/* bench-tiles.c: 1,000 tiles whose services change state every second, against a bare GtkGridView
 *
 * Sitrep (bench-sitrep) probes 1,000 http services once a second each; the health server, in a
 * process of its own, fails half of them in even seconds and the other half in odd ones, so
 * every tile changes every second. The baseline (bench-bare-grid) is a GtkGridView of 1,000
 * simple tiles changed as often. Each run records the frame times for 8 s after a 2 s warm-up
 * and the time from exec to the first frame with tiles. Goals: frame p99 < 16 ms and <= 1.5 x
 * the baseline's; dashboard < 0.5 s.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bench-common.h"

#define N_SERVICES 1000
#define N_PAIRS 5

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
  g_autofree char *bare_path = bench_sibling ("bench-bare-grid");
  g_autofree char *sitrep_path = bench_sibling ("bench-sitrep");
  g_autoptr(GPtrArray) bare_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) sitrep_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GArray) bare_p99 = NULL;
  g_autoptr(GArray) sitrep_p99 = NULL;
  g_autoptr(GArray) bare_dash = NULL;
  g_autoptr(GArray) sitrep_dash = NULL;
  g_autoptr(GArray) bare_gap = NULL;
  g_autoptr(GArray) sitrep_gap = NULL;
  double ratio, p99, dash;
  gboolean met = TRUE;
  guint port;

  if (argc == 2 && strcmp (argv[1], "--serve") == 0)
    return bench_health_server_serve (TRUE);

  server = bench_health_server_spawn ("--serve", &port, &error);
  dir = server ? g_dir_make_tmp ("sitrep-bench-tiles-XXXXXX", &error) : NULL;
  if (dir == NULL)
    {
      g_printerr ("cannot start the health server: %s\n", error->message);
      return 1;
    }
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
    const char *const bare_argv[] = { bare_path, NULL };
    const char *const sitrep_argv[] = { sitrep_path, "tiles", "--runbook", runbook,
                                        "--database", database, NULL };

    g_print ("bench-tiles: %d services probed every second, each changing state every second, "
             "against a bare GtkGridView of %d tiles changed as often; %d interleaved pairs "
             "after one dropped, renderer %s\n", N_SERVICES, N_SERVICES, N_PAIRS,
             g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
    bench_print_load ("before");
    if (!bench_pairs (bare_argv, sitrep_argv, N_PAIRS, 120, bare_runs, sitrep_runs, &error))
      {
        g_printerr ("a run failed: %s\n", error->message);
        return 1;
      }
  }

  bare_p99 = bench_figure (bare_runs, "frame-p99", NULL);
  sitrep_p99 = bench_figure (sitrep_runs, "frame-p99", NULL);
  ratio = bench_print_pairs ("frame time p99 (before-paint to after-paint, 8 s of frames)", "ms",
                             bare_p99, sitrep_p99);
  p99 = bench_median ((double *) sitrep_p99->data, sitrep_p99->len);
  bare_gap = bench_figure (bare_runs, "longest-gap", NULL);
  sitrep_gap = bench_figure (sitrep_runs, "longest-gap", NULL);
  bench_print_pairs ("longest time between two frames", "ms", bare_gap, sitrep_gap);
  bare_dash = bench_figure (bare_runs, "dashboard", "spawned");
  sitrep_dash = bench_figure (sitrep_runs, "dashboard", "spawned");
  bench_print_pairs ("dashboard: from exec to the end of the first frame with tiles", "ms",
                     bare_dash, sitrep_dash);
  dash = bench_median ((double *) sitrep_dash->data, sitrep_dash->len);
  met &= bench_verdict ("frame p99 < 16 ms", p99 < 16);
  met &= bench_verdict ("frame p99 <= 1.5 x the bare grid", ratio <= 1.5);
  met &= bench_verdict ("dashboard on screen < 0.5 s", dash < 500);
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
