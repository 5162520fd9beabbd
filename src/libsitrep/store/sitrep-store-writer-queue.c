/* sitrep-store-writer-queue.c: changes queued for the store's writer thread, and their results
 *
 * What the store's callers use: a change queued behind the others (with a journal body on a
 * team database), its result on the caller's main context, a change waited for. The thread
 * that runs them is sitrep-store-writer.c.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-store-audit-private.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-private.h"
#include "sitrep-store-writer-private.h"

typedef SitrepWriterJob Job;

/* A change to keep in the journal: its id, kind and body, copied. */
typedef struct
{
  char *change_id;
  char *kind;
  char *body;
} Kept;

static void
kept_free (gpointer data)
{
  Kept *kept = data;

  g_free (kept->change_id);
  g_free (kept->kind);
  g_free (kept->body);
  g_free (kept);
}

static Kept *
kept_new (Job *job)
{
  Kept *kept = g_new0 (Kept, 1);

  kept->change_id = g_strdup (job->change_id);
  kept->kind = g_strdup (job->journal_kind);
  kept->body = g_strdup (job->journal_body);
  return kept;
}

/* Appends @kept (Kept) to the team database's journal, from this thread: what the writer
 * thread was left with when the store stopped waiting for it. */
static gboolean
keep (SitrepStore  *self,
      GPtrArray    *kept,
      GError      **error)
{
  g_autoptr(SitrepStoreJournal) journal = NULL;
  g_autofree char *fallback = NULL;
  const char *path = self->journal_path;

  if (kept->len == 0)
    return TRUE;
  if (path == NULL)
    path = fallback = sitrep_store_journal_default_path (self->path);
  journal = sitrep_store_journal_open (path, error);
  if (journal == NULL)
    return FALSE;
  for (guint i = 0; i < kept->len; i++)
    {
      Kept *one = kept->pdata[i];

      if (!sitrep_store_journal_append (journal, one->change_id, one->kind, one->body, error))
        return FALSE;
    }
  return TRUE;
}

static void
push (SitrepStore *self,
      Job         *job)
{
  SitrepWriterShared *shared;
  gboolean abandoned = FALSE;

  sitrep_store_start_writer (self);
  shared = self->writer_shared;
  if (job->journal_body != NULL)
    {
      g_mutex_lock (&shared->lock);
      abandoned = shared->abandoned;
      if (!abandoned)
        g_ptr_array_add (shared->unfinished, job);
      g_mutex_unlock (&shared->lock);
    }
  /* Queued after the store stopped waiting for its thread (a command stopped as the console
   * closes): kept at once, since the thread runs nothing more. */
  if (abandoned)
    {
      g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (kept_free);
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (kept, kept_new (job));
      if (keep (self, kept, &error))
        job->kept = TRUE;
      else
        g_warning ("A change to the team database %s is lost: %s", self->path, error->message);
    }
  g_async_queue_push (shared->queue, job);
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
             const char           *journal_kind,
             JsonObject           *journal_body,
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
      if (sitrep_writer_run_with_retry (self, func, data, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job = sitrep_writer_job_new (self, func, data);
  job->task = g_steal_pointer (&task);
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
  write_async (self, func, data, destroy, NULL, NULL, cancellable, callback, user_data);
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
  write_async (self, func, data, destroy, kind, body, cancellable, callback, user_data);
}

/* Whether the change was kept in the journal, to be written when the team database is back. */
gboolean
sitrep_store_write_was_journaled (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_object_get_data (G_OBJECT (result), "sitrep-journaled") != NULL;
}

/* The id of the change kept in the journal (sitrep_store_write_was_journaled()), by which a
 * later change names it (sitrep_store_edit_kept_note_async()); NULL when it was written. */
const char *
sitrep_store_write_get_change_id (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_object_get_data (G_OBJECT (result), "sitrep-change-id");
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
/* Queues @func and waits for it until @end_time (monotonic; G_MAXINT64 for as long as it
 * takes). Returns FALSE with @timed_out set when the time came first. */
static gboolean
write_sync_until (SitrepStore          *self,
                  SitrepStoreWriteFunc  func,
                  gpointer              data,
                  gint64                end_time,
                  gboolean             *timed_out,
                  GError              **error)
{
  Job *job;
  gboolean ok = FALSE;

  *timed_out = FALSE;
  if (self->writer_thread == NULL)
    return sitrep_writer_run_with_retry (self, func, data, error);

  job = sitrep_writer_job_new (self, func, data);
  job->sync = TRUE;
  job->refs = 2;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  push (self, job);
  g_mutex_lock (&job->mutex);
  while (!job->done)
    if (!g_cond_wait_until (&job->cond, &job->mutex, end_time) && !job->done)
      break;
  if (job->done)
    {
      ok = job->ok;
      if (!ok)
        g_propagate_error (error, g_steal_pointer (&job->error));
    }
  else
    *timed_out = TRUE;
  g_mutex_unlock (&job->mutex);
  sitrep_writer_job_release (job);
  return ok;
}

gboolean
sitrep_store_write_sync (SitrepStore          *self,
                         SitrepStoreWriteFunc  func,
                         gpointer              data,
                         GError              **error)
{
  gboolean timed_out;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);
  return write_sync_until (self, func, data, G_MAXINT64, &timed_out, error);
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

/**
 * sitrep_store_finish_writes:
 * @end_time: the monotonic time until which a team database is waited for
 *
 * For a console that closes, or leaves this database: returns once every change queued is
 * committed or has failed. A team database whose server has not taken them by @end_time (it
 * stalls, or a lock held elsewhere keeps a change waiting) is waited for no longer: what is
 * left is kept in the journal on this computer, to be written at the next start (once: the
 * change the server was busy with may still be committed), the writer thread is left to end on
 * its own, and a change queued after is kept in the journal at once. A file is waited for as
 * long as it takes (each change gives up after a minute of another process's lock).
 *
 * Returns: %FALSE when the server was given up on and what was left could not all be kept,
 * with @error saying why
 */
gboolean
sitrep_store_finish_writes (SitrepStore  *self,
                            gint64        end_time,
                            GError      **error)
{
  SitrepWriterShared *shared;
  g_autoptr(GPtrArray) kept = NULL;
  gboolean timed_out = FALSE;

  g_return_val_if_fail (SITREP_IS_STORE (self), FALSE);

  if (!sitrep_store_is_shared (self))
    end_time = G_MAXINT64;
  if (sitrep_store_writer_abandoned (self))
    return TRUE;
  write_sync_until (self, nothing, NULL, end_time, &timed_out, NULL);
  if (!timed_out)
    return TRUE;

  /* Taken from the thread under the lock: a change it runs now is kept too, and if the server
   * commits it after all, the replay skips it by its id. */
  shared = self->writer_shared;
  kept = g_ptr_array_new_with_free_func (kept_free);
  g_mutex_lock (&shared->lock);
  shared->abandoned = TRUE;
  for (guint i = 0; i < shared->unfinished->len; i++)
    {
      Job *job = shared->unfinished->pdata[i];

      job->kept = TRUE;
      g_ptr_array_add (kept, kept_new (job));
    }
  g_mutex_unlock (&shared->lock);
  g_message ("The team database %s has not answered in time: %u changes are kept on this "
             "computer, to be written when the console starts again",
             self->path, kept->len);
  if (!keep (self, kept, error))
    {
      g_prefix_error (error, _("Changes to the team database %s are lost: "), self->path);
      return FALSE;
    }
  return TRUE;
}
