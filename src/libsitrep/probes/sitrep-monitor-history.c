/* sitrep-monitor-history.c: the monitor's results kept in the store: each probe's samples and
 * each change of a service's health, queued and written once a second in one batch, brought back
 * at start for the sparklines, and pruned after SITREP_MONITOR_RETENTION
 */
#include "config.h"

#include "sitrep-monitor-private.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-writer.h"

typedef struct
{
  char *service_id;
  char *probe_id;
  gint64 at;
  SitrepHealth health;
  double latency_ms;
  char *error; /* why it was not up, in the words of this console's language */
  char *why;   /* the same as data (sitrep_reason_pack()), for a reader of another language */
} PendingSample;

typedef struct
{
  char *service_id;
  gint64 at;
  SitrepHealth old_health;
  SitrepHealth new_health;
  char *reason;
  char *why;
} PendingChange;

static void
pending_sample_clear (PendingSample *sample)
{
  g_free (sample->service_id);
  g_free (sample->probe_id);
  g_free (sample->error);
  g_free (sample->why);
}

static void
pending_change_clear (PendingChange *change)
{
  g_free (change->service_id);
  g_free (change->reason);
  g_free (change->why);
}

void
_sitrep_monitor_history_init (SitrepMonitor *self)
{
  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingSample));
  g_array_set_clear_func (self->pending, (GDestroyNotify) pending_sample_clear);
  self->pending_changes = g_array_new (FALSE, FALSE, sizeof (PendingChange));
  g_array_set_clear_func (self->pending_changes, (GDestroyNotify) pending_change_clear);
}

/* One probe's stored history, read for the monitor on the store's reader thread. */
typedef struct
{
  char *service_id;
  char *probe_id;
  GArray *points; /* SitrepHealthPoint, oldest first */
} Restored;

static void
restored_free (Restored *restored)
{
  g_free (restored->service_id);
  g_free (restored->probe_id);
  g_array_unref (restored->points);
  g_free (restored);
}

static void
restore_sample_cb (const SitrepHealthSample *sample,
                   gpointer                  user_data)
{
  GArray *points = user_data;
  SitrepHealthPoint point = { sample->at, SITREP_HEALTH_UNKNOWN, sample->latency_ms };

  sitrep_health_from_string (sample->health, &point.health);
  g_array_append_val (points, point);
}

/* Runs on the store's reader thread: touches only @data. */
static gpointer
read_history (SitrepStore *store,
              gpointer     data,
              GError     **error)
{
  GPtrArray *probes = data;

  for (guint i = 0; i < probes->len; i++)
    {
      Restored *restored = probes->pdata[i];

      if (!sitrep_store_foreach_health_sample (store, restored->service_id, restored->probe_id,
                                               SITREP_HEALTH_HISTORY, restore_sample_cb,
                                               restored->points, error))
        return NULL;
    }
  return g_ptr_array_ref (probes);
}

static void
apply_history (SitrepMonitor *self,
               GPtrArray     *probes)
{
  for (guint i = 0; i < probes->len; i++)
    {
      Restored *restored = probes->pdata[i];
      SitrepServiceState *state = g_hash_table_lookup (self->by_id, restored->service_id);

      if (state != NULL)
        sitrep_service_state_restore_history (state, restored->probe_id,
                                              (SitrepHealthPoint *) (gpointer) restored->points->data,
                                              restored->points->len);
    }
}

static void
history_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GPtrArray) probes = NULL;
  g_autoptr(GError) error = NULL;

  probes = sitrep_store_read_finish (SITREP_STORE (source), result, &error);
  /* Cancelled: the monitor is gone, or the console is done with the database. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A team database that is away is the window's banner to say; the sparklines fill in from
   * the results that come. */
  if (probes == NULL && g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE))
    g_message ("Cannot restore the health history: %s", error->message);
  else if (probes == NULL)
    g_warning ("Cannot restore the health history: %s", error->message);
  else
    apply_history (user_data, probes);
}

