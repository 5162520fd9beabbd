/* sitrep-store-writer-queue.c: changes queued for the store's writer thread, and their results
 *
 * What the store's callers use: a change queued behind the others (with a journal body on a
 * team database), its result on the caller's main context, a change waited for. The thread
 * that runs them is sitrep-store-writer.c.
 */
#include "config.h"

#include "sitrep-store-audit-private.h"
#include "sitrep-store-private.h"
#include "sitrep-store-writer-private.h"

typedef SitrepWriterJob Job;

static void
task_data_free (SitrepWriterTaskData *task_data)
{
  if (task_data->destroy != NULL)
    task_data->destroy (task_data->data);
  g_free (task_data->change_id);
  g_free (task_data);
}

static void
push (SitrepStore *self,
      Job         *job)
{
  sitrep_store_start_writer (self);
  g_async_queue_push (self->writer_queue, job);
}

/**
 * sitrep_store_write_async:
 * @func: the change, run on the writer thread
 * @data: (transfer full): what @func needs and fills in; freed with @destroy after the callback
 * @cancellable: (nullable): for the #GTask convention only: a queued change is always made
 *
 * Queues a change behind the others. @callback runs on the caller's thread-default main
 * context once the change is committed (or has failed); sitrep_store_write_get_data() gives
 * @data back there, with what @func filled in.
 */
static void
write_async (SitrepStore          *self,
             SitrepStoreWriteFunc  func,
             gpointer              data,
             GDestroyNotify        destroy,
             gboolean              patient,
             const char           *journal_kind,
             JsonObject           *journal_body,
             GCancellable         *cancellable,
             GAsyncReadyCallback   callback,
             gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SitrepWriterTaskData *task_data;
  Job *job;

  g_return_if_fail (SITREP_IS_STORE (self));
  g_return_if_fail (func != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_store_write_async);
  task_data = g_new0 (SitrepWriterTaskData, 1);
  task_data->data = data;
  task_data->destroy = destroy;
  g_task_set_task_data (task, task_data, (GDestroyNotify) task_data_free);
  g_task_set_check_cancellable (task, FALSE);

  if (sitrep_store_is_in_memory (self))
    {
      g_autoptr(GError) error = NULL;

      /* GTask defers the callback to a later iteration of the main loop. */
      if (sitrep_writer_run_with_retry (self, func, data, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job = sitrep_writer_job_new (self, func, data);
  job->task = g_steal_pointer (&task);
  job->patient = patient;
  /* Only a team database has a journal. */
  if (journal_kind != NULL && sitrep_store_is_shared (self))
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), journal_body);

      job->change_id = g_uuid_string_random ();
      job->journal_kind = g_strdup (journal_kind);
      job->journal_body = json_to_string (node, FALSE);
    }
  push (self, job);
}

/**
 * sitrep_store_write_async:
 * @func: the change, run on the writer thread
 * @data: (transfer full): what @func needs and fills in; freed with @destroy after the callback
 * @cancellable: (nullable): for the #GTask convention only: a queued change is always made
 *
 * Queues a change behind the others. @callback runs on the caller's thread-default main
 * context once the change is committed (or has failed); sitrep_store_write_get_data() gives
 * @data back there, with what @func filled in.
 */
void
sitrep_store_write_async (SitrepStore          *self,
                          SitrepStoreWriteFunc  func,
                          gpointer              data,
                          GDestroyNotify        destroy,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  write_async (self, func, data, destroy, FALSE, NULL, NULL, cancellable, callback, user_data);
}

/**
 * sitrep_store_write_patient_async:
 *
 * sitrep_store_write_async() for a change that may take long on a server that answers (a
 * large DELETE): a console does not give it up after its limit when the server is slow to
 * answer (sitrep_store_cut_stalled_changes()).
 */
void
sitrep_store_write_patient_async (SitrepStore          *self,
                                  SitrepStoreWriteFunc  func,
                                  gpointer              data,
                                  GDestroyNotify        destroy,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  write_async (self, func, data, destroy, TRUE, NULL, NULL, cancellable, callback, user_data);
}

/**
 * sitrep_store_write_journaled_async:
 * @kind: what the journal calls this change: "note", "event", "item", "status", "severity",
 *   "update-sent", "health", "message-state" … (sitrep-store-journal-replay.c replays them)
 * @body: the change as the journal keeps it (copied): "incident", "at", "author" and the
 *   kind's own members
 *
 * sitrep_store_write_async() for a change that a team database's journal keeps while the
 * server is unreachable: then @func does not run, the callback reports success and
 * sitrep_store_write_was_journaled() says so. On a file, the same as
 * sitrep_store_write_async().
 */
void
sitrep_store_write_journaled_async (SitrepStore          *self,
                                    SitrepStoreWriteFunc  func,
                                    gpointer              data,
                                    GDestroyNotify        destroy,
                                    const char           *kind,
                                    JsonObject           *body,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_return_if_fail (kind != NULL && body != NULL);
  write_async (self, func, data, destroy, FALSE, kind, body, cancellable, callback, user_data);
}

