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
  g_auto(BenchScratch) scratch = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *bare_path = bench_sibling ("bench-bare-grid");
  g_autofree char *sitrep_path = bench_sibling ("bench-sitrep");
  g_auto(BenchRuns) runs = { 0 };
  double ratio, p99, dash;
  gboolean met = TRUE;
  guint port;

  if (argc == 2 && strcmp (argv[1], "--serve") == 0)
    return bench_health_server_serve (TRUE);

  server = bench_health_server_spawn ("--serve", &port, &error);
  if (server == NULL)
    {
      g_printerr ("cannot start the health server: %s\n", error->message);
      return 1;
    }
  text = bench_runbook_text (N_SERVICES, port, "1s");
  if (!bench_scratch_init (&scratch, "sitrep-bench-tiles", text))
    return 1;

  {
    const char *const bare_argv[] = { bare_path, NULL };
    const char *const sitrep_argv[] = { sitrep_path, "tiles", "--runbook", scratch.runbook,
                                        "--database", scratch.database, NULL };

    g_print ("bench-tiles: %d services probed every second, each changing state every second, "
             "against a bare GtkGridView of %d tiles changed as often; %d interleaved pairs "
             "after one dropped, renderer %s\n", N_SERVICES, N_SERVICES, N_PAIRS,
             bench_renderer ());
    if (!bench_pairs (&runs, bare_argv, sitrep_argv, N_PAIRS, 120))
      return 1;
  }

  ratio = bench_compare (&runs, "frame-p99", NULL,
                         "frame time p99 (before-paint to after-paint, 8 s of frames)", "ms", &p99);
  bench_compare (&runs, "longest-gap", NULL, "longest time between two frames", "ms", NULL);
  bench_compare (&runs, "dashboard", "spawned",
                 "dashboard: from exec to the end of the first frame with tiles", "ms", &dash);
  met &= bench_verdict ("frame p99 < 16 ms", p99 < 16);
  met &= bench_verdict ("frame p99 <= 1.5 x the bare grid", ratio <= 1.5);
  met &= bench_verdict ("dashboard on screen < 0.5 s", dash < 500);
  bench_print_load ("after");
  return met ? 0 : 1;
}
