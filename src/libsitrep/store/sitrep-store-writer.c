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
 *
 * On a team database, a change queued with a journal body (sitrep_store_write_journaled_async())
 * is written with its id (sitrep_store_journal_apply()); when the server is unreachable, at
 * start or because the connection broke, it goes to the journal on this computer instead and
 * its callback says so (sitrep_store_write_was_journaled()). The thread tries the server again
 * every few seconds and, once it answers, replays the journal before anything newer.
 *
 * The replay signs the audit entries the journal kept with the store's key: the thread starts
 * with the key the store holds then, and learns a key read later from the keyring at once
 * (sitrep_store_writer_key_changed()). Until it has one, the replay stops at the first audit
 * entry and waits, the changes queued meanwhile kept behind it in order: nothing has failed,
 * and the console says neither offline nor a problem. An incident declared while away that
 * the replay wrote is told to the console (SitrepStore::incident-written) once it has been
 * read back, even when the connection goes first: then at the next replay.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-store-audit-private.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-journal.h"
#include "sitrep-store-private.h"
#include "sitrep-store-timeline.h"
#include "sitrep-store-writer-private.h"

typedef SitrepWriterJob Job;

/* How long one attempt waits inside SQLite for another writer's lock, and how long a change
 * keeps being tried again before it is reported as failed. */
#define ATTEMPT_BUSY_TIMEOUT_MS 2000
#define GIVE_UP_AFTER_US (60 * G_USEC_PER_SEC)
#define FIRST_PAUSE_US (10 * 1000)
#define LONGEST_PAUSE_US (G_USEC_PER_SEC)
/* How often an unreachable team database is tried again. */
#define RECONNECT_EVERY_US (2 * G_USEC_PER_SEC)

void
sitrep_writer_job_free (Job *job)
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
  g_free (job->key_problem);
  g_free (job->change_id);
  g_free (job->journal_kind);
  g_free (job->journal_body);
  g_free (job);
}

Job *
sitrep_writer_job_new (SitrepStore          *self,
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

/* What the change running on this thread asked to be called when it is not saved after all
 * (sitrep_store_write_if_lost()). */
typedef struct
{
  GDestroyNotify func;
  gpointer data;
} IfLost;

static GPrivate running_if_lost;

/**
 * sitrep_store_write_if_lost:
 * @func: called on the writer thread with @data if the change running now is not committed
 *   (its COMMIT failed, or it was kept in the journal instead)
 *
 * For a #SitrepStoreWriteFunc that remembers, for the changes queued after it, what it wrote:
 * when the change is lost, that memory is wrong and @func forgets it. Only from a change
 * running on the writer thread; the last call wins.
 */
void
sitrep_store_write_if_lost (GDestroyNotify func,
                            gpointer       data)
{
  IfLost *if_lost = g_private_get (&running_if_lost);

  if (if_lost == NULL)
    return;
  if_lost->func = func;
  if_lost->data = data;
}

static gboolean
is_busy (const GError *error)
{
  return g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_BUSY);
}

/* Runs @func until it succeeds, fails for another reason than a busy database, or has been
 * refused as busy for a minute. */
