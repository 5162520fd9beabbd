/* sitrep-drill-backends.c: the real Redis and PostgreSQL servers a drill runs on loopback
 *
 * Each is started for the drill when it is installed (build-aux/sitrep-dev installs both), in a
 * scratch folder that is removed when the drill ends; a missing one is "not part of this drill".
 * The simulated API's use of them (sessions filling Redis, jobs in the BullMQ queues, the
 * connections its pool holds in PostgreSQL) is carried out by a worker thread, so that the main
 * loop never waits on either server.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <hiredis.h>
#include <libpq-fe.h>

#include "sitrep-drill-private.h"

#define PG_USER "carecircle"
#define SESSION_SIZE (64 * 1024)

typedef enum
{
  FLUSH_NONE,
  FLUSH_SEEN,  /* the thread saw the sessions cleared; the play has not polled it yet */
  FLUSH_HEARD, /* the play polled it; its next wish says whether the API fills Redis again */
} FlushHold;

struct _SitrepDrillBackends
{
  char *scratch;
  char *run_as; /* PostgreSQL's user when Sitrep runs as root */
  SitrepDrillProcess *redis;
  SitrepDrillProcess *postgres;
  guint redis_port;
  guint pg_port;
  char *redis_absent;
  char *pg_absent;
  char *pg_dir;

  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean quit;
  gboolean wished;
  gint64 fill_bytes;
  gint64 queue_add;
  gint64 queue_drain;
  int pool_held;
  SitrepDrillRedisState state;
  gboolean fresh;
  /* A FLUSHDB the play has not answered yet: the thread writes no sessions until then (see
   * sitrep_drill_backends_poll()). */
  FlushHold flush_hold;
};

SitrepDrillBackends *
sitrep_drill_backends_new (const char *scratch)
{
  SitrepDrillBackends *backends = g_new0 (SitrepDrillBackends, 1);

  backends->scratch = g_strdup (scratch);
  backends->run_as = geteuid () == 0 ? g_strdup ("postgres") : NULL;
  g_mutex_init (&backends->lock);
  g_cond_init (&backends->cond);
  return backends;
}

/* The worker thread: what the simulated API does to Redis and PostgreSQL. */

typedef struct
{
  redisContext *redis;
  GPtrArray *pool; /* PGconn*, held by the simulated API */
  gint64 sessions_written;
} Worker;

static redisReply *
command (Worker     *worker,
         const char *format,
         ...)
{
  redisReply *reply;
  va_list args;

  if (worker->redis == NULL)
    return NULL;
  va_start (args, format);
  reply = redisvCommand (worker->redis, format, args);
  va_end (args);
  if (reply == NULL)
    g_clear_pointer (&worker->redis, redisFree);
  return reply;
}

static gint64
reply_integer (redisReply *reply)
{
  gint64 value = 0;

  if (reply != NULL && reply->type == REDIS_REPLY_INTEGER)
    value = reply->integer;
  else if (reply != NULL && reply->type == REDIS_REPLY_STRING)
    value = g_ascii_strtoll (reply->str, NULL, 10);
  if (reply != NULL)
    freeReplyObject (reply);
  return value;
}

static gint64
used_memory (Worker *worker)
{
  redisReply *reply = command (worker, "INFO memory");
  gint64 used = -1;
  const char *field;

  if (reply != NULL && reply->type == REDIS_REPLY_STRING
      && (field = strstr (reply->str, "used_memory:")) != NULL)
    used = g_ascii_strtoll (field + strlen ("used_memory:"), NULL, 10);
  if (reply != NULL)
    freeReplyObject (reply);
  return used;
}

/* The tests' hook (sitrep-drill-private.h). */
void (*sitrep_drill_backends_session_written) (guint  redis_port,
                                               gint64 id) = NULL;

