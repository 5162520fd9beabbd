/* sitrep-store-db-pg-sockets.c: where a thread's team database connections show their socket,
 * so that another thread can cut them
 *
 * A console that closes, or a headless verb whose wait is over, must not wait for a server that
 * does not answer: a thread shows the sockets of the connections it makes in a slot, and any
 * thread may cut them there (shutdown() on a duplicate of the socket). The statement waiting
 * fails at once, as on a connection lost.
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>

#include "sitrep-store-db-pg-private.h"

/* Where the connections this thread makes show their socket (sitrep_db_postgres_show_sockets()),
 * or NULL. */
static GPrivate shown_sockets;

void
sitrep_db_socket_slot_init (SitrepDbSocketSlot *slot)
{
  g_mutex_init (&slot->lock);
  slot->socket = -1;
  slot->owner = NULL;
  slot->cut = FALSE;
  slot->cut_made = FALSE;
  slot->asking_since = 0;
  slot->limited = FALSE;
}

/* Once no connection it shows is left. */
void
sitrep_db_socket_slot_clear (SitrepDbSocketSlot *slot)
{
  if (slot->socket >= 0)
    close (slot->socket);
  g_mutex_clear (&slot->lock);
}

/**
 * sitrep_db_socket_slot_cut:
 *
 * From any thread: the connection @slot shows is cut, and so is any its thread makes from now
 * on, as soon as it is made. A statement waiting for a server that does not answer (stalled,
 * or a lock held elsewhere) then fails at once, as on a connection lost
 * (sitrep_db_postgres_is_lost()).
 *
 * Returns: %TRUE when a connection was there to cut
 */
gboolean
sitrep_db_socket_slot_cut (SitrepDbSocketSlot *slot)
{
  gboolean connected;

  g_mutex_lock (&slot->lock);
  slot->cut = TRUE;
  connected = slot->socket >= 0;
  if (connected)
    shutdown (slot->socket, SHUT_RDWR);
  g_mutex_unlock (&slot->lock);
  return connected;
}

/* From the thread that shows its connections in @slot: whether the statements it sends from
 * now on are held to sitrep_db_socket_slot_cut_stalled()'s limit. */
void
sitrep_db_socket_slot_set_limited (SitrepDbSocketSlot *slot,
                                   gboolean            limited)
{
  g_mutex_lock (&slot->lock);
  slot->limited = limited;
  g_mutex_unlock (&slot->lock);
}

/**
 * sitrep_db_socket_slot_cut_stalled:
 * @limit: how long a statement may wait for its answer, in microseconds
 *
 * From any thread: when the statement the connection @slot shows sent, while its thread held
 * it to a limit (sitrep_db_socket_slot_set_limited()), has waited @limit for its answer, the
 * connection is cut, and the statement fails as on a connection lost. Unlike
 * sitrep_db_socket_slot_cut(), the thread may connect again.
 *
 * Returns: %TRUE when a stalled statement was cut
 */
gboolean
sitrep_db_socket_slot_cut_stalled (SitrepDbSocketSlot *slot,
                                   gint64              limit)
{
  gboolean stalled;

  g_mutex_lock (&slot->lock);
  stalled = slot->limited && slot->socket >= 0 && slot->asking_since > 0
            && g_get_monotonic_time () - slot->asking_since >= limit;
  if (stalled)
    {
      shutdown (slot->socket, SHUT_RDWR);
      slot->asking_since = 0;
    }
  g_mutex_unlock (&slot->lock);
  return stalled;
}

/* A flag of @slot, read under its lock. */
static gboolean
read_flag (SitrepDbSocketSlot *slot,
           const gboolean     *flag)
{
  gboolean value;

  g_mutex_lock (&slot->lock);
  value = *flag;
  g_mutex_unlock (&slot->lock);
  return value;
}

gboolean
sitrep_db_socket_slot_is_cut (SitrepDbSocketSlot *slot)
{
  return read_flag (slot, &slot->cut);
}

/* TRUE when a connection made after the cut was cut as soon as it was made. */
gboolean
sitrep_db_socket_slot_cut_made (SitrepDbSocketSlot *slot)
{
  return read_flag (slot, &slot->cut_made);
}

/* The connections this thread makes from now on show their socket in @slot (NULL: nowhere),
 * which must outlive them. */
void
sitrep_db_postgres_show_sockets (SitrepDbSocketSlot *slot)
{
  g_private_set (&shown_sockets, slot);
}

/* Right after the connection is made, before anything is asked on it. A duplicate: libpq
 * closes its own number when the connection breaks, and another socket may get it then; the
 * duplicate stays this one's, so a cut never reaches another. */
void
sitrep_db_pg_show_socket (PgDb *db)
{
  SitrepDbSocketSlot *slot = g_private_get (&shown_sockets);

  if (slot == NULL)
    return;
  db->slot = slot;
  g_mutex_lock (&slot->lock);
  if (slot->socket >= 0)
    close (slot->socket);
  slot->socket = fcntl (PQsocket (db->conn), F_DUPFD_CLOEXEC, 0);
  slot->owner = db;
  if (slot->cut && slot->socket >= 0)
    {
      shutdown (slot->socket, SHUT_RDWR);
      slot->cut_made = TRUE;
    }
  g_mutex_unlock (&slot->lock);
}

/* Around each statement sent on @db: while its answer is awaited, its slot says since when
 * (sitrep_db_socket_slot_cut_stalled()). */
void
sitrep_db_pg_set_asking (PgDb     *db,
                         gboolean  asking)
{
  SitrepDbSocketSlot *slot = db->slot;

  if (slot == NULL)
    return;
  g_mutex_lock (&slot->lock);
  if (slot->owner == db)
    slot->asking_since = asking ? g_get_monotonic_time () : 0;
  g_mutex_unlock (&slot->lock);
}

/* Before the connection closes, on whatever thread: the duplicate would keep it open. */
void
sitrep_db_pg_hide_socket (PgDb *db)
{
  SitrepDbSocketSlot *slot = db->slot;

  if (slot == NULL)
    return;
  g_mutex_lock (&slot->lock);
  if (slot->owner == db)
    {
      if (slot->socket >= 0)
        close (slot->socket);
      slot->socket = -1;
      slot->owner = NULL;
      slot->asking_since = 0;
    }
  g_mutex_unlock (&slot->lock);
}