gboolean
sitrep_writer_run_with_retry (SitrepStore          *store,
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
      /* Busy or not, a lost connection will not take it on the next attempt either. */
      if (!is_busy (local_error) || g_get_monotonic_time () + (gint64) pause > give_up
          || sitrep_db_postgres_is_lost (store->conn))
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

  if (job->journaled)
    {
      SitrepWriterTaskData *task_data = g_task_get_task_data (job->task);

      task_data->journaled = TRUE;
      /* What a later change of the kept one names it by (a kept note's edit). */
      task_data->change_id = g_steal_pointer (&job->change_id);
    }
  if (job->ok)
    g_task_return_boolean (job->task, TRUE);
  else
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  sitrep_writer_job_free (job);
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

/* A change with an id, on a team database: written with it, once. */
static gboolean
apply_with_id (SitrepStore *store,
               gpointer     data,
               GError     **error)
{
  Job *job = data;
  gboolean already;

  return sitrep_store_journal_apply (store, job->change_id, job->func, job->data, &already, error);
}

/* What the thread holds: its connection (NULL while the team database is unreachable) and the
 * journal, opened when first needed. */
typedef struct
{
  SitrepStore *self;        /* not a reference: the store stops the thread when finalized;
                             * references come from self->writer_self */
  SitrepStore *writer;
  GError *open_error;
  SitrepStoreJournal *journal;
  gboolean offline;
  gint64 next_attempt;
  guint pending;
  /* Why the journal is kept though the server answers (it refuses writes, is busy …); NULL
   * while it is merely unreachable. And how many changes were set aside for good. */
  char *problem;
  guint refused;
  GBytes *audit_key;        /* the last one a change came with: the replay signs with it */
  char *key_problem;        /* or why the store cannot have one */
  /* The journal holds an audit entry and the key is not there yet: the replay waits for it,
   * and the changes queued meanwhile wait behind it, in the journal. */
  gboolean waiting_for_key;
  /* Incidents declared while away, written, that the console has not been told of yet (the
   * connection went before they could be read): pairs of provisional and server ids. */
  GArray *untold;
} Writer;

static void
forget_audit_key (Writer *w)
{
  if (w->audit_key != NULL)
    {
      gsize length = 0;
      gpointer key = (gpointer) g_bytes_get_data (w->audit_key, &length);

      if (key != NULL)
        memset (key, 0, length);
      g_clear_pointer (&w->audit_key, g_bytes_unref);
    }
}

typedef struct
{
  SitrepStore *self;
  gboolean offline;
  guint pending;
  guint replayed;
  char *problem;
  guint refused;
  gboolean waiting_for_key;
  GArray *written;          /* incidents declared while away: their provisional ids */
  GPtrArray *incidents;     /* and each as the server has it now */
} StateChange;

static gboolean
state_change_cb (gpointer user_data)
{
  StateChange *change = user_data;

  sitrep_store_set_journal_state (change->self, change->problem, change->refused,
                                  change->waiting_for_key);
  for (guint i = 0; change->incidents != NULL && i < change->incidents->len; i++)
    sitrep_store_incident_written (change->self, g_array_index (change->written, gint64, i),
                                   change->incidents->pdata[i]);
  g_clear_pointer (&change->written, g_array_unref);
  g_clear_pointer (&change->incidents, g_ptr_array_unref);
  sitrep_store_set_offline_state (change->self, change->offline, change->pending,
                                  change->replayed);
  g_object_unref (change->self);
  g_free (change->problem);
  g_free (change);
  return G_SOURCE_REMOVE;
}

void (*sitrep_store_writer_before_tell) (gpointer data) = NULL;
gpointer sitrep_store_writer_before_tell_data = NULL;

/* Tells the main context; the store outlives the idle (it is held), though not its thread.
 * A store whose last reference is going is told nothing. */
static void
tell (Writer *w,
      guint   replayed)
{
  StateChange *change;
  GSource *source;
  SitrepStore *store;

  if (sitrep_store_writer_before_tell != NULL)
    sitrep_store_writer_before_tell (sitrep_store_writer_before_tell_data);
  /* Not g_object_ref (w->self): the main thread may be dropping the last reference. Then
   * there is nobody to tell, and the store's finalize waits for this thread. */
  store = g_weak_ref_get (&w->self->writer_self);
  if (store == NULL)
    return;
  change = g_new0 (StateChange, 1);
  source = g_idle_source_new ();
  change->self = store;
  /* A server that answers but refuses is not "unreachable": the problem says what it is. */
  change->offline = w->offline && w->problem == NULL;
  change->pending = w->pending;
  change->replayed = replayed;
  change->problem = g_strdup (w->problem);
  change->refused = w->refused;
  /* Only while the server answers: unreachable, it is that the console says. */
  change->waiting_for_key = w->waiting_for_key && !w->offline && w->pending > 0;
  if (w->journal != NULL && w->writer != NULL)
    {
      /* Those the connection took with it last time first, in the order they were written. */
      g_autoptr(GArray) pairs = g_steal_pointer (&w->untold);
      g_autoptr(GArray) written = sitrep_store_journal_take_written (w->journal);
      GArray *untold = g_array_new (FALSE, FALSE, sizeof (gint64));

      if (pairs == NULL)
        pairs = g_steal_pointer (&written);
      else if (written != NULL)
        g_array_append_vals (pairs, written->data, written->len);
      /* Read here, on the connection that just wrote them: the main loop waits for nothing. */
      for (guint i = 0; pairs != NULL && i + 1 < pairs->len; i += 2)
        {
          g_autoptr(GError) error = NULL;
          gint64 local = g_array_index (pairs, gint64, i);
          gint64 team = g_array_index (pairs, gint64, i + 1);
          SitrepIncident *incident = sitrep_store_load_incident (w->writer, team, &error);

          if (incident == NULL && sitrep_db_postgres_is_lost (w->writer->conn))
            {
              /* Told once the server is back; meanwhile the console keeps its snapshot. */
              g_array_append_val (untold, local);
              g_array_append_val (untold, team);
              continue;
            }
          if (incident == NULL)
            {
              g_message ("An incident declared while the team database was away was written"
                         " but cannot be read: %s", error->message);
              continue;
            }
          if (change->written == NULL)
            {
              change->written = g_array_new (FALSE, FALSE, sizeof (gint64));
              change->incidents = g_ptr_array_new_with_free_func (g_object_unref);
            }
          g_array_append_val (change->written, local);
          g_ptr_array_add (change->incidents, incident);
        }
      if (untold->len > 0)
        w->untold = untold;
      else
        g_array_unref (untold);
    }
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, state_change_cb, change, NULL);
  g_source_set_static_name (source, "[sitrep] team database state");
  g_source_attach (source, w->self->writer_context);
  g_source_unref (source);
}