static void
work_redis (SitrepDrillBackends   *backends,
            Worker                *worker,
            gint64                 fill,
            gint64                 add,
            gint64                 drain,
            SitrepDrillRedisState *state)
{
  g_autofree char *value = NULL;
  void (*written) (guint, gint64);
  redisReply *reply;

  if (backends->redis_port == 0)
    return;
  if (worker->redis == NULL)
    {
      struct timeval timeout = { 1, 0 };

      worker->redis = redisConnectWithTimeout ("127.0.0.1", backends->redis_port, timeout);
      if (worker->redis == NULL || worker->redis->err)
        {
          g_clear_pointer (&worker->redis, redisFree);
          return;
        }
      redisSetTimeout (worker->redis, timeout);
    }

  /* What it is now, before this round writes: a FLUSHDB shows as sessions gone. */
  state->used_memory = used_memory (worker);
  state->sessions = reply_integer (command (worker, "GET sess:count"));
  state->queue_waiting = reply_integer (command (worker, "LLEN bull:notification:wait"));
  state->reminders = reply_integer (command (worker, "LLEN bull:medication-reminder:wait"));
  state->answered = worker->redis != NULL && state->used_memory >= 0;
  if (!state->answered)
    return;
  /* Fewer sessions than this thread wrote: someone cleared them. The next round writes new
   * ones, so the play hears of it through a flag that waits for its poll. */
  if (worker->sessions_written > 0 && state->sessions < worker->sessions_written)
    state->flushed = TRUE;
  worker->sessions_written = state->sessions;
  /* Whether the API fills it again is the play's call, once it has heard of the flush. */
  if (state->flushed)
    fill = 0;

  value = g_malloc (SESSION_SIZE + 1);
  memset (value, 's', SESSION_SIZE);
  value[SESSION_SIZE] = '\0';
  for (gint64 used = state->used_memory; used >= 0 && used < fill; used += SESSION_SIZE + 128)
    {
      gint64 id = reply_integer (command (worker, "INCR sess:count"));

      /* No answer: nothing was written. */
      if (id <= 0)
        break;
      /* A count that went back: the sessions were cleared while this round wrote them. Had
       * it gone on, the next round would count what it wrote since and miss the flush. */
      if (id <= worker->sessions_written)
        {
          gint64 now = used_memory (worker);

          /* What Redis holds now, not what it held before the flush: this INCR's count (no
           * session written for it) and its memory. */
          state->flushed = TRUE;
          state->sessions = worker->sessions_written = id;
          if (now >= 0)
            state->used_memory = now;
          break;
        }
      worker->sessions_written = id;

      reply = command (worker, "SET sess:%" G_GINT64_FORMAT " %s", id, value);
      if (reply == NULL || reply->type == REDIS_REPLY_ERROR)
        {
          /* Full: noeviction refuses the write, as it refuses the real API's. */
          if (reply != NULL)
            freeReplyObject (reply);
          break;
        }
      freeReplyObject (reply);
      if ((written = g_atomic_pointer_get (&sitrep_drill_backends_session_written)) != NULL)
        written (backends->redis_port, id);
    }

  for (gint64 i = 0; i < add; i++)
    {
      reply = command (worker, "LPUSH bull:%s:wait %" G_GINT64_FORMAT,
                       i % 3 ? "notification" : "medication-reminder", g_get_real_time () + i);
      if (reply != NULL)
        freeReplyObject (reply);
    }
  /* Workers take the oldest jobs, from the tail. */
  for (guint i = 0; drain > 0 && i < 2; i++)
    {
      const char *key = i ? "bull:medication-reminder:wait" : "bull:notification:wait";
      gint64 keep = reply_integer (command (worker, "LLEN %s", key)) - drain;

      reply = keep > 0 ? command (worker, "LTRIM %s 0 %" G_GINT64_FORMAT, key, keep - 1)
                       : command (worker, "DEL %s", key);
      if (reply != NULL)
        freeReplyObject (reply);
    }
}

