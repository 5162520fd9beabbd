/* sitrep-store-writer.c: the store's writer thread, which runs queued changes in order
 *
 * The console's main loop must not wait on SQLite: a durable commit is an fdatasync, and
 * another process writing the same file holds its lock for as long as it likes. Changes the
 * console makes are queued here and run one at a time, in the order they were queued, by one
 * thread with a connection of its own; the caller's callback runs on its main context after
 * the commit, so that a read there sees the change. A change refused because another process
 * holds the lock is rolled back and run again, with growing pauses, for up to a minute.
 *
 * An in-memory database cannot be opened twice, and has nothing to wait for: its changes run
 * in the call, and the callback still comes from the main loop.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-store-audit-private.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer.h"

/* How long one attempt waits inside SQLite for another writer's lock, and how long a change
 * keeps being tried again before it is reported as failed. */
#define ATTEMPT_BUSY_TIMEOUT_MS 2000
#define GIVE_UP_AFTER_US (60 * G_USEC_PER_SEC)
#define FIRST_PAUSE_US (10 * 1000)
#define LONGEST_PAUSE_US (G_USEC_PER_SEC)

typedef struct
{
  SitrepStoreWriteFunc func;
  gpointer data;
  GBytes *audit_key;        /* a copy of the caller's store's key when the change was queued */
  GTask *task;              /* owned and released on the task's own context */
  gboolean stop;

  /* Filled by the writer thread. */
  gboolean ok;
  GError *error;

  /* sitrep_store_write_sync (): the caller waits for these. */
  GMutex *mutex;
  GCond *cond;
  gboolean done;
} Job;

static void
job_free (Job *job)
{
  if (job->audit_key != NULL)
    {
      gsize length = 0;
      gpointer key = (gpointer) g_bytes_get_data (job->audit_key, &length);

      if (key != NULL)
        memset (key, 0, length);
      g_bytes_unref (job->audit_key);
    }
  g_clear_error (&job->error);
  g_clear_object (&job->task);
  g_free (job);
}

static Job *
job_new (SitrepStore          *self,
         SitrepStoreWriteFunc  func,
         gpointer              data)
{
  Job *job = g_new0 (Job, 1);
  GBytes *key = sitrep_store_get_audit_key (self);

  job->func = func;
  job->data = data;
  if (key != NULL)
    job->audit_key = g_bytes_new (g_bytes_get_data (key, NULL), g_bytes_get_size (key));
  return job;
}

static gboolean
is_busy (const GError *error)
{
  return g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_BUSY);
}

/* Runs @func until it succeeds, fails for another reason than a busy database, or has been
 * refused as busy for a minute. */
static gboolean
run_with_retry (SitrepStore          *store,
                SitrepStoreWriteFunc  func,
                gpointer              data,
                GError              **error)
{
  gint64 give_up = g_get_monotonic_time () + GIVE_UP_AFTER_US;
  gulong pause = FIRST_PAUSE_US;

  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (func (store, data, &local_error))
        return TRUE;
      /* A failed COMMIT leaves its transaction open; the next attempt starts afresh. */
      if (sitrep_db_in_transaction (store->conn))
        sitrep_store_rollback (store);
      if (!is_busy (local_error) || g_get_monotonic_time () + (gint64) pause > give_up)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("%s is busy (attempt %u); trying again in %lu ms", store->path, attempt,
               pause / 1000);
      /* A little jitter, so that two writers that collided do not collide again. */
      g_usleep (pause + g_random_int_range (0, (gint32) pause / 2 + 1));
      pause = MIN (pause * 2, LONGEST_PAUSE_US);
    }
}

/* On the task's context: the callback sees the change committed. */
static gboolean
complete_cb (gpointer user_data)
{
  Job *job = user_data;

  if (job->ok)
    g_task_return_boolean (job->task, TRUE);
  else
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  job_free (job);
  return G_SOURCE_REMOVE;
}

static void
finish_job (Job *job)
{
  if (job->task != NULL)
    {
      /* Never g_main_context_invoke (): it would run the callback on this thread when the
       * context happens to be free. */
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, complete_cb, job, NULL);
      g_source_set_static_name (source, "[sitrep] store change committed");
      g_source_attach (source, g_task_get_context (job->task));
      g_source_unref (source);
    }
  else
    {
      g_mutex_lock (job->mutex);
      job->done = TRUE;
      g_cond_signal (job->cond);
      g_mutex_unlock (job->mutex);
    }
}

