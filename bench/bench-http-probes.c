/* bench-http-probes.c: the cost of Sitrep's HTTP probes with conditions, as a ratio to bare libsoup */
#include "config.h"

#include <string.h>

#include "bench-common.h"
#include "sitrep-monitor.h"
#include "sitrep-probe.h"
#include "sitrep-service-state.h"

#define N_REQUESTS 1000
#define N_WARMUP 200
#define N_RUNS 3
#define TARGET_RATIO 1.2

typedef enum
{
  MODE_BARE,
  MODE_PROBE,
} Mode;

typedef struct
{
  Mode mode;
  SoupSession *session;        /* MODE_BARE */
  SitrepProbeContext *context; /* MODE_PROBE */
  GPtrArray *services;         /* SitrepService, whose probe each request uses in turn */
  GPtrArray *urls;
  guint total;
  guint started;
  guint finished;
  guint failures;
  char *first_failure;
  gboolean done;
} Loop;

static void start_one (Loop *loop);

static void
note_failure (Loop       *loop,
              const char *why)
{
  loop->failures++;
  if (loop->first_failure == NULL)
    loop->first_failure = g_strdup (why);
}

static void
one_done (Loop *loop)
{
  loop->finished++;
  if (loop->started < loop->total)
    start_one (loop);
  else if (loop->finished == loop->total)
    loop->done = TRUE;
}

static void
bare_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Loop *loop = user_data;
  SoupSession *session = SOUP_SESSION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (session, result, &error);
  SoupMessage *message = soup_session_get_async_result_message (session, result);

  if (body == NULL)
    note_failure (loop, error->message);
  else if (soup_message_get_status (message) != SOUP_STATUS_OK)
    note_failure (loop, "status is not 200");
  one_done (loop);
}

static void
verdict_free (SitrepConditionVerdict *verdict)
{
  g_free (verdict->resolved);
  g_free (verdict->reason);
  g_free (verdict);
}

typedef struct
{
  Loop *loop;
  const SitrepService *service;
} ProbeRequest;

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree ProbeRequest *request = user_data;
  Loop *loop = request->loop;
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepProbeResult) probe_result = sitrep_probe_run_finish (result, &error);
  g_autoptr(GPtrArray) verdicts = NULL;
  g_autofree char *reason = NULL;

  if (probe_result == NULL)
    {
      note_failure (loop, error->message);
      one_done (loop);
      return;
    }
  /* What the monitor does with each result: judge it by every condition, keeping verdicts. */
  verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) verdict_free);
  if (sitrep_service_state_evaluate (request->service->probes->pdata[0], probe_result, verdicts,
                                     &reason)
      != SITREP_HEALTH_UP)
    note_failure (loop, reason ? reason : "not up");
  one_done (loop);
}

static void
start_one (Loop *loop)
{
  guint i = loop->started++ % loop->services->len;

  if (loop->mode == MODE_BARE)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("GET", loop->urls->pdata[i]);

      soup_session_send_and_read_async (loop->session, message, G_PRIORITY_DEFAULT, NULL,
                                        bare_cb, loop);
    }
  else
    {
      ProbeRequest *request = g_new (ProbeRequest, 1);

      request->loop = loop;
      request->service = loop->services->pdata[i];
      sitrep_probe_run_async (loop->context, request->service, request->service->probes->pdata[0],
                              NULL, probe_cb, request);
    }
}

/* Runs @n requests, @concurrency at a time; returns the wall time in ms, or < 0 on failures. */
static double
run_loop (Loop  *loop,
          guint  n,
          guint  concurrency)
{
  gint64 start;

  loop->total = n;
  loop->started = loop->finished = loop->failures = 0;
  loop->done = FALSE;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < MIN (concurrency, n); i++)
    start_one (loop);
  bench_spin (&loop->done);
  if (loop->failures > 0)
    {
      g_printerr ("%u of %u requests failed, first: %s\n", loop->failures, n,
                  loop->first_failure);
      return -1;
    }
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
run_once_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sitrep_monitor_run_once_finish (SITREP_MONITOR (source), result, &error))
    g_printerr ("run_once failed: %s\n", error->message);
  *(gboolean *) user_data = TRUE;
}

/* One round of every probe of @monitor; returns the wall time in ms, or < 0 when not all up. */
static double
run_monitor (SitrepMonitor *monitor)
{
  gboolean done = FALSE;
  gint64 start = g_get_monotonic_time ();
  double ms;
  guint down, degraded, unknown, up;

  sitrep_monitor_run_once_async (monitor, NULL, NULL, run_once_cb, &done);
  bench_spin (&done);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  sitrep_monitor_count (monitor, &down, &degraded, &unknown, &up);
  if (up != N_REQUESTS)
    {
      g_printerr ("after a round of the monitor: %u down, %u degraded, %u unknown, %u up\n", down,
                  degraded, unknown, up);
      return -1;
    }
  return ms;
}

