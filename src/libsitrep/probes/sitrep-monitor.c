/* sitrep-monitor.c: runs every probe of the runbook on its interval and keeps the services' state
 *
 * One scheduler tick (10 per second) starts the probes that are due, at most `concurrency` at a
 * time, so timings stay true and a slow probe never starves the others; probes wait their turn
 * rather than pile up. Every probe is asynchronous: nothing here waits on the network or a
 * process. Results are applied in batches, at most four a second, at a priority below the
 * window's redraw, so a thousand services answering never hold a frame back and cost the window
 * four frames a second, not sixty. Samples and changes of health go to the store in one
 * transaction a second: one durable commit per round of probes, not one per change. Running every
 * probe once (`sitrep probe`) is in sitrep-monitor-run-once.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-monitor-private.h"
#include "sitrep-probe-kind.h"
#include "sitrep-store-writer.h"

#define TICK_MS 100
#define FLUSH_INTERVAL (G_USEC_PER_SEC)
/* Results are applied in batches at most this often: every batch costs the window a frame,
 * and four a second keep the tiles live for probes that run every second or less often. */
#define DELIVER_MS 250
#define PRUNE_INTERVAL (G_TIME_SPAN_HOUR)

/* A result that came back and waits for the next batch. */
typedef struct
{
  const SitrepService *service; /* unowned: the runbook outlives the monitor */
  const SitrepProbeSpec *spec;
  SitrepProbeResult *result;
  GError *error;
} Arrival;

G_DEFINE_FINAL_TYPE (SitrepMonitor, sitrep_monitor, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  HEALTH_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
arrival_clear (Arrival *arrival)
{
  g_clear_pointer (&arrival->result, sitrep_probe_result_unref);
  g_clear_error (&arrival->error);
}

static void
sitrep_monitor_dispose (GObject *object)
{
  SitrepMonitor *self = (SitrepMonitor *) object;

  /* Nobody is left to see results that had not been applied. */
  if (self->arrivals != NULL)
    g_array_set_size (self->arrivals, 0);
  sitrep_monitor_stop (self);
  /* A team database's last samples go to its writer thread, as every second's do: a server
   * that stalls must not hold the main loop (a console switching away from it, or closing,
   * waits for what its stores still write elsewhere). A file is written in the call. */
  if (self->store != NULL && self->pending != NULL && sitrep_store_is_shared (self->store))
    _sitrep_monitor_flush_async (self);
  else if (self->store != NULL)
    sitrep_monitor_flush (self, NULL);

  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->restore_id, g_source_remove);
  if (self->restore_cancellable != NULL)
    g_cancellable_cancel (self->restore_cancellable);
  g_clear_object (&self->restore_cancellable);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_object (&self->services);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->pending_changes, g_array_unref);
  g_clear_pointer (&self->arrivals, g_array_unref);
  g_clear_pointer (&self->waiting_run_once, g_ptr_array_unref);
  g_clear_pointer (&self->context, sitrep_probe_context_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_clear_object (&self->runbook);

  G_OBJECT_CLASS (sitrep_monitor_parent_class)->dispose (object);
}