/* What a queued change's task carries; NULL for another task, which says nothing of a
 * journal. */
static SitrepWriterTaskData *
task_data_of (GAsyncResult *result)
{
  if (g_task_get_source_tag (G_TASK (result)) != sitrep_store_write_async)
    return NULL;
  return g_task_get_task_data (G_TASK (result));
}

/* Whether the change was kept in the journal, to be written when the team database is back. */
gboolean
sitrep_store_write_was_journaled (GAsyncResult *result)
{
  SitrepWriterTaskData *task_data;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  task_data = task_data_of (result);
  return task_data != NULL && task_data->journaled;
}

/* The id of the change kept in the journal (sitrep_store_write_was_journaled()), by which a
 * later change names it (sitrep_store_edit_kept_note_async()); NULL when it was written. */
const char *
sitrep_store_write_get_change_id (GAsyncResult *result)
{
  SitrepWriterTaskData *task_data;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  task_data = task_data_of (result);
  return task_data != NULL ? task_data->change_id : NULL;
}

gboolean
sitrep_store_write_finish (SitrepStore  *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The @data given to sitrep_store_write_async(), valid during the callback. */
gpointer
sitrep_store_write_get_data (GAsyncResult *result)
{
  SitrepWriterTaskData *task_data;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  task_data = task_data_of (result);
  return task_data != NULL ? task_data->data : g_task_get_task_data (G_TASK (result));
}

static gboolean
nothing (SitrepStore *store,
         gpointer     data,
         GError     **error)
{
  return TRUE;
}

/* sitrep_store_write_sync(), with the writer's connection cut at @cut_at (monotonic;
 * G_MAXINT64 for never) if the change has not been made by then. */
static gboolean
write_sync_until (SitrepStore          *self,
                  SitrepStoreWriteFunc  func,
                  gpointer              data,
                  gint64                cut_at,
                  GError              **error)
{
  GMutex mutex;
  GCond cond;
  Job *job;
  gboolean ok;

  if (self->writer_thread == NULL)
    return sitrep_writer_run_with_retry (self, func, data, error);

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  job = sitrep_writer_job_new (self, func, data);
  job->wait_only = func == nothing;
  job->closing = cut_at != G_MAXINT64;
  job->mutex = &mutex;
  job->cond = &cond;
  push (self, job);
  g_mutex_lock (&mutex);
  while (!job->done)
    {
      if (cut_at == G_MAXINT64)
        g_cond_wait (&cond, &mutex);
      else if (!g_cond_wait_until (&cond, &mutex, cut_at) && !job->done)
        {
          /* Not under the job's lock, which the thread takes to say it is done. What is left
           * then goes to the journal at once, without a server to wait for. */
          g_mutex_unlock (&mutex);
          sitrep_store_cut_writer (self);
          g_mutex_lock (&mutex);
          cut_at = G_MAXINT64;
        }
    }
  g_mutex_unlock (&mutex);
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);

  ok = job->ok;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&job->error));
  sitrep_writer_job_free (job);
  return ok;
}

/**
 * sitrep_store_write_sync:
 *
 * Makes a change in the same order as the queued ones and waits for it: on the writer thread
 * once that runs, else on this connection; either way a busy database is waited for and the
 * change tried again. For the headless verbs and for a console that closes.
 */
gboolean
sitrep_store_write_sync (SitrepStore          *self,
                         SitrepStoreWriteFunc  func,
                         gpointer              data,
                         GError              **error)
{
  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  return write_sync_until (self, func, data, G_MAXINT64, error);
}

/* Returns once every change queued before it is committed (or has failed). */
void
sitrep_store_wait_for_writes (SitrepStore *self)
{
  g_return_if_fail (SITREP_IS_STORE (self));
  sitrep_store_write_sync (self, nothing, NULL, NULL);
}

/**
 * sitrep_store_finish_writes:
 * @end_time: the monotonic time until which a team database's server is waited for
 *
 * For a console that closes, or leaves this database: returns once every change queued is
 * committed, kept or has failed. A team database whose server has not taken them by
 * @end_time (it stalls, or a lock held elsewhere keeps a change waiting) is waited for no
 * longer: the writer's connection is cut, and what is left goes to the journal on this
 * computer, as when a connection is lost, to be written at the next start (once, should the
 * server have committed the change it was busy with after all); a change the journal cannot
 * keep (one without a journal body) is lost, and logged. A file is waited for as long as it
 * takes (each change gives up after a minute of another process's lock).
 */
void
sitrep_store_finish_writes (SitrepStore *self,
                            gint64       end_time)
{
  g_return_if_fail (SITREP_IS_STORE (self));
  write_sync_until (self, nothing, NULL, sitrep_store_is_shared (self) ? end_time : G_MAXINT64,
                    NULL);
}