static SitrepStoreJournal *
get_journal (Writer  *w,
             GError **error)
{
  if (w->journal == NULL)
    {
      g_autofree char *fallback = NULL;
      const char *path = w->self->journal_path;

      if (path == NULL)
        path = fallback = sitrep_store_journal_default_path (w->self->path);
      w->journal = sitrep_store_journal_open (path, error);
    }
  return w->journal;
}

/* Writes what the journal keeps, if anything; FALSE when the server went away again. */
static gboolean
replay (Writer *w)
{
  g_autoptr(GError) error = NULL;
  guint written = 0;
  gint64 left, refused;
  gboolean ok, tell_refused, was_waiting;

  if (w->journal == NULL)
    {
      g_autofree char *path = w->self->journal_path != NULL
                                ? g_strdup (w->self->journal_path)
                                : sitrep_store_journal_default_path (w->self->path);

      /* Nothing was ever kept for this address. */
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
    }
  if (get_journal (w, &error) == NULL)
    {
      g_message ("%s", error->message);
      return TRUE;
    }
  was_waiting = w->waiting_for_key;
  /* Kept changes, each written with its id: cut if the server stalls on one, and tried again
   * (sitrep-store-writer-stalls.c). */
  sitrep_db_socket_slot_set_limited (&w->self->writer_slot, TRUE);
  ok = sitrep_store_journal_replay (w->journal, w->writer, 0, &written, &error);
  sitrep_db_socket_slot_set_limited (&w->self->writer_slot, FALSE);
  w->waiting_for_key = ok && sitrep_store_journal_waits_for_key (w->journal);
  g_clear_pointer (&w->problem, g_free);
  if (!ok)
    {
      g_message ("The journal's replay stopped: %s", error->message);
      if (!sitrep_db_postgres_is_lost (w->writer->conn))
        w->problem = g_strdup (error->message);
    }
  left = sitrep_store_journal_count (w->journal, NULL);
  w->pending = (guint) MAX (left, 0);
  refused = sitrep_store_journal_count_refused (w->journal, NULL);
  tell_refused = (guint) MAX (refused, 0) != w->refused;
  w->refused = (guint) MAX (refused, 0);
  /* A replay that stops at once to wait for the key wrote nothing, but the console says so. */
  if (written > 0 || !ok || tell_refused || w->waiting_for_key != was_waiting)
    tell (w, written);
  return ok;
}

/* The console closes, and cut the thread's connection (sitrep_store_cut_writer()). */
static gboolean
cut_off (Writer *w)
{
  return sitrep_db_socket_slot_is_cut (&w->self->writer_slot);
}

/* The thread's connection, made: how long it waits for a lock, the key it signs with. */
static void
arm_writer (Writer *w)
{
  sitrep_store_set_busy_timeout (w->writer, ATTEMPT_BUSY_TIMEOUT_MS);
  if (w->audit_key != NULL)
    sitrep_store_set_audit_key (w->writer, w->audit_key);
  else if (w->key_problem != NULL)
    {
      g_free (w->writer->audit_key_problem);
      w->writer->audit_key_problem = g_strdup (w->key_problem);
    }
}

static void
go_offline (Writer *w)
{
  g_clear_object (&w->writer);
  w->offline = TRUE;
  w->next_attempt = g_get_monotonic_time () + RECONNECT_EVERY_US;
  tell (w, 0);
}