static void
run_job (SitrepStore  *writer,
         const GError *open_error,
         Job          *job)
{
  if (writer == NULL)
    {
      job->ok = FALSE;
      job->error = g_error_copy (open_error);
      return;
    }
  if (job->audit_key != NULL)
    sitrep_store_set_audit_key (writer, job->audit_key);
  job->ok = run_with_retry (writer, job->func, job->data, &job->error);
}

/* The thread: opens its own connection to the file, then runs what is queued until told to
 * stop. It holds no reference to the store (which stops it when finalized). */
static gpointer
writer_thread (gpointer user_data)
{
  SitrepStore *self = user_data;
  g_autoptr(GError) open_error = NULL;
  g_autoptr(SitrepStore) writer = sitrep_store_open (self->path, &open_error);

  if (writer != NULL)
    sitrep_store_set_busy_timeout (writer, ATTEMPT_BUSY_TIMEOUT_MS);
  for (;;)
    {
      Job *job = g_async_queue_pop (self->writer_queue);

      if (job->stop)
        {
          job_free (job);
          break;
        }
      run_job (writer, open_error, job);
      finish_job (job);
    }
  return NULL;
}

static void
push (SitrepStore *self,
      Job         *job)
{
  if (self->writer_thread == NULL)
    {
      self->writer_queue = g_async_queue_new ();
      self->writer_thread = g_thread_new ("sitrep-store-writer", writer_thread, self);
    }
  g_async_queue_push (self->writer_queue, job);
}

/* From finalize: what is queued is written before the thread ends. */
void
sitrep_store_stop_writer (SitrepStore *self)
{
  Job *stop;

  if (self->writer_thread == NULL)
    return;
  stop = g_new0 (Job, 1);
  stop->stop = TRUE;
  g_async_queue_push (self->writer_queue, stop);
  g_thread_join (g_steal_pointer (&self->writer_thread));
  g_clear_pointer (&self->writer_queue, g_async_queue_unref);
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
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (SITREP_IS_STORE (self));
  g_return_if_fail (func != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sitrep_store_write_async);
  g_task_set_task_data (task, data, destroy);
  g_task_set_check_cancellable (task, FALSE);

  if (sitrep_store_is_in_memory (self))
    {
      g_autoptr(GError) error = NULL;

      /* GTask defers the callback to a later iteration of the main loop. */
      if (run_with_retry (self, func, data, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job = job_new (self, func, data);
  job->task = g_steal_pointer (&task);
  push (self, job);
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
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_get_task_data (G_TASK (result));
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
  GMutex mutex;
  GCond cond;
  Job *job;
  gboolean ok;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (self->writer_thread == NULL)
    return run_with_retry (self, func, data, error);

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  job = job_new (self, func, data);
  job->mutex = &mutex;
  job->cond = &cond;
  push (self, job);
  g_mutex_lock (&mutex);
  while (!job->done)
    g_cond_wait (&cond, &mutex);
  g_mutex_unlock (&mutex);
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);

  ok = job->ok;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&job->error));
  job_free (job);
  return ok;
}

static gboolean
nothing (SitrepStore *store,
         gpointer     data,
         GError     **error)
{
  return TRUE;
}

/* Returns once every change queued before it is committed (or has failed). */
void
sitrep_store_wait_for_writes (SitrepStore *self)
{
  g_return_if_fail (SITREP_IS_STORE (self));
  sitrep_store_write_sync (self, nothing, NULL, NULL);
}

/* Health: a batch of samples and changes, copied so that the monitor can go on. */
typedef struct
{
  GStringChunk *strings;
  GArray *samples;
  GArray *changes;
} HealthBatch;

static void
health_batch_free (HealthBatch *batch)
{
  g_string_chunk_free (batch->strings);
  g_array_unref (batch->samples);
  g_array_unref (batch->changes);
  g_free (batch);
}