static void
work_pool (SitrepDrillBackends *backends,
           Worker              *worker,
           int                  held)
{
  g_autofree char *conninfo = NULL;

  if (backends->pg_port == 0)
    return;
  while ((int) worker->pool->len > held)
    g_ptr_array_remove_index (worker->pool, worker->pool->len - 1);
  conninfo = g_strdup_printf ("host=127.0.0.1 port=%u user=" PG_USER " dbname=" PG_USER
                              " connect_timeout=2 application_name=carecircle-api",
                              backends->pg_port);
  while ((int) worker->pool->len < held)
    {
      PGconn *conn = PQconnectdb (conninfo);

      if (PQstatus (conn) != CONNECTION_OK)
        {
          PQfinish (conn);
          break;
        }
      /* A slow query's transaction, left open: the connection stays checked out. */
      PQclear (PQexec (conn, "BEGIN; SELECT 1;"));
      g_ptr_array_add (worker->pool, conn);
    }
}

static gpointer
worker_main (gpointer data)
{
  SitrepDrillBackends *backends = data;
  Worker worker = { NULL, g_ptr_array_new_with_free_func ((GDestroyNotify) PQfinish), 0 };

  g_mutex_lock (&backends->lock);
  while (!backends->quit)
    {
      gint64 fill, add, drain;
      int held;
      SitrepDrillRedisState state = { 0 };

      if (!backends->wished)
        g_cond_wait_until (&backends->cond, &backends->lock,
                           g_get_monotonic_time () + G_USEC_PER_SEC);
      if (backends->quit)
        break;
      /* The wishes of before a flush would fill Redis again behind the play's back. */
      fill = backends->flush_hold == FLUSH_NONE ? backends->fill_bytes : 0;
      add = backends->queue_add;
      drain = backends->queue_drain;
      held = backends->pool_held;
      backends->queue_add = 0;
      backends->wished = FALSE;
      g_mutex_unlock (&backends->lock);

      work_redis (backends, &worker, fill, add, drain, &state);
      work_pool (backends, &worker, held);

      g_mutex_lock (&backends->lock);
      state.flushed |= backends->fresh && backends->state.flushed;
      if (state.flushed && backends->flush_hold == FLUSH_NONE)
        backends->flush_hold = FLUSH_SEEN;
      backends->state = state;
      backends->fresh = TRUE;
    }
  g_mutex_unlock (&backends->lock);
  g_clear_pointer (&worker.redis, redisFree);
  g_ptr_array_unref (worker.pool);
  return NULL;
}

void
sitrep_drill_backends_want (SitrepDrillBackends *backends,
                            gint64               fill_bytes,
                            gint64               queue_add,
                            gint64               queue_drain,
                            int                  pool_held)
{
  g_mutex_lock (&backends->lock);
  if (backends->flush_hold == FLUSH_HEARD)
    backends->flush_hold = FLUSH_NONE;
  backends->fill_bytes = fill_bytes;
  backends->queue_add += queue_add;
  backends->queue_drain = queue_drain;
  backends->pool_held = pool_held;
  backends->wished = TRUE;
  g_cond_signal (&backends->cond);
  g_mutex_unlock (&backends->lock);
}

gboolean
sitrep_drill_backends_poll (SitrepDrillBackends   *backends,
                            SitrepDrillRedisState *state)
{
  gboolean fresh;

  g_mutex_lock (&backends->lock);
  fresh = backends->fresh;
  if (fresh)
    *state = backends->state;
  backends->fresh = FALSE;
  /* The play hears of the flush now; the thread keeps Redis as it is until the play's next
   * wish, made knowing of it (a thread's round between the two would use the old one). */
  if (fresh && state->flushed && backends->flush_hold == FLUSH_SEEN)
    backends->flush_hold = FLUSH_HEARD;
  g_mutex_unlock (&backends->lock);
  return fresh;
}

/* Starting. */