static gboolean
restore_history_cb (gpointer user_data)
{
  SitrepMonitor *self = user_data;
  g_autoptr(GPtrArray) probes = g_ptr_array_new_with_free_func ((GDestroyNotify) restored_free);

  self->restore_id = 0;
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = self->slots->pdata[i];
      Restored *restored = g_new0 (Restored, 1);

      restored->service_id = g_strdup (slot->service->id);
      restored->probe_id = g_strdup (slot->spec->id);
      restored->points = g_array_new (FALSE, FALSE, sizeof (SitrepHealthPoint));
      g_ptr_array_add (probes, restored);
    }

  self->restore_cancellable = g_cancellable_new ();
  sitrep_store_read_in_thread_async (self->store, read_history, g_steal_pointer (&probes),
                                     (GDestroyNotify) g_ptr_array_unref,
                                     (GDestroyNotify) g_ptr_array_unref,
                                     self->restore_cancellable, history_read_cb, self);
  return G_SOURCE_REMOVE;
}

/* Brings back each probe's recent history from the store, so sparklines survive a restart: on
 * the store's reader thread, from a file too (a runbook of a thousand services has a thousand
 * histories to read, some 80 ms that the first frame of its tiles would wait for, issue 13),
 * and from an idle below the redraw: when the frame that shows the new tiles is due in the same
 * turn of the loop (as it is after a runbook opens), it is drawn before the read starts. The sparklines fill in when it answers,
 * before the results that came meanwhile. */
void
_sitrep_monitor_restore_history (SitrepMonitor *self)
{
  self->restore_id = g_idle_add_full (G_PRIORITY_LOW, restore_history_cb, self, NULL);
}

/* A sample keeps why its probe was not up: the reason of its last result (the probe's error,
 * or the condition that failed), as words and as data. */
void
_sitrep_monitor_queue_sample (SitrepMonitor     *self,
                              const char        *service_id,
                              const char        *probe_id,
                              SitrepProbeResult *result,
                              gint64             at)
{
  PendingSample sample = { 0 };
  const SitrepProbeStatus *status;
  SitrepServiceState *state;

  if (self->store == NULL)
    return;

  state = g_hash_table_lookup (self->by_id, service_id);
  status = sitrep_service_state_find_probe (state, probe_id);
  sample.service_id = g_strdup (service_id);
  sample.probe_id = g_strdup (probe_id);
  sample.at = at;
  sample.health = status->last_target;
  sample.latency_ms = result && (result->connected || result->status >= 0)
                        ? result->response_time_ms : -1;
  if (status->last_target != SITREP_HEALTH_UP && status->reason != NULL)
    {
      sample.error = g_strdup (sitrep_reason_to_string (status->reason));
      sample.why = sitrep_reason_pack (status->reason);
    }
  g_array_append_val (self->pending, sample);
}

void
_sitrep_monitor_queue_change (SitrepMonitor *self,
                              const char    *service_id,
                              gint64         at,
                              SitrepHealth   before,
                              SitrepHealth   after,
                              SitrepReason  *reason)
{
  PendingChange change = { NULL, at, before, after, NULL, NULL };

  if (self->store == NULL)
    return;
  change.service_id = g_strdup (service_id);
  if (reason != NULL)
    {
      change.reason = g_strdup (sitrep_reason_to_string (reason));
      change.why = sitrep_reason_pack (reason);
    }
  g_array_append_val (self->pending_changes, change);
}

