/* lock-test-util.c: another process, as SQLite sees it, holding a database's write lock
 *
 * A connection of its own takes the write lock of the database at @path and keeps it for
 * @seconds of the main loop; meanwhile a 10 ms timeout counts how often the main loop turns, so
 * that a test can tell whether the console's main loop waited on the lock.
 */
#include "config.h"

#include <sqlite3.h>

#include "lock-test-util.h"

struct _LockHolder
{
  sqlite3 *db;
  guint tick_id;
  guint release_id;
  guint ticks;
  guint ticks_while_locked;
  gboolean released;
};

static gboolean
tick_cb (gpointer user_data)
{
  LockHolder *holder = user_data;

  holder->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
release_cb (gpointer user_data)
{
  LockHolder *holder = user_data;

  holder->release_id = 0;
  holder->ticks_while_locked = holder->ticks;
  g_assert_cmpint (sqlite3_exec (holder->db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  holder->released = TRUE;
  return G_SOURCE_REMOVE;
}

/* Holds the write lock of @path from now for @seconds of the main loop. */
LockHolder *
lock_holder_start (const char *path,
                   guint       seconds)
{
  LockHolder *holder = g_new0 (LockHolder, 1);

  g_assert_cmpint (sqlite3_open (path, &holder->db), ==, SQLITE_OK);
  /* A write, so that the lock is a writer's: BEGIN IMMEDIATE alone would do, this is what a
   * second console or a verb does. */
  g_assert_cmpint (sqlite3_exec (holder->db, "BEGIN IMMEDIATE;"
                                 "CREATE TABLE IF NOT EXISTS lock_test (x);"
                                 "INSERT INTO lock_test VALUES (1)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  holder->tick_id = g_timeout_add (10, tick_cb, holder);
  holder->release_id = g_timeout_add_seconds (seconds, release_cb, holder);
  return holder;
}

gboolean
lock_holder_is_released (LockHolder *holder)
{
  return holder->released;
}

/* How often the main loop turned (10 ms apart at most) while the lock was held. */
guint
lock_holder_ticks_while_locked (LockHolder *holder)
{
  return holder->ticks_while_locked;
}

void
lock_holder_free (LockHolder *holder)
{
  g_clear_handle_id (&holder->tick_id, g_source_remove);
  if (holder->release_id != 0)
    {
      g_source_remove (holder->release_id);
      sqlite3_exec (holder->db, "ROLLBACK", NULL, NULL, NULL);
    }
  sqlite3_close (holder->db);
  g_free (holder);
}