static void
sitrep_monitor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SitrepMonitor *self = SITREP_MONITOR (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_monitor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SitrepMonitor *self = SITREP_MONITOR (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      sitrep_monitor_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sitrep_monitor_class_init (SitrepMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sitrep_monitor_dispose;
  object_class->get_property = sitrep_monitor_get_property;
  object_class->set_property = sitrep_monitor_set_property;

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SitrepMonitor::health-changed:
   * @state: the service
   * @old_health: its previous #SitrepHealth
   * @new_health: its new #SitrepHealth
   *
   * Emitted when a service's health changes, after hysteresis.
   */
  signals[HEALTH_CHANGED] =
    g_signal_new ("health-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, SITREP_TYPE_SERVICE_STATE, SITREP_TYPE_HEALTH,
                  SITREP_TYPE_HEALTH);
}

static void
sitrep_monitor_init (SitrepMonitor *self)
{
  self->services = g_list_store_new (SITREP_TYPE_SERVICE_STATE);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->slots = g_ptr_array_new_with_free_func (g_free);
  _sitrep_monitor_history_init (self);
  self->arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  g_array_set_clear_func (self->arrivals, (GDestroyNotify) arrival_clear);
  self->concurrency = SITREP_MONITOR_DEFAULT_CONCURRENCY;
  self->waiting_run_once = g_ptr_array_new ();
}

static void
libraries_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GPtrArray *kinds = task_data;

  /* A library that cannot be opened is said by each probe that needs it, when it runs. */
  for (guint i = 0; i < kinds->len; i++)
    ((const SitrepProbeKind *) kinds->pdata[i])->library_load (NULL);
  g_task_return_boolean (task, TRUE);
}

static void
libraries_opened_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SitrepMonitor *self = SITREP_MONITOR (source);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting_run_once);

  self->opening_libraries = FALSE;
  self->waiting_run_once = g_ptr_array_new ();
  sitrep_monitor_release (self);
  for (guint i = 0; i < waiting->len; i++)
    _sitrep_monitor_run_once_begin (waiting->pdata[i]);
}

/* Opens the client libraries (libpq, hiredis) that the runbook's kinds of probe call, on a
 * thread, and holds the monitor meanwhile: the first round starts once they are open, and
 * after the first frame (the libraries cost a start time and memory: issue 13). Opened
 * by the first probe instead, the library would be read from disk while other probes of the
 * round are in flight, and their times would count it: the dynamic loader is locked while it
 * reads, and the main thread's own first dlopen() (GIO's proxy resolver, at the first HTTP
 * request) waits for it. Returns whether they are being opened: the round waits. */
gboolean
_sitrep_monitor_open_libraries (SitrepMonitor *self)
{
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
  g_autoptr(GTask) task = NULL;

  if (self->libraries_asked)
    return self->opening_libraries;
  self->libraries_asked = TRUE;

  for (guint i = 0; i < self->slots->len; i++)
    {
      const Slot *slot = self->slots->pdata[i];
      const SitrepProbeKind *kind = sitrep_probe_kind_get (slot->spec->type_name);

      if (kind != NULL && kind->library_load != NULL && !kind->library_settled ()
          && !g_ptr_array_find (kinds, kind, NULL))
        g_ptr_array_add (kinds, (gpointer) kind);
    }
  if (kinds->len == 0)
    return FALSE;
  self->opening_libraries = TRUE;
  sitrep_monitor_hold (self);
  task = g_task_new (self, NULL, libraries_opened_cb, NULL);
  g_task_set_source_tag (task, _sitrep_monitor_open_libraries);
  g_task_set_task_data (task, g_steal_pointer (&kinds), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, libraries_thread);
  return TRUE;
}

/**
 * sitrep_monitor_new:
 * @store: (nullable): where samples and changes are kept, or %NULL
 * @clock: (nullable): the clock results are stamped with; %NULL for the system clock
 */
SitrepMonitor *
sitrep_monitor_new (SitrepRunbook *runbook,
                    SitrepStore   *store,
                    SitrepClock   *clock)
{
  SitrepMonitor *self;
  GPtrArray *services;

  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);

  self = g_object_new (SITREP_TYPE_MONITOR, NULL);
  self->runbook = g_object_ref (runbook);
  self->store = store ? g_object_ref (store) : NULL;
  self->clock = clock ? g_object_ref (clock) : sitrep_clock_new ();
  self->context = sitrep_probe_context_new (runbook);

  services = sitrep_runbook_get_services (runbook);
  for (guint i = 0; i < services->len; i++)
    {
      const SitrepService *service = services->pdata[i];
      g_autoptr(SitrepServiceState) state = sitrep_service_state_new (runbook, service);

      g_list_store_append (self->services, state);
      g_hash_table_insert (self->by_id, (gpointer) service->id, state);
      self->counts[sitrep_service_state_get_health (state)]++;
      for (guint p = 0; p < service->probes->len; p++)
        {
          Slot *slot = g_new0 (Slot, 1);

          slot->monitor = self;
          slot->state = state;
          slot->service = service;
          slot->spec = service->probes->pdata[p];
          g_ptr_array_add (self->slots, slot);
        }
    }

  if (self->store != NULL)
    _sitrep_monitor_restore_history (self);

  return self;
}