static gboolean
write_health (SitrepStore *store,
              gpointer     data,
              GError     **error)
{
  HealthBatch *batch = data;
  gboolean ok;

  /* Health history is not what the user wrote: it survives the process being killed (the
   * commit is in the WAL) but may lose its last second to a power cut, which saves an
   * fdatasync per batch. What the user writes stays synchronous=FULL. A team database's
   * durability is its server's to set: the pragmas are SQLite's alone. */
  gboolean relaxed = store->db != NULL && !sitrep_store_is_in_memory (store);

  if (relaxed)
    sitrep_store_exec (store, "PRAGMA synchronous = NORMAL", _("recording health samples"),
                       NULL);
  ok = sitrep_store_add_health (store, (SitrepHealthSample *) (gpointer) batch->samples->data,
                                batch->samples->len,
                                (SitrepHealthChange *) (gpointer) batch->changes->data,
                                batch->changes->len, error);
  if (relaxed)
    sitrep_store_exec (store, "PRAGMA synchronous = FULL", _("recording health samples"), NULL);
  return ok;
}

/**
 * sitrep_store_add_health_async:
 *
 * sitrep_store_add_health() on the writer thread: one transaction for the batch. The samples
 * and changes are copied.
 */
void
sitrep_store_add_health_async (SitrepStore              *self,
                               const SitrepHealthSample *samples,
                               guint                     n_samples,
                               const SitrepHealthChange *changes,
                               guint                     n_changes,
                               GCancellable             *cancellable,
                               GAsyncReadyCallback       callback,
                               gpointer                  user_data)
{
  HealthBatch *batch = g_new0 (HealthBatch, 1);

  batch->strings = g_string_chunk_new (1024);
  batch->samples = g_array_sized_new (FALSE, FALSE, sizeof (SitrepHealthSample), n_samples);
  batch->changes = g_array_sized_new (FALSE, FALSE, sizeof (SitrepHealthChange), n_changes);
  for (guint i = 0; i < n_samples; i++)
    {
      SitrepHealthSample copy = samples[i];

      copy.service_id = g_string_chunk_insert_const (batch->strings, samples[i].service_id);
      copy.probe_id = g_string_chunk_insert_const (batch->strings, samples[i].probe_id);
      copy.health = g_string_chunk_insert_const (batch->strings, samples[i].health);
      if (samples[i].error != NULL)
        copy.error = g_string_chunk_insert (batch->strings, samples[i].error);
      g_array_append_val (batch->samples, copy);
    }
  for (guint i = 0; i < n_changes; i++)
    {
      SitrepHealthChange copy = changes[i];

      copy.service_id = g_string_chunk_insert_const (batch->strings, changes[i].service_id);
      copy.old_health = g_string_chunk_insert_const (batch->strings, changes[i].old_health);
      copy.new_health = g_string_chunk_insert_const (batch->strings, changes[i].new_health);
      if (changes[i].reason != NULL)
        copy.reason = g_string_chunk_insert (batch->strings, changes[i].reason);
      g_array_append_val (batch->changes, copy);
    }
  sitrep_store_write_async (self, write_health, batch, (GDestroyNotify) health_batch_free,
                            cancellable, callback, user_data);
}

gboolean
sitrep_store_add_health_finish (SitrepStore  *self,
                                GAsyncResult *result,
                                GError      **error)
{
  return sitrep_store_write_finish (self, result, error);
}

/* A note or an event of the timeline. */
typedef struct
{
  gint64 incident_id;
  gint64 at;
  char *kind;
  char *fields;             /* JSON text: a JsonObject is not shared between threads */
  char *text;
  char *author;
  gint64 id;
  SitrepTimelineEvent *event;
} EventWrite;

static void
event_write_free (EventWrite *write)
{
  g_free (write->kind);
  g_free (write->fields);
  g_free (write->text);
  g_free (write->author);
  g_clear_object (&write->event);
  g_free (write);
}

static gboolean
write_note (SitrepStore *store,
            gpointer     data,
            GError     **error)
{
  EventWrite *write = data;

  write->event = sitrep_store_add_note (store, write->incident_id, write->at, write->text,
                                        write->author, error);
  return write->event != NULL;
}

/**
 * sitrep_store_add_note_async:
 *
 * sitrep_store_add_note() on the writer thread.
 */
void
sitrep_store_add_note_async (SitrepStore         *self,
                             gint64               incident_id,
                             gint64               at,
                             const char          *text,
                             const char          *author,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  EventWrite *write = g_new0 (EventWrite, 1);

  write->incident_id = incident_id;
  write->at = at;
  write->text = g_strdup (text);
  write->author = g_strdup (author);
  sitrep_store_write_async (self, write_note, write, (GDestroyNotify) event_write_free,
                            cancellable, callback, user_data);
}

