/* bench-monitor-cpu.c: CPU used by the monitor probing 500 services every second */
#include "config.h"

#include "bench-common.h"
#include "sitrep-monitor.h"

#define N_SERVICES 500
#define WARMUP_SECONDS 2
#define IDLE_SECONDS 5
#define WINDOW_SECONDS 10
#define TARGET_PERCENT 5.0
#define TICKS_PER_SECOND 10

typedef struct
{
  double cpu;       /* ours, s */
  double child_cpu; /* the server's, s */
  double wall;      /* s */
  guint results;    /* probe results (or answers) during the window */
} Window;

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_seconds (guint seconds)
{
  gboolean done = FALSE;

  g_timeout_add_seconds (seconds, timeout_cb, &done);
  bench_spin (&done);
}

/* Turns the main loop for @seconds and measures what it cost; @counter counts results. */
static void
measure_window (GSubprocess *child,
                guint        seconds,
                guint       *counter,
                Window      *window)
{
  double cpu = bench_cpu_seconds ();
  double child_cpu = bench_child_cpu_seconds (child);
  gint64 start = g_get_monotonic_time ();
  guint count = *counter;

  spin_seconds (seconds);
  window->cpu = bench_cpu_seconds () - cpu;
  window->child_cpu = bench_child_cpu_seconds (child) - child_cpu;
  window->wall = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  window->results = *counter - count;
}

static double
percent (double cpu,
         double wall)
{
  return 100.0 * cpu / wall;
}

/* CPU ms per 1,000 results of @window, less what idling for as long costs. */
static double
per_thousand (const Window *window,
              const Window *idle)
{
  double cpu = window->cpu - idle->cpu / idle->wall * window->wall;

  return window->results > 0 ? 1000.0 * 1000.0 * cpu / window->results : 0;
}

static void
print_window (const char   *label,
              const Window *window)
{
  g_print ("  %-44s %6.2f %% of one core over %.1f s (server process: %.2f %%), "
           "%u results (%.0f/s)\n",
           label, percent (window->cpu, window->wall), window->wall,
           percent (window->child_cpu, window->wall), window->results,
           window->results / window->wall);
}

/* The bare libsoup client: the same request rate as the monitor should reach, no Sitrep code. */
typedef struct
{
  SoupSession *session;
  GPtrArray *urls;
  guint next;
  guint answers;
  guint failures;
} Bare;

static void
bare_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Bare *bare = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (body != NULL)
    bare->answers++;
  else
    bare->failures++;
}

static gboolean
bare_tick_cb (gpointer user_data)
{
  Bare *bare = user_data;

  /* Like the monitor's scheduler: a tenth of the services every tenth of a second. */
  for (guint i = 0; i < N_SERVICES / TICKS_PER_SECOND; i++)
    {
      g_autoptr(SoupMessage) message =
        soup_message_new ("GET", bare->urls->pdata[bare->next++ % bare->urls->len]);

      soup_session_send_and_read_async (bare->session, message, G_PRIORITY_DEFAULT, NULL, bare_cb,
                                        bare);
    }
  return G_SOURCE_CONTINUE;
}

