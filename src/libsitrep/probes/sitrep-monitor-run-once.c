/* sitrep-monitor-run-once.c: every probe of the runbook run once, for `sitrep probe` and tests */
#include "config.h"

#include "sitrep-monitor-private.h"

typedef struct
{
  GPtrArray *queue; /* Slot, unowned */
  guint next;
  guint running;
} RunOnce;

static void
run_once_free (RunOnce *run)
{
  g_ptr_array_unref (run->queue);
  g_free (run);
}

static void run_once_next (GTask *task);

typedef struct
{
  GTask *task;
  Slot *slot;
} RunOnceProbe;

static void
run_once_probe_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RunOnceProbe *probe = user_data;
  g_autoptr(GTask) task = probe->task;
  SitrepMonitor *self = g_task_get_source_object (task);
  RunOnce *run = g_task_get_task_data (task);
  g_autoptr(SitrepProbeResult) probe_result = NULL;
  g_autoptr(GError) error = NULL;

  probe_result = sitrep_probe_run_finish (result, &error);
  run->running--;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sitrep_monitor_feed (self, probe->slot->service->id, probe->slot->spec->id, probe_result,
                         error);
  g_free (probe);

  /* Once cancelled, the last probe to come back returns the task, and only it. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      if (run->running == 0)
        g_task_return_error_if_cancelled (task);
      return;
    }
  run_once_next (g_steal_pointer (&task));
}

static void
run_once_next (GTask *task)
{
  SitrepMonitor *self = g_task_get_source_object (task);
  RunOnce *run = g_task_get_task_data (task);

  while (run->next < run->queue->len && run->running < self->concurrency)
    {
      RunOnceProbe *probe = g_new0 (RunOnceProbe, 1);

      probe->task = g_object_ref (task);
      probe->slot = run->queue->pdata[run->next++];
      run->running++;
      sitrep_probe_run_async (self->context, probe->slot->service, probe->slot->spec,
                              g_task_get_cancellable (task), run_once_probe_cb, probe);
    }
  if (run->running == 0 && run->next == run->queue->len)
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * sitrep_monitor_run_once_async:
 * @service_id: (nullable): only this service's probes, or %NULL for all
 *
 * Runs every probe once, at most the concurrency limit at a time, and applies the results.
 */
void
sitrep_monitor_run_once_async (SitrepMonitor      *self,
                               const char         *service_id,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  GTask *task;
  RunOnce *run;

  g_return_if_fail (SITREP_IS_MONITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  run = g_new0 (RunOnce, 1);

  g_task_set_source_tag (task, sitrep_monitor_run_once_async);
  run->queue = g_ptr_array_new ();
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = self->slots->pdata[i];

      if (service_id == NULL || g_str_equal (slot->service->id, service_id))
        g_ptr_array_add (run->queue, slot);
    }
  g_task_set_task_data (task, run, (GDestroyNotify) run_once_free);
  /* No probe is in flight while the kinds' libraries open: its time would count the wait. */
  if (_sitrep_monitor_open_libraries (self))
    g_ptr_array_add (self->waiting_run_once, task);
  else
    run_once_next (task);
}

/* Starts a round that waited for the kinds' libraries (sitrep-monitor.c). */
void
_sitrep_monitor_run_once_begin (GTask *task)
{
  run_once_next (task);
}

gboolean
sitrep_monitor_run_once_finish (SitrepMonitor *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
