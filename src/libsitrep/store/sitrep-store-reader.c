/* sitrep-store-reader.c: the store's reader thread, which reads a team database off the main loop
 *
 * A read from a team database waits on the network: a server that is slow, stalled or gone
 * would hold the console's main loop for as long as it takes (with no answer, for as long as
 * the TCP connection lives). Reads the console makes while it runs (an incident another
 * console changed, a page of the timeline, a post-mortem) are queued here and run one at a
 * time, in the order they were queued, by one thread with a connection of its own, opened on
 * first use and again after a read failed; the caller's callback runs on its main context.
 *
 * A file of one's own is local and fast: its reads run in the call, on the store's own
 * connection, and the callback still comes from the main loop; a read long enough to cost a
 * frame is queued on the reader thread all the same (sitrep_store_read_in_thread_async ()).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-store-incidents.h"
#include "sitrep-store-private.h"
#include "sitrep-store-reader.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-store-timeline.h"

typedef SitrepStoreReader Reader;

struct _SitrepStoreReader
{
  char *address;
  GThreadPool *pool;  /* one thread: reads run in the order they were queued */
  SitrepStore *conn;  /* the reader's connection, touched by that thread only */
  int closed;         /* sitrep_store_close_reads (): what is queued is answered, not read */
  GMutex lock;        /* the pool's pushes against its closing, from another thread */
  SitrepDbSocketSlot slot; /* where conn's socket is shown, for closing to cut */
};

typedef struct
{
  Reader *reader;
  SitrepStoreReadFunc func;
  gpointer data;
  GDestroyNotify result_destroy;
  GTask *task;        /* owned and released on the task's own context */
  gpointer result;
  GError *error;
} Job;

/* When the store goes: no read is queued then, since each holds the store. The thread ends
 * before the connection it reads on goes. */
void
sitrep_store_free_reader (SitrepStore *self)
{
  Reader *reader = g_atomic_pointer_exchange (&self->reader, NULL);

  if (reader == NULL)
    return;
  if (reader->pool != NULL)
    g_thread_pool_free (reader->pool, FALSE, TRUE);
  g_clear_object (&reader->conn);
  sitrep_db_socket_slot_clear (&reader->slot);
  g_mutex_clear (&reader->lock);
  g_free (reader->address);
  g_free (reader);
}

/* Why a read after sitrep_store_close_reads () was not made. */
static const char *
done_with_it (void)
{
  return _("The console is done with this database: the read was not made.");
}

static void
job_free (Job *job)
{
  if (job->result != NULL && job->result_destroy != NULL)
    job->result_destroy (job->result);
  g_clear_error (&job->error);
  g_clear_object (&job->task);
  g_free (job);
}

/* What the read was queued with, kept by the task until its callback has run. */
typedef struct
{
  gpointer data;
  GDestroyNotify destroy;
} ReadData;

static void
read_data_free (gpointer data)
{
  ReadData *read = data;

  if (read->destroy != NULL)
    read->destroy (read->data);
  g_free (read);
}

/* Back on the task's context: the task is returned (and every reference dropped) there. */
static gboolean
deliver_cb (gpointer user_data)
{
  Job *job = user_data;

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else
    g_task_return_pointer (job->task, g_steal_pointer (&job->result), job->result_destroy);
  job_free (job);
  return G_SOURCE_REMOVE;
}

static void
run_cb (gpointer data,
        gpointer user_data)
{
  Job *job = data;
  Reader *reader = job->reader;
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  GSource *source;

  if (g_atomic_int_get (&reader->closed))
    g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED, done_with_it ());
  else if (!g_cancellable_set_error_if_cancelled (cancellable, &job->error))
    {
      /* The connection is made on this thread, and can be cut from the one that closes. */
      sitrep_db_postgres_show_sockets (&reader->slot);
      /* A read never creates a database: a file deleted or moved meanwhile (or a drill's,
       * removed with its folder) is an error, not an empty history. */
      if (reader->conn == NULL)
        reader->conn = sitrep_store_open_existing (reader->address, &job->error);
      if (reader->conn != NULL)
        {
          job->result = job->func (reader->conn, job->data, &job->error);
          /* A failed read may be a broken connection: the next read opens another. */
          if (job->result == NULL)
            g_clear_object (&reader->conn);
        }
      sitrep_db_postgres_show_sockets (NULL);
      if (job->result == NULL && job->error == NULL)
        g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_FAILED, "read nothing");
      /* Cut as the console closed: not a failure of the server's. */
      if (job->result == NULL && g_atomic_int_get (&reader->closed))
        {
          g_clear_error (&job->error);
          g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED, done_with_it ());
        }
    }
  /* Never g_main_context_invoke (): it would run the callback on this thread when the context
   * happens to be free. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, job, NULL);
  g_source_set_static_name (source, "[sitrep] store read done");
  g_source_attach (source, g_task_get_context (job->task));
  g_source_unref (source);
}

/* Starts a read: in the call (the callback still comes from the main loop), or queued on the
 * reader thread, made on first use. */