static void
start_redis (SitrepDrillBackends *backends)
{
  g_autofree char *program = sitrep_drill_find_program ("redis-server");
  g_autofree char *port = NULL;
  g_autofree char *memory = NULL;
  g_autofree char *log = g_build_filename (backends->scratch, "redis.log", NULL);
  g_autoptr(GError) error = NULL;

  if (program == NULL)
    {
      backends->redis_absent = g_strdup (_("redis-server is not installed (build-aux/sitrep-dev "
                                           "installs it)"));
      return;
    }
  backends->redis_port = sitrep_drill_free_port (&error);
  port = g_strdup_printf ("%u", backends->redis_port);
  memory = g_strdup_printf ("%d", SITREP_DRILL_REDIS_MAXMEMORY);
  if (backends->redis_port != 0)
    {
      const char *argv[] = {
        program, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", backends->scratch, "--maxmemory", memory, "--maxmemory-policy", "noeviction",
        "--daemonize", "no", NULL
      };

      backends->redis = sitrep_drill_process_spawn (argv, NULL, log, &error);
    }
  if (backends->redis == NULL)
    {
      backends->redis_absent = g_strdup_printf (_("redis-server did not start: %s"),
                                                error->message);
      backends->redis_port = 0;
    }
}

/* What sitrep_drill_backends_start_async()'s task carries until it returns: the backends it
 * starts, and the PostgreSQL programs found for them. */
typedef struct
{
  SitrepDrillBackends *backends;
  char *initdb;
  char *postgres;
} Start;

static void
start_free (Start *start)
{
  g_free (start->initdb);
  g_free (start->postgres);
  g_free (start);
}

static void
pg_failed (SitrepDrillBackends *backends,
           const char          *why)
{
  g_autofree char *log = g_build_filename (backends->pg_dir, "postgres.log", NULL);

  g_free (backends->pg_absent);
  backends->pg_absent = g_strdup_printf (_("PostgreSQL did not start: %s (its log: %s)"), why,
                                         log);
  backends->pg_port = 0;
  if (backends->postgres != NULL)
    sitrep_drill_process_stop (backends->postgres, SIGQUIT);
}

/* In a thread: waits until the servers answer, then gives the API its role and database. */
static void
wait_ready_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SitrepDrillBackends *backends = task_data;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autofree char *admin = NULL;
  PGconn *conn = NULL;

  while (backends->redis_port != 0 && g_get_monotonic_time () < deadline)
    {
      struct timeval timeout = { 1, 0 };
      redisContext *redis = redisConnectWithTimeout ("127.0.0.1", backends->redis_port, timeout);
      redisReply *reply = redis && !redis->err ? redisCommand (redis, "PING") : NULL;
      gboolean pong = reply != NULL && reply->type == REDIS_REPLY_STATUS;

      if (reply != NULL)
        freeReplyObject (reply);
      if (redis != NULL)
        redisFree (redis);
      if (pong)
        break;
      g_usleep (50000);
    }
  if (g_get_monotonic_time () >= deadline)
    {
      backends->redis_absent = g_strdup (_("redis-server did not answer within 30 seconds"));
      backends->redis_port = 0;
    }

  admin = g_strdup_printf ("host=127.0.0.1 port=%u user=postgres dbname=postgres "
                           "connect_timeout=2", backends->pg_port);
  while (backends->pg_port != 0 && g_get_monotonic_time () < deadline
         && !g_cancellable_is_cancelled (cancellable))
    {
      conn = PQconnectdb (admin);
      if (PQstatus (conn) == CONNECTION_OK)
        break;
      g_clear_pointer (&conn, PQfinish);
      g_usleep (100000);
    }
  if (conn != NULL)
    {
      PGresult *role = PQexec (conn, "CREATE ROLE " PG_USER " LOGIN");
      PGresult *db = PQexec (conn, "CREATE DATABASE " PG_USER " OWNER " PG_USER);
      gboolean ok = PQresultStatus (role) == PGRES_COMMAND_OK
                    && PQresultStatus (db) == PGRES_COMMAND_OK;

      if (!ok)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("PostgreSQL did not take the drill's database: %s"),
                                 PQerrorMessage (conn));
      PQclear (role);
      PQclear (db);
      PQfinish (conn);
      if (!ok)
        return;
    }
  else if (backends->pg_port != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("PostgreSQL did not accept connections within 30 seconds"));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