/* The queued samples and changes as the store takes them; strings stay the monitor's. */
static void
collect_pending (SitrepMonitor       *self,
                 SitrepHealthSample **samples,
                 SitrepHealthChange **changes)
{
  *samples = g_new (SitrepHealthSample, self->pending->len);
  for (guint i = 0; i < self->pending->len; i++)
    {
      const PendingSample *pending = &g_array_index (self->pending, PendingSample, i);

      (*samples)[i].service_id = pending->service_id;
      (*samples)[i].probe_id = pending->probe_id;
      (*samples)[i].at = pending->at;
      (*samples)[i].health = sitrep_health_to_string (pending->health);
      (*samples)[i].latency_ms = pending->latency_ms;
      (*samples)[i].error = pending->error;
      (*samples)[i].why = pending->why;
    }
  *changes = g_new (SitrepHealthChange, self->pending_changes->len);
  for (guint i = 0; i < self->pending_changes->len; i++)
    {
      const PendingChange *pending = &g_array_index (self->pending_changes, PendingChange, i);

      (*changes)[i].service_id = pending->service_id;
      (*changes)[i].at = pending->at;
      (*changes)[i].old_health = sitrep_health_to_string (pending->old_health);
      (*changes)[i].new_health = sitrep_health_to_string (pending->new_health);
      (*changes)[i].reason = pending->reason;
      (*changes)[i].why = pending->why;
    }
}

/* Writes the queued samples and changes of health to the store in one transaction, and waits
 * for it: for `sitrep probe`, tests, and the monitor going away. */
gboolean
sitrep_monitor_flush (SitrepMonitor *self,
                      GError       **error)
{
  g_autofree SitrepHealthSample *samples = NULL;
  g_autofree SitrepHealthChange *changes = NULL;
  gboolean ok;

  g_return_val_if_fail (SITREP_IS_MONITOR (self), FALSE);

  if (self->store == NULL || (self->pending->len == 0 && self->pending_changes->len == 0))
    return TRUE;

  collect_pending (self, &samples, &changes);
  /* After the batches already queued, so that history stays in order. */
  sitrep_store_wait_for_writes (self->store);
  ok = sitrep_store_add_health (self->store, samples, self->pending->len, changes,
                                self->pending_changes->len, error);
  g_array_set_size (self->pending, 0);
  g_array_set_size (self->pending_changes, 0);
  return ok;
}

static void
flushed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!sitrep_store_add_health_finish (SITREP_STORE (source), result, &error))
    g_warning ("Cannot record health samples: %s", error->message);
}

/* Once a second from the main loop: the batch goes to the store's writer thread (one
 * transaction), and the loop goes on. */
void
_sitrep_monitor_flush_async (SitrepMonitor *self)
{
  g_autofree SitrepHealthSample *samples = NULL;
  g_autofree SitrepHealthChange *changes = NULL;

  if (self->pending->len == 0 && self->pending_changes->len == 0)
    return;
  collect_pending (self, &samples, &changes);
  sitrep_store_add_health_async (self->store, samples, self->pending->len, changes,
                                 self->pending_changes->len, NULL, flushed_cb, NULL);
  g_array_set_size (self->pending, 0);
  g_array_set_size (self->pending_changes, 0);
}

typedef struct
{
  gint64 before;
  gint64 removed;
} Prune;

static gboolean
prune_health (SitrepStore *store,
              gpointer     data,
              GError     **error)
{
  Prune *prune = data;

  prune->removed = sitrep_store_prune_health (store, prune->before, error);
  return prune->removed >= 0;
}

static void
pruned_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A team database that is unreachable is pruned the next time, when it is back. */
  if (!sitrep_store_write_finish (SITREP_STORE (source), result, &error)
      && !g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE))
    g_warning ("Cannot prune old health samples: %s", error->message);
}

/* Once an hour: samples older than @before go, on the store's writer thread. */
void
_sitrep_monitor_prune_async (SitrepMonitor *self,
                             gint64         before)
{
  Prune *prune = g_new0 (Prune, 1);

  prune->before = before;
  /* An hour of samples of many probes may take a slow server long to delete. */
  sitrep_store_write_patient_async (self->store, prune_health, prune, g_free, NULL, pruned_cb,
                                    NULL);
}
