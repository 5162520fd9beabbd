/* bench-probes-cpu.c: the app's CPU with 500 services probed each second, against a bare loop
 *
 * The bare loop is libsoup's alone.
 *
 * Sitrep (bench-sitrep, window and store included) probes 500 http services once a second each;
 * the baseline (bench-bare-soup) asks the same 500 URLs as often with libsoup and parses each
 * body, nothing else. The health server runs in a process of its own. Each run measures its CPU
 * time over 10 s after a 2 s warm-up. Goal: Sitrep under 5 % of one core.
 */
#include "config.h"

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
  g_auto(BenchScratch) scratch = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *n_text = g_strdup_printf ("%d", N_SERVICES);
  g_autofree char *bare_path = bench_sibling ("bench-bare-soup");
  g_autofree char *sitrep_path = bench_sibling ("bench-sitrep");
  g_auto(BenchRuns) runs = { 0 };
  double percent;
  gboolean met;
  guint port;

  if (argc == 2 && strcmp (argv[1], "--serve") == 0)
    return bench_health_server_serve (FALSE);

  server = bench_health_server_spawn ("--serve", &port, &error);
  if (server == NULL)
    {
      g_printerr ("cannot start the health server: %s\n", error->message);
      return 1;
    }
  port_text = g_strdup_printf ("%u", port);
  text = bench_runbook_text (N_SERVICES, port, "1s");
  if (!bench_scratch_init (&scratch, "sitrep-bench-cpu", text))
    return 1;

  {
    const char *const bare_argv[] = { bare_path, port_text, n_text, NULL };
    const char *const sitrep_argv[] = { sitrep_path, "cpu", "--runbook", scratch.runbook,
                                        "--database", scratch.database, NULL };

    g_print ("bench-probes-cpu: %d http services probed every second, CPU of the whole process "
             "over 10 s, against a bare libsoup loop over the same URLs; %d interleaved pairs "
             "after one dropped\n", N_SERVICES, N_PAIRS);
    if (!bench_pairs (&runs, bare_argv, sitrep_argv, N_PAIRS, 60))
      return 1;
  }

  bench_compare (&runs, "cpu-percent", NULL, "CPU, % of one core", "%", &percent);
  {
    /* The services are steady: every frame drawn meanwhile is a cost to look for. */
    g_autoptr(GArray) drawn = bench_figure (runs.sitrep, "cpu-frames", NULL);

    g_print ("frames Sitrep drew in those 10 s: median %.0f\n",
             bench_median ((double *) drawn->data, drawn->len));
  }
  met = bench_verdict ("the whole app under 5 % of one core", percent < GOAL_PERCENT);
  bench_print_load ("after");
  return met ? 0 : 1;
}