GListModel *
sitrep_monitor_get_services (SitrepMonitor *self)
{
  g_return_val_if_fail (SITREP_IS_MONITOR (self), NULL);
  return G_LIST_MODEL (self->services);
}

SitrepServiceState *
sitrep_monitor_find_service (SitrepMonitor *self,
                             const char    *service_id)
{
  g_return_val_if_fail (SITREP_IS_MONITOR (self), NULL);
  return service_id ? g_hash_table_lookup (self->by_id, service_id) : NULL;
}

SitrepProbeContext *
sitrep_monitor_get_context (SitrepMonitor *self)
{
  g_return_val_if_fail (SITREP_IS_MONITOR (self), NULL);
  return self->context;
}

/**
 * sitrep_monitor_feed:
 * @result: (nullable): what the probe found, or %NULL when it could not run
 * @error: (nullable): why the probe could not run
 *
 * Applies one probe result as if the probe had just returned it. The scheduler uses this, and
 * so do tests, with a clock of their own and no network.
 *
 * Returns: %TRUE when the service's health changed
 */
gboolean
sitrep_monitor_feed (SitrepMonitor     *self,
                     const char        *service_id,
                     const char        *probe_id,
                     SitrepProbeResult *result,
                     const GError      *error)
{
  SitrepServiceState *state;
  SitrepHealth before, after;
  gint64 now;
  gboolean changed;

  g_return_val_if_fail (SITREP_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (result != NULL || error != NULL, FALSE);

  state = sitrep_monitor_find_service (self, service_id);
  g_return_val_if_fail (state != NULL, FALSE);

  now = sitrep_clock_now (self->clock);
  before = sitrep_service_state_get_health (state);
  if (result != NULL)
    changed = sitrep_service_state_apply_result (state, probe_id, result, now);
  else
    {
      g_autoptr(SitrepReason) why = sitrep_reason_from_error (error);

      changed = sitrep_service_state_apply_failure (state, probe_id, why, now);
    }
  after = sitrep_service_state_get_health (state);

  _sitrep_monitor_queue_sample (self, service_id, probe_id, result, now);

  if (changed)
    {
      self->counts[before]--;
      self->counts[after]++;
      _sitrep_monitor_queue_change (self, service_id, now, before, after,
                                    sitrep_service_state_get_why (state));
      g_signal_emit (self, signals[HEALTH_CHANGED], 0, state, before, after);
    }
  return changed;
}

/* Applies every result that came back since the last batch. */
static void
deliver (SitrepMonitor *self)
{
  g_autoptr(GArray) arrivals = self->arrivals;

  self->arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  g_array_set_clear_func (self->arrivals, (GDestroyNotify) arrival_clear);
  for (guint i = 0; i < arrivals->len; i++)
    {
      Arrival *arrival = &g_array_index (arrivals, Arrival, i);

      sitrep_monitor_feed (self, arrival->service->id, arrival->spec->id, arrival->result,
                           arrival->error);
    }
}

static gboolean
deliver_cb (gpointer user_data)
{
  SitrepMonitor *self = user_data;

  self->deliver_id = 0;
  deliver (self);
  return G_SOURCE_REMOVE;
}

static void start_due (SitrepMonitor *self,
                       gint64         now_mono);

static void
probe_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Slot *slot = user_data;
  SitrepMonitor *self;
  g_autoptr(SitrepProbeResult) probe_result = NULL;
  g_autoptr(GError) error = NULL;

  probe_result = sitrep_probe_run_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the monitor is gone or stopped: the slot may be too */

  self = slot->monitor;
  slot->running = FALSE;
  self->in_flight--;
  {
    Arrival arrival = { slot->service, slot->spec, g_steal_pointer (&probe_result),
                        g_steal_pointer (&error) };

    g_array_append_val (self->arrivals, arrival);
  }
  /* Below GTK's redraw (G_PRIORITY_HIGH_IDLE + 20): a frame due now is drawn first. */
  if (self->deliver_id == 0)
    self->deliver_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, DELIVER_MS, deliver_cb, self,
                                           NULL);
  /* A freed place goes to the next due probe at once, not at the next tick. */
  if (!self->paused && self->holds == 0 && self->cancellable != NULL)
    start_due (self, g_get_monotonic_time ());
}

