/* sitrep-store-db-pg-session.c: what a team database's connection holds beyond statements: advisory locks, notifications, its state
 *
 * The audit chain and the schema's migrations serialize their writers with PostgreSQL's
 * advisory locks; a watch (sitrep-store-watch.c) takes the notifications the server sends on
 * a connection of its own; a lost connection is told from a refused statement, and replaced
 * by one made on another thread.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>

#include "sitrep-store-db-pg-private.h"
#include "sitrep-store-error.h"

static gint64
lock_key (const char *name)
{
  /* A fixed key per name: "Si" in the high bits, the name's hash below. */
  return ((gint64) 0x5369 << 48) | g_str_hash (name);
}

/* Whether the server has gone (the connection is broken), rather than refused a statement. */
gboolean
sitrep_db_postgres_is_lost (SitrepDb *db)
{
  return db != NULL && sitrep_db_engine (db) == SITREP_DB_ENGINE_POSTGRES
         && PQstatus (PG (db)->conn) != CONNECTION_OK;
}

/* On the thread that uses @db (the store's main thread, or a presence's reading thread):
 * @db takes @fresh's connection (made on another thread with the same address), and the broken
 * one goes with @fresh. */
void
sitrep_db_postgres_adopt (SitrepDb *db,
                          SitrepDb *fresh)
{
  PGconn *broken = PG (db)->conn;

  g_return_if_fail (sitrep_db_engine (db) == SITREP_DB_ENGINE_POSTGRES
                    && sitrep_db_engine (fresh) == SITREP_DB_ENGINE_POSTGRES);
  PG (db)->conn = PG (fresh)->conn;
  PG (fresh)->conn = broken;
  g_clear_pointer (&PG (db)->error, g_free);
  sitrep_db_close (fresh);
}

/**
 * sitrep_db_postgres_lock:
 * @name: what is serialized ("audit-chain", "schema")
 * @session: hold it until sitrep_db_postgres_unlock() rather than until the transaction ends
 *
 * Waits for the lock @name: concurrent writers of the audit chain append one after the other,
 * each reading the hash the previous one committed (and updating its anchor before the next
 * one appends). SQLite needs none, since BEGIN IMMEDIATE serializes every writer: there this
 * does nothing.
 */
gboolean
sitrep_db_postgres_lock (SitrepDb   *db,
                         const char *name,
                         gboolean    session,
                         GError    **error)
{
  SitrepDbStmt *stmt = NULL;
  int rc;

  if (sitrep_db_engine (db) != SITREP_DB_ENGINE_POSTGRES)
    return TRUE;
  sitrep_db_prepare (db,
                     session ? "SELECT pg_advisory_lock (?1)"
                             : "SELECT pg_advisory_xact_lock (?1)",
                     &stmt);
  sitrep_db_bind_int64 (stmt, 1, lock_key (name));
  rc = sitrep_db_step (stmt);
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_ROW && PQstatus (PG (db)->conn) != CONNECTION_OK)
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE,
                   _("Cannot lock the team database’s %s: the connection is lost (%s)."), name,
                   sitrep_db_errmsg (db));
      return FALSE;
    }
  if (rc != SITREP_DB_ROW)
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_BUSY,
                   _("Cannot lock the team database’s %s (%s); try again."), name,
                   sitrep_db_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

void
sitrep_db_postgres_unlock (SitrepDb   *db,
                           const char *name)
{
  SitrepDbStmt *stmt = NULL;

  /* A lost connection took its session's locks with it. */
  if (sitrep_db_engine (db) != SITREP_DB_ENGINE_POSTGRES
      || PQstatus (PG (db)->conn) != CONNECTION_OK)
    return;
  sitrep_db_prepare (db, "SELECT pg_advisory_unlock (?1)", &stmt);
  sitrep_db_bind_int64 (stmt, 1, lock_key (name));
  /* Lost meanwhile, the lock went with it. */
  if (sitrep_db_step (stmt) != SITREP_DB_ROW && PQstatus (PG (db)->conn) == CONNECTION_OK)
    g_warning ("Could not release the team database's %s lock: %s", name, sitrep_db_errmsg (db));
  sitrep_db_finalize (stmt);
}

/* The connection's socket, for a main loop to watch. */
int
sitrep_db_postgres_socket (SitrepDb *db)
{
  g_return_val_if_fail (sitrep_db_engine (db) == SITREP_DB_ENGINE_POSTGRES, -1);
  return PQsocket (PG (db)->conn);
}

/**
 * sitrep_db_postgres_take_notifications:
 * @payloads: (element-type utf8): where each notification's payload goes
 *
 * Reads what the server sent and takes the notifications it held. Returns FALSE, with @error
 * saying why, once the connection is lost.
 */
gboolean
sitrep_db_postgres_take_notifications (SitrepDb  *db,
                                       GPtrArray *payloads,
                                       GError   **error)
{
  PGconn *conn = PG (db)->conn;
  PGnotify *notify;

  g_return_val_if_fail (sitrep_db_engine (db) == SITREP_DB_ENGINE_POSTGRES, FALSE);

  if (!PQconsumeInput (conn) || PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *detail = sitrep_db_pg_one_line (PQerrorMessage (conn));

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                   _("The connection to the team database was lost (%s): other consoles’ "
                     "changes are not shown until it is made again."),
                   detail);
      return FALSE;
    }
  while ((notify = PQnotifies (conn)) != NULL)
    {
      g_ptr_array_add (payloads, g_strdup (notify->extra));
      PQfreemem (notify);
    }
  return TRUE;
}
