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

#include <string.h>

#include "bench-common.h"
#include "sitrep-runbook-loader.h"

#define N_EVENTS 100000
#define N_PAIRS 5

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_auto(BenchScratch) scratch = { 0 };
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepStore) store = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *bare_path = bench_sibling ("bench-bare-columnview");
  g_autofree char *sitrep_path = bench_sibling ("bench-sitrep");
  g_auto(BenchRuns) runs = { 0 };
  double ratio, ms;
  gboolean met = TRUE;
  gint64 id;

  if (argc != 2)
    {
      g_printerr ("usage: bench-timeline RUNBOOK\n");
      return 2;
    }
  if (!bench_scratch_init (&scratch, "sitrep-bench-timeline", NULL))
    return 1;
  {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);
    g_autoptr(GPtrArray) problems = NULL;

    runbook = sitrep_runbook_load_file (file, NULL, &problems, &error);
  }
  if (runbook != NULL)
    store = sitrep_store_open (scratch.database, &error);
  id = store ? bench_fill_incident (store, runbook, N_EVENTS, &error) : -1;
  if (id < 0)
    {
      g_printerr ("cannot prepare the incident: %s\n", error->message);
      return 1;
    }
  g_clear_object (&store);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  {
    const char *const bare_argv[] = { bare_path, scratch.database, id_text, NULL };
    const char *const sitrep_argv[] = { sitrep_path, "timeline", "--runbook", argv[1],
                                        "--database", scratch.database, NULL };

    g_print ("bench-timeline: the Timeline of an incident with %d events against a bare "
             "GtkColumnView reading the same rows; %d interleaved pairs after one dropped, "
             "renderer %s\n", N_EVENTS, N_PAIRS,
             bench_renderer ());
    if (!bench_pairs (&runs, bare_argv, sitrep_argv, N_PAIRS, 120))
      return 1;
  }

  ratio = bench_compare (&runs, "rows", "switched",
                         "Timeline: from Alt+3 to the end of the first frame with rows", "ms", &ms);
  bench_compare (&runs, "first-frame", "spawned", "first frame of the window (from exec)", "ms",
                 NULL);
  met &= bench_verdict ("Alt+3 to rows < 200 ms", ms < 200);
  met &= bench_verdict ("Alt+3 to rows <= 1.5 x the bare column view", ratio <= 1.5);
  bench_print_load ("after");
  return met ? 0 : 1;
}