static void
state_changed_cb (SitrepServiceState *state,
                  guint              *results)
{
  /* A service's state says "changed" once per result it takes. */
  (*results)++;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(SitrepRunbook) runbook = NULL;
  g_autoptr(SitrepMonitor) monitor = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  GListModel *services;
  Window idle, bare_window, monitor_window;
  Bare bare = { 0 };
  guint results = 0, tick_id, port = 0;
  guint down, degraded, unknown, up;
  double monitor_percent, bare_percent, expected, on_schedule, judged_percent;

  if (argc > 1 && g_str_equal (argv[1], "--serve"))
    return bench_health_server_serve ();

  g_print ("bench-monitor-cpu: %u services, one http probe each at \"interval\": \"1s\"\n",
           N_SERVICES);

  /* The server runs in a child process so that only the client side is counted here. */
  child = bench_health_server_spawn ("--serve", &port, &error);
  if (child == NULL)
    {
      g_printerr ("cannot start the health server process: %s\n", error->message);
      return 1;
    }
  runbook = bench_runbook_new (N_SERVICES, port, "1s", &error);
  if (runbook == NULL)
    {
      g_printerr ("cannot load the generated runbook: %s\n", error->message);
      return 1;
    }
  monitor = sitrep_monitor_new (runbook, NULL, NULL);
  services = sitrep_monitor_get_services (monitor);
  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(SitrepServiceState) state = g_list_model_get_item (services, i);
      const SitrepService *service = sitrep_service_state_get_service (state);

      g_signal_connect (state, "changed", G_CALLBACK (state_changed_cb), &results);
      g_ptr_array_add (urls, g_strdup (((SitrepProbeSpec *) service->probes->pdata[0])->url));
    }

  /* Floor 1: this process idling with its main loop, nothing to do. */
  measure_window (child, IDLE_SECONDS, &results, &idle);

  /* Floor 2: a bare libsoup client making the same 500 requests a second. */
  session = bench_session_like (
    sitrep_probe_context_get_session (sitrep_monitor_get_context (monitor)));
  bare.session = session;
  bare.urls = urls;
  tick_id = g_timeout_add (1000 / TICKS_PER_SECOND, bare_tick_cb, &bare);
  spin_seconds (WARMUP_SECONDS);
  measure_window (child, WINDOW_SECONDS, &bare.answers, &bare_window);
  g_source_remove (tick_id);
  spin_seconds (1);

  /* The monitor, warmed up for the first round to spread and the connections to open. */
  sitrep_monitor_start (monitor);
  spin_seconds (WARMUP_SECONDS);
  measure_window (child, WINDOW_SECONDS, &results, &monitor_window);
  sitrep_monitor_count (monitor, &down, &degraded, &unknown, &up);
  sitrep_monitor_stop (monitor);

  expected = (double) N_SERVICES * monitor_window.wall;
  monitor_percent = percent (monitor_window.cpu, monitor_window.wall)
                    - percent (idle.cpu, idle.wall);
  bare_percent = percent (bare_window.cpu, bare_window.wall) - percent (idle.cpu, idle.wall);

  print_window ("floor: idle process", &idle);
  print_window ("floor: bare libsoup client, 500 GET/s", &bare_window);
  print_window ("SitrepMonitor", &monitor_window);
  g_print ("  services at the end: %u up, %u degraded, %u down, %u unknown\n", up, degraded, down,
           unknown);
  g_print ("  probe results: %u of the %.0f due in %.1f s (%.0f %% of the schedule)\n",
           monitor_window.results, expected, monitor_window.wall,
           100.0 * monitor_window.results / expected);
  if (bare.failures > 0)
    g_print ("  bare client: %u requests failed\n", bare.failures);
  g_print ("  bare libsoup client at 500 GET/s, minus idle: %.2f %% of one core\n", bare_percent);
  g_print ("  CPU per 1,000 results, minus idle: monitor %.1f ms, bare client %.1f ms\n",
           per_thousand (&monitor_window, &idle), per_thousand (&bare_window, &idle));
  if (monitor_window.results > 0 && monitor_window.results < 0.95 * expected)
    g_print ("  the monitor fell behind its schedule: at the full 500 probes/s it would use about "
             "%.2f %% of one core\n",
             monitor_percent * expected / monitor_window.results);
  on_schedule = monitor_window.results / expected;
  /* A monitor that runs a third of its probes is not cheap, it is late: judge it on the CPU it
   * would use for the whole schedule. */
  judged_percent = on_schedule < 0.95 && on_schedule > 0 ? monitor_percent / on_schedule
                                                           : monitor_percent;
  g_print ("CPU used by the monitor: %.2f %% of one core (target < %.0f %%)%s\n", monitor_percent,
           TARGET_PERCENT,
           on_schedule < 0.95 ? ", for part of the schedule only: judged on the projection" : "");
  g_print ("CPU used by the monitor: %s\n",
           judged_percent < TARGET_PERCENT ? "PASS" : "OVER TARGET");
  g_print ("probes run on schedule: %.0f %% (target >= 95 %%)\n", 100.0 * on_schedule);
  g_print ("probes run on schedule: %s\n", on_schedule >= 0.95 ? "PASS" : "OVER TARGET");

  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, NULL);
  return monitor_window.results == 0 ? 1 : 0;
}