static void
start_read (SitrepStore          *self,
            gboolean              in_call,
            SitrepStoreReadFunc   func,
            gpointer              data,
            GDestroyNotify        data_destroy,
            GDestroyNotify        result_destroy,
            GCancellable         *cancellable,
            GAsyncReadyCallback   callback,
            gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ReadData *read = g_new0 (ReadData, 1);
  Reader *reader;

  g_task_set_source_tag (task, sitrep_store_read_async);
  read->data = data;
  read->destroy = data_destroy;
  g_task_set_task_data (task, read, read_data_free);

  if (in_call)
    {
      GError *error = NULL;
      gpointer result = NULL;

      if (!g_cancellable_set_error_if_cancelled (cancellable, &error))
        result = func (self, data, &error);
      if (result == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, result, result_destroy);
      return;
    }

  reader = g_atomic_pointer_get (&self->reader);
  if (reader == NULL)
    {
      reader = g_new0 (Reader, 1);
      g_mutex_init (&reader->lock);
      sitrep_db_socket_slot_init (&reader->slot);
      reader->address = g_strdup (self->path);
      reader->pool = g_thread_pool_new (run_cb, NULL, 1, FALSE, NULL);
      /* Made whole before it is shown to a thread that closes the reads. */
      g_atomic_pointer_set (&self->reader, reader);
    }
  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&reader->lock);
    Job *run;

    /* Closed (on another thread, maybe): answered at once. */
    if (reader->pool == NULL)
      {
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                                 done_with_it ());
        return;
      }
    run = g_new0 (Job, 1);
    run->reader = reader;
    run->func = func;
    run->data = data;
    run->result_destroy = result_destroy;
    run->task = g_steal_pointer (&task);
    g_thread_pool_push (reader->pool, run, NULL);
  }
}

/**
 * sitrep_store_read_async:
 * @func: the read, run on the reader thread with the reader's store
 * @data: (nullable): what @func reads with, kept until the callback has run
 * @data_destroy: (nullable): frees @data
 * @result_destroy: (nullable): frees what @func returns, when nobody finishes the read
 *
 * Reads from @self without the main loop waiting: on a team database on the store's reader
 * thread, in the order reads were queued; on a file, in the call. Finish with
 * sitrep_store_read_finish().
 */
void
sitrep_store_read_async (SitrepStore          *self,
                         SitrepStoreReadFunc   func,
                         gpointer              data,
                         GDestroyNotify        data_destroy,
                         GDestroyNotify        result_destroy,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_return_if_fail (SITREP_IS_STORE (self));
  g_return_if_fail (func != NULL);

  start_read (self, !sitrep_store_is_shared (self), func, data, data_destroy, result_destroy,
              cancellable, callback, user_data);
}

/**
 * sitrep_store_read_in_thread_async:
 *
 * sitrep_store_read_async () on the reader thread for a database file too, on a connection of
 * its own (opened on the first such read, kept for the store's life, never creating the file):
 * for a read long enough to cost the console a frame (every probe's health history, read when
 * a runbook opens). A private in-memory database, which no other connection sees, is read in
 * the call.
 */
void
sitrep_store_read_in_thread_async (SitrepStore          *self,
                                   SitrepStoreReadFunc   func,
                                   gpointer              data,
                                   GDestroyNotify        data_destroy,
                                   GDestroyNotify        result_destroy,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_return_if_fail (SITREP_IS_STORE (self));
  g_return_if_fail (func != NULL);

  start_read (self, sitrep_store_is_in_memory (self), func, data, data_destroy, result_destroy,
              cancellable, callback, user_data);
}

/**
 * sitrep_store_close_reads:
 *
 * The console is done with @self (it quits, or switched to another database): what is still
 * queued is answered as cancelled without reading, and later reads are too. A read under way
 * has its connection cut (a server that stalls would never answer it) and is answered as
 * cancelled. Waits for the reader thread to end, so that nothing of it outlives the console (a
 * read still connecting to the server when the process exits crashes it; a connection takes
 * 10 s at most, connect_timeout): call it where a wait for the server is no one's to notice,
 * with the writes already finished. May be called from any thread.
 */
void
sitrep_store_close_reads (SitrepStore *self)
{
  Reader *reader;
  GThreadPool *pool;

  g_return_if_fail (SITREP_IS_STORE (self));
  reader = g_atomic_pointer_get (&self->reader);
  if (reader == NULL)
    return;
  g_mutex_lock (&reader->lock);
  g_atomic_int_set (&reader->closed, TRUE);
  pool = g_steal_pointer (&reader->pool);
  g_mutex_unlock (&reader->lock);
  if (pool == NULL)
    return;
  /* A read under way is not waited for: on a server that stalls it would never end. */
  sitrep_db_socket_slot_cut (&reader->slot);
  /* Outside the lock: a read queued meanwhile is answered at once, not kept waiting. */
  g_thread_pool_free (pool, FALSE, TRUE);
  g_clear_object (&reader->conn);
}