/* While offline: the server again, and if it answers, the journal first. */
static void
try_again (Writer *w)
{
  g_autoptr(GError) error = NULL;

  /* The console closes and gave up on the server: what is left goes to the journal. */
  if (g_get_monotonic_time () < w->next_attempt || cut_off (w))
    return;
  w->next_attempt = g_get_monotonic_time () + RECONNECT_EVERY_US;
  w->writer = sitrep_store_open (w->self->path, &error);
  if (w->writer == NULL)
    {
      /* Unreachable, or answering but refusing this console (a privilege, a migration). */
      const char *problem = g_error_matches (error, SITREP_STORE_ERROR,
                                             SITREP_STORE_ERROR_UNREACHABLE)
                              ? NULL
                              : error->message;

      if (g_strcmp0 (problem, w->problem) != 0)
        {
          g_free (w->problem);
          w->problem = g_strdup (problem);
          tell (w, 0);
        }
      return;
    }
  arm_writer (w);
  w->offline = FALSE;
  if (!replay (w))
    {
      go_offline (w);
      return;
    }
  tell (w, 0);
}

static void
keep_in_journal (Writer *w,
                 Job    *job)
{
  g_autoptr(GError) error = NULL;

  g_clear_error (&job->error);
  if (job->journal_body == NULL)
    {
      job->ok = FALSE;
      g_set_error (&job->error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE,
                   _("The team database %s is unreachable, and this change cannot be kept on "
                     "this computer until it is back: try it again then."),
                   w->self->path);
      /* Nobody is left to be told. */
      if (cut_off (w))
        g_message ("A change is lost as the console closes: %s", job->error->message);
      return;
    }
  if (get_journal (w, &error) == NULL
      || !sitrep_store_journal_append (w->journal, job->change_id, job->journal_kind,
                                       job->journal_body, &error))
    {
      job->ok = FALSE;
      job->error = g_steal_pointer (&error);
      return;
    }
  job->ok = TRUE;
  job->journaled = TRUE;
  w->pending++;
  tell (w, 0);
}

static void run_job_once (Writer *w,
                          Job    *job);

/* The key (or why there is none) a job came with; then the replay that waited for it. */
static void
take_key (Writer *w,
          Job    *job)
{
  /* A copy: the job wipes its own. */
  if (job->audit_key != NULL)
    {
      forget_audit_key (w);
      w->audit_key = g_bytes_new (g_bytes_get_data (job->audit_key, NULL),
                                  g_bytes_get_size (job->audit_key));
      g_clear_pointer (&w->key_problem, g_free);
    }
  else if (job->key_problem != NULL)
    {
      g_free (w->key_problem);
      w->key_problem = g_strdup (job->key_problem);
    }
  else
    return;
  if (w->writer != NULL)
    arm_writer (w);
  if (!w->offline && w->waiting_for_key && !replay (w))
    go_offline (w);
}

static void
run_job (Writer *w,
         Job    *job)
{
  IfLost if_lost = { 0 };

  take_key (w, job);
  g_private_set (&running_if_lost, &if_lost);
  run_job_once (w, job);
  g_private_set (&running_if_lost, NULL);
  if ((!job->ok || job->journaled) && if_lost.func != NULL)
    if_lost.func (if_lost.data);
}

static void
run_job_once (Writer *w,
              Job    *job)
{
  if (w->offline && !job->closing)
    try_again (w);
  /* All that was queued before it is done (or kept): the server is not needed for that. */
  if (job->wait_only)
    {
      job->ok = TRUE;
      return;
    }
  /* Behind what the journal keeps, in order: while it is unreachable, or while the replay
   * waits for the audit log's key. */
  if (w->offline || (w->waiting_for_key && job->journal_body != NULL))
    {
      keep_in_journal (w, job);
      return;
    }
  if (w->writer == NULL)
    {
      job->ok = FALSE;
      job->error = g_error_copy (w->open_error);
      return;
    }
  /* Given up if the server stalls on it (sitrep-store-writer-stalls.c): kept on this computer
   * when the journal can keep it, else failed as on a connection lost. */
  if (sitrep_store_is_shared (w->writer) && !job->patient)
    sitrep_db_socket_slot_set_limited (&w->self->writer_slot, TRUE);
  if (job->journal_body != NULL && sitrep_store_is_shared (w->writer))
    job->ok = sitrep_writer_run_with_retry (w->writer, apply_with_id, job, &job->error);
  else
    job->ok = sitrep_writer_run_with_retry (w->writer, job->func, job->data, &job->error);
  sitrep_db_socket_slot_set_limited (&w->self->writer_slot, FALSE);
  if (!job->ok && sitrep_store_is_shared (w->writer)
      && sitrep_db_postgres_is_lost (w->writer->conn))
    {
      g_clear_pointer (&w->problem, g_free);
      go_offline (w);
      keep_in_journal (w, job);
    }
  else if (!job->ok && job->journal_body != NULL
           && g_error_matches (job->error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_READ_ONLY))
    {
      /* A standby after a failover, a privilege taken away: kept, in order, until it takes
       * writes again; the console says why. */
      g_free (w->problem);
      w->problem = g_strdup (job->error->message);
      go_offline (w);
      keep_in_journal (w, job);
    }
}

