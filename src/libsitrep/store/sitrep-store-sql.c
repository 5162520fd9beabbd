/* sitrep-store-sql.c: running the store's SQL on its connection, on either engine
 *
 * What every part of the store shares: a failure turned into an error that says what to do,
 * statements in the store's SQL (?N placeholders), "one change, one transaction", and the small
 * queries that count or look up one row. The parts' own SQL lives in their files.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "sitrep-store-private.h"

/* A team database's failures are said in its words: a server, not a file. */
static gboolean
on_team (SitrepStore *self)
{
  return self->conn != NULL && sitrep_store_is_shared (self);
}

/* Turns an sqlite failure into an error that says what to do about it. */
void
sitrep_store_fail (SitrepStore *self,
                  int          rc,
                  const char  *doing,
                  GError     **error)
{
  const char *detail = self->conn ? sitrep_db_errmsg (self->conn) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_CORRUPT,
                   _("%s is not a Sitrep database or it is damaged (%s). Nothing was changed: "
                     "move the file aside to start afresh, or start Sitrep with --database "
                     "and another file."),
                   self->path, detail);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      if (on_team (self))
        {
          /* Translators: %s is the server's own words, "cannot execute INSERT in a read-only
           * transaction" or "permission denied for table incidents". */
          g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_READ_ONLY,
                       _("The team database refuses writes: %s. It may be a read-only standby "
                         "after a failover, or your database role may lack a privilege: ask "
                         "the database's administrator."),
                       detail);
          break;
        }
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_READ_ONLY,
                   _("cannot write to %s (%s): make the file and its folder writable, or start "
                     "Sitrep with --database and a writable file."),
                   self->path, detail);
      break;
    case SQLITE_CANTOPEN:
      /* On a team database: its connection went (the server stopped, or the network) while
       * doing it, which the next connection may do; what can be kept waits in the journal. */
      if (on_team (self))
        {
          g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_UNREACHABLE,
                       _("The team database %s stopped answering while %s (%s): check that "
                         "the server runs and the network to it; Sitrep connects again when "
                         "it answers."),
                       self->path, doing, detail);
          break;
        }
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_OPEN,
                   _("cannot open %s (%s): check that its folder exists and is writable, or "
                     "start Sitrep with --database and another file."),
                   self->path, detail);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      if (on_team (self))
        {
          g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_BUSY,
                       _("The team database is busy (%s): try again in a moment."), detail);
          break;
        }
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_BUSY,
                   _("%s is busy: another Sitrep or a sitrep command is writing to it. Close "
                     "the other one and try again."),
                   self->path);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_INVALID,
                   _("%s refused the change while %s: %s"), self->path, doing, detail);
      break;
    default:
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                   _("database %s failed while %s: %s"), self->path, doing, detail);
      break;
    }
}

gboolean
sitrep_store_exec (SitrepStore *self,
          const char  *sql,
          const char  *doing,
          GError     **error)
{
  int rc = sitrep_db_exec (self->conn, sql);

  if (rc != SITREP_DB_OK)
    {
      sitrep_store_fail (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

/* A statement in SQLite's own API, for the timeline model, which pages with SQLite's
 * features (FTS5) and reads a local database only. */
sqlite3_stmt *
sitrep_store_prepare (SitrepStore *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (self->db == NULL)
    {
      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_FAILED,
                   _("The timeline view reads a local database only for now; %s is a team "
                     "database. Use sitrep incident show to read its timeline."),
                   self->path);
      return NULL;
    }
  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      sitrep_store_fail (self, rc, _("preparing a query"), error);
      return NULL;
    }
  return stmt;
}

/* A statement in the store's SQL (?N placeholders), on either engine. */
SitrepDbStmt *
sitrep_store_statement (SitrepStore *self,
                        const char  *sql,
                        GError     **error)
{
  SitrepDbStmt *stmt = NULL;
  int rc = sitrep_db_prepare (self->conn, sql, &stmt);

  if (rc != SITREP_DB_OK)
    {
      sitrep_store_fail (self, rc, _("preparing a query"), error);
      return NULL;
    }
  return stmt;
}

/* Steps an INSERT … RETURNING id and finalizes it: the new row's id, or -1 with @error set.
 * Both engines return the id this way; SQLite's last_insert_rowid() has no PostgreSQL twin. */
gint64
sitrep_store_step_id (SitrepStore  *self,
                      SitrepDbStmt *stmt,
                      const char   *doing,
                      GError      **error)
{
  int rc = sitrep_db_step (stmt);
  gint64 id = -1;

  if (rc == SITREP_DB_ROW)
    {
      id = sitrep_db_column_int64 (stmt, 0);
      rc = sitrep_db_step (stmt);
    }
  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE || id < 0)
    {
      sitrep_store_fail (self, rc == SITREP_DB_DONE ? SITREP_DB_ERROR : rc, doing, error);
      return -1;
    }
  return id;
}

gint64
sitrep_store_query_int (SitrepStore *self,
                        const char  *sql,
                        gint64       arg,
                        const char  *doing,
                        GError     **error)
{
  SitrepDbStmt *stmt = sitrep_store_statement (self, sql, error);
  gint64 value;
  int rc;

  if (stmt == NULL)
    return -1;
  sitrep_db_bind_int64 (stmt, 1, arg);
  rc = sitrep_db_step (stmt);
  if (rc != SITREP_DB_ROW)
    {
      sitrep_store_fail (self, rc, doing, error);
      sitrep_db_finalize (stmt);
      return -1;
    }
  value = sitrep_db_column_int64 (stmt, 0);
  sitrep_db_finalize (stmt);
  return value;
}

/* The helpers every part of the store shares for "one change, one transaction". */
gboolean
sitrep_store_begin (SitrepStore *self,
                    GError     **error)
{
  return sitrep_store_exec (self, "BEGIN IMMEDIATE", _("starting a change"), error);
}

gboolean
sitrep_store_commit (SitrepStore *self,
                     GError     **error)
{
  return sitrep_store_exec (self, "COMMIT", _("saving a change"), error);
}

/* Always FALSE, so that a failed change can end with `return sitrep_store_rollback (self);`. */
gboolean
sitrep_store_rollback (SitrepStore *self)
{
  sitrep_db_exec (self->conn, "ROLLBACK");
  return FALSE;
}

/* Steps a statement that returns no rows and finalizes it. */
gboolean
sitrep_store_step_done (SitrepStore  *self,
                        SitrepDbStmt *stmt,
                        const char   *doing,
                        GError      **error)
{
  int rc = sitrep_db_step (stmt);

  sitrep_db_finalize (stmt);
  if (rc != SITREP_DB_DONE)
    {
      sitrep_store_fail (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