ready_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Start *start = g_task_get_task_data (task);
  SitrepDrillBackends *backends = start->backends;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    pg_failed (backends, error->message);
  backends->thread = g_thread_new ("sitrep-drill-backends", worker_main, backends);
  g_task_return_boolean (task, TRUE);
}

static void
wait_ready (GTask *task)
{
  Start *start = g_task_get_task_data (task);
  SitrepDrillBackends *backends = start->backends;
  g_autoptr(GTask) inner = g_task_new (NULL, g_task_get_cancellable (task), ready_cb,
                                       g_object_ref (task));

  g_task_set_task_data (inner, backends, NULL);
  g_task_run_in_thread (inner, wait_ready_thread);
}

static void
initdb_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Start *start = g_task_get_task_data (task);
  SitrepDrillBackends *backends = start->backends;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_build_filename (backends->pg_dir, "data", NULL);
  g_autofree char *port = NULL;
  g_autofree char *log = g_build_filename (backends->pg_dir, "postgres.log", NULL);

  if (!g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error))
    {
      pg_failed (backends, _("initdb failed"));
      wait_ready (task);
      return;
    }
  backends->pg_port = sitrep_drill_free_port (&error);
  port = g_strdup_printf ("%u", backends->pg_port);
  if (backends->pg_port != 0)
    {
      /* Few connections, so that a pool can exhaust them; the superuser keeps three. */
      const char *argv[] = {
        start->postgres, "-D", data, "-p", port, "-k", backends->pg_dir,
        "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
        "-c", "synchronous_commit=off", "-c", "max_connections=20",
        "-c", "superuser_reserved_connections=3", NULL
      };

      backends->postgres = sitrep_drill_process_spawn (argv, backends->run_as, log, &error);
    }
  if (backends->postgres == NULL)
    pg_failed (backends, error ? error->message : _("no free port"));
  wait_ready (task);
}

static void
start_postgres (GTask *task)
{
  Start *start = g_task_get_task_data (task);
  SitrepDrillBackends *backends = start->backends;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *log = NULL;

  start->initdb = sitrep_drill_find_program ("initdb");
  start->postgres = sitrep_drill_find_program ("postgres");
  if (start->initdb == NULL || start->postgres == NULL)
    {
      backends->pg_absent = g_strdup (_("PostgreSQL is not installed (build-aux/sitrep-dev "
                                        "installs it)"));
      wait_ready (task);
      return;
    }
  backends->pg_dir = g_build_filename (backends->scratch, "pg", NULL);
  data = g_build_filename (backends->pg_dir, "data", NULL);
  log = g_build_filename (backends->pg_dir, "postgres.log", NULL);
  if (g_mkdir (backends->pg_dir, 0700) != 0
      || (backends->run_as != NULL && !sitrep_drill_chown_for (backends->pg_dir, backends->run_as,
                                                               &error)))
    {
      backends->pg_absent = g_strdup_printf (_("PostgreSQL cannot run here: %s"),
                                             error ? error->message : g_strerror (errno));
      wait_ready (task);
      return;
    }

  {
    const char *argv[] = {
      start->initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
      "-N", NULL
    };
    SitrepDrillProcess *initdb = NULL;

    /* initdb refuses root too: it runs as the server's user, and is waited for. */
    initdb = sitrep_drill_process_spawn (argv, backends->run_as, log, &error);
    if (initdb == NULL)
      {
        backends->pg_absent = g_strdup_printf (_("PostgreSQL cannot run here: %s"),
                                               error->message);
        wait_ready (task);
        return;
      }
    sitrep_drill_process_await (initdb, initdb_done_cb, g_object_ref (task));
  }
}