static void
print_runs (const char *label,
            double     *runs,
            double      median)
{
  g_print ("  %-46s %8.1f ms   (runs:", label, median);
  for (guint i = 0; i < N_RUNS; i++)
    g_print (" %.1f", runs[i]);
  g_print (")\n");
}

static void
print_ratio (const char *what,
             const char *where,
             double      ratio)
{
  g_print ("  ratio %s: %.3f (target <= %.1f)\n", what, ratio, TARGET_RATIO);
  g_print ("ratio %s (%s): %s\n", what, where, ratio <= TARGET_RATIO ? "PASS" : "OVER TARGET");
}

/* Measures the three loops against a server on @port; FALSE when the benchmark cannot run. */
static gboolean
measure (guint       port,
         const char *where)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepProbeContext) context = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  double bare[N_RUNS], probe[N_RUNS], mon[N_RUNS];
  double bare_ms, probe_ms, mon_ms;
  guint concurrency;
  Loop bare_loop = { 0 }, probe_loop = { 0 };
  GPtrArray *services;

  runbook = bench_runbook_new (N_REQUESTS, port, "15s", &error);
  if (runbook == NULL)
    {
      g_printerr ("cannot load the generated runbook: %s\n", error->message);
      return FALSE;
    }
  services = sitrep_runbook_get_services (runbook);
  for (guint i = 0; i < services->len; i++)
    {
      const SitrepService *service = services->pdata[i];

      g_ptr_array_add (urls, g_strdup (((SitrepProbeSpec *) service->probes->pdata[0])->url));
    }

  context = sitrep_probe_context_new (runbook);
  session = bench_session_like (sitrep_probe_context_get_session (context));
  /* libsoup queues past max-conns-per-host anyway: more in flight than that measures queueing. */
  concurrency = soup_session_get_max_conns_per_host (session);
  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  sitrep_monitor_set_concurrency (monitor, concurrency);

  bare_loop.mode = MODE_BARE;
  bare_loop.session = session;
  bare_loop.services = services;
  bare_loop.urls = urls;
  probe_loop.mode = MODE_PROBE;
  probe_loop.context = context;
  probe_loop.services = services;
  probe_loop.urls = urls;

  g_print ("%s: %u requests per run, %u in flight (max-conns-per-host of the probe session), "
           "median of %u runs after a warm-up\n", where, N_REQUESTS, concurrency, N_RUNS);

  /* Warm-up: connections opened, caches filled, code paged in, for all three. */
  if (run_loop (&bare_loop, N_WARMUP, concurrency) < 0
      || run_loop (&probe_loop, N_WARMUP, concurrency) < 0
      || run_monitor (monitor) < 0)
    return FALSE;

  /* Interleaved, so a slow moment of the machine hits all three alike. */
  for (guint r = 0; r < N_RUNS; r++)
    {
      bare[r] = run_loop (&bare_loop, N_REQUESTS, concurrency);
      probe[r] = run_loop (&probe_loop, N_REQUESTS, concurrency);
      mon[r] = run_monitor (monitor);
      if (bare[r] < 0 || probe[r] < 0 || mon[r] < 0)
        return FALSE;
    }
  g_free (bare_loop.first_failure);
  g_free (probe_loop.first_failure);

  bare_ms = bench_median (bare, N_RUNS);
  probe_ms = bench_median (probe, N_RUNS);
  mon_ms = bench_median (mon, N_RUNS);
  print_runs ("(a) floor: bare libsoup send_and_read loop", bare, bare_ms);
  print_runs ("(b) sitrep_probe_run_async + evaluate (2 cond.)", probe, probe_ms);
  print_runs ("(c) sitrep_monitor_run_once_async, 1000 svcs", mon, mon_ms);
  g_print ("  per request: (a) %.1f us, (b) %.1f us, (c) %.1f us\n", bare_ms * 1000 / N_REQUESTS,
           probe_ms * 1000 / N_REQUESTS, mon_ms * 1000 / N_REQUESTS);
  print_ratio ("b/a", where, probe_ms / bare_ms);
  print_ratio ("c/a", where, mon_ms / bare_ms);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSubprocess) child = NULL;
  guint port = 0;

  if (argc > 1 && g_str_equal (argv[1], "--serve"))
    return bench_health_server_serve ();

  g_print ("bench-http-probes: 1,000 HTTP probes with two conditions vs a bare libsoup GET loop\n");

  /* As the issue asks: the server in this process, so its cost is in both loops alike. */
  server = bench_health_server_new (&port, &error);
  if (server == NULL)
    {
      g_printerr ("cannot start the health server: %s\n", error->message);
      return 1;
    }
  if (!measure (port, "server in this process"))
    return 1;
  g_clear_object (&server);

  /* The same with the server in another process: the ratio is then the client's alone. */
  child = bench_health_server_spawn ("--serve", &port, &error);
  if (child == NULL)
    {
      g_printerr ("cannot start the health server process: %s\n", error->message);
      return 1;
    }
  if (!measure (port, "server in a child process"))
    return 1;
  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, NULL);
  return 0;
}