static void
start_probe (SitrepMonitor *self,
             Slot          *slot,
             gint64         now_mono)
{
  gint64 jitter = slot->spec->jitter_ms > 0
                    ? g_random_int_range (0, (gint32) MIN (slot->spec->jitter_ms, G_MAXINT32))
                    : 0;

  slot->running = TRUE;
  /* The next run is counted from when it was due, not from when a place freed up, so
   * intervals do not drift; a probe that fell far behind starts a fresh interval. */
  slot->next_due = MAX (slot->next_due + (slot->spec->interval_ms + jitter) * 1000,
                        now_mono + slot->spec->interval_ms * 1000 / 2);
  self->in_flight++;
  sitrep_probe_run_async (self->context, slot->service, slot->spec, self->cancellable,
                          probe_done_cb, slot);
}

/* Starts due probes up to the limit, scanning on from where the last scan stopped so that no
 * service waits behind the others. */
static void
start_due (SitrepMonitor *self,
           gint64         now_mono)
{
  guint n = self->slots->len;

  for (guint k = 0; k < n && self->in_flight < self->concurrency; k++)
    {
      guint i = (self->next_slot + k) % n;
      Slot *slot = self->slots->pdata[i];

      if (!slot->running && slot->next_due <= now_mono)
        {
          start_probe (self, slot, now_mono);
          self->next_slot = (i + 1) % n;
        }
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  SitrepMonitor *self = user_data;
  gint64 now_mono = g_get_monotonic_time ();
  gint64 now = sitrep_clock_now (self->clock);

  /* The first time, the libraries' opening holds the monitor; its release ticks again. */
  if (!self->paused && self->holds == 0 && self->cancellable != NULL
      && !_sitrep_monitor_open_libraries (self))
    start_due (self, now_mono);

  if (now_mono - self->last_stale_check >= G_USEC_PER_SEC)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->services));

      self->last_stale_check = now_mono;
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SitrepServiceState) state =
            g_list_model_get_item (G_LIST_MODEL (self->services), i);

          sitrep_service_state_update_stale (state, now);
        }
    }

  if (self->store != NULL && now_mono - self->last_flush >= FLUSH_INTERVAL)
    {
      self->last_flush = now_mono;
      _sitrep_monitor_flush_async (self);
    }

  if (self->store != NULL && now_mono - self->last_prune >= PRUNE_INTERVAL)
    {
      self->last_prune = now_mono;
      _sitrep_monitor_prune_async (self, now - SITREP_MONITOR_RETENTION);
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
first_tick_cb (gpointer user_data)
{
  SitrepMonitor *self = user_data;

  self->first_tick_id = 0;
  tick_cb (self);
  return G_SOURCE_REMOVE;
}

void
sitrep_monitor_start (SitrepMonitor *self)
{
  gint64 now_mono = g_get_monotonic_time ();

  g_return_if_fail (SITREP_IS_MONITOR (self));

  if (self->tick_id != 0)
    return;

  self->cancellable = g_cancellable_new ();
  /* Spread the first round over a second so the probes do not all start at once. */
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = self->slots->pdata[i];

      slot->next_due = now_mono + (gint64) i * G_USEC_PER_SEC / MAX (1, self->slots->len);
    }
  self->last_flush = self->last_stale_check = now_mono;
  self->last_prune = now_mono - PRUNE_INTERVAL;
  self->tick_id = g_timeout_add (TICK_MS, tick_cb, self);
  /* The first probes start once the main loop has nothing else to do: a window being shown
   * draws its first frame before a probe spawns kubectl or opens a connection. */
  self->first_tick_id = g_idle_add_full (G_PRIORITY_LOW, first_tick_cb, self, NULL);
}

