/* bench-startup.c: Sitrep's first frame, or its memory then, against a bare AdwApplicationWindow
 *
 *   bench-startup first-frame|rss RUNBOOK
 *
 * Starts the bare window (bench-bare-window) and Sitrep with RUNBOOK (bench-sitrep) one after
 * the other, each in a process of its own, N_PAIRS times; prints the medians and their ratio and
 * fails when Sitrep's is over GOAL_RATIO times the bare window's.
 */
#include "config.h"

#include <string.h>

#include "bench-common.h"

#define N_PAIRS 7
#define GOAL_RATIO 1.15

int
main (int   argc,
      char *argv[])
{
  g_auto(BenchScratch) scratch = { 0 };
  g_autofree char *bare_path = bench_sibling ("bench-bare-window");
  g_autofree char *sitrep_path = bench_sibling ("bench-sitrep");
  g_auto(BenchRuns) runs = { 0 };
  gboolean memory;
  double ratio;
  gboolean met;

  if (argc != 3 || (strcmp (argv[1], "first-frame") != 0 && strcmp (argv[1], "rss") != 0))
    {
      g_printerr ("usage: bench-startup first-frame|rss RUNBOOK\n");
      return 2;
    }
  memory = strcmp (argv[1], "rss") == 0;
  if (!bench_scratch_init (&scratch, "sitrep-bench-startup", NULL))
    return 1;

  {
    const char *const bare_argv[] = { bare_path, NULL };
    const char *const sitrep_argv[] = { sitrep_path, "first-frame", "--runbook", argv[2],
                                        "--database", scratch.database, NULL };

    g_print ("bench-startup: %s of Sitrep with %s against a bare AdwApplicationWindow, "
             "%d interleaved pairs after one dropped, renderer %s\n",
             memory ? "resident memory after the first frame" : "time from exec to the end of "
             "the first frame", argv[2], N_PAIRS, bench_renderer ());
    if (!bench_pairs (&runs, bare_argv, sitrep_argv, N_PAIRS, 60))
      return 1;
  }

  if (memory)
    {
      ratio = bench_compare (&runs, "rss", NULL, "resident memory after the first frame", "kB",
                             NULL);
      met = bench_verdict ("memory after the first frame <= 1.15 x a bare window", ratio <= GOAL_RATIO);
    }
  else
    {
      ratio = bench_compare (&runs, "first-frame", "spawned",
                             "first frame (from exec to the end of its after-paint)", "ms", NULL);
      met = bench_verdict ("first frame <= 1.15 x a bare window", ratio <= GOAL_RATIO);
    }
  bench_print_load ("after");
  return met ? 0 : 1;
}
