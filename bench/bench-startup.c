/* bench-startup.c: Sitrep's first frame, or its memory then, against a bare AdwApplicationWindow
 *
 *   bench-startup first-frame|rss RUNBOOK
 *
 * Starts the bare window (bench-bare-window) and Sitrep with RUNBOOK (bench-sitrep) one after
 * the other, each in a process of its own, N_PAIRS times; prints the medians and their ratio and
 * fails when Sitrep's is over GOAL_RATIO times the bare window's.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bench-common.h"

#define N_PAIRS 7
#define GOAL_RATIO 1.15

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *database = NULL;
  g_autofree char *bare_path = bench_sibling ("bench-bare-window");
  g_autofree char *sitrep_path = bench_sibling ("bench-sitrep");
  g_autoptr(GPtrArray) bare_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) sitrep_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GArray) bare = NULL;
  g_autoptr(GArray) sitrep = NULL;
  gboolean memory;
  double ratio;
  gboolean met;

  if (argc != 3 || (strcmp (argv[1], "first-frame") != 0 && strcmp (argv[1], "rss") != 0))
    {
      g_printerr ("usage: bench-startup first-frame|rss RUNBOOK\n");
      return 2;
    }
  memory = strcmp (argv[1], "rss") == 0;
  dir = g_dir_make_tmp ("sitrep-bench-startup-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("cannot make a temporary folder: %s\n", error->message);
      return 1;
    }
  database = g_build_filename (dir, "sitrep.db", NULL);
  /* An empty file: Sitrep starts a new database in it (the first, dropped, run). */
  if (!g_file_set_contents (database, "", 0, &error))
    {
      g_printerr ("cannot create the database file: %s\n", error->message);
      return 1;
    }

  {
    const char *const bare_argv[] = { bare_path, NULL };
    const char *const sitrep_argv[] = { sitrep_path, "first-frame", "--runbook", argv[2],
                                        "--database", database, NULL };

    g_print ("bench-startup: %s of Sitrep with %s against a bare AdwApplicationWindow, "
             "%d interleaved pairs after one dropped, renderer %s\n",
             memory ? "resident memory after the first frame" : "time from exec to the end of "
             "the first frame", argv[2], N_PAIRS, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
    bench_print_load ("before");
    if (!bench_pairs (bare_argv, sitrep_argv, N_PAIRS, 60, bare_runs, sitrep_runs, &error))
      {
        g_printerr ("a run failed: %s\n", error->message);
        return 1;
      }
  }

  if (memory)
    {
      bare = bench_figure (bare_runs, "rss", NULL);
      sitrep = bench_figure (sitrep_runs, "rss", NULL);
      ratio = bench_print_pairs ("resident memory after the first frame", "kB", bare, sitrep);
      met = bench_verdict ("memory after the first frame <= 1.15 x a bare window", ratio <= GOAL_RATIO);
    }
  else
    {
      bare = bench_figure (bare_runs, "first-frame", "spawned");
      sitrep = bench_figure (sitrep_runs, "first-frame", "spawned");
      ratio = bench_print_pairs ("first frame (from exec to the end of its after-paint)", "ms",
                                 bare, sitrep);
      met = bench_verdict ("first frame <= 1.15 x a bare window", ratio <= GOAL_RATIO);
    }
  bench_print_load ("after");

  {
    g_autofree char *wal = g_strconcat (database, "-wal", NULL);
    g_autofree char *shm = g_strconcat (database, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (database);
    g_rmdir (dir);
  }
  return met ? 0 : 1;
}