/* Returns: (transfer full): what the read returned, or NULL with @error set */
gpointer
sitrep_store_read_finish (SitrepStore   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Returns: (transfer none): the @data the read was queued with */
gpointer
sitrep_store_read_get_data (GAsyncResult *result)
{
  ReadData *read = g_task_get_task_data (G_TASK (result));

  return read->data;
}

static gpointer
read_incident (SitrepStore *store,
               gpointer     data,
               GError     **error)
{
  return sitrep_store_load_incident (store, *(gint64 *) data, error);
}

/* sitrep_store_load_incident() without the main loop waiting on a team database. */
void
sitrep_store_load_incident_async (SitrepStore         *self,
                                  gint64               id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  sitrep_store_read_async (self, read_incident, g_memdup2 (&id, sizeof id), g_free,
                           g_object_unref, cancellable, callback, user_data);
}

SitrepIncident *
sitrep_store_load_incident_finish (SitrepStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return sitrep_store_read_finish (self, result, error);
}

static gpointer
read_message (SitrepStore *store,
              gpointer     data,
              GError     **error)
{
  return sitrep_store_load_message (store, *(gint64 *) data, error);
}

/* sitrep_store_load_message() without the main loop waiting on a team database. */
void
sitrep_store_load_message_async (SitrepStore         *self,
                                 gint64               id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  sitrep_store_read_async (self, read_message, g_memdup2 (&id, sizeof id), g_free,
                           (GDestroyNotify) sitrep_message_free, cancellable, callback,
                           user_data);
}

SitrepMessage *
sitrep_store_load_message_finish (SitrepStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return sitrep_store_read_finish (self, result, error);
}

void
sitrep_postmortem_read_free (SitrepPostmortemRead *read)
{
  g_clear_object (&read->incident);
  g_clear_pointer (&read->fields, sitrep_postmortem_fields_free);
  g_clear_pointer (&read->items, g_ptr_array_unref);
  g_clear_pointer (&read->events, g_ptr_array_unref);
  g_free (read);
}

/* What to read: the incident, and whether its timeline too. */
typedef struct
{
  gint64 incident_id;
  gboolean events;
} PostmortemAsk;

static gpointer
read_postmortem (SitrepStore *store,
                 gpointer     data,
                 GError     **error)
{
  PostmortemAsk *ask = data;
  g_autoptr(SitrepPostmortemRead) read = g_new0 (SitrepPostmortemRead, 1);

  if ((read->incident = sitrep_store_load_incident (store, ask->incident_id, error)) == NULL
      || (read->fields = sitrep_store_load_postmortem (store, ask->incident_id, error)) == NULL
      || (read->items = sitrep_store_load_action_items (store, ask->incident_id, error)) == NULL)
    return NULL;
  if (ask->events
      && (read->events = sitrep_store_list_events (store, ask->incident_id,
                                                   SITREP_TIMELINE_LIST_DEFAULT, NULL,
                                                   error)) == NULL)
    return NULL;
  return g_steal_pointer (&read);
}

static void
ask_postmortem (SitrepStore         *self,
                gint64               incident_id,
                gboolean             events,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  PostmortemAsk *ask = g_new0 (PostmortemAsk, 1);

  ask->incident_id = incident_id;
  ask->events = events;
  sitrep_store_read_async (self, read_postmortem, ask, g_free,
                           (GDestroyNotify) sitrep_postmortem_read_free, cancellable, callback,
                           user_data);
}

/**
 * sitrep_store_read_postmortem_async:
 *
 * Reads what the post-mortem editor shows of @incident_id (the incident, what was written of
 * it, its action items and its timeline) without the main loop waiting on a team database.
 */
void
sitrep_store_read_postmortem_async (SitrepStore         *self,
                                    gint64               incident_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  ask_postmortem (self, incident_id, TRUE, cancellable, callback, user_data);
}

/**
 * sitrep_store_read_postmortem_texts_async:
 *
 * Reads what was written of @incident_id's post-mortem (the incident, the texts and the action
 * items), not its timeline, as sitrep_store_read_postmortem_async() does: for an editor that
 * shows it already and learns that another console saved it. The result's events are %NULL;
 * finish with sitrep_store_read_postmortem_finish().
 */
void
sitrep_store_read_postmortem_texts_async (SitrepStore         *self,
                                          gint64               incident_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  ask_postmortem (self, incident_id, FALSE, cancellable, callback, user_data);
}

/* Returns: (transfer full): what was read, or NULL with @error set */
SitrepPostmortemRead *
sitrep_store_read_postmortem_finish (SitrepStore   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return sitrep_store_read_finish (self, result, error);
}
