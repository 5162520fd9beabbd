/* sitrep-store-deadline.c: a limit on how long a team database may leave a caller waiting
 *
 * A headless verb waits for its team database in the call: a server that stalls after the
 * connection is made (its disk hangs, a lock another session keeps, a network that holds the
 * packets while the server's kernel acknowledges them) would keep it waiting for good, since
 * neither libpq's keepalives nor tcp_user_timeout end a wait the server's kernel acknowledges.
 * A deadline started on the verb's thread watches the connections that thread makes (their
 * sockets shown in its slot, sitrep_db_postgres_show_sockets()) and the writer thread of each
 * store opened there. When it passes, a thread of its own cuts them all: the call under way
 * fails as on a lost connection, and every connection made after is cut as soon as it exists.
 * A SQLite database is not concerned: its waits have their busy timeout.
 */
#include "config.h"

#include "sitrep-store-deadline-private.h"

struct _SitrepStoreDeadline
{
  SitrepDbSocketSlot slot; /* the connections of the thread that started it */
  GMutex lock;
  GCond cond;
  gboolean stopping;
  gboolean passed;
  gboolean cut;            /* a connection was there to cut when it passed */
  gint64 end_time;
  GThread *thread;
  GPtrArray *watched;      /* SitrepDbSocketSlot: the stores' writer threads */
};

/* The deadline of this thread, if one was started on it. */
static GPrivate current = G_PRIVATE_INIT (NULL);

static void
deadline_clear (SitrepStoreDeadline *self)
{
  g_warn_if_fail (self->watched->len == 0);
  g_ptr_array_unref (self->watched);
  sitrep_db_socket_slot_clear (&self->slot);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->lock);
}

static void
deadline_unref (SitrepStoreDeadline *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) deadline_clear);
}

static gpointer
watch_thread (gpointer data)
{
  SitrepStoreDeadline *self = data;

  g_mutex_lock (&self->lock);
  while (!self->stopping && !self->passed)
    if (!g_cond_wait_until (&self->cond, &self->lock, self->end_time) && !self->stopping)
      {
        self->passed = TRUE;
        self->cut = sitrep_db_socket_slot_cut (&self->slot);
        for (guint i = 0; i < self->watched->len; i++)
          self->cut |= sitrep_db_socket_slot_cut (self->watched->pdata[i]);
      }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/**
 * sitrep_store_deadline_start:
 * @seconds: how long the calling thread may wait on its team database, in all
 *
 * Bounds the waits of the team database connections the calling thread makes from now on,
 * and of the writer threads of the stores it opens; making a connection is bounded by its
 * own connect_timeout. Stop it on the same thread. For a thread that shows its connections
 * nowhere else (a headless verb's): it shows them in the deadline's slot, then nowhere.
 *
 * Returns: (transfer full): the deadline
 */
SitrepStoreDeadline *
sitrep_store_deadline_start (guint seconds)
{
  SitrepStoreDeadline *self;

  g_return_val_if_fail (g_private_get (&current) == NULL, NULL);

  self = g_atomic_rc_box_new0 (SitrepStoreDeadline);
  sitrep_db_socket_slot_init (&self->slot);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->watched = g_ptr_array_new ();
  self->end_time = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;
  g_private_set (&current, self);
  sitrep_db_postgres_show_sockets (&self->slot);
  self->thread = g_thread_new ("sitrep-deadline", watch_thread, self);
  return self;
}

/**
 * sitrep_store_deadline_get_cut:
 *
 * What the deadline cut: %SITREP_STORE_DEADLINE_CUT_CONNECTED when it passed while connected
 * (whatever was under way may or may not have reached the server);
 * %SITREP_STORE_DEADLINE_CUT_CONNECTING when a connection still being made was cut as soon as
 * it was (nothing was written on it); else %SITREP_STORE_DEADLINE_CUT_NOTHING.
 */
SitrepStoreDeadlineCut
sitrep_store_deadline_get_cut (SitrepStoreDeadline *self)
{
  SitrepStoreDeadlineCut cut = SITREP_STORE_DEADLINE_CUT_NOTHING;

  g_return_val_if_fail (self != NULL, cut);

  g_mutex_lock (&self->lock);
  if (self->cut)
    cut = SITREP_STORE_DEADLINE_CUT_CONNECTED;
  else if (sitrep_db_socket_slot_cut_made (&self->slot))
    cut = SITREP_STORE_DEADLINE_CUT_CONNECTING;
  for (guint i = 0; i < self->watched->len && cut == SITREP_STORE_DEADLINE_CUT_NOTHING; i++)
    if (sitrep_db_socket_slot_cut_made (self->watched->pdata[i]))
      cut = SITREP_STORE_DEADLINE_CUT_CONNECTING;
  g_mutex_unlock (&self->lock);
  return cut;
}

/* Ends the deadline: the calling thread's connections are not watched from now on. */
void
sitrep_store_deadline_stop (SitrepStoreDeadline *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (g_private_get (&current) == self);

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->thread);
  self->thread = NULL;
  g_private_set (&current, NULL);
  sitrep_db_postgres_show_sockets (NULL);
  deadline_unref (self);
}

/**
 * sitrep_store_deadline_watch_current:
 * @slot: where a store's writer thread shows its connection
 *
 * Returns: (transfer full) (nullable): the calling thread's deadline, which cuts @slot when it
 *   passes (at once if it has), or %NULL when there is none; give it back with
 *   sitrep_store_deadline_unwatch() before @slot is freed
 */
SitrepStoreDeadline *
sitrep_store_deadline_watch_current (SitrepDbSocketSlot *slot)
{
  SitrepStoreDeadline *self = g_private_get (&current);

  if (self == NULL)
    return NULL;
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->watched, slot);
  if (self->passed)
    sitrep_db_socket_slot_cut (slot);
  g_mutex_unlock (&self->lock);
  return g_atomic_rc_box_acquire (self);
}

void
sitrep_store_deadline_unwatch (SitrepStoreDeadline *self,
                               SitrepDbSocketSlot  *slot)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  g_ptr_array_remove (self->watched, slot);
  g_mutex_unlock (&self->lock);
  deadline_unref (self);
}