void
sitrep_monitor_stop (SitrepMonitor *self)
{
  g_return_if_fail (SITREP_IS_MONITOR (self));

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->first_tick_id, g_source_remove);
  /* What came back before the stop is still the truth about those services. */
  g_clear_handle_id (&self->deliver_id, g_source_remove);
  if (self->arrivals != NULL)
    deliver (self);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    ((Slot *) self->slots->pdata[i])->running = FALSE;
  self->in_flight = 0;
}

void
sitrep_monitor_set_paused (SitrepMonitor *self,
                           gboolean       paused)
{
  g_return_if_fail (SITREP_IS_MONITOR (self));

  paused = !!paused;
  if (paused == self->paused)
    return;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

/**
 * sitrep_monitor_hold:
 *
 * Starts no probe until sitrep_monitor_release(): a window showing the monitor holds it until
 * its first frame is drawn. Unlike pausing, this is no state the user sees or sets. Probes
 * already running finish; the schedule goes on and what fell due starts at the release.
 */
void
sitrep_monitor_hold (SitrepMonitor *self)
{
  g_return_if_fail (SITREP_IS_MONITOR (self));
  self->holds++;
}

void
sitrep_monitor_release (SitrepMonitor *self)
{
  g_return_if_fail (SITREP_IS_MONITOR (self));
  g_return_if_fail (self->holds > 0);

  self->holds--;
  if (self->holds == 0 && self->tick_id != 0 && self->first_tick_id == 0)
    self->first_tick_id = g_idle_add_full (G_PRIORITY_LOW, first_tick_cb, self, NULL);
}

gboolean
sitrep_monitor_get_paused (SitrepMonitor *self)
{
  g_return_val_if_fail (SITREP_IS_MONITOR (self), FALSE);
  return self->paused;
}

/* Every probe is due at once; a running probe is not started twice. */
void
sitrep_monitor_probe_now (SitrepMonitor *self)
{
  gint64 now_mono = g_get_monotonic_time ();

  g_return_if_fail (SITREP_IS_MONITOR (self));

  for (guint i = 0; i < self->slots->len; i++)
    ((Slot *) self->slots->pdata[i])->next_due = now_mono;
  if (self->tick_id != 0)
    tick_cb (self);
}

void
sitrep_monitor_count (SitrepMonitor *self,
                      guint         *n_down,
                      guint         *n_degraded,
                      guint         *n_unknown,
                      guint         *n_up)
{
  g_return_if_fail (SITREP_IS_MONITOR (self));

  if (n_down)
    *n_down = self->counts[SITREP_HEALTH_DOWN];
  if (n_degraded)
    *n_degraded = self->counts[SITREP_HEALTH_DEGRADED];
  if (n_unknown)
    *n_unknown = self->counts[SITREP_HEALTH_UNKNOWN];
  if (n_up)
    *n_up = self->counts[SITREP_HEALTH_UP];
}

/* The header's summary: "2 down · 1 degraded", or "All 6 up". */
char *
sitrep_monitor_describe_counts (SitrepMonitor *self)
{
  guint down, degraded, unknown, up;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (SITREP_IS_MONITOR (self), NULL);

  sitrep_monitor_count (self, &down, &degraded, &unknown, &up);
  if (down == 0 && degraded == 0 && unknown == 0)
    return g_strdup_printf (ngettext ("%u service up", "All %u services up", up), up);

  if (down > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u down", "%u down", down), down));
  if (degraded > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u degraded", "%u degraded", degraded),
                                             degraded));
  if (unknown > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u unknown", "%u unknown", unknown),
                                             unknown));
  if (up > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u up", "%u up", up), up));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}
