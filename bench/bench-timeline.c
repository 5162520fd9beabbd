/* bench-timeline.c: the Timeline over 100,000 events, against a bare GtkColumnView of the same rows
 *
 *   bench-timeline RUNBOOK
 *
 * A database with one open incident of 100,000 events; Sitrep (bench-sitrep) opens it with
 * RUNBOOK and, a second after its first frame, goes to the Timeline as Alt+3 does; the baseline
 * (bench-bare-columnview) then reads the same rows and shows them in a GtkColumnView. Figure:
 * from the request to the end of the first frame with rows. Goals: < 200 ms and <= 1.5 x the
 * baseline. The first frame of each window is printed too.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bench-common.h"

#define N_EVENTS 100000
#define N_PAIRS 5

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *database = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *bare_path = bench_sibling ("bench-bare-columnview");
  g_autofree char *sitrep_path = bench_sibling ("bench-sitrep");
  g_autoptr(GPtrArray) bare_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GPtrArray) sitrep_runs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_autoptr(GArray) bare = NULL;
  g_autoptr(GArray) sitrep = NULL;
  g_autoptr(GArray) bare_first = NULL;
  g_autoptr(GArray) sitrep_first = NULL;
  double ratio, ms;
  gboolean met = TRUE;
  gint64 id;

  if (argc != 2)
    {
      g_printerr ("usage: bench-timeline RUNBOOK\n");
      return 2;
    }
  dir = g_dir_make_tmp ("sitrep-bench-timeline-XXXXXX", &error);
  if (dir != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);
      g_autoptr(GPtrArray) problems = NULL;

      database = g_build_filename (dir, "sitrep.db", NULL);
      runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
    }
  if (runbook != NULL)
    store = sitrep_store_open (database, &error);
  id = store ? bench_fill_incident (store, runbook, N_EVENTS, &error) : -1;
  if (id < 0)
    {
      g_printerr ("cannot prepare the incident: %s\n", error->message);
      return 1;
    }
  g_clear_object (&store);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  {
    const char *const bare_argv[] = { bare_path, database, id_text, NULL };
    const char *const sitrep_argv[] = { sitrep_path, "timeline", "--runbook", argv[1],
                                        "--database", database, NULL };

    g_print ("bench-timeline: the Timeline of an incident with %d events against a bare "
             "GtkColumnView reading the same rows; %d interleaved pairs after one dropped, "
             "renderer %s\n", N_EVENTS, N_PAIRS,
             g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
    bench_print_load ("before");
    if (!bench_pairs (bare_argv, sitrep_argv, N_PAIRS, 120, bare_runs, sitrep_runs, &error))
      {
        g_printerr ("a run failed: %s\n", error->message);
        return 1;
      }
  }

  bare = bench_figure (bare_runs, "rows", "switched");
  sitrep = bench_figure (sitrep_runs, "rows", "switched");
  ratio = bench_print_pairs ("Timeline: from Alt+3 to the end of the first frame with rows", "ms",
                             bare, sitrep);
  ms = bench_median ((double *) sitrep->data, sitrep->len);
  bare_first = bench_figure (bare_runs, "first-frame", "spawned");
  sitrep_first = bench_figure (sitrep_runs, "first-frame", "spawned");
  bench_print_pairs ("first frame of the window (from exec)", "ms", bare_first, sitrep_first);
  met &= bench_verdict ("Alt+3 to rows < 200 ms", ms < 200);
  met &= bench_verdict ("Alt+3 to rows <= 1.5 x the bare column view", ratio <= 1.5);
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