/* Returns: (transfer full): the note as written */
SitrepTimelineEvent *
sitrep_store_add_note_finish (SitrepStore  *self,
                              GAsyncResult *result,
                              GError      **error)
{
  EventWrite *write;

  if (!sitrep_store_write_finish (self, result, error))
    return NULL;
  write = sitrep_store_write_get_data (result);
  return g_steal_pointer (&write->event);
}

static gboolean
write_event (SitrepStore *store,
             gpointer     data,
             GError     **error)
{
  EventWrite *write = data;
  g_autoptr(JsonNode) node = NULL;

  if (write->fields != NULL)
    {
      node = json_from_string (write->fields, error);
      if (node == NULL)
        return FALSE;
    }
  write->id = sitrep_store_record_event (store, write->incident_id, write->at, write->kind,
                                         node != NULL ? json_node_get_object (node) : NULL,
                                         write->author, error);
  return write->id >= 0;
}

/**
 * sitrep_store_record_event_async:
 * @fields: (nullable): copied
 *
 * sitrep_store_record_event() on the writer thread.
 */
void
sitrep_store_record_event_async (SitrepStore         *self,
                                 gint64               incident_id,
                                 gint64               at,
                                 const char          *kind,
                                 JsonObject          *fields,
                                 const char          *author,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  EventWrite *write = g_new0 (EventWrite, 1);

  write->incident_id = incident_id;
  write->at = at;
  write->kind = g_strdup (kind);
  write->author = g_strdup (author);
  write->id = -1;
  if (fields != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), fields);

      write->fields = json_to_string (node, FALSE);
    }
  sitrep_store_write_async (self, write_event, write, (GDestroyNotify) event_write_free,
                            cancellable, callback, user_data);
}

/* Returns: the event's id, or -1 with @error set */
gint64
sitrep_store_record_event_finish (SitrepStore  *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  if (!sitrep_store_write_finish (self, result, error))
    return -1;
  return ((EventWrite *) sitrep_store_write_get_data (result))->id;
}

/* An audit entry, copied. */
typedef struct
{
  SitrepAuditEntry *entry;
  gint64 id;
} AuditWrite;

static void
audit_write_free (AuditWrite *write)
{
  sitrep_audit_entry_free (write->entry);
  g_free (write);
}

static gboolean
write_audit (SitrepStore *store,
             gpointer     data,
             GError     **error)
{
  AuditWrite *write = data;

  write->id = sitrep_store_append_audit (store, write->entry, error);
  return write->id > 0;
}

/**
 * sitrep_store_append_audit_async:
 * @entry: copied
 *
 * sitrep_store_append_audit() on the writer thread, signed with the key this store holds now.
 */
void
sitrep_store_append_audit_async (SitrepStore            *self,
                                 const SitrepAuditEntry *entry,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  AuditWrite *write = g_new0 (AuditWrite, 1);
  SitrepAuditEntry *copy = g_new0 (SitrepAuditEntry, 1);

  *copy = *entry;
  copy->os_user = g_strdup (entry->os_user);
  copy->context = g_strdup (entry->context);
  copy->namespace = g_strdup (entry->namespace);
  copy->action_id = g_strdup (entry->action_id);
  copy->service_id = g_strdup (entry->service_id);
  copy->argv = g_strdupv (entry->argv);
  copy->inputs = g_strdup (entry->inputs);
  copy->confirmation = g_strdup (entry->confirmation);
  copy->outcome = g_strdup (entry->outcome);
  copy->output_tail = g_strdup (entry->output_tail);
  copy->process = g_strdup (entry->process);
  copy->owner = g_strdup (entry->owner);
  copy->prev_hash = g_strdup (entry->prev_hash);
  copy->hash = g_strdup (entry->hash);
  /* "Now" is when it was asked for, not when the thread gets to it. */
  if (copy->at == 0)
    copy->at = g_get_real_time ();
  write->entry = copy;
  write->id = -1;
  sitrep_store_write_async (self, write_audit, write, (GDestroyNotify) audit_write_free,
                            cancellable, callback, user_data);
}

/* Returns: the entry's id, or -1 with @error set */
gint64
sitrep_store_append_audit_finish (SitrepStore  *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  if (!sitrep_store_write_finish (self, result, error))
    return -1;
  return ((AuditWrite *) sitrep_store_write_get_data (result))->id;
}