void
sitrep_drill_backends_start_async (SitrepDrillBackends *backends,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Start *start = g_new0 (Start, 1);

  g_task_set_source_tag (task, sitrep_drill_backends_start_async);
  start->backends = backends;
  g_task_set_task_data (task, start, (GDestroyNotify) start_free);
  start_redis (backends);
  start_postgres (task);
  g_object_unref (task);
}

gboolean
sitrep_drill_backends_start_finish (SitrepDrillBackends *backends,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
sitrep_drill_backends_redis_port (SitrepDrillBackends *backends,
                                  const char         **absent)
{
  *absent = backends->redis_absent;
  return backends->redis_port;
}

guint
sitrep_drill_backends_pg_port (SitrepDrillBackends *backends,
                               const char         **absent)
{
  *absent = backends->pg_absent;
  return backends->pg_port;
}

/* Stops the worker, then the servers, and waits for them: nothing of the drill lives on. */
void
sitrep_drill_backends_stop (SitrepDrillBackends *backends)
{
  if (backends->thread != NULL)
    {
      g_mutex_lock (&backends->lock);
      backends->quit = TRUE;
      g_cond_signal (&backends->cond);
      g_mutex_unlock (&backends->lock);
      g_clear_pointer (&backends->thread, g_thread_join);
    }
  sitrep_drill_process_stop (backends->redis, SIGTERM);
  sitrep_drill_process_stop (backends->postgres, SIGQUIT);
  g_clear_pointer (&backends->redis, sitrep_drill_process_free);
  g_clear_pointer (&backends->postgres, sitrep_drill_process_free);
}

static void
part_ended_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  guint *pending = g_task_get_task_data (task);

  if (--*pending == 0)
    g_task_return_boolean (task, TRUE);
}

static void
join_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_thread_join (g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

/* Stops the worker and the servers as sitrep_drill_backends_stop() does, and calls back when
 * they are gone; the main loop runs meanwhile. */
void
sitrep_drill_backends_stop_async (SitrepDrillBackends *backends,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  guint *pending = g_new (guint, 1);

  g_task_set_source_tag (task, sitrep_drill_backends_stop_async);
  g_task_set_task_data (task, pending, g_free);
  *pending = 3;
  if (backends->thread != NULL)
    {
      GTask *join = g_task_new (NULL, NULL, part_ended_cb, g_object_ref (task));

      g_mutex_lock (&backends->lock);
      backends->quit = TRUE;
      g_cond_signal (&backends->cond);
      g_mutex_unlock (&backends->lock);
      /* The worker may be in a command to a server (a second at most): it is waited for in a
       * thread of its own. */
      g_task_set_task_data (join, g_steal_pointer (&backends->thread), NULL);
      g_task_run_in_thread (join, join_thread);
      g_object_unref (join);
    }
  else
    part_ended_cb (NULL, NULL, g_object_ref (task));
  sitrep_drill_process_end_async (g_steal_pointer (&backends->redis), SIGTERM, part_ended_cb,
                                  g_object_ref (task));
  sitrep_drill_process_end_async (g_steal_pointer (&backends->postgres), SIGQUIT, part_ended_cb,
                                  task);
}

void
sitrep_drill_backends_free (SitrepDrillBackends *backends)
{
  sitrep_drill_backends_stop (backends);
  g_mutex_clear (&backends->lock);
  g_cond_clear (&backends->cond);
  g_free (backends->scratch);
  g_free (backends->run_as);
  g_free (backends->redis_absent);
  g_free (backends->pg_absent);
  g_free (backends->pg_dir);
  g_free (backends);
}