/* The thread: opens its own connection to the file, then runs what is queued until told to
 * stop. It holds no reference to the store (which stops it when finalized). */
gpointer
sitrep_writer_thread (gpointer user_data)
{
  WriterStart *start = user_data;
  Writer w = { .self = start->self };

  w.audit_key = g_steal_pointer (&start->audit_key);
  w.key_problem = g_steal_pointer (&start->key_problem);
  g_free (start);
  /* The connections made here can be cut from the thread that closes the store. */
  sitrep_db_postgres_show_sockets (&w.self->writer_slot);
  w.writer = sitrep_store_open (w.self->path, &w.open_error);
  if (w.writer != NULL)
    {
      arm_writer (&w);
      if (sitrep_store_is_shared (w.writer) && !replay (&w))
        go_offline (&w);
    }
  else if (g_error_matches (w.open_error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE))
    go_offline (&w);
  for (;;)
    {
      Job *job = w.offline ? g_async_queue_timeout_pop (w.self->writer_queue, RECONNECT_EVERY_US)
                           : g_async_queue_pop (w.self->writer_queue);

      if (job == NULL)
        {
          try_again (&w);
          continue;
        }
      if (job->stop)
        {
          sitrep_writer_job_free (job);
          break;
        }
      if (job->key_only)
        {
          take_key (&w, job);
          sitrep_writer_job_free (job);
          continue;
        }
      run_job (&w, job);
      finish_job (job);
    }
  g_clear_object (&w.writer);
  sitrep_db_postgres_show_sockets (NULL);
  g_clear_error (&w.open_error);
  g_clear_pointer (&w.journal, sitrep_store_journal_free);
  g_free (w.problem);
  g_free (w.key_problem);
  g_clear_pointer (&w.untold, g_array_unref);
  forget_audit_key (&w);
  return NULL;
}

/**
 * sitrep_store_writer_key_changed:
 *
 * The store's audit key was read from the keyring (or could not be): the writer thread, if it
 * runs, learns it at once, so that a replay waiting for it goes on without waiting for the
 * next change.
 */
void
sitrep_store_writer_key_changed (SitrepStore *self)
{
  Job *job;

  if (self->writer_thread == NULL)
    return;
  job = sitrep_writer_job_new (self, NULL, NULL);
  job->key_only = TRUE;
  job->key_problem = g_strdup (sitrep_store_get_audit_key_problem (self));
  g_async_queue_push (self->writer_queue, job);
}

/**
 * sitrep_store_cut_writer:
 *
 * From the thread closing the store: the writer thread's connection to the team database is
 * cut, so that a change stuck on a server that does not answer fails at once, as on a
 * connection lost, and is kept in the journal with those queued behind it; the thread does
 * not connect again.
 */
void
sitrep_store_cut_writer (SitrepStore *self)
{
  sitrep_db_socket_slot_cut (&self->writer_slot);
}

/* Starts the writer thread, once. */
void
sitrep_store_start_writer (SitrepStore *self)
{
  if (self->writer_thread == NULL)
    {
      WriterStart *start = g_new0 (WriterStart, 1);
      GBytes *key = sitrep_store_get_audit_key (self);

      start->self = self;
      if (key != NULL)
        start->audit_key = g_bytes_new (g_bytes_get_data (key, NULL), g_bytes_get_size (key));
      start->key_problem = g_strdup (sitrep_store_get_audit_key_problem (self));
      self->writer_context = g_main_context_ref_thread_default ();
      self->writer_queue = g_async_queue_new ();
      g_weak_ref_init (&self->writer_self, self);
      self->writer_thread = g_thread_new ("sitrep-store-writer", sitrep_writer_thread, start);
    }
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
  g_weak_ref_clear (&self->writer_self);
}
